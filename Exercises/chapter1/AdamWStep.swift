// GENERATED from Exercises/Solutions/chapter1/AdamWStep.swift by `make exercise-stubs`.
// This is the learner's file: replace each `throw ExerciseError.notImplemented(…)` with your
// code, then run `make exercise N=<id>` (Exercises/README.md explains the workflow).
import Foundation
import Tensors
import Transformer
import ExerciseChecks

extension Implementation {
    /// Exercise 1.4 — one AdamW update of one parameter (chapter 1, "Pre-training, for real";
    /// Loshchilov & Hutter 2019, Algorithm 2; METHODS.md §0; the engine's `AdamW`). For update t
    /// (the first is t = 1), gradient g, learning rate η and `settings` (β₁, β₂, ε, λ):
    ///
    ///     θ ← θ·(1 − η·λ)                 only if `decays` (not biases, not LayerNorm)
    ///     m ← β₁·m + (1 − β₁)·g
    ///     v ← β₂·v + (1 − β₂)·g²
    ///     θ ← θ − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
    ///
    /// - Parameters: parameter θ, gradient g, firstMoment m, secondMoment v: the same shape each.
    /// - Returns: the new θ, m and v.
    public static func adamWStep(parameter: Tensor, gradient: Tensor, firstMoment: Tensor, secondMoment: Tensor,
                                 step: Int, learningRate: Float, settings: AdamW.Settings,
                                 decays: Bool) throws -> (parameter: Tensor, firstMoment: Tensor, secondMoment: Tensor) {
        throw ExerciseError.notImplemented("1.4")
    }
}
