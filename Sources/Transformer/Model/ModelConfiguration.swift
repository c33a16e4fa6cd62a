import Foundation

/// The size of a BERT-style model and its choice on each of the three seams, in the
/// book-wide letters (Docs/Methods/README.md).
///
///     var config = ModelConfiguration.preset("mini", vocabularySize: 8192)!
///     // L=4, H=256, A=4, F=1024, T=128; positions "bert-a", input "none", objective "mlm"
///     config.positions = "tupe-r"
///
/// The seams (Sources/README.md): **positions** — how word order enters (chapters 1–3);
/// **input** — what may change the embeddings of a batch before the first layer (chapter 4);
/// **objective** — what is corrupted, what is predicted and with which loss (chapters 1 and
/// 5). Each choice is a name that a `ModelRegistry` maps to the code that builds it.
///
/// A checkpoint stores this configuration, so a model can be rebuilt from the file alone.
/// Checkpoints written before the seams existed stored a single `architecture` string, the
/// position scheme's name; it is read as `positions`, with input `none` and objective `mlm`.
/// Introduced in Chapter 1.
public struct ModelConfiguration: Codable, Equatable, Sendable {
    /// The positions seam: `"bert-a"`, `"bert-ad"`, `"bert-r"`, `"tupe-a"` or `"tupe-r"`.
    public var positions: String
    /// The input seam: `"none"` (the default) or an input augmentation's name.
    public var input: String
    /// The objective seam: `"mlm"` (the default) or another objective's name.
    public var objective: String
    /// The seams' own numeric settings, keyed `<choice>.<setting>`; a missing key means the
    /// method's documented default. Empty for every method of chapters 1–3.
    public var options: [String: Double]
    /// V: vocabulary size.
    public var vocabularySize: Int
    /// H: hidden size.
    public var hiddenSize: Int
    /// L: number of encoder layers.
    public var layers: Int
    /// A: attention heads per layer; `H` must be a multiple of `A`.
    public var heads: Int
    /// F: the feed-forward layer's inner size.
    public var feedForwardSize: Int
    /// T: the longest sequence the position tables cover.
    public var maxSequenceLength: Int
    /// Dropout on attention probabilities and on every sub-layer output (BERT's 0.1).
    public var dropout: Float
    /// ε of every LayerNorm (BERT's 1e-12).
    public var layerNormEpsilon: Float
    /// Standard deviation of the N(0, σ²) weight initialisation (BERT's 0.02).
    public var initializerStd: Float

    /// The input seam's name when nothing changes the embeddings.
    public static let noInput = "none"

    public init(positions: String = "bert-a", input: String = ModelConfiguration.noInput,
                objective: String = "mlm", options: [String: Double] = [:],
                vocabularySize: Int, hiddenSize: Int, layers: Int,
                heads: Int, feedForwardSize: Int, maxSequenceLength: Int, dropout: Float = 0.1,
                layerNormEpsilon: Float = 1e-12, initializerStd: Float = 0.02) {
        self.positions = positions
        self.input = input
        self.objective = objective
        self.options = options
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.heads = heads
        self.feedForwardSize = feedForwardSize
        self.maxSequenceLength = maxSequenceLength
        self.dropout = dropout
        self.layerNormEpsilon = layerNormEpsilon
        self.initializerStd = initializerStd
    }

    /// D = H / A: the size of one attention head.
    public var headSize: Int { hiddenSize / heads }

    /// The setting `key` of the seams' options, or `fallback` when it is not set.
    public func option(_ key: String, default fallback: Double) -> Double { options[key] ?? fallback }

    /// The largest value each size may take: far beyond any model a CPU trains, small enough
    /// that no product of them overflows (the memory estimate counts in Double anyway).
    public static let limits = (vocabularySize: 1 << 24, hiddenSize: 1 << 16, layers: 1024, heads: 1024,
                                feedForwardSize: 1 << 18, maxSequenceLength: 1 << 16)

    /// Checks every field against its range and the sizes against each other and against the
    /// machine's memory, before anything is allocated; the message names the field (as the
    /// checkpoint's JSON spells it) and the number.
    ///
    /// - Throws: `ConfigurationError`.
    public func validate() throws {
        func fail(_ message: String) -> ConfigurationError { ConfigurationError(message: message) }
        func check(_ name: String, _ value: Int, _ range: ClosedRange<Int>) throws {
            guard range.contains(value) else {
                throw fail("\(name) is \(value); it must be between \(range.lowerBound) and \(range.upperBound)")
            }
        }
        guard vocabularySize >= 6 else { throw fail("vocabularySize \(vocabularySize) is too small (at least the 5 special tokens and one word)") }
        try check("vocabularySize (V)", vocabularySize, 6...Self.limits.vocabularySize)
        try check("hiddenSize (H)", hiddenSize, 1...Self.limits.hiddenSize)
        try check("layers (L)", layers, 1...Self.limits.layers)
        try check("heads (A)", heads, 1...Self.limits.heads)
        try check("feedForwardSize (F)", feedForwardSize, 1...Self.limits.feedForwardSize)
        try check("maxSequenceLength (T)", maxSequenceLength, 2...Self.limits.maxSequenceLength)
        guard hiddenSize % heads == 0 else { throw fail("hidden size H=\(hiddenSize) is not a multiple of the head count A=\(heads)") }
        guard (0..<1).contains(dropout) else { throw fail("dropout \(dropout) must be in [0, 1)") }
        guard layerNormEpsilon.isFinite, layerNormEpsilon > 0, layerNormEpsilon <= 1 else {
            throw fail("layerNormEpsilon is \(layerNormEpsilon); it must be in (0, 1] (BERT's is 1e-12)")
        }
        guard initializerStd.isFinite, initializerStd > 0, initializerStd <= 1 else {
            throw fail("initializerStd is \(initializerStd); it must be in (0, 1] (BERT's is 0.02)")
        }
        if let key = options.keys.sorted().first(where: { !options[$0]!.isFinite }) {
            throw fail("options[\"\(key)\"] is \(options[key]!); every option must be a finite number")
        }
        try Self.checkMemory(bytes: 4 * parameterEstimate, what: "the model's weights")
    }

    /// About how many parameters the model has: the embeddings, L layers of attention and
    /// feed-forward, the masked-LM head (smaller terms left out). In Double: no overflow.
    public var parameterEstimate: Double {
        let (V, H, L, F, T) = (Double(vocabularySize), Double(hiddenSize), Double(layers), Double(feedForwardSize),
                               Double(maxSequenceLength))
        return V * H + T * H + L * (4 * H * H + 2 * H * F) + H * H + V
    }

    /// Refuses `bytes` of memory for `what` when they exceed the machine's (with the numbers).
    ///
    /// - Throws: `ConfigurationError`.
    public static func checkMemory(bytes: Double, what: String, advice: String = "choose smaller sizes") throws {
        let available = Double(ProcessInfo.processInfo.physicalMemory)
        guard bytes <= available else {
            throw ConfigurationError(message: "\(what) would need about \(gigabytes(bytes)) of memory, and this machine has "
                                         + "\(gigabytes(available)); \(advice)")
        }
    }

    /// "12.3 GB".
    static func gigabytes(_ bytes: Double) -> String { String(format: "%.1f GB", bytes / 1e9) }

    // MARK: Presets

    /// The named sizes, one table for the chapters, `tenfold train` and the benchmark.
    /// `tiny` is for tests and `--quick`; `chapter` trains in about a minute on 2 cores;
    /// `mini`, `small` and `base` are the benchmark's sizes (base is BERT-base with T = 128
    /// here; set `maxSequenceLength` to 512 for the paper's length).
    public static let presets: [ModelPreset] = [
        ModelPreset(name: "tiny", hiddenSize: 32, layers: 2, heads: 2, feedForwardSize: 64, maxSequenceLength: 32),
        ModelPreset(name: "chapter", hiddenSize: 128, layers: 2, heads: 2, feedForwardSize: 512, maxSequenceLength: 64),
        ModelPreset(name: "mini", hiddenSize: 256, layers: 4, heads: 4, feedForwardSize: 1024, maxSequenceLength: 128,
                    benchmark: .init(vocabularySize: 8192, batchSize: 32)),
        ModelPreset(name: "small", hiddenSize: 512, layers: 4, heads: 8, feedForwardSize: 2048, maxSequenceLength: 128,
                    benchmark: .init(vocabularySize: 30522, batchSize: 16)),
        ModelPreset(name: "base", hiddenSize: 768, layers: 12, heads: 12, feedForwardSize: 3072, maxSequenceLength: 128,
                    benchmark: .init(vocabularySize: 30522, batchSize: 8)),
    ]

    public static var presetNames: [String] { presets.map(\.name) }

    /// The preset called `name` with vocabulary size V, or nil for an unknown name.
    public static func preset(_ name: String, vocabularySize: Int) -> ModelConfiguration? {
        presets.first { $0.name == name }?.configuration(vocabularySize: vocabularySize)
    }

    // MARK: Coding

    enum CodingKeys: String, CodingKey {
        case positions, input, objective, options, vocabularySize, hiddenSize, layers, heads, feedForwardSize
        case maxSequenceLength, dropout, layerNormEpsilon, initializerStd
        /// Before the seams: the position scheme's name.
        case architecture
    }

    public init(from decoder: Swift.Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let positions = try c.decodeIfPresent(String.self, forKey: .positions) {
            self.positions = positions
        } else {
            positions = try c.decode(String.self, forKey: .architecture)
        }
        input = try c.decodeIfPresent(String.self, forKey: .input) ?? Self.noInput
        objective = try c.decodeIfPresent(String.self, forKey: .objective) ?? "mlm"
        options = try c.decodeIfPresent([String: Double].self, forKey: .options) ?? [:]
        vocabularySize = try c.decode(Int.self, forKey: .vocabularySize)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        layers = try c.decode(Int.self, forKey: .layers)
        heads = try c.decode(Int.self, forKey: .heads)
        feedForwardSize = try c.decode(Int.self, forKey: .feedForwardSize)
        maxSequenceLength = try c.decode(Int.self, forKey: .maxSequenceLength)
        dropout = try c.decode(Float.self, forKey: .dropout)
        layerNormEpsilon = try c.decode(Float.self, forKey: .layerNormEpsilon)
        initializerStd = try c.decode(Float.self, forKey: .initializerStd)
    }

    public func encode(to encoder: Swift.Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(positions, forKey: .positions)
        try c.encode(input, forKey: .input)
        try c.encode(objective, forKey: .objective)
        if !options.isEmpty { try c.encode(options, forKey: .options) }
        try c.encode(vocabularySize, forKey: .vocabularySize)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(layers, forKey: .layers)
        try c.encode(heads, forKey: .heads)
        try c.encode(feedForwardSize, forKey: .feedForwardSize)
        try c.encode(maxSequenceLength, forKey: .maxSequenceLength)
        try c.encode(dropout, forKey: .dropout)
        try c.encode(layerNormEpsilon, forKey: .layerNormEpsilon)
        try c.encode(initializerStd, forKey: .initializerStd)
    }
}

/// A named model size. Introduced in Chapter 1.
public struct ModelPreset: Sendable {
    /// The shapes of the PyTorch reference step that `tenfold bench` times this size with.
    public struct Benchmark: Sendable {
        /// V of the reference (BERT's 30 522, or the embedded 8 192 for mini).
        public var vocabularySize: Int
        /// B of the reference.
        public var batchSize: Int
    }

    public let name: String
    public let hiddenSize: Int, layers: Int, heads: Int, feedForwardSize: Int, maxSequenceLength: Int
    /// nil for sizes the benchmark does not time.
    public let benchmark: Benchmark?

    public init(name: String, hiddenSize: Int, layers: Int, heads: Int, feedForwardSize: Int,
                maxSequenceLength: Int, benchmark: Benchmark? = nil) {
        self.name = name
        self.hiddenSize = hiddenSize; self.layers = layers; self.heads = heads
        self.feedForwardSize = feedForwardSize; self.maxSequenceLength = maxSequenceLength
        self.benchmark = benchmark
    }

    /// This size with vocabulary size V, BERT-A with masked-LM and the other defaults.
    public func configuration(vocabularySize: Int) -> ModelConfiguration {
        ModelConfiguration(vocabularySize: vocabularySize, hiddenSize: hiddenSize, layers: layers, heads: heads,
                           feedForwardSize: feedForwardSize, maxSequenceLength: maxSequenceLength)
    }
}

/// A model configuration that does not fit together.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { "invalid model configuration: \(message)" }
}

/// Something the user asked for that cannot be done as asked — a missing file, a text
/// without a blank to fill — as one sentence that says what to do.
/// Introduced in Chapter 1.
public struct InputError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
