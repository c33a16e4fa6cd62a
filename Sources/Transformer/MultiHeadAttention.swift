import Tensors
import Autograd

/// Multi-head self-attention (Vaswani et al., 2017, §3.2), with the positions seam's bias.
///
/// For each head h: `α_ij = c · (x_i W^Q_h)(x_j W^K_h)ᵀ + b_ij`, `P = softmax_j(α)` over
/// unpadded keys, `head_h = P·(x W^V_h)`; the heads are concatenated and projected by W^O.
/// `c` is the position scheme's content scale (1/√D for BERT, METHODS.md §0) and `b` its
/// attention bias (none for BERT-A).
///
/// Parameters (names under `<name>`): `query`, `key`, `value`, `output` — each a `Linear`
/// `[H, H]` with bias. Introduced in Chapter 1.
public struct MultiHeadAttention {
    public let query: Linear, key: Linear, value: Linear, output: Linear
    public let heads: Int
    public let dropoutProbability: Float

    public init(_ store: ParameterStore, _ name: String, hidden: Int, heads: Int, dropout: Float, std: Float) {
        query = Linear(store, "\(name).query", input: hidden, output: hidden, std: std)
        key = Linear(store, "\(name).key", input: hidden, output: hidden, std: std)
        value = Linear(store, "\(name).value", input: hidden, output: hidden, std: std)
        output = Linear(store, "\(name).output", input: hidden, output: hidden, std: std)
        self.heads = heads
        dropoutProbability = dropout
    }

    /// The attention probabilities and the layer's output.
    ///
    /// - Parameters:
    ///   - x: `[B, T, H]`.
    ///   - scale: the content scale c.
    ///   - bias: `[A, T, T]` or `[T, T]` added to every sequence's logits, or nil.
    ///   - offsets: `[T, H]` added to the queries and keys before the heads split, or nil
    ///     (the position scheme's third duty, Chapter 2).
    ///   - keyLengths: the `B` true sequence lengths.
    ///   - rng: the dropout stream; nil disables dropout (evaluation).
    /// - Returns: `probabilities [B, A, T, T]` and `output [B, T, H]`.
    public func callAsFunction(_ x: Variable, scale: Float, bias: Variable?, offsets: QueryKeyOffsets? = nil,
                               keyLengths: [Int],
                               rng: inout SeededGenerator?) -> (probabilities: Variable, output: Variable) {
        guard offsets != nil else {
            // The fast path: one product for the packed projections, then the fused core.
            // Same function and, for the same generator, the same dropout mask as below.
            let packedWeight = concatenate([query.weight, key.weight, value.weight], axis: 1)   // [H, 3H]
            let packedBias = concatenate([query.bias, key.bias, value.bias], axis: 0)           // [3H]
            let qkv = linear(x, weight: packedWeight, bias: packedBias)                         // [B, T, 3H]
            let seed = rng?.next() ?? 0
            let (probabilities, context) = fusedAttention(
                qkv, heads: heads, scale: scale, bias: bias, keyLengths: keyLengths,
                dropout: rng == nil ? 0 : dropoutProbability, seed: seed)
            return (probabilities, output(context))
        }
        // With query/key offsets (chapter 2's untied positions), step by step.
        var projectedQuery = query(x), projectedKey = key(x)  // [B, T, H]
        if let offsets {
            projectedQuery = projectedQuery + offsets.query   // + [T, H]
            projectedKey = projectedKey + offsets.key
        }
        let q = splitHeads(projectedQuery, heads: heads)      // [B, A, T, D]
        let k = splitHeads(projectedKey, heads: heads)        // [B, A, T, D]
        let v = splitHeads(value(x), heads: heads)            // [B, A, T, D]
        var scores = matmul(q, k, transposeB: true, alpha: scale)   // [B, A, T, T]
        if let bias { scores = scores + bias }
        let probabilities = attentionSoftmax(scores, keyLengths: keyLengths)
        let dropped = rng == nil ? probabilities : dropout(probabilities, probability: dropoutProbability, using: &rng!)
        let context = mergeHeads(matmul(dropped, v))          // [B, T, H]
        return (probabilities, output(context))
    }
}

/// One post-LN Transformer encoder layer (METHODS.md §0):
/// `x ← LN(x + Dropout(Attn(x)))`, then `x ← LN(x + Dropout(FFN(x)))`.
///
/// Parameters under `<name>`: `attention.*`, `attention_norm.{gamma,beta}`, `ffn.*`,
/// `output_norm.{gamma,beta}`. Introduced in Chapter 1.
public struct EncoderLayer {
    public let attention: MultiHeadAttention
    public let attentionNorm: LayerNormalization
    public let feedForward: FeedForward
    public let outputNorm: LayerNormalization
    public let dropoutProbability: Float

    public init(_ store: ParameterStore, _ name: String, config: ModelConfiguration) {
        let std = config.initializerStd
        attention = MultiHeadAttention(store, "\(name).attention", hidden: config.hiddenSize,
                                       heads: config.heads, dropout: config.dropout, std: std)
        attentionNorm = LayerNormalization(store, "\(name).attention_norm", size: config.hiddenSize,
                                           epsilon: config.layerNormEpsilon)
        feedForward = FeedForward(store, "\(name).ffn", hidden: config.hiddenSize,
                                  inner: config.feedForwardSize, std: std)
        outputNorm = LayerNormalization(store, "\(name).output_norm", size: config.hiddenSize,
                                        epsilon: config.layerNormEpsilon)
        dropoutProbability = config.dropout
    }

    /// `[B, T, H] → [B, T, H]`, and the layer's attention probabilities `[B, A, T, T]`.
    public func callAsFunction(_ x: Variable, scale: Float, bias: Variable?, offsets: QueryKeyOffsets? = nil,
                               keyLengths: [Int],
                               rng: inout SeededGenerator?) -> (output: Variable, probabilities: Variable) {
        let (probabilities, attended) = attention(x, scale: scale, bias: bias, offsets: offsets,
                                                  keyLengths: keyLengths, rng: &rng)
        let h = residual(x, attended, attentionNorm, &rng)
        let y = residual(h, feedForward(h), outputNorm, &rng)
        return (y, probabilities)
    }

    /// `norm(x + dropout(z))`: one fused operation when training (`residualLayerNorm`, the
    /// same numbers and mask as the three separate ones), `norm(x + z)` in evaluation.
    private func residual(_ x: Variable, _ z: Variable, _ norm: LayerNormalization,
                          _ rng: inout SeededGenerator?) -> Variable {
        guard rng != nil else { return norm(x + z) }
        return residualLayerNorm(x, plus: z, probability: dropoutProbability, using: &rng!,
                                 gamma: norm.gamma, beta: norm.beta, epsilon: norm.epsilon)
    }
}
