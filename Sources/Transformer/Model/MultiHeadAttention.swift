import Tensors
import Autograd

/// Which implementation of the attention core a layer runs. Both compute the same function
/// with the same dropout mask (tested to float rounding); they differ in speed and in what a
/// computation graph shows. Introduced in Chapter 1.
public enum AttentionImplementation: String, Sendable {
    /// `referenceAttention`: one operation per step of the formula. Readable, drawn in
    /// teaching graphs; also the path taken whenever queries and keys get offsets.
    case reference
    /// `fusedAttention`: packed projections and one kernel per (sequence, head) block on the
    /// cores. The default for training.
    case fused
}

/// Multi-head self-attention (Vaswani et al., 2017, §3.2), with the positions seam's bias.
///
/// For each head h: `α_ij = c · (x_i W^Q_h)(x_j W^K_h)ᵀ + b_ij`, `P = softmax_j(α)` over
/// unpadded keys, `head_h = P·(x W^V_h)`; the heads are concatenated and projected by W^O.
/// `c` is the position scheme's content scale (1/√D for BERT) and `b` its attention bias
/// (none for BERT-A).
///
/// The core runs as `implementation` says — `.fused` (the default) or `.reference` — the
/// one explicit switch between the fast path and the readable one:
///
///     var attention = MultiHeadAttention(store, "layer", hidden: 4, heads: 2, dropout: 0, std: 0.5)
///     attention.implementation = .reference      // every step a node of the graph
///
/// Parameters (names under `<name>`): `query`, `key`, `value`, `output` — each a `Linear`
/// `[H, H]` with bias. Introduced in Chapter 1.
public struct MultiHeadAttention {
    public let query: Linear, key: Linear, value: Linear, output: Linear
    public let heads: Int
    public let dropoutProbability: Float
    public var implementation: AttentionImplementation

    public init(_ store: ParameterStore, _ name: String, hidden: Int, heads: Int, dropout: Float, std: Float,
                implementation: AttentionImplementation = .fused) {
        query = Linear(store, "\(name).query", input: hidden, output: hidden, std: std)
        key = Linear(store, "\(name).key", input: hidden, output: hidden, std: std)
        value = Linear(store, "\(name).value", input: hidden, output: hidden, std: std)
        output = Linear(store, "\(name).output", input: hidden, output: hidden, std: std)
        self.heads = heads
        dropoutProbability = dropout
        self.implementation = implementation
    }

    /// The attention probabilities and the layer's output.
    ///
    /// - Parameters:
    ///   - x: `[B, T, H]`.
    ///   - scale: the content scale c.
    ///   - bias: `[A, T, T]` or `[T, T]` added to every sequence's logits, or nil.
    ///   - offsets: `[T, H]` added to the queries and keys before the heads split, or nil
    ///     (the position scheme's third duty, chapter 2). The fused core has no place for
    ///     them, so offsets always take the reference path.
    ///   - keyLengths: the `B` true sequence lengths.
    ///   - rng: the dropout stream; nil disables dropout (evaluation).
    /// - Returns: `probabilities [B, A, T, T]` (values) and `output [B, T, H]`.
    public func callAsFunction(_ x: Variable, scale: Float, bias: Variable?, offsets: QueryKeyOffsets? = nil,
                               keyLengths: [Int],
                               rng: inout SeededGenerator?) -> (probabilities: Tensor, output: Variable) {
        let p = rng == nil ? 0 : dropoutProbability
        if implementation == .fused && offsets == nil {
            // One product for the packed projections, then the fused core.
            let packedWeight = concatenate([query.weight, key.weight, value.weight], axis: 1)   // [H, 3H]
            let packedBias = concatenate([query.bias, key.bias, value.bias], axis: 0)           // [3H]
            let qkv = linear(x, weight: packedWeight, bias: packedBias)                         // [B, T, 3H]
            let seed = rng?.next() ?? 0
            let (probabilities, context) = fusedAttention(qkv, heads: heads, scale: scale, bias: bias,
                                                          keyLengths: keyLengths, dropout: p, seed: seed)
            return (probabilities, output(context))
        }
        var projectedQuery = query(x), projectedKey = key(x)  // [B, T, H]
        if let offsets {
            projectedQuery = projectedQuery + offsets.query   // + [T, H]
            projectedKey = projectedKey + offsets.key
        }
        let (probabilities, context) = referenceAttention(
            query: projectedQuery, key: projectedKey, value: value(x), heads: heads, scale: scale, bias: bias,
            keyLengths: keyLengths, dropout: p, rng: &rng)
        return (probabilities, output(context))
    }
}
