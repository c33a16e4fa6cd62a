import Tensors
import Autograd

/// A batch of token sequences as the model reads it.
///
/// `ids` is row-major `[B, T]`; sequence `b` holds `lengths[b]` real tokens followed by
/// padding. Introduced in Chapter 1.
public struct ModelInput: Sendable {
    public var ids: [Int32]        // [B, T]
    public var batchSize: Int      // B
    public var length: Int         // T
    public var lengths: [Int]      // [B], each in 1…T

    public init(ids: [Int32], batchSize: Int, length: Int, lengths: [Int]) {
        precondition(ids.count == batchSize * length, "ids hold \(ids.count) tokens, not B·T = \(batchSize)·\(length)")
        precondition(lengths.count == batchSize, "need \(batchSize) lengths, got \(lengths.count)")
        self.ids = ids; self.batchSize = batchSize; self.length = length; self.lengths = lengths
    }
}

/// What a masked-language-model step predicts: the flat positions `b·T + t` of the chosen
/// tokens and their original ids. Introduced in Chapter 1.
public struct MaskedTargets: Sendable {
    public var positions: [Int32]   // [N]
    public var labels: [Int32]      // [N]
    public init(positions: [Int32], labels: [Int32]) {
        precondition(positions.count == labels.count, "\(positions.count) positions but \(labels.count) labels")
        self.positions = positions; self.labels = labels
    }
}

/// The encoder's result for one batch.
public struct EncoderOutput {
    /// `[B, T, H]`: the final layer's hidden states.
    public var hidden: Variable
    /// One `[B, A, T, T]` tensor of attention probabilities per layer.
    public var attention: [Variable]
}

/// A BERT-style masked language model with a pluggable position scheme (METHODS.md §0).
///
///     let model = try MaskedLanguageModel(config: config, seed: 1, positions: AbsolutePositions.factory)
///     var dropoutRNG: SeededGenerator? = SeededGenerator(seed: 2)
///     let loss = model.loss(input, targets, rng: &dropoutRNG)     // scalar
///     loss.backward()
///
/// - Input: `e = LN(E[ids] + p)` with `p` from the position scheme (or none), then dropout.
/// - L post-LN encoder layers, each adding the scheme's attention bias to its logits (and
///   its query/key offsets, if any, to its queries and keys).
/// - MLM head at the predicted positions only: `Linear(H→H) → GELU → LN`, then
///   `logits = h·Eᵀ + b` with the word embedding table `E` tied and a per-token bias `b`.
///
/// Parameter names: `embeddings.word [V, H]`, `embeddings.norm.{gamma,beta}`, the
/// scheme's own (BERT-A: `embeddings.position [T, H]`), `encoder.layer.<l>.*` (see
/// `EncoderLayer`), `mlm.transform.{weight,bias}`, `mlm.norm.{gamma,beta}`, `mlm.bias [V]`.
/// Introduced in Chapter 1.
public final class MaskedLanguageModel {
    public let config: ModelConfiguration
    public let parameters: ParameterStore
    public let positions: PositionEncoding
    public let wordEmbeddings: Variable          // E [V, H]
    public let embeddingNorm: LayerNormalization
    public let layers: [EncoderLayer]
    public let headTransform: Linear             // H → H
    public let headNorm: LayerNormalization
    public let outputBias: Variable              // [V]

    /// Builds a freshly initialised model: weights ~ N(0, 0.02²), biases 0, LayerNorm γ=1 β=0.
    public init(config: ModelConfiguration, seed: UInt64, positions: PositionEncodingFactory) throws {
        try config.validate()
        self.config = config
        let store = ParameterStore(seed: seed)
        parameters = store
        let std = config.initializerStd
        wordEmbeddings = store.normal("embeddings.word", [config.vocabularySize, config.hiddenSize], std: std)
        self.positions = positions(store, config)
        embeddingNorm = LayerNormalization(store, "embeddings.norm", size: config.hiddenSize,
                                           epsilon: config.layerNormEpsilon)
        layers = (0..<config.layers).map { EncoderLayer(store, "encoder.layer.\($0)", config: config) }
        headTransform = Linear(store, "mlm.transform", input: config.hiddenSize, output: config.hiddenSize, std: std)
        headNorm = LayerNormalization(store, "mlm.norm", size: config.hiddenSize, epsilon: config.layerNormEpsilon)
        outputBias = store.zeros("mlm.bias", [config.vocabularySize])
    }

    /// Runs the encoder. `rng` is the dropout stream; pass nil to evaluate without dropout.
    public func encode(_ input: ModelInput, rng: inout SeededGenerator?) -> EncoderOutput {
        let (B, T, H) = (input.batchSize, input.length, config.hiddenSize)
        precondition(T <= config.maxSequenceLength, "sequence length \(T) exceeds the model's \(config.maxSequenceLength)")
        var x = embedding(wordEmbeddings, ids: input.ids).reshaped([B, T, H])   // [B, T, H]
        if let p = positions.inputEmbedding(length: T) { x = x + p }          // + [T, H]
        x = embeddingNorm(x)
        if rng != nil { x = dropout(x, probability: config.dropout, using: &rng!) }
        // The positional bias does not depend on the input: computed once, used by every layer.
        let bias = positions.attentionBias(length: T)
        let offsets = positions.queryKeyOffsets(length: T)
        let scale = positions.contentScale(headSize: config.headSize)
        var attention: [Variable] = []
        for layer in layers {
            let (y, probabilities) = layer(x, scale: scale, bias: bias, offsets: offsets,
                                           keyLengths: input.lengths, rng: &rng)
            x = y
            attention.append(probabilities)
        }
        return EncoderOutput(hidden: x, attention: attention)
    }

    /// Vocabulary logits `[N, V]` at the given flat positions of `hidden [B, T, H]`.
    public func predictionLogits(_ hidden: Variable, at positions: [Int32]) -> Variable {
        let rows = gatherRows(hidden.reshaped([-1, config.hiddenSize]), indices: positions)  // [N, H]
        let h = headNorm(linearGELU(rows, weight: headTransform.weight, bias: headTransform.bias))  // [N, H]
        return linear(h, weight: wordEmbeddings, bias: outputBias, transposedWeight: true) // [N, V]
    }

    /// The masked-LM loss: mean cross-entropy over the predicted positions.
    public func loss(_ input: ModelInput, _ targets: MaskedTargets, rng: inout SeededGenerator?) -> Variable {
        let hidden = encode(input, rng: &rng).hidden
        let logits = predictionLogits(hidden, at: targets.positions)
        return crossEntropy(logits, targets: targets.labels)
    }
}
