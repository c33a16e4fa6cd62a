/// One file of a GLUE task folder: the training set, the development set, or the unlabelled
/// test set. MNLI has two of each evaluation split, matched (the training genres) and
/// mismatched (other genres).
///
///     GLUESplit.dev.fileName               // "dev.tsv"
///     GLUESplit.testMismatched.fileName    // "test_mismatched.tsv"
///     GLUESplit.testMatched.isTest         // true
///
/// Introduced in Chapter 3.
public enum GLUESplit: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case train
    case dev
    case test
    case devMatched = "dev_matched"
    case devMismatched = "dev_mismatched"
    case testMatched = "test_matched"
    case testMismatched = "test_mismatched"

    /// The file's name inside the task folder, as the GLUE distribution spells it.
    public var fileName: String { rawValue + ".tsv" }

    /// Whether the split is a test split: its rows carry an index and no label.
    public var isTest: Bool {
        switch self {
        case .test, .testMatched, .testMismatched: return true
        case .train, .dev, .devMatched, .devMismatched: return false
        }
    }

    public var description: String { rawValue }
}
