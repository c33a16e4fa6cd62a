import Foundation
import Tensors
import Autograd

/// What data-parallel training needs from a message-passing library: sums over all
/// processes (ranks), and gathering. `tenfold` provides one over MPI when built with the MPI
/// trait; the trainer itself never imports MPI. Every rank must make the same calls in the
/// same order. Introduced for full-scale training (issue 23).
public protocol GradientCommunicator: AnyObject {
    /// This process's number, 0 ..< size.
    var rank: Int { get }
    /// How many processes train together.
    var size: Int { get }
    /// Replaces `buffer` by its elementwise sum over all ranks.
    func sum(_ buffer: UnsafeMutableBufferPointer<Float>)
    /// Replaces `values` by their elementwise sum over all ranks.
    func sum(_ values: inout [Double])
    /// Every rank's `values` (all of the same count), rank 0's first.
    func gather(_ values: [Float]) -> [Float]
}

extension GradientCommunicator {
    /// Sums every parameter's gradient over the ranks, in buckets of about `bucketScalars`
    /// floats (one call per bucket rather than per parameter); a parameter that no backward
    /// pass reached here counts as zeros, so every rank updates the same parameters.
    /// - Returns: the seconds spent, for the allreduce time per update.
    @discardableResult
    public func sumGradients(_ parameters: [Parameter], bucketScalars: Int = 1 << 22) -> Double {
        let start = Date()
        var bucket = [Float]()
        var members: [Parameter] = []
        func flush() {
            guard !members.isEmpty else { return }
            bucket.withUnsafeMutableBufferPointer { sum($0) }
            var offset = 0
            for p in members {
                p.variable.updateGradient { gradient in
                    let n = gradient.count
                    gradient.withUnsafeMutableBufferPointer { target in
                        bucket.withUnsafeBufferPointer { source in
                            target.baseAddress!.update(from: source.baseAddress! + offset, count: n)
                        }
                    }
                    offset += n
                }
            }
            bucket.removeAll(keepingCapacity: true)
            members.removeAll()
        }
        for p in parameters {
            p.variable.updateGradient { gradient in
                bucket.append(contentsOf: UnsafeBufferPointer(start: gradient.pointer, count: gradient.count))
            }
            members.append(p)
            if bucket.count >= bucketScalars { flush() }
        }
        flush()
        return Date().timeIntervalSince(start)
    }
}

extension Trainer {
    /// Update `t` made of micro-batches and, with a communicator, of every rank's share:
    /// `batch` holds this rank's `microBatches × B` rows, cut into `microBatches` micro-batches
    /// of B rows run one after the other, each back-propagating its loss times its count (the
    /// predictions its loss averages over), so the gradients add up across micro-batches and
    /// ranks; the sum over ranks is one bucketed allreduce; the summed gradient is divided by
    /// the total count — the gradient of the whole batch's mean loss — then clipped and
    /// applied by AdamW, the same on every rank. The input seam observes the whole batch once
    /// (every rank's hidden states gathered), so its state stays the same on every rank.
    ///
    /// What equals what: for an objective whose loss is the mean over its `count` predictions
    /// (masked-LM), the update equals that of one batch of all the rows with the same masking,
    /// up to float rounding in the order of the sums — when dropout is 0. Dropout and the
    /// objectives' sampling draw from generators seeded by (seed, t, g) for the g-th
    /// micro-batch over all ranks (g = 0 uses the single-batch seeds), so with dropout the
    /// masks are other, equally distributed draws. An objective whose loss mixes means over
    /// different counts (ELECTRA's generator and discriminator) is weighted by its reported
    /// count, which is close to but not exactly the large batch.
    func accumulatedUpdate(step t: Int, batch: TrainingBatch, phase: ((Phase) -> Void)?) -> UpdateResult {
        let N = microBatches
        precondition(batch.input.batchSize % N == 0, "\(batch.input.batchSize) rows do not split into \(N) micro-batches")
        let rowsPerMicro = batch.input.batchSize / N
        let rank = communicator?.rank ?? 0
        var totals = [Double(batch.tokenCount), 0, 0]   // tokens, loss × count, count
        var metricNames: [String] = []
        var hidden: [Float] = [], inputs: [ModelInput] = []
        for i in 0..<N {
            let micro = batch.rows((i * rowsPerMicro)..<((i + 1) * rowsPerMicro))
            let g = UInt64(rank * N + i)
            let base = SeededGenerator.mix(settings.seed, UInt64(t))
            let seed = g == 0 ? base : SeededGenerator.mix(base, 0xACC0_0000 &+ g)
            var dropoutRNG: SeededGenerator? = SeededGenerator(seed: seed)
            var samplingRNG = SeededGenerator(seed: SeededGenerator.mix(seed, Self.samplingSalt))
            phase?(.forward)
            let output = model.loss(micro, dropout: &dropoutRNG, sampling: &samplingRNG)
            if i == 0 {
                metricNames = output.metrics.keys.sorted()
                totals += [Double](repeating: 0, count: metricNames.count)
            }
            phase?(.backward)
            if output.count > 0 {
                (output.loss * Float(output.count)).backward()
                let weight = Double(output.count)
                totals[1] += Double(output.loss.value.item) * weight
                totals[2] += weight
                for (k, name) in metricNames.enumerated() { totals[3 + k] += Double(output.metrics[name] ?? 0) * weight }
            }
            if model.input != nil {
                hidden += output.hidden.value.scalars
                inputs.append(output.input)
            }
        }
        phase?(.update)
        let parameters = model.parameters.parameters
        if let communicator {
            communicator.sum(&totals)
            lastAllreduceSeconds = communicator.sumGradients(parameters)
        }
        lastUpdateTokens = Int(totals[0])
        let total = max(totals[2], 1)
        let inverse = Float(1 / total)
        let learningRate = settings.schedule.learningRate(at: t)
        let norm = globalGradientNorm(parameters) * inverse
        optimizer.update(parameters, learningRate: learningRate,
                         gradientScale: clippingScale(norm: norm, maxNorm: settings.maxGradientNorm) * inverse)
        model.parameters.zeroGradients()
        if let augmentation = model.input, !inputs.isEmpty {
            var input = ModelInput.concatenating(inputs)
            if let communicator {
                hidden = communicator.gather(hidden)
                input = data.trainingBatch(step: t, rows: 0..<(input.batchSize * communicator.size)).input
            }
            let H = model.config.hiddenSize
            augmentation.observe(hidden: Tensor(shape: [input.batchSize, input.length, H], scalars: hidden), input: input)
        }
        phase?(.finished)
        var metrics: [String: Float] = [:]
        for (k, name) in metricNames.enumerated() { metrics[name] = Float(totals[3 + k] / total) }
        return UpdateResult(loss: Float(totals[1] / total), metrics: metrics, gradientNorm: norm, learningRate: learningRate)
    }
}
