// GENERATED exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`
// with your code, then check it with `make exercise N=<id>`.
// Stuck? `make hint N=<id>` prints a nudge, `make hint N=<id> LEVEL=2` the derivation.
// Exercises/README.md explains the workflow.
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
        throw ExerciseError.notImplemented("2.3")
    }
}
