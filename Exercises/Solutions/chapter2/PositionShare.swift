import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 2.3 — how much of a logit term is position (chapter 2, "The four terms of the trained
    /// model, measured"; Docs/Methods/FourTerms.md#the-two-arguments; the engine's
    /// `FourTermStatistics`). Take the n·T·T values v_sij of one head's term (sequence s, query i,
    /// key j) as one population; the share is the fraction of its variance explained by the position
    /// pair (i, j) alone:
    ///
    ///     share = Var(E[v | i, j]) / Var(v)          (0 when Var(v) = 0)
    ///
    /// E[v | i, j] is the mean of the n values at (i, j), and both variances are taken over all n·T·T
    /// values. A share of 1 means the term depends on (i, j) only; 0, that its mean is the same at
    /// every (i, j).
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
