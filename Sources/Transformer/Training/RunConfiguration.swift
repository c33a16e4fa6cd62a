import Foundation

/// Everything that defines a pre-training run; stored in every checkpoint, so a run can be
/// resumed (or a model rebuilt) from the checkpoint alone. Introduced in Chapter 1.
public struct RunConfiguration: Codable, Equatable, Sendable {
    /// The model's sizes and its choice on each seam.
    public var model: ModelConfiguration
    public var training: TrainingSettings
    /// B.
    public var batchSize: Int
    /// Seeds the data order and the masking (the model's initial weights use `training.seed`).
    public var dataSeed: UInt64
    /// `"embedded"` or the path of a text file or folder of text files.
    public var corpus: String
    /// A prepared corpus folder (`tenfold prepare`) read instead of `corpus`; nil for none.
    public var data: String?
    /// Micro-batches of B sequences per update (gradient accumulation); nil means 1.
    public var accumulate: Int?
    /// Processes training together, each on its share of every batch; nil means 1.
    public var ranks: Int?
    /// Which checkpoints a long run writes and keeps; nil: one `checkpoint.safetensors`.
    public var checkpoints: CheckpointPolicy?

    /// The sequences of one update: B × micro-batches × ranks.
    public var globalBatchSize: Int { batchSize * (accumulate ?? 1) * (ranks ?? 1) }

    public init(model: ModelConfiguration, training: TrainingSettings, batchSize: Int,
                dataSeed: UInt64, corpus: String = "embedded") {
        self.model = model; self.training = training; self.batchSize = batchSize
        self.dataSeed = dataSeed; self.corpus = corpus
    }

    /// The largest batch size accepted before the memory estimate.
    public static let maximumBatchSize = 1 << 20

    /// Checks the model, the training settings and the batch size, and that training fits in
    /// the machine's memory — before anything is allocated.
    ///
    /// - Throws: `ConfigurationError` naming the field and the number.
    public func validate() throws {
        try model.validate()
        try training.validate()
        guard batchSize >= 1 else { throw ConfigurationError(message: "batchSize is \(batchSize); it must be at least 1") }
        // Memory first: its message says why a large batch cannot work.
        try ModelConfiguration.checkMemory(
            bytes: trainingMemoryEstimate,
            what: "training the model (\(Int(model.parameterEstimate)) parameters) on batches of \(batchSize) sequences",
            advice: "lower the batch size or the model's sizes")
        guard batchSize <= Self.maximumBatchSize else {
            throw ConfigurationError(message: "batchSize is \(batchSize); it must be at most \(Self.maximumBatchSize)")
        }
    }

    /// About how many bytes training takes: each parameter with its gradient and two moments
    /// (16 bytes), and the activations kept for the backward pass — per token and layer
    /// roughly 12·H + 2·F + 2·A·T floats, plus the embeddings and the prediction logits. A
    /// lower bound for refusing the absurd, not a promise; in Double, so it cannot overflow.
    public var trainingMemoryEstimate: Double {
        let (V, H, L, A, F, T) = (Double(model.vocabularySize), Double(model.hiddenSize), Double(model.layers),
                                  Double(model.heads), Double(model.feedForwardSize), Double(model.maxSequenceLength))
        let tokens = Double(batchSize) * T
        let perToken = L * (12 * H + 2 * F + 2 * A * T) + 3 * H + 0.3 * V
        return 16 * model.parameterEstimate + 4 * tokens * perToken
    }
}
