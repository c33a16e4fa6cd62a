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
