import Tensors
import Autograd

/// Scaled dot-product attention written step by step, one recorded operation per step of the
/// formula (Vaswani et al., 2017, §3.2.1):
///
///     S = c·Q·Kᵀ + bias            scores, per head                 [B, A, T, T]
///     P = softmax_j(S) over j < n_b padded keys get 0               [B, A, T, T]
///     P̃ = dropout(P)                                                [B, A, T, T]
///     context = P̃·V, heads merged                                   [B, T, H]
///
///     var noDropout: SeededGenerator? = nil
///     let (P, context) = referenceAttention(query: q, key: k, value: v, heads: A, scale: 1 / √D,
///                                           bias: nil, keyLengths: lengths, dropout: 0.1, rng: &noDropout)
///
/// This is the readable path: the one teaching graphs draw (each step is a node), the one
/// tests compare `fusedAttention` with, and the one `MultiHeadAttention` runs when told to
/// (`.reference`) or when a position scheme adds offsets to the queries and keys. The
/// dropout mask comes from `rng` exactly as `fusedAttention`'s does, so the two compute the
/// same function with the same mask.
///
/// - Parameters:
///   - query, key, value: the projections `[B, T, H]`, heads side by side.
///   - heads: A; scale: the content scale c (1/√D for BERT).
///   - bias: `[A, T, T]` or `[T, T]` added to every sequence's scores, or nil.
///   - keyLengths: the B true lengths.
///   - dropout: p on the probabilities; `rng`: its stream (nil: no dropout, evaluation).
/// - Returns: the probabilities `[B, A, T, T]` (values: no gradient flows through them)
///   and the context `[B, T, H]`.
/// Introduced in Chapter 1.
public func referenceAttention(query: Variable, key: Variable, value: Variable, heads A: Int, scale c: Float,
                               bias: Variable?, keyLengths: [Int], dropout p: Float,
                               rng: inout SeededGenerator?) -> (probabilities: Tensor, context: Variable) {
    let q = splitHeads(query, heads: A)                         // [B, A, T, D]
    let k = splitHeads(key, heads: A)                           // [B, A, T, D]
    let v = splitHeads(value, heads: A)                         // [B, A, T, D]
    var scores = matmul(q, k, transposeB: true, alpha: c)       // [B, A, T, T]
    scores.label = "c·QKᵀ"
    if let bias {
        scores = scores + bias
        scores.label = "c·QKᵀ + bias"
    }
    let probabilities = attentionSoftmax(scores, keyLengths: keyLengths)
    probabilities.label = "P = softmax"
    let dropped = rng == nil ? probabilities : dropout(probabilities, probability: p, using: &rng!)
    let weighted = matmul(dropped, v)                           // [B, A, T, D]
    weighted.label = "P·V"
    let context = mergeHeads(weighted)                          // [B, T, H]
    return (probabilities.value, context)
}
