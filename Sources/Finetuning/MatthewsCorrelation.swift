/// The Matthews correlation coefficient (MCC) of a binary classification, from its confusion
/// matrix:
///
///     MCC = (TP·TN − FP·FN) / √((TP + FP)(TP + FN)(TN + FP)(TN + FN))
///
///     matthewsCorrelation(BinaryConfusionMatrix(truePositives: 6, falsePositives: 1,
///                                               falseNegatives: 2, trueNegatives: 3))
///     // (18 − 2) / √(7·8·4·5) = 16 / √1120 ≈ 0.4781
///
/// It is Pearson's correlation of the 0/1 predictions with the 0/1 labels: 1 for a perfect
/// classifier, 0 for one no better than chance, −1 for one always wrong, whatever the balance
/// of the classes — which is why GLUE scores CoLA, 70% of whose sentences are acceptable, by
/// it. When a factor of the denominator is 0 (every prediction, or every label, is the same
/// class) the correlation is undefined and this returns 0, as scikit-learn's
/// `matthews_corrcoef` does: a classifier that always answers the same learned nothing.
///
/// - Parameter matrix: the counts of one binary classification.
/// - Returns: a number from −1 to 1.
/// Introduced in Chapter 3.
public func matthewsCorrelation(_ matrix: BinaryConfusionMatrix) -> Double {
    // Integer numerator: exact for any realistic count (products below 2⁶³).
    let numerator = matrix.truePositives * matrix.trueNegatives - matrix.falsePositives * matrix.falseNegatives
    let predictedPositive = Double(matrix.truePositives + matrix.falsePositives)
    let labelledPositive = Double(matrix.truePositives + matrix.falseNegatives)
    let labelledNegative = Double(matrix.trueNegatives + matrix.falsePositives)
    let predictedNegative = Double(matrix.trueNegatives + matrix.falseNegatives)
    let product = predictedPositive * labelledPositive * labelledNegative * predictedNegative
    guard product > 0 else { return 0 }
    return Double(numerator) / product.squareRoot()
}

/// The Matthews correlation coefficient of binary `predictions` against `labels` (see
/// `matthewsCorrelation(_:)` for the formula and the case of a zero denominator).
///
///     matthewsCorrelation(predictions: [1, 0, 1, 1], labels: [1, 1, 1, 0])   // −1/3
///
/// - Parameters:
///   - predictions: N predicted classes.
///   - labels: N gold classes, in the same order.
///   - positive: the positive class; every other class counts as negative (the coefficient is
///     the same whichever of two classes is called positive).
/// - Precondition: `predictions.count == labels.count`.
/// Introduced in Chapter 3.
public func matthewsCorrelation(predictions: [Int], labels: [Int], positive: Int = 1) -> Double {
    matthewsCorrelation(BinaryConfusionMatrix(predictions: predictions, labels: labels, positive: positive))
}
