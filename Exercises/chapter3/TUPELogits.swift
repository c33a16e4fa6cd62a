// GENERATED exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`
// with your code, then check it with `make exercise N=<id>`.
// Stuck? `make hint N=<id>` prints a nudge, `make hint N=<id> LEVEL=2` the derivation.
// Exercises/README.md explains the workflow.
import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 3.3 — one TUPE-A layer's attention logits (chapter 3, "The formula"; TUPE §3.2, Eq. 10;
    /// Docs/Methods/TUPE.md#attention-logits). For every head h, with D = H/A and a subscript h keeping
    /// the columns h·D..<(h+1)·D:
    ///
    ///     α[h, i, j] = (xᵢW^Q + b^Q)_h · (xⱼW^K + b^K)_hᵀ / √(2D)  +  P[h, i, j]
    ///
    /// With P = 0 nothing in α depends on where a token sits.
    ///
    /// - Parameters:
    ///   - x: the layer's input `[T, H]` (in layer 1, LN(w): no positions added).
    ///   - queryWeight, keyWeight: W^Q, W^K `[H, H]`; queryBias, keyBias: b^Q, b^K `[H]`.
    ///   - heads: A; positional: P `[A, T, T]` (exercise 3.2's result).
    /// - Returns: α `[A, T, T]`.
    public static func tupeLogits(x: Tensor, queryWeight: Tensor, queryBias: Tensor, keyWeight: Tensor, keyBias: Tensor,
                                  heads: Int, positional: Tensor) throws -> Tensor {
        throw ExerciseError.notImplemented("3.3")
    }
}
