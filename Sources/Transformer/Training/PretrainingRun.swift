import Foundation
import Tensors
import Autograd
import Text

/// A pre-training run with its output folder: data, model, trainer, metrics, checkpoints.
///
///     let run = try PretrainingRun(configuration: configuration, registry: .standard,
///                                  corpus: try Corpus.embedded(), tokenizer: try .embedded(),
///                                  outputDirectory: URL(fileURLWithPath: "out/run"))
///     try run.train()          // writes metrics.jsonl and checkpoint.safetensors
///
/// The model is built by name from `configuration.model` (its position scheme, input
/// augmentation and objective) through `registry`; the data is corrupted by the objective's
/// masking policy. The folder holds `checkpoint.safetensors` (replaced atomically at every
/// checkpoint) and `metrics.jsonl` (one line per update). `PretrainingRun.resume(from:…)`
/// continues an interrupted run exactly where its last checkpoint left it.
/// Introduced in Chapter 1.
public final class PretrainingRun {
    public let configuration: RunConfiguration
    public let tokenizer: WordPieceTokenizer
    public let model: PretrainingModel
    public let data: MaskedLMData
    public let trainer: Trainer
    public let outputDirectory: URL?
    /// The cross-entropy of guessing every picked token from training-set unigram frequencies.
    public let unigramBaseline: Float

    public var checkpointURL: URL? { outputDirectory?.appendingPathComponent("checkpoint.safetensors") }
    public var metricsURL: URL? { outputDirectory?.appendingPathComponent("metrics.jsonl") }

    /// Builds a fresh run.
    /// - Parameters:
    ///   - registry: maps the configuration's seam names to the code that builds them.
    ///   - outputDirectory: where metrics and checkpoints go; nil keeps nothing on disk.
    public init(configuration: RunConfiguration, registry: ModelRegistry, corpus: Corpus,
                tokenizer: WordPieceTokenizer, outputDirectory: URL?) throws {
        guard configuration.model.vocabularySize == tokenizer.vocabulary.count else {
            throw ConfigurationError(message: "the model's vocabulary size \(configuration.model.vocabularySize) differs from the tokenizer's \(tokenizer.vocabulary.count)")
        }
        guard configuration.training.steps >= 1 else {
            throw ConfigurationError(message: "--steps must be at least 1, not \(configuration.training.steps)")
        }
        guard configuration.batchSize >= 1 else {
            throw ConfigurationError(message: "the batch size must be at least 1, not \(configuration.batchSize)")
        }
        try registry.validate(configuration.model)
        self.configuration = configuration
        self.tokenizer = tokenizer
        self.outputDirectory = outputDirectory
        let T = configuration.model.maxSequenceLength
        let packer = try SequencePacker(tokenizer: tokenizer, maxLength: T)
        let (training, validation) = corpus.split()
        let trainSequences = training.documents.flatMap(packer.pack)
        var validSequences = validation.documents.flatMap(packer.pack)
        guard !trainSequences.isEmpty else {
            throw ConfigurationError(message: "the corpus gave no training sequences; it needs more text")
        }
        if validSequences.isEmpty {
            // A corpus too small to hold out whole documents still gets a validation set.
            validSequences = Array(trainSequences.suffix(max(1, trainSequences.count / 20)))
        }
        model = try registry.makeModel(configuration.model, seed: configuration.training.seed,
                                       vocabulary: tokenizer.vocabulary, trainingSequences: trainSequences)
        data = MaskedLMData(training: trainSequences, validation: validSequences,
                            vocabulary: tokenizer.vocabulary, batchSize: configuration.batchSize,
                            length: T, seed: configuration.dataSeed, policy: model.objective.maskingPolicy)
        trainer = Trainer(model: model, settings: configuration.training, data: data)
        unigramBaseline = unigramCrossEntropy(training: trainSequences, validation: data.validationBatches,
                                              vocabulary: tokenizer.vocabulary)
        if let outputDirectory {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        }
    }

    /// Re-opens the run saved in `directory` after its last checkpoint: parameters, AdamW's
    /// moments, the model's state buffers and the metrics so far.
    ///
    /// - Parameters:
    ///   - registry: rebuilds the model from the checkpoint's seam names.
    ///   - corpus: the corpus to read (normally `Corpus.load(configuration.corpus)`).
    public static func resume(from directory: URL, registry: ModelRegistry,
                              corpus loadCorpus: (String) throws -> Corpus) throws -> PretrainingRun {
        let url = directory.appendingPathComponent("checkpoint.safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ConfigurationError(message: "nothing to resume in \(directory.path): it has no checkpoint.safetensors (start the run without --resume)")
        }
        let checkpoint = try Checkpoint(contentsOf: url)
        let configuration = try checkpoint.config(as: RunConfiguration.self)
        let vocabulary = try Vocabulary(tokens: checkpoint.vocabularyTokens(), origin: url.path)
        let run = try PretrainingRun(configuration: configuration, registry: registry,
                                     corpus: try loadCorpus(configuration.corpus),
                                     tokenizer: WordPieceTokenizer(vocabulary: vocabulary),
                                     outputDirectory: directory)
        try checkpoint.check(matching: run.model.parameters.shapes, file: url.path)
        run.model.parameters.load(checkpoint.parameters)
        do {
            try run.model.restore(state: checkpoint.state)
        } catch let error as ConfigurationError {
            throw ConfigurationError(message: "\(url.path): \(error.message)")
        }
        let history = run.metricsURL.map(MetricsLog.read) ?? []
        run.trainer.restore(step: checkpoint.step, firstMoments: checkpoint.firstMoments,
                            secondMoments: checkpoint.secondMoments, history: history)
        return run
    }

    /// Trains to the configured number of updates, reporting progress, appending metrics
    /// and checkpointing at intervals.
    ///
    /// - Parameters:
    ///   - progress: where progress is shown (nil: nowhere).
    ///   - until: stop after this update instead of the last (the run can be resumed later).
    @discardableResult
    public func train(progress: ProgressReporter? = nil, until: Int? = nil) throws -> [StepMetrics] {
        let metrics = try metricsURL.map { try MetricsLog(url: $0, keepingThrough: trainer.completedSteps) }
        trainer.onStep = { m in
            progress?.report(m)
            try metrics?.append(m)
        }
        trainer.onCheckpoint = { [unowned self] step in try self.saveCheckpoint() }
        return try trainer.run(until: until)
    }

    /// Writes `checkpoint.safetensors` atomically: parameters, AdamW moments, the model's
    /// state buffers, the step, the dropout generator for the next update, the run
    /// configuration and the vocabulary.
    public func saveCheckpoint() throws {
        guard let url = checkpointURL else { return }
        let step = trainer.completedSteps
        let checkpoint = try Checkpoint(
            config: configuration, step: step,
            rng: SeededGenerator(seed: SeededGenerator.mix(configuration.training.seed, UInt64(step + 1))),
            parameters: model.parameters.values,
            firstMoments: trainer.optimizer.firstMoments, secondMoments: trainer.optimizer.secondMoments,
            state: model.state,
            metadata: [Checkpoint.vocabularyKey: tokenizer.vocabulary.fileText])
        try checkpoint.write(to: url)
    }
}
