import Foundation

extension GradcheckReport {
    /// One line a reader can judge: the verdict, the tolerance the check used (`gradcheck`'s
    /// defaults unless given) and the largest error.
    ///
    ///     report.verdict()   // "passed: all 126 entries within 0.001 + 0.01·|finite difference| (largest error 3.1e-05)"
    ///
    /// Introduced in Chapter 1.
    public func verdict(absoluteTolerance: Float = 1e-3, relativeTolerance: Float = 1e-2) -> String {
        let tolerance = "\(absoluteTolerance) + \(relativeTolerance)·|finite difference|"
        let largest = String(format: "%.2g", Double(maxAbsoluteError))
        return passed
            ? "passed: all \(checkedElements) entries within \(tolerance) (largest error \(largest))"
            : "FAILED: \(mismatches.count) of \(checkedElements) entries outside \(tolerance) (largest error \(largest))"
    }
}
