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
        // BEGIN SOLUTION 1.1
        // STUB: for each of the N rows: find its maximum, exponentiate x − max, divide by the sum.
        let (N, M) = (x.shape[0], x.shape[1])
        var y = x.scalars
        for i in 0..<N {
            let row = (i * M)..<((i + 1) * M)
            let m = y[row].max()!
            var total: Float = 0
            for k in row {
                y[k] = Foundation.exp(y[k] - m)
                total += y[k]
            }
            for k in row { y[k] /= total }
        }
        return Tensor(shape: [N, M], scalars: y)
        // END SOLUTION
    }
}
