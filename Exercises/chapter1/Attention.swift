// GENERATED exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`
// with your code, then check it with `make exercise N=<id>`.
// Stuck? `make hint N=<id>` prints a nudge, `make hint N=<id> LEVEL=2` the derivation.
// Exercises/README.md explains the workflow.
import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 1.2 — one head of scaled dot-product attention, forward (chapter 1, "Scaled
    /// dot-product attention, by hand"; Vaswani et al. 2017, §3.2.1, equation 1;
    /// Docs/Methods/BERT.md#attention-logits):
    ///
    ///     P = softmax(Q·Kᵀ/√D)     the softmax of each row: row i is a distribution over the keys
    ///     output = P·V
    ///
    /// - Parameters:
    ///   - query: Q `[Tq, D]`, one row per query token.
    ///   - key: K `[Tk, D]`, one row per key token.
    ///   - value: V `[Tk, D]`, one row per key token.
    /// - Returns: `probabilities` P `[Tq, Tk]` (every row sums to 1) and `output [Tq, D]`.
    public static func attention(query: Tensor, key: Tensor, value: Tensor) throws -> (probabilities: Tensor, output: Tensor) {
        throw ExerciseError.notImplemented("1.2")
    }
}
