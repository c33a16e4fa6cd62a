// GENERATED from Exercises/Solutions/chapter3/UntiedPositionalTerm.swift by `make exercise-stubs`.
// This is the learner's file: replace each `throw ExerciseError.notImplemented(…)` with your
// code, then run `make exercise N=<id>` (Exercises/README.md explains the workflow).
import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 3.2 — TUPE's untied positional term with the [CLS] reset (chapter 3, "The formula"
    /// and "Untying [CLS]"; TUPE §3.2; METHODS.md §2; the engine's `UntiedPositions`):
    ///
    ///     p̂ = LN(p)                                      (γ, β, ε: LayerNorm of each row)
    ///     P[h] = (p̂U^Q + c^Q)_h (p̂U^K + c^K)_hᵀ / √(2D)   (head h: columns h·D..<(h+1)·D)
    ///     P[h, i, 0] = θ₂[h] for i ≥ 1, then P[h, 0, j] = θ₁[h] for every j
    ///
    /// P does not depend on the words: the model computes it once per forward pass and adds it
    /// in every layer.
    ///
    /// - Parameters:
    ///   - positions: p `[T, H]`; gamma, beta: `[H]`; epsilon: ε.
    ///   - queryWeight, keyWeight: U^Q, U^K `[H, H]`; queryBias, keyBias: c^Q, c^K `[H]`.
    ///   - heads: A; clsToOthers: θ₁ `[A]`; othersToCLS: θ₂ `[A]`.
    /// - Returns: P `[A, T, T]`.
    public static func untiedPositionalTerm(positions: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float,
                                            queryWeight: Tensor, queryBias: Tensor, keyWeight: Tensor, keyBias: Tensor,
                                            heads: Int, clsToOthers: Tensor, othersToCLS: Tensor) throws -> Tensor {
        throw ExerciseError.notImplemented("3.2")
    }
}
