// GENERATED from Exercises/Solutions/chapter1/AttentionBackward.swift by `make exercise-stubs`.
// This is the learner's file: replace each `throw ExerciseError.notImplemented(…)` with your
// code, then run `make exercise N=<id>` (Exercises/README.md explains the workflow).
import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 1.3 — the backward pass of 1.2, by hand (chapter 1: "every gradient above is
    /// checked against finite differences"). With ℓ = Σ G ⊙ output for a given `G = outputGradient`:
    ///
    ///     ∂ℓ/∂V = Pᵀ·G                      ∂ℓ/∂P = G·Vᵀ
    ///     ∂ℓ/∂αᵢⱼ = Pᵢⱼ·(∂ℓ/∂Pᵢⱼ − Σₖ ∂ℓ/∂Pᵢₖ·Pᵢₖ)        (the softmax's backward, per row)
    ///     ∂ℓ/∂Q = (∂ℓ/∂α)·K/√D             ∂ℓ/∂K = (∂ℓ/∂α)ᵀ·Q/√D
    ///
    /// The check compares with the engine's autograd and with central finite differences.
    ///
    /// - Parameters:
    ///   - query: `[Tq, D]`; key, value: `[Tk, D]`.
    ///   - outputGradient: G = ∂ℓ/∂output, `[Tq, D]`.
    /// - Returns: ∂ℓ/∂query `[Tq, D]`, ∂ℓ/∂key `[Tk, D]`, ∂ℓ/∂value `[Tk, D]`.
    public static func attentionBackward(query: Tensor, key: Tensor, value: Tensor,
                                         outputGradient: Tensor) throws -> (query: Tensor, key: Tensor, value: Tensor) {
        // recompute P as in the forward pass, then apply the four formulas above in order.
        throw ExerciseError.notImplemented("1.3")
    }
}
