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
        // BEGIN SOLUTION 3.3
        let (T, H, A) = (x.shape[0], x.shape[1], heads)
        let q = splitHeads((matmul(x, queryWeight) + queryBias).reshaped([1, T, H]), heads: A)   // [1, A, T, D]
        let k = splitHeads((matmul(x, keyWeight) + keyBias).reshaped([1, T, H]), heads: A)       // [1, A, T, D]
        let content = matmul(q, k, transposeB: true, alpha: 1 / Float(2 * (H / A)).squareRoot())
        return content.reshaped([A, T, T]) + positional
        // END SOLUTION
    }
}
