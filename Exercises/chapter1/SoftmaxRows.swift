// GENERATED exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`
// with your code, then check it with `make exercise N=<id>`.
// Stuck? `make hint N=<id>` prints a nudge, `make hint N=<id> LEVEL=2` the derivation.
// Exercises/README.md explains the workflow.
import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 1.1 — the softmax of each row of `x`, as a probability distribution that never
    /// overflows (chapter 1, "Scaled dot-product attention, by hand";
    /// Docs/Methods/BERT.md#attention-logits; the engine's `softmax`):
    ///
    ///     yᵢⱼ = e^(xᵢⱼ) / Σₖ e^(xᵢₖ)
    ///
    /// Every row of finite logits must give finite probabilities, however large the logits (the check
    /// adds up to 30 000 to a row), and an entry of −∞ (a masked key) must give exactly 0.
    ///
    /// - Parameter x: `[N, M]` logits, one row per query.
    /// - Returns: y `[N, M]`, every row summing to 1.
    public static func softmaxRows(_ x: Tensor) throws -> Tensor {
        throw ExerciseError.notImplemented("1.1")
    }
}
