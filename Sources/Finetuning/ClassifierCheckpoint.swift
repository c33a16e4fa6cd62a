import Foundation
import Tensors
import Text
import Transformer

/// What a fine-tuned classifier is, stored in its checkpoint so it can be rebuilt, used for
/// predictions and exported from the file alone. Introduced in Chapter 3.
public struct ClassifierConfiguration: Codable, Equatable, Sendable {
    /// The encoder's sizes and position scheme (its input seam is always `none`).
    public var encoder: ModelConfiguration
    /// The task, as `tenfold finetune --task` names it (`glue:sst2`, `mini:paraphrase`).
    public var task: String
    /// The class labels in output order; empty for a regression task.
    public var labels: [String]
    /// Whether the single output is a score (STS-B, similarity).
    public var isRegression: Bool
    public var settings: FinetuningSettings
    public var seed: UInt64
    /// The pre-training checkpoint it was fine-tuned from, as given.
    public var pretrained: String

    public init(encoder: ModelConfiguration, task: String, labels: [String], isRegression: Bool,
                settings: FinetuningSettings, seed: UInt64, pretrained: String) {
        self.encoder = encoder; self.task = task; self.labels = labels; self.isRegression = isRegression
        self.settings = settings; self.seed = seed; self.pretrained = pretrained
    }

    public var kind: GLUETask.Kind {
        isRegression ? .regression(range: 0...5) : .classification(labels: labels)
    }
}

/// Saving and reading fine-tuned classifiers: a Tenfold checkpoint (safetensors) whose
/// configuration is a `ClassifierConfiguration`, whose parameters are the encoder's and the
/// head's (`classifier.*`), with the vocabulary and the metadata `model` =
/// `sequence-classifier` that tells it apart from a pre-training checkpoint.
///
///     try ClassifierCheckpoint.write(classifier, configuration: configuration, tokenizer: tokenizer, to: url)
///     let (classifier, configuration, tokenizer) = try ClassifierCheckpoint.read(url, registry: .standard)
///
/// Introduced in Chapter 3.
public enum ClassifierCheckpoint {
    /// The metadata key and value that mark a classifier checkpoint.
    public static let modelKey = "model", modelValue = "sequence-classifier"

    /// Whether the checkpoint holds a fine-tuned classifier.
    public static func isClassifier(_ checkpoint: Checkpoint) -> Bool {
        checkpoint.metadata[modelKey] == modelValue
    }

    public static func write(_ classifier: SequenceClassifier, configuration: ClassifierConfiguration,
                             tokenizer: WordPieceTokenizer, to url: URL) throws {
        let checkpoint = try Checkpoint(config: configuration, step: 0, rng: SeededGenerator(seed: configuration.seed),
                                        parameters: classifier.parameters.values,
                                        metadata: [modelKey: modelValue,
                                                   Checkpoint.vocabularyKey: tokenizer.vocabulary.fileText])
        try checkpoint.write(to: url)
    }

    /// - Throws: `ConfigurationError` for a checkpoint that is not a classifier or does not match
    ///   its configuration, and the errors of `Checkpoint(contentsOf:)`.
    public static func read(_ url: URL, registry: ModelRegistry, verifyingChecksums: Bool = true)
        throws -> (classifier: SequenceClassifier, configuration: ClassifierConfiguration, tokenizer: WordPieceTokenizer) {
        let checkpoint = try Checkpoint(contentsOf: url, verifyingChecksums: verifyingChecksums)
        guard isClassifier(checkpoint) else {
            throw InputError("\(url.path) is a pre-training checkpoint, not a fine-tuned classifier (fine-tune it with tenfold finetune)")
        }
        return try read(checkpoint, file: url.path, registry: registry)
    }

    /// The classifier of a checkpoint already read (see `isClassifier`). Its encoder's sizes
    /// are checked before anything is built, and its vocabulary must have the encoder's size.
    ///
    /// - Parameter file: how errors name the checkpoint.
    public static func read(_ checkpoint: Checkpoint, file: String, registry: ModelRegistry)
        throws -> (classifier: SequenceClassifier, configuration: ClassifierConfiguration, tokenizer: WordPieceTokenizer) {
        let configuration: ClassifierConfiguration
        do {
            configuration = try checkpoint.config(as: ClassifierConfiguration.self)
            try configuration.encoder.validate()
            try checkpoint.checkSize(of: configuration.encoder, file: file)
        } catch let error as ConfigurationError {
            throw CheckpointError.invalidConfiguration(file: file, reason: error.message)
        } catch CheckpointError.invalidConfig(let reason) {
            throw CheckpointError.invalidConfiguration(file: file, reason: "its configuration \(reason)")
        }
        if !configuration.isRegression && configuration.labels.count < 2 {
            throw CheckpointError.invalidConfiguration(
                file: file, reason: "a classifier needs at least 2 labels, and it lists \(configuration.labels.count)")
        }
        if configuration.encoder.maxSequenceLength < 4 {
            throw CheckpointError.invalidConfiguration(
                file: file, reason: "a sentence pair needs maxSequenceLength ≥ 4 ([CLS], [SEP], [SEP] and a token), "
                    + "not \(configuration.encoder.maxSequenceLength)")
        }
        let vocabulary = try Vocabulary(tokens: checkpoint.vocabularyTokens(), origin: "the vocabulary of \(file)")
        guard vocabulary.count == configuration.encoder.vocabularySize else {
            throw CheckpointError.invalidConfiguration(
                file: file, reason: "its vocabulary has \(vocabulary.count) tokens, but the encoder's vocabularySize "
                    + "is \(configuration.encoder.vocabularySize)")
        }
        let classifier = try SequenceClassifier(config: configuration.encoder,
                                                positions: registry.positionsFactory(configuration.encoder.positions),
                                                kind: configuration.kind, seed: configuration.seed)
        try checkpoint.check(matching: classifier.parameters.shapes, file: file)
        classifier.parameters.load(checkpoint.parameters)
        return (classifier, configuration, WordPieceTokenizer(vocabulary: vocabulary))
    }
}
