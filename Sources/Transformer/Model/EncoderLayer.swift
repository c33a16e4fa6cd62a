import Tensors
import Autograd

/// One post-LN Transformer encoder layer (Docs/Methods/BERT.md):
/// `x ← LN(x + Dropout(Attn(x)))`, then `x ← LN(x + Dropout(FFN(x)))`.
///
/// Parameters under `<name>`: `attention.*`, `attention_norm.{gamma,beta}`, `ffn.*`,
/// `output_norm.{gamma,beta}`. Introduced in Chapter 1.
public struct EncoderLayer {
    public var attention: MultiHeadAttention
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
                               rng: inout SeededGenerator?) -> (output: Variable, probabilities: Tensor) {
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
