// GENERATED from Exercises/Solutions/chapter1/SoftmaxRows.swift by `make exercise-stubs`.
// This is the learner's file: replace each `throw ExerciseError.notImplemented(…)` with your
// code, then run `make exercise N=<id>` (Exercises/README.md explains the workflow).
import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 1.1 — the softmax of each row, numerically stable (chapter 1, "Scaled dot-product
    /// attention, by hand"; the engine's `softmax` in Sources/Tensors/Softmax.swift).
    ///
    ///     yᵢⱼ = e^(xᵢⱼ − mᵢ) / Σₖ e^(xᵢₖ − mᵢ),   mᵢ = maxₖ xᵢₖ
    ///
    /// Subtracting the row maximum changes nothing mathematically but keeps every exponent ≤ 0,
    /// so logits of 1000 do not overflow. Entries of −∞ (masked keys) must give exactly 0.
    ///
    /// - Parameter x: `[N, M]` logits, one row per query.
    /// - Returns: `[N, M]` probabilities; every row sums to 1.
    public static func softmaxRows(_ x: Tensor) throws -> Tensor {
        // for each of the N rows: find its maximum, exponentiate x − max, divide by the sum.
        throw ExerciseError.notImplemented("1.1")
    }
}
