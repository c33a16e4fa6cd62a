// GENERATED from Exercises/Solutions/chapter3/TUPELogits.swift by `make exercise-stubs`.
// This is the learner's file: replace each `throw ExerciseError.notImplemented(…)` with your
// code, then run `make exercise N=<id>` (Exercises/README.md explains the workflow).
import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 3.3 — one TUPE-A layer's attention logits (chapter 3, "The formula"; TUPE §3.2;
    /// METHODS.md §2):
    ///
    ///     α[h] = (xW^Q + b^Q)_h (xW^K + b^K)_hᵀ / √(2D)  +  P[h]
    ///
    /// Content and position are two unit-size terms, so the content term carries 1/√(2D), not
    /// 1/√D. With P = 0 nothing in α depends on where a token sits.
    ///
    /// - Parameters:
    ///   - x: the layer's input `[T, H]` (in layer 1, LN(w): no positions added).
    ///   - queryWeight, keyWeight: W^Q, W^K `[H, H]`; queryBias, keyBias: `[H]`.
    ///   - heads: A; positional: P `[A, T, T]` (exercise 3.2's result).
    /// - Returns: α `[A, T, T]`.
    public static func tupeLogits(x: Tensor, queryWeight: Tensor, queryBias: Tensor, keyWeight: Tensor, keyBias: Tensor,
                                  heads: Int, positional: Tensor) throws -> Tensor {
        throw ExerciseError.notImplemented("3.3")
    }
}
