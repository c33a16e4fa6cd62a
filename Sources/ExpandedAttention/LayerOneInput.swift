import Tensors
import Autograd

/// The first layer's input `x¹ = LN(w + p)` written exactly as a word part plus a position part.
///
/// LayerNorm is not linear, so `LN(w + p) ≠ LN(w) + LN(p)`. But it is affine once each row's
/// spread is fixed. With `s = w + p`, per row (token): `μ = mean(s)`,
/// `σ = √(mean((s − μ)²) + ε)`, and because the mean is linear, `μ = μ_w + μ_p`:
///
///     LN(w + p) = γ ⊙ (s − μ)/σ + β
///               = [γ ⊙ (w − μ_w)/σ + β]  +  [γ ⊙ (p − μ_p)/σ]
///                  word part  ω            position part  π
///
/// Both parts share the token's σ, which depends on its word *and* its position — the one
/// place where the split is not clean, and it is only a per-token scale. β, which belongs to
/// neither, goes to the word part. The sum `ω + π` equals the model's own `LN(w + p)` up to
/// float rounding (checked in the tests and in chapter 2).
///
/// - Parameters:
///   - words: `w` `[B, T, H]`, the word embeddings of the batch.
///   - positions: `p` `[T, H]`, the position embeddings of positions 0..<T.
///   - gamma, beta: the embedding LayerNorm's `γ [H]`, `β [H]`.
/// - Returns: `word` ω `[B, T, H]` and `position` π `[B, T, H]`.
/// Introduced in Chapter 2.
public func splitLayerNorm(words w: Variable, positions p: Variable, gamma: Variable, beta: Variable,
                           epsilon: Float) -> (word: Variable, position: Variable) {
    let H = w.shape.last!
    let d = centredRows(w + p)                                          // s − μ          [B, T, H]
    let dWord = centredRows(w)                                          // w − μ_w        [B, T, H]
    let dPosition = d - dWord                                           // p − μ_p        [B, T, H]
    let variance = sum(d * d, axis: w.shape.count - 1, keepingDimension: true) / Float(H)   // [B, T, 1]
    let inverseStd = 1 / sqrt(variance + epsilon)                       // 1/σ            [B, T, 1]
    let word = scaledRows(dWord, by: inverseStd) * gamma + beta         // ω              [B, T, H]
    let position = scaledRows(dPosition, by: inverseStd) * gamma        // π              [B, T, H]
    return (word, position)
}
