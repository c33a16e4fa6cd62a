import ExerciseChecks

extension Implementation {
    /// Exercise 6.2 — the steps-to-target ratio (chapter 6, all three together;
    /// Docs/Methods/Comparing.md#steps-to-target-ratios; the engine's `firstCrossing`, which the
    /// chapters divide by the run's steps). Two validation curves, each a list of (step, loss) by
    /// increasing step: the baseline's and a method's. The target is the baseline's final loss ℓ*
    /// (its last point), S the baseline's last step, and
    ///
    ///     ratio = s* / S
    ///
    /// where s* is the first update at which the method's curve reaches ℓ*: its first point with
    /// loss ≤ ℓ*, the crossing placed on the straight line between that point and the one before
    /// it. A method already at or below ℓ* at its first point reaches it at that point's step. A
    /// method that never gets to ℓ* has no ratio: nil.
    ///
    /// - Parameters:
    ///   - baseline: the baseline's curve (at least one point).
    ///   - method: the method's curve, on the same or another grid of steps.
    /// - Returns: s*/S (below 1: the method needs fewer updates), or nil.
    public static func stepsToTarget(baseline: [(step: Int, loss: Float)],
                                     method: [(step: Int, loss: Float)]) throws -> Double? {
        // BEGIN SOLUTION 6.2
        guard let last = baseline.last, let k = method.firstIndex(where: { $0.loss <= last.loss }) else { return nil }
        guard k > 0 else { return Double(method[0].step) / Double(last.step) }
        let (s0, v0) = (Double(method[k - 1].step), Double(method[k - 1].loss))
        let (s1, v1) = (Double(method[k].step), Double(method[k].loss))
        let reached = s0 + (v0 - Double(last.loss)) / (v0 - v1) * (s1 - s0)     // v0 > ℓ* ≥ v1
        return reached / Double(last.step)
        // END SOLUTION
    }
}
