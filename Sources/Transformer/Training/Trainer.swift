import Foundation
import Tensors
import Autograd

/// The pre-training loop: AdamW, warm-up and decay, clipping, validation at intervals,
/// progress, metrics, checkpoints — for any objective.
///
///     let trainer = Trainer(model: model, settings: settings, data: data)
///     let history = try trainer.run()
///     print(history.last?.validationLoss)
///
/// Update t (`update(step:batch:)`): the batch `data.trainingBatch(step: t)`; dropout drawn
/// from a generator seeded by (seed, t) and any sampling from another seeded by (seed, t);
/// forward; backward; global-norm clipping; one AdamW update at η_t; the gradients zeroed;
/// then the input seam observes the batch's final hidden states. Because every random draw
/// of update t depends only on (seed, t), a run resumed from a checkpoint after update k
/// repeats updates k+1… bit for bit.
///
/// A loss, gradient norm or validation loss that is NaN or infinite stops the run: the update
/// is not applied, its metrics are passed to `onStep` marked with an `event`, no checkpoint is
/// written, and `run` throws `TrainingError.nonFinite` naming the update. Introduced in Chapter 1.
public final class Trainer {
    public let model: PretrainingModel
    public let settings: TrainingSettings
    public let data: TrainingData
    public let optimizer: AdamW
    /// Every update's metrics so far (including those before a resume, when restored).
    public private(set) var history: [StepMetrics] = []
    /// Called after each update with its metrics (progress display, logging).
    public var onStep: ((StepMetrics) throws -> Void)?
    /// Called when a checkpoint is due, after update `step`.
    public var onCheckpoint: ((Int) throws -> Void)?
    /// Micro-batches per update (gradient accumulation, `accumulatedUpdate`); 1 by default.
    public var microBatches = 1
    /// The other ranks of a data-parallel run, or nil for one process.
    public var communicator: GradientCommunicator?
    /// This rank's rows of each update's batch (nil: all of them).
    public var rows: Range<Int>?
    /// Also checkpoint when this many seconds have passed since the last checkpoint (or the start).
    public var checkpointSeconds: Double?
    /// Seconds the last update spent summing gradients over the ranks.
    public internal(set) var lastAllreduceSeconds = 0.0
    /// Tokens the last update trained on, over all ranks.
    public internal(set) var lastUpdateTokens = 0
    /// The wall time of each update this process ran (batch, step; not validation or
    /// checkpoints), and of its gradient sums over the ranks.
    public private(set) var updateSeconds: [Double] = [], allreduceSeconds: [Double] = []
    /// The wall time of `run` calls so far — updates, validation, checkpoints, metrics and
    /// progress — and the tokens they trained on, over all ranks: the whole run's rate beside
    /// the updates' own (`updateSeconds`).
    public private(set) var runSeconds = 0.0, runTokens = 0
    /// The wall time spent in `run` assembling and masking batches (part of `updateSeconds`),
    /// evaluating the validation set, and in checkpoint writes, with how many of each: where
    /// the whole run's time goes besides the steps (`RunTiming`).
    public private(set) var batchSeconds = 0.0, validationSeconds = 0.0, checkpointWriteSeconds = 0.0
    public private(set) var validationPasses = 0, checkpointWrites = 0
    /// The update of the last checkpoint: the one `restore` started from, or the last after
    /// which `run` called `onCheckpoint` (nil: none yet).
    public private(set) var lastCheckpointStep: Int?

    public init(model: PretrainingModel, settings: TrainingSettings, data: TrainingData) {
        self.model = model
        self.settings = settings
        self.data = data
        optimizer = AdamW(settings: settings.adam)
    }

    /// Restores the optimiser and the history after loading a checkpoint taken after update `step`.
    public func restore(step: Int, firstMoments: [String: Tensor], secondMoments: [String: Tensor],
                        history: [StepMetrics]) {
        optimizer.restore(step: step, firstMoments: firstMoments, secondMoments: secondMoments)
        self.history = history.filter { $0.step <= step }
        lastCheckpointStep = step
    }

    /// The number of updates already made (0 for a new run).
    public var completedSteps: Int { optimizer.step }

    /// Runs the remaining updates up to `settings.steps`, or only up to update `until`.
    @discardableResult
    public func run(until: Int? = nil) throws -> [StepMetrics] {
        var start = Date()
        let runStart = start
        defer { runSeconds += Date().timeIntervalSince(runStart) }
        var lastCheckpoint = start
        let tokensBefore = runTokens
        let last = min(settings.steps, until ?? settings.steps)
        while optimizer.step < last {
            let t = optimizer.step + 1
            let updateStart = Date()
            let batch = rows.map { data.trainingBatch(step: t, rows: $0) } ?? data.trainingBatch(step: t)
            batchSeconds += Date().timeIntervalSince(updateStart)
            let result = update(step: t, batch: batch)
            updateSeconds.append(Date().timeIntervalSince(updateStart))
            if communicator != nil { allreduceSeconds.append(lastAllreduceSeconds) }
            runTokens += communicator != nil ? lastUpdateTokens : batch.tokenCount
            let elapsed = Date().timeIntervalSince(start)
            var metrics = StepMetrics(step: t, loss: result.loss, metrics: result.metrics,
                                      learningRate: result.learningRate, gradientNorm: result.gradientNorm,
                                      tokensPerSecond: elapsed > 0 ? Double(runTokens - tokensBefore) / elapsed : 0)
            if let failure = Self.nonFinite(result) {
                try stop(metrics, failure, applied: false)
            }
            if t % max(1, settings.validationInterval) == 0 || t == settings.steps {
                let validationStart = Date()
                let evaluation = validation()
                metrics.validationLoss = evaluation.loss
                metrics.validationMetrics = evaluation.metrics
                // Validation time is not training time.
                let validationTime = Date().timeIntervalSince(validationStart)
                start = start.addingTimeInterval(validationTime)
                validationSeconds += validationTime
                validationPasses += 1
                if !evaluation.loss.isFinite {
                    try stop(metrics, ("validation loss", evaluation.loss), applied: true)
                }
            }
            history.append(metrics)
            try onStep?(metrics)
            let interval = settings.checkpointInterval
            let due = checkpointSeconds.map { Date().timeIntervalSince(lastCheckpoint) >= $0 } ?? false
            if due || (interval > 0 && t % interval == 0) || t == settings.steps {
                let checkpointStart = Date()
                try onCheckpoint?(t)
                lastCheckpoint = Date()
                if onCheckpoint != nil {
                    checkpointWriteSeconds += lastCheckpoint.timeIntervalSince(checkpointStart)
                    checkpointWrites += 1
                    lastCheckpointStep = t
                }
            }
        }
        return history
    }

    /// The first non-finite quantity of an update, or nil.
    static func nonFinite(_ result: UpdateResult) -> (String, Float)? {
        if !result.loss.isFinite { return ("loss", result.loss) }
        if !result.gradientNorm.isFinite { return ("gradient norm", result.gradientNorm) }
        return nil
    }

    /// Records the update that went non-finite (its metrics line marked with the event) and
    /// throws.
    private func stop(_ metrics: StepMetrics, _ failure: (quantity: String, value: Float), applied: Bool) throws -> Never {
        var metrics = metrics
        metrics.event = "stopped: non-finite \(failure.quantity)"
        history.append(metrics)
        try onStep?(metrics)
        throw TrainingError.nonFinite(step: metrics.step, quantity: failure.quantity, value: failure.value,
                                      applied: applied)
    }

    /// The parts of one update, announced as each begins (`update(step:batch:phase:)`).
    public enum Phase: Sendable {
        /// The objective's forward pass.
        case forward
        /// Back-propagation from the loss.
        case backward
        /// Clipping, AdamW, zeroing the gradients, the input seam's observation.
        case update
        /// Nothing more of this update.
        case finished
    }

    /// What one update computed.
    public struct UpdateResult: Sendable {
        public var loss: Float
        public var metrics: [String: Float]
        public var gradientNorm: Float
        public var learningRate: Float
    }

    /// Runs update `t` on `batch` — the one training step of Tenfold, which `run` and the
    /// benchmark both call. A non-finite loss or gradient norm leaves the weights and the
    /// optimizer as they were (see `AdamW.clippedUpdate`); the result reports it.
    ///
    /// - Parameter phase: called as each part begins, and once at the end (for timing).
    public func update(step t: Int, batch: TrainingBatch, phase: ((Phase) -> Void)? = nil) -> UpdateResult {
        precondition(t == optimizer.step + 1, "update \(t) after \(optimizer.step) updates")
        if microBatches > 1 || communicator != nil { return accumulatedUpdate(step: t, batch: batch, phase: phase) }
        var dropoutRNG: SeededGenerator? = SeededGenerator(seed: SeededGenerator.mix(settings.seed, UInt64(t)))
        var samplingRNG = SeededGenerator(seed: SeededGenerator.mix(SeededGenerator.mix(settings.seed, UInt64(t)),
                                                                    Self.samplingSalt))
        phase?(.forward)
        let output = model.loss(batch, dropout: &dropoutRNG, sampling: &samplingRNG)
        phase?(.backward)
        output.loss.backward()
        phase?(.update)
        let learningRate = settings.schedule.learningRate(at: t)
        let loss = output.loss.value.item
        let norm: Float
        if loss.isFinite {
            norm = optimizer.clippedUpdate(model.parameters, learningRate: learningRate,
                                           maxNorm: settings.maxGradientNorm)
        } else {
            norm = globalGradientNorm(model.parameters.parameters)
            model.parameters.zeroGradients()
        }
        if loss.isFinite && norm.isFinite { model.observe(output) }
        phase?(.finished)
        return UpdateResult(loss: loss, metrics: output.metrics, gradientNorm: norm, learningRate: learningRate)
    }

    static let samplingSalt: UInt64 = 0x5A3D_0B7E

    /// The objective's loss and metrics on the validation batches (see `evaluate`).
    public func validation() -> Evaluation { evaluate(model, data.validationBatches) }

    /// The mean validation loss (see `validation()`).
    public func validationLoss() -> Float { validation().loss }
}

/// Why a training run stopped before its last update.
/// Introduced in Chapter 1.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The loss, the gradient norm or the validation loss of update `step` was NaN or ±∞.
    /// `applied`: whether the update itself had been applied (only a validation loss comes
    /// after it).
    case nonFinite(step: Int, quantity: String, value: Float, applied: Bool)

    public var description: String {
        switch self {
        case let .nonFinite(step, quantity, value, applied):
            let kept = applied
                ? "no checkpoint was written after it"
                : "the update was not applied, so the weights are those after update \(step - 1)"
            return "training stopped at update \(step): the \(quantity) is \(value), not a finite number; \(kept), "
                + "and the last checkpoint is kept. The learning rate is probably too high for this model: lower it "
                + "and start the run again."
        }
    }
}
