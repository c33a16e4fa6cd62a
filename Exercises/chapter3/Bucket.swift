// GENERATED exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`
// with your code, then check it with `make exercise N=<id>`.
// Stuck? `make hint N=<id>` prints a nudge, `make hint N=<id> LEVEL=2` the derivation.
// Exercises/README.md explains the workflow.
import Foundation
import ExerciseChecks

extension Implementation {
    /// Exercise 3.1 — T5's bidirectional relative-position bucket (chapter 3, "The formula";
    /// Raffel et al. 2020, §2.1; TUPE §3.3; Docs/Methods/TUPE.md#t5-buckets; the engine's `t5Bucket`).
    /// For n = i − j (query minus key), half = buckets/2, exact = half/2 and m = |n|:
    ///
    ///     bucket(n) = offset + m                                                       if m < exact
    ///     bucket(n) = offset + min(exact + ⌊ln(m/exact) / ln(maxDistance/exact) · exact⌋, half − 1)
    ///                                                                                  otherwise
    ///     offset = 0 if n ≥ 0 (the key at or before the query), half if n < 0
    ///
    /// With 32 buckets and max distance 128: m = 8, 16, 32, 64 → 8, 10, 12, 14, and m ≥ 91 → 15.
    /// Exact powers land in their own bucket (m = 64 gives 14, not 13), and no n may trap.
    ///
    /// - Returns: a bucket in `0..<buckets`.
    public static func bucket(relativePosition n: Int, buckets: Int, maxDistance: Int) throws -> Int {
        throw ExerciseError.notImplemented("3.1")
    }
}
