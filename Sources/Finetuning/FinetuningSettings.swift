/// How a task is fine-tuned: BERT's recipe in miniature (Devlin et al., 2019, §4 and
/// appendix A.3) — AdamW with linear warm-up and linear decay, a few epochs over the
/// training set in a new random order each epoch, dropout as in pre-training, gradients
/// clipped to norm 1.
///
///     var settings = FinetuningSettings()
///     settings.epochs = 3
///     settings.peakLearningRate = 1e-4
///
/// Introduced in Chapter 3.
public struct FinetuningSettings: Codable, Equatable, Sendable {
    /// Passes over the training set.
    public var epochs = 3
    /// B: examples per update.
    public var batchSize = 32
    /// η after warm-up.
    public var peakLearningRate: Float = 1e-4
    /// The share of all updates spent warming up (BERT: 10%).
    public var warmupFraction = 0.1
    /// T: the longest input in tokens; nil uses the encoder's longest.
    public var maxLength: Int? = nil
    /// Keep the parameters of the epoch with the best development score instead of the last
    /// epoch's (the test set never chooses).
    public var earlyStopping = false
    /// Global-norm gradient clipping threshold.
    public var maxGradientNorm: Float = 1

    public init() {}

    /// Settings for tests and `--quick`: one short epoch.
    public static var quick: FinetuningSettings {
        var settings = FinetuningSettings()
        settings.epochs = 1
        settings.batchSize = 16
        return settings
    }

    /// Checks the numbers make sense; the message names the one that does not.
    public func validate() throws {
        func fail(_ message: String) -> FinetuningError { .invalidSetting(message) }
        // Upper bounds far beyond any fine-tuning run, low enough that epochs × updates cannot overflow.
        guard (1...10_000).contains(epochs) else { throw fail("--epochs must be between 1 and 10000, not \(epochs)") }
        guard (1...(1 << 20)).contains(batchSize) else {
            throw fail("the batch size must be between 1 and \(1 << 20), not \(batchSize)")
        }
        guard peakLearningRate > 0, peakLearningRate <= 1, peakLearningRate.isFinite else {
            throw fail("the learning rate must be in (0, 1], not \(peakLearningRate)")
        }
        guard (0..<1).contains(warmupFraction) else { throw fail("the warm-up share must be in [0, 1), not \(warmupFraction)") }
        if let maxLength, !(4...(1 << 16)).contains(maxLength) {
            throw fail("the maximum length must be between 4 and \(1 << 16) tokens, not \(maxLength)")
        }
        guard maxGradientNorm > 0, maxGradientNorm.isFinite else {
            throw fail("the gradient clipping norm must be a positive number, not \(maxGradientNorm)")
        }
    }
}

/// What stops fine-tuning, in one sentence. Introduced in Chapter 3.
public enum FinetuningError: Error, CustomStringConvertible, Equatable {
    case invalidSetting(String)
    case noTrainingExamples(task: String)
    case missingLabels(task: String, split: String)

    public var description: String {
        switch self {
        case .invalidSetting(let message): return message
        case .noTrainingExamples(let task): return "\(task): the training file has no examples to learn from"
        case let .missingLabels(task, split):
            return "\(task): the \(split) file has examples without labels, so it cannot be trained or scored on"
        }
    }
}
