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
}
