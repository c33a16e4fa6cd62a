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

