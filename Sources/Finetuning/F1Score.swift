/// Precision, recall and F1 of the positive class:
///
///     precision = TP / (TP + FP)       the share of predicted positives that are positive
///     recall    = TP / (TP + FN)       the share of positives that were found
///     F1        = 2·precision·recall / (precision + recall) = 2·TP / (2·TP + FP + FN)
///
///     let score = f1Score(predictions: [1, 1, 1, 0, 0], labels: [1, 1, 0, 1, 0])
///     score.precision   // 2/3 (TP 2, FP 1)
///     score.recall      // 2/3 (TP 2, FN 1)
///     score.f1          // 2/3
///
/// A ratio whose denominator is 0 is 0 (no positive predicted, or no positive to find), as in
/// scikit-learn's `f1_score`. GLUE reports F1 for MRPC and QQP, whose positive class is "1".
/// Introduced in Chapter 3.
public struct F1Score: Sendable, Hashable {
    /// TP / (TP + FP), or 0 when nothing was predicted positive.
    public let precision: Double
    /// TP / (TP + FN), or 0 when no example is positive.
    public let recall: Double
    /// 2·TP / (2·TP + FP + FN), the harmonic mean of the two; 0 when TP + FP + FN is 0.
    public let f1: Double

    /// The scores of a confusion matrix.
    public init(_ matrix: BinaryConfusionMatrix) {
        let tp = Double(matrix.truePositives)
        let fp = Double(matrix.falsePositives)
        let fn = Double(matrix.falseNegatives)
        precision = tp + fp > 0 ? tp / (tp + fp) : 0
        recall = tp + fn > 0 ? tp / (tp + fn) : 0
        f1 = tp + fp + fn > 0 ? 2 * tp / (2 * tp + fp + fn) : 0
    }
}

/// Precision, recall and F1 of the `positive` class (see `F1Score`).
///
///     f1Score(predictions: [1, 1, 1, 0, 0], labels: [1, 1, 0, 1, 0]).f1   // 2/3
///
/// - Parameters:
///   - predictions: N predicted classes.
///   - labels: N gold classes, in the same order.
///   - positive: the class scored; every other class counts as negative.
/// - Precondition: `predictions.count == labels.count`.
/// Introduced in Chapter 3.
public func f1Score(predictions: [Int], labels: [Int], positive: Int = 1) -> F1Score {
    F1Score(BinaryConfusionMatrix(predictions: predictions, labels: labels, positive: positive))
}
