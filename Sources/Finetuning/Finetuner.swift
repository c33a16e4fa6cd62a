import Foundation
import Tensors
import Autograd
import Text
import Transformer

/// Fine-tunes a `SequenceClassifier` on one task and scores it.
///
///     let finetuner = Finetuner(tokenizer: loaded.tokenizer, settings: FinetuningSettings())
///     let reader = try MiniGLUE.reader("paraphrase")
///     let classifier = try SequenceClassifier(pretrained: loaded, registry: .standard,
///                                             kind: reader.task.kind, seed: 1)
///     let result = try finetuner.run(classifier, train: try reader.read(.train),
///                                    dev: try reader.read(.dev), test: try reader.read(.test), seed: 1)
///     print(result.dev, result.test!)          // "paraphrase: F1 …, accuracy … (score …)"
///
/// Update t of `epochs × ⌈N/B⌉`: the next B examples of the epoch's order (a permutation
/// drawn from (seed, epoch); the last batch of an epoch may be smaller), padded to their
/// longest; dropout from a generator seeded by (seed, t); the loss; backward; one clipped
/// AdamW update at η_t (linear warm-up over the first `warmupFraction` of the updates, then
/// linear decay). After each epoch the development set is scored; with `earlyStopping` the
/// best epoch's parameters are kept. Everything random is a function of the seed, so the
/// same checkpoint, task and seed give the same scores. Introduced in Chapter 3.
public struct Finetuner {
    public let tokenizer: WordPieceTokenizer
    public let settings: FinetuningSettings

    public init(tokenizer: WordPieceTokenizer, settings: FinetuningSettings) {
        self.tokenizer = tokenizer
        self.settings = settings
    }

    /// Where a run is, for a progress line.
    public struct Progress: Sendable {
        public var epoch: Int, epochs: Int
        public var step: Int, steps: Int
        /// The mean training loss of the epoch so far.
        public var loss: Float
    }

    /// - Parameters:
    ///   - train, dev: labelled splits; `test`: a split to predict (and score when labelled).
    ///   - seed: the batch order and dropout (the head was drawn when the classifier was built).
    ///   - progress: called after every update.
    /// - Throws: `FinetuningError` for bad settings or files without labels, and the
    ///   metric errors of a prediction that does not fit the task.
    public func run(_ classifier: SequenceClassifier, train: GLUEDataset, dev: GLUEDataset, test: GLUEDataset?,
                    seed: UInt64, progress: ((Progress) -> Void)? = nil) throws -> FinetuningResult {
        try settings.validate()
        let task = train.task
        guard !train.examples.isEmpty else { throw FinetuningError.noTrainingExamples(task: task.name) }
        for split in [train, dev] where split.examples.contains(where: { $0.label == nil }) {
            throw FinetuningError.missingLabels(task: task.name, split: split.split.rawValue)
        }
        let encoding = SentencePairEncoding(
            tokenizer: tokenizer,
            maxLength: min(settings.maxLength ?? classifier.config.maxSequenceLength, classifier.config.maxSequenceLength))
        let trainIds = train.examples.map(encoding.ids)
        let trainLabels = train.examples.map { $0.label! }
        let (N, B) = (trainIds.count, min(settings.batchSize, trainIds.count))
        let perEpoch = (N + B - 1) / B
        let total = settings.epochs * perEpoch
        let schedule = LearningRateSchedule(peak: settings.peakLearningRate,
                                            warmupSteps: Int((settings.warmupFraction * Double(total)).rounded()),
                                            totalSteps: total)
        let optimizer = AdamW()
        var epochs: [FinetuningResult.Epoch] = []
        var best: (score: Double, epoch: Int, values: [String: Tensor])?
        var t = 0
        for epoch in 1...settings.epochs {
            var rng = SeededGenerator(seed: SeededGenerator.mix(seed ^ Self.orderSalt, UInt64(epoch)))
            var order = Array(0..<N)
            for i in stride(from: N - 1, to: 0, by: -1) { order.swapAt(i, Int.random(in: 0...i, using: &rng)) }
            var lossSum = 0.0
            for k in 0..<perEpoch {
                t += 1
                let rows = order[(k * B)..<min((k + 1) * B, N)]
                var dropoutRNG: SeededGenerator? = SeededGenerator(seed: SeededGenerator.mix(seed ^ Self.dropoutSalt, UInt64(t)))
                lossSum += Double(update(classifier, optimizer: optimizer, input: encoding.input(rows.map { trainIds[$0] }),
                                         labels: rows.map { trainLabels[$0] }, learningRate: schedule.learningRate(at: t),
                                         dropout: &dropoutRNG))
                progress?(Progress(epoch: epoch, epochs: settings.epochs, step: t, steps: total,
                                   loss: Float(lossSum / Double(k + 1))))
            }
            let report = try evaluate(classifier, dev, encoding: encoding)
            epochs.append(.init(epoch: epoch, trainingLoss: Float(lossSum / Double(perEpoch)), dev: report))
            if settings.earlyStopping, best == nil || report.score > best!.score {
                best = (report.score, epoch, classifier.parameters.values)
            }
        }
        var chosen = settings.epochs
        if let best {
            classifier.parameters.load(best.values)
            chosen = best.epoch
        }
        let testPredictions = try test.map { try predict(classifier, $0, encoding: encoding) }
        var testReport: MetricReport? = nil
        if let test, let predictions = testPredictions, test.examples.allSatisfy({ $0.label != nil }) {
            testReport = try test.evaluate(predictions)
        }
        return FinetuningResult(task: task, seed: seed, epochs: epochs, chosenEpoch: chosen,
                                dev: epochs[chosen - 1].dev, test: testReport, testPredictions: testPredictions)
    }

    static let orderSalt: UInt64 = 0x0DE5_F1E7, dropoutSalt: UInt64 = 0xD50F_7A11

    /// One fine-tuning update — the step `run` repeats and `tenfold bench --objective classify`
    /// times: the loss of a batch, backward, one clipped AdamW update.
    ///
    /// - Parameter phase: called as each part begins and once at the end (for timing).
    /// - Returns: the batch's loss before the update.
    public func update(_ classifier: SequenceClassifier, optimizer: AdamW, input: ModelInput, labels: [GLUELabel],
                       learningRate: Float, dropout: inout SeededGenerator?,
                       phase: ((Trainer.Phase) -> Void)? = nil) -> Float {
        phase?(.forward)
        let loss = classifier.loss(input, labels: labels, rng: &dropout)
        phase?(.backward)
        loss.backward()
        phase?(.update)
        optimizer.clippedUpdate(classifier.parameters, learningRate: learningRate, maxNorm: settings.maxGradientNorm)
        phase?(.finished)
        return loss.value.item
    }

    /// The classifier's predictions for every example of `dataset`, in order.
    public func predict(_ classifier: SequenceClassifier, _ dataset: GLUEDataset) throws -> [GLUELabel] {
        try predict(classifier, dataset, encoding: SentencePairEncoding(tokenizer: tokenizer,
                    maxLength: min(settings.maxLength ?? classifier.config.maxSequenceLength, classifier.config.maxSequenceLength)))
    }

    func predict(_ classifier: SequenceClassifier, _ dataset: GLUEDataset,
                 encoding: SentencePairEncoding) throws -> [GLUELabel] {
        let ids = dataset.examples.map(encoding.ids)
        return stride(from: 0, to: ids.count, by: Self.evaluationBatch).flatMap { start in
            classifier.predict(encoding.input(Array(ids[start..<min(start + Self.evaluationBatch, ids.count)])))
        }
    }

    func evaluate(_ classifier: SequenceClassifier, _ dataset: GLUEDataset,
                  encoding: SentencePairEncoding) throws -> MetricReport {
        try dataset.evaluate(try predict(classifier, dataset, encoding: encoding))
    }

    static let evaluationBatch = 64
}

/// What one fine-tuning run gave. Introduced in Chapter 3.
public struct FinetuningResult: Sendable {
    /// One epoch: its mean training loss and the development score after it.
    public struct Epoch: Sendable {
        public var epoch: Int
        public var trainingLoss: Float
        public var dev: MetricReport
    }

    public var task: GLUETask
    public var seed: UInt64
    public var epochs: [Epoch]
    /// The epoch whose parameters the classifier holds (the last, or the best on dev).
    public var chosenEpoch: Int
    /// The development scores of the chosen epoch.
    public var dev: MetricReport
    /// The test scores, when the test file has labels (mini-GLUE's do; GLUE's do not).
    public var test: MetricReport?
    /// One prediction per test example, in file order.
    public var testPredictions: [GLUELabel]?
}
