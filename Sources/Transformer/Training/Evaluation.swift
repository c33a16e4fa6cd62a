import Tensors
import Autograd

/// An objective's loss and named metrics averaged over several batches.
/// Introduced in Chapter 1.
public struct Evaluation: Equatable, Sendable {
    /// The mean total loss, weighted by each batch's prediction count (NaN for no predictions).
    public var loss: Float
    /// Each named metric, averaged with the same weights.
    public var metrics: [String: Float]
}

/// Evaluates `model` on `batches` without dropout and without recording a graph: each
/// batch's loss and metrics weighted by how many predictions it makes (`ObjectiveOutput.count`),
/// so the result is the mean over all predictions. Batches that predict nothing are skipped.
/// Any sampling the objective does draws from a stream fixed per batch index, so evaluating
/// the same model twice gives the same numbers. Introduced in Chapter 1.
public func evaluate(_ model: PretrainingModel, _ batches: [TrainingBatch]) -> Evaluation {
    Gradients.withoutRecording {
        var total = 0.0, count = 0
        var sums: [String: Double] = [:]
        for (index, batch) in batches.enumerated() where !batch.targets.labels.isEmpty {
            var noDropout: SeededGenerator? = nil
            var sampling = SeededGenerator(seed: SeededGenerator.mix(validationSamplingSeed, UInt64(index)))
            let output = model.loss(batch, dropout: &noDropout, sampling: &sampling)
            guard output.count > 0 else { continue }
            let weight = Double(output.count)
            total += Double(output.loss.value.item) * weight
            for (name, value) in output.metrics { sums[name, default: 0] += Double(value) * weight }
            count += output.count
        }
        guard count > 0 else { return Evaluation(loss: .nan, metrics: [:]) }
        return Evaluation(loss: Float(total / Double(count)),
                          metrics: sums.mapValues { Float($0 / Double(count)) })
    }
}

private let validationSamplingSeed: UInt64 = 0x7A11_DA7E

/// The update at which a validation curve first reaches `target`, interpolated linearly
/// between the two validations around the crossing; nil when it never does. The "steps a
/// method needs to reach the baseline's final loss" of TUPE's and TNF's claims, measured on
/// a curve sampled every few updates.
///
///     firstCrossing([(10, 6.5), (20, 6.3), (30, 6.1)], reaching: 6.2)   // 25
///
/// A curve already at or below the target at its first point crosses there.
/// Introduced in Chapter 3.
public func firstCrossing(_ curve: [(step: Int, value: Float)], reaching target: Float) -> Double? {
    guard let k = curve.firstIndex(where: { $0.value <= target }) else { return nil }
    guard k > 0 else { return Double(curve[0].step) }
    let (s0, v0) = (Double(curve[k - 1].step), Double(curve[k - 1].value))
    let (s1, v1) = (Double(curve[k].step), Double(curve[k].value))
    return v0 == v1 ? s1 : s0 + (v0 - Double(target)) / (v0 - v1) * (s1 - s0)
}
