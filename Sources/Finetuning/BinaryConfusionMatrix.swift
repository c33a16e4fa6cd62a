/// The four counts of a binary classification: which predictions of the positive class were
/// right, and which of the negative class.
///
///                     label positive    label negative
///     predicted pos   truePositives     falsePositives
///     predicted neg   falseNegatives    trueNegatives
///
///     let matrix = BinaryConfusionMatrix(predictions: [1, 1, 0, 0], labels: [1, 0, 1, 0])
///     matrix.truePositives    // 1 (and one of each of the other three)
///
/// F1 and the Matthews correlation are both computed from these counts.
/// Introduced in Chapter 3.
public struct BinaryConfusionMatrix: Sendable, Hashable {
    /// Predicted positive, labelled positive.
    public var truePositives: Int
    /// Predicted positive, labelled negative.
    public var falsePositives: Int
    /// Predicted negative, labelled positive.
    public var falseNegatives: Int
    /// Predicted negative, labelled negative.
    public var trueNegatives: Int

    public init(truePositives: Int, falsePositives: Int, falseNegatives: Int, trueNegatives: Int) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
        self.trueNegatives = trueNegatives
    }

    /// Counts `predictions` against `labels`.
    ///
    /// - Parameters:
    ///   - predictions: N predicted classes.
    ///   - labels: N gold classes, in the same order.
    ///   - positive: the positive class (GLUE's "1": acceptable, paraphrase, duplicate); every
    ///     other class counts as negative.
    /// - Precondition: `predictions.count == labels.count`.
    public init(predictions: [Int], labels: [Int], positive: Int = 1) {
        precondition(predictions.count == labels.count,
                     "confusion matrix: \(predictions.count) predictions but \(labels.count) labels")
        var counts = (tp: 0, fp: 0, fn: 0, tn: 0)
        for (prediction, label) in zip(predictions, labels) {
            switch (prediction == positive, label == positive) {
            case (true, true): counts.tp += 1
            case (true, false): counts.fp += 1
            case (false, true): counts.fn += 1
            case (false, false): counts.tn += 1
            }
        }
        self.init(truePositives: counts.tp, falsePositives: counts.fp,
                  falseNegatives: counts.fn, trueNegatives: counts.tn)
    }

    /// The number of examples counted.
    public var count: Int { truePositives + falsePositives + falseNegatives + trueNegatives }
}
