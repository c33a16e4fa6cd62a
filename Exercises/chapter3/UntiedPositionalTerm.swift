// GENERATED exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`
// with your code, then check it with `make exercise N=<id>`.
// Stuck? `make hint N=<id>` prints a nudge, `make hint N=<id> LEVEL=2` the derivation.
// Exercises/README.md explains the workflow.
import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 3.2 — TUPE's untied positional term with the [CLS] reset (chapter 3, "The formula" and
    /// "Untying [CLS]"; TUPE §3.2; Docs/Methods/TUPE.md#the-positional-term and
    /// Docs/Methods/TUPE.md#cls-untying; the engine's `UntiedPositions`). With p̂ = LN(p) (each row,
    /// with γ, β, ε), D = H/A and a subscript h keeping the columns h·D..<(h+1)·D, for every head h:
    ///
    ///     P[h, i, j] = (p̂ᵢU^Q + c^Q)_h · (p̂ⱼU^K + c^K)_hᵀ / √(2D)     for i ≥ 1 and j ≥ 1
    ///     P[h, i, 0] = θ₂[h]                                           for i ≥ 1   (everyone → [CLS])
    ///     P[h, 0, j] = θ₁[h]                                           for every j ([CLS] → everyone)
    ///
    /// P depends on the positions only, not on the words: the model computes it once per forward
    /// pass and adds it in every layer.
    ///
    /// - Parameters:
    ///   - positions: p `[T, H]`; gamma, beta: γ, β `[H]`; epsilon: ε.
    ///   - queryWeight, keyWeight: U^Q, U^K `[H, H]`; queryBias, keyBias: c^Q, c^K `[H]`.
    ///   - heads: A; clsToOthers: θ₁ `[A]`; othersToCLS: θ₂ `[A]`.
    /// - Returns: P `[A, T, T]`.
    public static func untiedPositionalTerm(positions: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float,
                                            queryWeight: Tensor, queryBias: Tensor, keyWeight: Tensor, keyBias: Tensor,
                                            heads: Int, clsToOthers: Tensor, othersToCLS: Tensor) throws -> Tensor {
        throw ExerciseError.notImplemented("3.2")
    }
}
