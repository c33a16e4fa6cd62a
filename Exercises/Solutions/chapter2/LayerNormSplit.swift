import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 2.1 — the first layer's input LN(w + p) split exactly into a word part ω and a
    /// position part π (chapter 2, "Keeping the LayerNorm, exactly";
    /// Docs/Methods/FourTerms.md#the-layernorm-split; the engine's `splitLayerNorm`). Per row (token),
    /// with s = w + p and LN(s) = γ ⊙ (s − μ)/σ + β, where μ = mean(s) and σ = √(mean((s − μ)²) + ε)
    /// over the H features:
    ///
    ///     π = γ ⊙ (p − mean(p)) / σ       σ of the whole sum s, not of p alone
    ///     ω = LN(w + p) − π               so that ω + π = LN(w + p) exactly; β is part of ω
    ///
    /// - Parameters:
    ///   - words: w `[T, H]`; positions: p `[T, H]`.
    ///   - gamma, beta: γ `[H]`, β `[H]`; epsilon: ε.
    /// - Returns: ω `[T, H]` and π `[T, H]`.
    public static func layerNormSplit(words: Tensor, positions: Tensor, gamma: Tensor, beta: Tensor,
                                      epsilon: Float) throws -> (word: Tensor, position: Tensor) {
        // BEGIN SOLUTION 2.1
        let (T, H) = (words.shape[0], words.shape[1])
        var word = Tensor.zeros([T, H]), position = Tensor.zeros([T, H])
        for t in 0..<T {
            let w = (0..<H).map { words[t, $0] }, p = (0..<H).map { positions[t, $0] }
            let meanWord = w.reduce(0, +) / Float(H), meanPosition = p.reduce(0, +) / Float(H)
            let mean = meanWord + meanPosition
            let variance = (0..<H).reduce(Float(0)) { $0 + (w[$1] + p[$1] - mean) * (w[$1] + p[$1] - mean) } / Float(H)
            let sigma = (variance + epsilon).squareRoot()
            for h in 0..<H {
                word[t, h] = gamma[h] * (w[h] - meanWord) / sigma + beta[h]
                position[t, h] = gamma[h] * (p[h] - meanPosition) / sigma
            }
        }
        return (word, position)
        // END SOLUTION
    }
}
