/// The share of predictions equal to their gold label:
///
///     accuracy = (1/N) · Σᵢ [predictionᵢ = labelᵢ]
///
///     accuracy(predictions: [1, 0, 1, 1], labels: [1, 0, 0, 1])   // 0.75
///
/// GLUE's metric for SST-2, MNLI, QNLI, RTE and WNLI, and half of MRPC's and QQP's score.
///
/// - Parameters:
///   - predictions: N predicted labels.
///   - labels: N gold labels, in the same order.
/// - Returns: a number from 0 to 1; 0 for no examples.
/// - Precondition: `predictions.count == labels.count`.
/// Introduced in Chapter 3.
public func accuracy<Label: Equatable>(predictions: [Label], labels: [Label]) -> Double {
    precondition(predictions.count == labels.count,
                 "accuracy: \(predictions.count) predictions but \(labels.count) labels")
    guard !labels.isEmpty else { return 0 }
    let correct = zip(predictions, labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
    return Double(correct) / Double(labels.count)
}
