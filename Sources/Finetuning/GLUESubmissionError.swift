/// Why a GLUE submission file was not written.
///
///     do { _ = try GLUESubmission.write(predictions, for: dev, into: folder) }
///     catch let error as GLUESubmissionError {
///         print(error)   // "RTE: dev.tsv is not a test file; …"
///     }
///
/// Introduced in Chapter 3.
public enum GLUESubmissionError: Error, CustomStringConvertible, Equatable {
    /// Predictions for a training or development file: the leaderboard scores test files only.
    case notATestSplit(task: String, split: String, testSplits: [String])
    /// The folder or the file could not be written.
    case notWritten(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notATestSplit(task, split, testSplits):
            return "\(task): \(split).tsv is not a test file, and GLUE's leaderboard scores only "
                + "predictions for " + testSplits.map { $0 + ".tsv" }.joined(separator: " and ")
                + "; predict the test split, or use evaluate(_:) to score this one."
        case let .notWritten(path, reason):
            return "Could not write \(path): \(reason); check that the folder is writable "
                + "and the disk is not full."
        }
    }
}
