import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 2.3 — how much of a logit term is position (chapter 2, "The four terms of the
    /// trained model, measured"; the engine's `FourTermStatistics`). Over n sequences, the law of
    /// total variance splits the term's variance into the part explained by the position pair
    /// (i, j) and the rest:
    ///
    ///     m̄ = mean of all n·T·T values,   m_ij = mean over the n sequences at (i, j)
    ///     share = Σ_ij n·(m_ij − m̄)²  /  Σ_s,i,j (v_sij − m̄)²          (0 if the denominator is 0)
    ///
    /// - Parameter term: `[n, T, T]`: one head's term for n sequences of T tokens.
    /// - Returns: the position share, in [0, 1].
    public static func positionShare(_ term: Tensor) throws -> Double {
        // BEGIN SOLUTION 2.3
        let (n, cells) = (term.shape[0], term.shape[1] * term.shape[2])
        let values = term.scalars.map(Double.init)
        let grand = values.reduce(0, +) / Double(values.count)
        var between = 0.0, total = 0.0
        for cell in 0..<cells {
            let cellMean = (0..<n).reduce(0.0) { $0 + values[$1 * cells + cell] } / Double(n)
            between += Double(n) * (cellMean - grand) * (cellMean - grand)
        }
        for v in values { total += (v - grand) * (v - grand) }
        return total > 0 ? between / total : 0
        // END SOLUTION
    }
}
