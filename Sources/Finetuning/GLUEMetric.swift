/// A metric GLUE reports for a task. The functions that compute them take plain arrays:
/// `accuracy`, `f1Score`, `matthewsCorrelation`, `pearsonCorrelation`, `spearmanCorrelation`.
///
///     GLUETask.mrpc.metrics                      // [.f1, .accuracy]
///     GLUEMetric.matthewsCorrelation.name        // "MCC"
///
/// Introduced in Chapter 3.
public enum GLUEMetric: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The share of examples whose predicted class is the gold one.
    case accuracy
    /// The F1 score of the positive class ("1": paraphrase, duplicate).
    case f1
    /// The Matthews correlation coefficient of a binary classification.
    case matthewsCorrelation
    /// Pearson's correlation of predicted and gold scores.
    case pearson
    /// Spearman's rank correlation of predicted and gold scores.
    case spearman

    /// The short name GLUE's leaderboard uses.
    public var name: String {
        switch self {
        case .accuracy: return "accuracy"
        case .f1: return "F1"
        case .matthewsCorrelation: return "MCC"
        case .pearson: return "Pearson"
        case .spearman: return "Spearman"
        }
    }

    public var description: String { name }
}
