import Tensors

/// The knobs of a pre-training run (Docs/Methods/BERT.md for the defaults).
/// Introduced in Chapter 1.
public struct TrainingSettings: Codable, Equatable, Sendable {
    /// N: the number of updates.
    public var steps: Int
    public var peakLearningRate: Float
    /// W: warm-up updates (linear from 0 to the peak), then linear decay.
    public var warmupSteps: Int
    /// Global-norm gradient clipping threshold (BERT's 1.0).
    public var maxGradientNorm: Float = 1
    /// Evaluate the validation loss every this many updates (and after the last).
    public var validationInterval: Int
    /// Save a checkpoint every this many updates, and after the last; 0: after the last only.
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

    /// The most updates a run may take: far more than a CPU makes, few enough that no step
    /// arithmetic overflows.
    public static let maximumSteps = 1_000_000_000

    /// Checks every setting against its range; the message names the field as a checkpoint's
    /// JSON spells it.
    ///
    /// - Throws: `ConfigurationError`.
    public func validate() throws {
        func fail(_ message: String) -> ConfigurationError { ConfigurationError(message: message) }
        guard (1...Self.maximumSteps).contains(steps) else {
            throw fail("steps is \(steps); it must be between 1 and \(Self.maximumSteps)")
        }
        guard peakLearningRate.isFinite, peakLearningRate > 0, peakLearningRate <= 1 else {
            throw fail("peakLearningRate is \(peakLearningRate); it must be in (0, 1]")
        }
        // A warm-up longer than the run is odd but harmless: the rate never reaches its peak.
        guard (0...Self.maximumSteps).contains(warmupSteps) else {
            throw fail("warmupSteps is \(warmupSteps); it must be between 0 and \(Self.maximumSteps)")
        }
        guard maxGradientNorm.isFinite, maxGradientNorm > 0 else {
            throw fail("maxGradientNorm is \(maxGradientNorm); it must be a positive number")
        }
        guard validationInterval >= 1 else { throw fail("validationInterval is \(validationInterval); it must be at least 1") }
        guard checkpointInterval >= 0 else {
            throw fail("checkpointInterval is \(checkpointInterval); it must be at least 0 (0: at the end only)")
        }
        guard (0..<1).contains(adam.beta1), (0..<1).contains(adam.beta2) else {
            throw fail("adam.beta1 and adam.beta2 are \(adam.beta1) and \(adam.beta2); each must be in [0, 1)")
        }
        guard adam.epsilon.isFinite, adam.epsilon > 0 else { throw fail("adam.epsilon is \(adam.epsilon); it must be positive") }
        guard (0...1).contains(adam.weightDecay) else {
            throw fail("adam.weightDecay is \(adam.weightDecay); it must be in [0, 1]")
        }
    }

    /// The validation (and checkpoint) interval `tenfold train` uses when none is given: the
    /// validation set costs about 1% of the run's arithmetic. A run shorter than the interval
    /// is validated (and checkpointed) once, after its last update.
    ///
    /// A validation pass is a forward pass over at most `validationSequences` sequences; an
    /// update is a forward and a backward pass (about three forwards) over `globalBatchSize`,
    /// so one pass costs about V / (3B) updates, and 100 such costs is 1%. The result is a
    /// multiple of 100:
    ///
    ///     TrainingSettings.defaultValidationInterval(globalBatchSize: 32)   // 600
    ///     TrainingSettings.defaultValidationInterval(globalBatchSize: 256)  // 100
    ///     TrainingSettings.defaultValidationInterval(globalBatchSize: 8)    // 2200
    ///
    /// Measured: a validation pass at the chapter and mini presets (B = 32) costs about four
    /// updates rather than the 5.3 of this count (no graph is kept and no dropout drawn), so
    /// the share is 0.7–0.8%. Until 2026-12-06 the target was 2%, at most half the run, so that
    /// the default 300-update run was validated mid-way too; its two passes took 2.8% of the
    /// run, which kept the chapter preset's whole run at 92–94% of its update rate.
    /// Introduced in Chapter 1.
    public static func defaultValidationInterval(globalBatchSize: Int,
                                                 validationSequences: Int = MaskedLMData.defaultValidationLimit) -> Int {
        let passCost = Double(validationSequences) / (3 * Double(max(1, globalBatchSize)))
        return 100 * max(1, Int(passCost.rounded(.up)))
    }

    public var schedule: LearningRateSchedule {
        LearningRateSchedule(peak: peakLearningRate, warmupSteps: warmupSteps, totalSteps: steps)
    }
}

