// GENERATED exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`
// with your code, then check it with `make exercise N=<id>`.
// Stuck? `make hint N=<id>` prints a nudge, `make hint N=<id> LEVEL=2` the derivation.
// Exercises/README.md explains the workflow.
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
        throw ExerciseError.notImplemented("2.1")
    }
}
