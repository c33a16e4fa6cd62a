/// The size of a BERT-style masked language model, in the book-wide letters of METHODS.md.
///
///     let config = ModelConfiguration.preset("mini", vocabularySize: 8192)!
///     // L=4, H=256, A=4, F=1024, T=128
///
/// A checkpoint stores this configuration, so a model can be rebuilt from the file alone.
/// Introduced in Chapter 1.
public struct ModelConfiguration: Codable, Equatable, Sendable {
    /// Which position scheme and attention the model uses (`"bert-a"`, later `"tupe-a"`, …).
    public var architecture: String
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
    /// Dropout on attention probabilities and on every sub-layer output (METHODS.md §0: 0.1).
    public var dropout: Float
    /// ε of every LayerNorm (BERT's 1e-12).
    public var layerNormEpsilon: Float
    /// Standard deviation of the N(0, σ²) weight initialisation (METHODS.md §0: 0.02).
    public var initializerStd: Float

    public init(architecture: String = "bert-a", vocabularySize: Int, hiddenSize: Int, layers: Int,
                heads: Int, feedForwardSize: Int, maxSequenceLength: Int, dropout: Float = 0.1,
                layerNormEpsilon: Float = 1e-12, initializerStd: Float = 0.02) {
        self.architecture = architecture
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

    /// Checks the sizes fit together; the message says which does not.
    public func validate() throws {
        func fail(_ message: String) -> ConfigurationError { ConfigurationError(message: message) }
        guard vocabularySize >= 6 else { throw fail("vocabulary size \(vocabularySize) is too small (at least the 5 special tokens and one word)") }
        guard hiddenSize > 0, layers > 0, heads > 0, feedForwardSize > 0, maxSequenceLength > 1 else {
            throw fail("every size must be positive (H=\(hiddenSize), L=\(layers), A=\(heads), F=\(feedForwardSize), T=\(maxSequenceLength))")
        }
        guard hiddenSize % heads == 0 else { throw fail("hidden size H=\(hiddenSize) is not a multiple of the head count A=\(heads)") }
        guard (0..<1).contains(dropout) else { throw fail("dropout \(dropout) must be in [0, 1)") }
    }

    /// The named sizes. `tiny` is for tests and `--quick`; `chapter` trains in about a
    /// minute on 2 cores; `mini`, `small` and `base` are the benchmark presets of
    /// shared/bench (base is BERT-base, METHODS.md §0, with T=128 here; use
    /// `maxSequenceLength` 512 for the paper's length).
    public static let presetNames = ["tiny", "chapter", "mini", "small", "base"]

    public static func preset(_ name: String, vocabularySize: Int) -> ModelConfiguration? {
        switch name {
        case "tiny":
            return .init(vocabularySize: vocabularySize, hiddenSize: 32, layers: 2, heads: 2,
                         feedForwardSize: 64, maxSequenceLength: 32)
        case "chapter":
            return .init(vocabularySize: vocabularySize, hiddenSize: 128, layers: 2, heads: 2,
                         feedForwardSize: 512, maxSequenceLength: 64)
        case "mini":
            return .init(vocabularySize: vocabularySize, hiddenSize: 256, layers: 4, heads: 4,
                         feedForwardSize: 1024, maxSequenceLength: 128)
        case "small":
            return .init(vocabularySize: vocabularySize, hiddenSize: 512, layers: 4, heads: 8,
                         feedForwardSize: 2048, maxSequenceLength: 128)
        case "base":
            return .init(vocabularySize: vocabularySize, hiddenSize: 768, layers: 12, heads: 12,
                         feedForwardSize: 3072, maxSequenceLength: 128)
        default:
            return nil
        }
    }
}

/// A model configuration that does not fit together.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { "invalid model configuration: \(message)" }
}
