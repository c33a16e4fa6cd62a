// GENERATED from Exercises/Solutions/chapter2/PositionShare.swift by `make exercise-stubs`.
// This is the learner's file: replace each `throw ExerciseError.notImplemented(…)` with your
// code, then run `make exercise N=<id>` (Exercises/README.md explains the workflow).
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
        throw ExerciseError.notImplemented("2.3")
    }
}
