// GENERATED from Exercises/Solutions/chapter2/LayerNormSplit.swift by `make exercise-stubs`.
// This is the learner's file: replace each `throw ExerciseError.notImplemented(…)` with your
// code, then run `make exercise N=<id>` (Exercises/README.md explains the workflow).
import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 2.1 — the first layer's input LN(w + p) split exactly into a word part ω and a
    /// position part π (chapter 2, "Keeping the LayerNorm, exactly"; the engine's `splitLayerNorm`).
    /// Per row (token), with s = w + p, μ = mean(s) = μ_w + μ_p and σ = √(mean((s − μ)²) + ε):
    ///
    ///     ω = γ ⊙ (w − μ_w)/σ + β          π = γ ⊙ (p − μ_p)/σ          ω + π = LN(w + p)
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
