import Foundation
import Tensors
import Autograd

/// One masked-LM batch: the model's input, what it must predict, and how many real tokens
/// it holds (for tokens/s). Introduced in Chapter 1.
public struct TrainingBatch: Sendable {
    public var input: ModelInput
    public var targets: MaskedTargets
    public var tokenCount: Int { input.lengths.reduce(0, +) }
    public init(input: ModelInput, targets: MaskedTargets) { self.input = input; self.targets = targets }
}

/// Where training batches come from.
///
/// `trainingBatch(step:)` must be a pure function of the update number (and the source's
/// own seed): that is what makes a resumed run identical to an uninterrupted one without
/// saving a data cursor. Introduced in Chapter 1.
public protocol TrainingData {
    /// The batch for update `step` (1-based).
    func trainingBatch(step: Int) -> TrainingBatch
    /// Fixed validation batches (fixed masking), evaluated without dropout.
    var validationBatches: [TrainingBatch] { get }
}

/// The knobs of a pre-training run (METHODS.md §0 for the defaults).
/// Introduced in Chapter 1.
public struct TrainingSettings: Codable, Equatable, Sendable {
    /// N: the number of updates.
    public var steps: Int
    public var peakLearningRate: Float
    /// W: warm-up updates (linear from 0 to the peak), then linear decay.
    public var warmupSteps: Int
    /// Global-norm gradient clipping threshold (METHODS.md §0: 1.0).
    public var maxGradientNorm: Float = 1
    /// Evaluate the validation loss every this many updates (and after the last).
    public var validationInterval: Int
    /// Save a checkpoint every this many updates (and after the last); 0 never.
    public var checkpointInterval: Int = 0
    /// Seeds dropout; the data source has its own seed.
    public var seed: UInt64
    public var adam = AdamW.Settings()

    public init(steps: Int, peakLearningRate: Float, warmupSteps: Int, validationInterval: Int,
                checkpointInterval: Int = 0, seed: UInt64) {
        self.steps = steps; self.peakLearningRate = peakLearningRate; self.warmupSteps = warmupSteps
        self.validationInterval = validationInterval; self.checkpointInterval = checkpointInterval
        self.seed = seed
    }

    public var schedule: LearningRateSchedule {
        LearningRateSchedule(peak: peakLearningRate, warmupSteps: warmupSteps, totalSteps: steps)
    }
}

/// What one update measured; one JSON line each in `metrics.jsonl`.
public struct StepMetrics: Codable, Equatable, Sendable {
    public var step: Int
    public var loss: Float
    public var learningRate: Float
    public var gradientNorm: Float
    public var tokensPerSecond: Double
    public var validationLoss: Float?

    enum CodingKeys: String, CodingKey {
        case step, loss, learningRate = "learning_rate", gradientNorm = "grad_norm"
        case tokensPerSecond = "tokens_per_s", validationLoss = "validation_loss"
    }
}

/// The pre-training loop: AdamW, warm-up and decay, clipping, validation at intervals,
/// progress, metrics, checkpoints.
///
///     let trainer = Trainer(model: model, settings: settings, data: data)
///     let history = try trainer.run()
///     print(history.last?.validationLoss)
///
/// Update t: the batch `data.trainingBatch(step: t)`, dropout drawn from a generator seeded
/// by (seed, t), forward, backward, global-norm clipping, one AdamW update at η_t.
/// Because every random draw of update t depends only on (seed, t), a run resumed from a
/// checkpoint after update k repeats updates k+1… bit for bit.
/// Introduced in Chapter 1.
public final class Trainer {
    public let model: MaskedLanguageModel
    public let settings: TrainingSettings
    public let data: TrainingData
    public let optimizer: AdamW
    /// Every update's metrics so far (including those before a resume, when restored).
    public private(set) var history: [StepMetrics] = []
    /// Called after each update with its metrics (progress display, logging).
    public var onStep: ((StepMetrics) -> Void)?
    /// Called when a checkpoint is due, after update `step`.
    public var onCheckpoint: ((Int) throws -> Void)?

    public init(model: MaskedLanguageModel, settings: TrainingSettings, data: TrainingData) {
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
    }

    /// The number of updates already made (0 for a new run).
    public var completedSteps: Int { optimizer.step }

    /// Runs the remaining updates up to `settings.steps`, or only up to update `until`.
    @discardableResult
    public func run(until: Int? = nil) throws -> [StepMetrics] {
        let parameters = model.parameters.parameters
        let schedule = settings.schedule
        var start = Date()
        var tokensSinceStart = 0
        let last = min(settings.steps, until ?? settings.steps)
        while optimizer.step < last {
            let t = optimizer.step + 1
            let batch = data.trainingBatch(step: t)
            var dropoutRNG: SeededGenerator? = SeededGenerator(seed: SeededGenerator.mix(settings.seed, UInt64(t)))
            let loss = model.loss(batch.input, batch.targets, rng: &dropoutRNG)
            loss.backward()
            let norm = globalGradientNorm(parameters)
            let learningRate = schedule.learningRate(at: t)
            optimizer.update(parameters, learningRate: learningRate,
                             gradientScale: clippingScale(norm: norm, maxNorm: settings.maxGradientNorm))
            model.parameters.zeroGradients()

            tokensSinceStart += batch.tokenCount
            let elapsed = Date().timeIntervalSince(start)
            var metrics = StepMetrics(step: t, loss: loss.value.item, learningRate: learningRate,
                                      gradientNorm: norm,
                                      tokensPerSecond: elapsed > 0 ? Double(tokensSinceStart) / elapsed : 0)
            if t % max(1, settings.validationInterval) == 0 || t == settings.steps {
                let validationStart = Date()
                metrics.validationLoss = validationLoss()
                // Validation time is not training time.
                start = start.addingTimeInterval(Date().timeIntervalSince(validationStart))
            }
            history.append(metrics)
            onStep?(metrics)
            if settings.checkpointInterval > 0 && (t % settings.checkpointInterval == 0 || t == settings.steps) {
                try onCheckpoint?(t)
            }
        }
        return history
    }

    /// The mean masked-LM loss over the validation batches (weighted by predictions),
    /// without dropout and without recording a graph.
    public func validationLoss() -> Float {
        evaluateLoss(model, data.validationBatches)
    }
}

/// Mean masked-LM loss of `model` over `batches`, weighted by the number of predictions,
/// without dropout or graph recording.
public func evaluateLoss(_ model: MaskedLanguageModel, _ batches: [TrainingBatch]) -> Float {
    Gradients.withoutRecording {
        var total = 0.0, count = 0
        for batch in batches where !batch.targets.labels.isEmpty {
            var noDropout: SeededGenerator? = nil
            let loss = model.loss(batch.input, batch.targets, rng: &noDropout)
            total += Double(loss.value.item) * Double(batch.targets.labels.count)
            count += batch.targets.labels.count
        }
        return count == 0 ? .nan : Float(total / Double(count))
    }
}
