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
        // BEGIN SOLUTION 1.1
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
