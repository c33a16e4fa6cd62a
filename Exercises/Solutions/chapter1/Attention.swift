import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 1.2 — one head of scaled dot-product attention, forward (chapter 1; Vaswani et al.
    /// 2017, §3.2.1, equation 1):
    ///
    ///     α = Q·Kᵀ/√D,   P = softmax(α) row by row,   output = P·V
    ///
    /// The tools: `matmul(a, b, transposeB: true, alpha: s)` computes s·a·bᵀ, and `softmax(t)`
    /// (Sources/Tensors) the softmax of every row — or use your own `softmaxRows` from 1.1.
    ///
    /// - Parameters:
    ///   - query: `[Tq, D]`, one row per query token.
    ///   - key: `[Tk, D]`, one row per key token.
    ///   - value: `[Tk, D]`.
    /// - Returns: `probabilities [Tq, Tk]` (rows sum to 1) and `output [Tq, D]`.
    public static func attention(query: Tensor, key: Tensor, value: Tensor) throws -> (probabilities: Tensor, output: Tensor) {
        // BEGIN SOLUTION 1.2
        let D = Float(query.shape[1])
        let logits = matmul(query, key, transposeB: true, alpha: 1 / D.squareRoot())   // [Tq, Tk]
        let probabilities = softmax(logits)                                           // [Tq, Tk]
        return (probabilities, matmul(probabilities, value))                          // [Tq, D]
        // END SOLUTION
    }
}
