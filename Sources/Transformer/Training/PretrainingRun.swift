import Foundation
import Tensors
import Autograd
import Text
import AtomicFiles

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
    public let data: TrainingData
    public let trainer: Trainer
    public let outputDirectory: URL?
    /// The cross-entropy of guessing every picked token from training-set unigram frequencies.
    public let unigramBaseline: Float

    public var checkpointURL: URL? { outputDirectory?.appendingPathComponent("checkpoint.safetensors") }
    public var metricsURL: URL? { outputDirectory?.appendingPathComponent("metrics.jsonl") }

    /// Builds a fresh run. Every setting is checked first (`RunConfiguration.validate`), so
    /// nothing is allocated for a configuration that cannot train.
    /// - Parameters:
    ///   - registry: maps the configuration's seam names to the code that builds them.
    ///   - outputDirectory: where metrics and checkpoints go; nil keeps nothing on disk.
    ///     Temporary files of checkpoint writes that a killed process left there are removed.
    public convenience init(configuration: RunConfiguration, registry: ModelRegistry, corpus: Corpus,
                            tokenizer: WordPieceTokenizer, outputDirectory: URL?) throws {
        try Self.check(configuration, vocabulary: tokenizer.vocabulary)
        let T = configuration.model.maxSequenceLength
        let packer = try SequencePacker(tokenizer: tokenizer, maxLength: T)
        let (training, validation) = corpus.split()
        let trainSequences = training.documents.flatMap(packer.pack)
        var validSequences = validation.documents.flatMap(packer.pack)
        guard !trainSequences.isEmpty else {
            throw InputError("the corpus gave no training sequences; it needs more text")
        }
        if validSequences.isEmpty {
            // A corpus too small to hold out whole documents still gets a validation set.
            validSequences = Array(trainSequences.suffix(max(1, trainSequences.count / 20)))
        }
        try self.init(configuration: configuration, registry: registry, tokenizer: tokenizer,
                      outputDirectory: outputDirectory, trainingSequences: trainSequences) { policy in
            MaskedLMData(training: trainSequences, validation: validSequences, vocabulary: tokenizer.vocabulary,
                         batchSize: configuration.globalBatchSize, length: T, seed: configuration.dataSeed,
                         policy: policy, validationBatchSize: configuration.batchSize)
        }
    }

    /// The checks every new run makes on its configuration.
    static func check(_ configuration: RunConfiguration, vocabulary: Vocabulary) throws {
        guard configuration.model.vocabularySize == vocabulary.count else {
            throw ConfigurationError(message: "the model's vocabulary size \(configuration.model.vocabularySize) differs from the tokenizer's \(vocabulary.count)")
        }
        try configuration.validate()
        guard !vocabulary.ordinaryIds.isEmpty else {
            throw InputError("the vocabulary holds only special tokens ([PAD], [MASK], …): masking needs ordinary words to "
                             + "hide and predict; give a vocab.txt with words")
        }
        guard configuration.training.steps >= 1 else {
            throw ConfigurationError(message: "--steps must be at least 1, not \(configuration.training.steps)")
        }
        guard configuration.batchSize >= 1 else {
            throw ConfigurationError(message: "the batch size must be at least 1, not \(configuration.batchSize)")
        }
        guard (configuration.accumulate ?? 1) >= 1 else {
            throw ConfigurationError(message: "--accumulate must be at least 1 micro-batch per update, not \(configuration.accumulate!)")
        }
        guard (configuration.ranks ?? 1) >= 1 else {
            throw ConfigurationError(message: "a run needs at least 1 rank, not \(configuration.ranks!)")
        }
    }

    /// Builds a run on any data source: the model (its seams may read `trainingSequences`),
    /// then the data, made with the objective's masking policy.
    init(configuration: RunConfiguration, registry: ModelRegistry, tokenizer: WordPieceTokenizer,
         outputDirectory: URL?, trainingSequences: [TokenSequence],
         makeData: (MaskingPolicy) throws -> TrainingData) throws {
        try registry.validate(configuration.model)
        self.configuration = configuration
        self.tokenizer = tokenizer
        self.outputDirectory = outputDirectory
        model = try registry.makeModel(configuration.model, seed: configuration.training.seed,
                                       vocabulary: tokenizer.vocabulary, trainingSequences: trainingSequences)
        data = try makeData(model.objective.maskingPolicy)
        trainer = Trainer(model: model, settings: configuration.training, data: data)
        trainer.microBatches = configuration.accumulate ?? 1
        trainer.checkpointSeconds = configuration.checkpoints?.minutes.map { $0 * 60 }
        unigramBaseline = unigramCrossEntropy(training: trainingSequences, validation: data.validationBatches,
                                              vocabulary: tokenizer.vocabulary)
        if let outputDirectory {
            try Self.createFolder(outputDirectory)
            AtomicFile.removeTemporaries(of: outputDirectory.appendingPathComponent("checkpoint.safetensors"))
        }
    }

    /// Creates the run folder, or says in a sentence why it cannot be.
    static func createFolder(_ url: URL) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw FileError(path: url.path, action: "use as the run folder", reason: "it is a file",
                                advice: "Choose another --out, or move the file.")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw FileError(path: url.path, action: "create the run folder", error)
        }
    }

    /// Re-opens the run saved in `directory` after its last checkpoint: parameters, AdamW's
    /// moments, the model's state buffers and the metrics so far. Everything in the checkpoint
    /// is checked before it is used (see `Checkpoint`, `RunConfiguration.validate`); a
    /// checkpoint without optimizer state, or whose step lies beyond the run, is refused.
    ///
    /// - Parameters:
    ///   - registry: rebuilds the model from the checkpoint's seam names.
    ///   - corpus: the corpus to read (normally `Corpus.load(configuration.corpus)`).
    ///   - verifyingChecksums: false skips the checkpoint's checksums (huge files).
    public static func resume(from directory: URL, registry: ModelRegistry,
                              corpus loadCorpus: (String) throws -> Corpus,
                              verifyingChecksums: Bool = true) throws -> PretrainingRun {
        let found = try CheckpointFolder(run: directory).newestIntact(verifyingChecksums: verifyingChecksums) { warning in
            try? FileHandle.standardError.write(contentsOf: Data((warning + "\n").utf8))
        }
        guard let (url, checkpoint) = found else {
            throw InputError("nothing to resume in \(directory.path): it has no checkpoint.safetensors (start the run without --resume)")
        }
        let configuration = try checkpoint.runConfiguration(file: url.path, forTraining: true)
        guard checkpoint.step <= configuration.training.steps else {
            throw CheckpointError.invalidConfiguration(
                file: url.path, reason: "its step \(checkpoint.step) lies beyond the run's \(configuration.training.steps) updates")
        }
        if checkpoint.step > 0 && checkpoint.firstMoments.isEmpty {
            throw CheckpointError.missingOptimizerState(file: url.path, step: checkpoint.step)
        }
        let vocabulary = try checkpoint.vocabulary(file: url.path, model: configuration.model)
        let run: PretrainingRun
        if let data = configuration.data {
            let prepared = try PreparedCorpus(folder: URL(fileURLWithPath: data))
            guard prepared.vocabulary.tokens == vocabulary.tokens else {
                throw ConfigurationError(message: "\(data) was prepared with another vocabulary than the checkpoint's \(url.path)")
            }
            run = try PretrainingRun(configuration: configuration, registry: registry, prepared: prepared,
                                     outputDirectory: directory)
        } else {
            run = try PretrainingRun(configuration: configuration, registry: registry,
                                     corpus: try loadCorpus(configuration.corpus),
                                     tokenizer: WordPieceTokenizer(vocabulary: vocabulary),
                                     outputDirectory: directory)
        }
        try checkpoint.check(matching: run.model.parameters.shapes, file: url.path)
        run.model.parameters.load(checkpoint.parameters)
        do {
            try run.model.restore(state: checkpoint.state)
        } catch let error as ConfigurationError {
            throw CheckpointError.invalidConfiguration(file: url.path, reason: error.message)
        }
        let history = run.metricsURL.map(MetricsLog.read) ?? []
        run.trainer.restore(step: checkpoint.step, firstMoments: checkpoint.firstMoments,
                            secondMoments: checkpoint.secondMoments, history: history)
        return run
    }

    /// Trains to the configured number of updates, reporting progress, appending metrics
    /// and checkpointing at intervals; `progress` ends with the run's `RunTiming` summary.
    ///
    /// - Parameters:
    ///   - progress: where progress is shown (nil: nowhere).
    ///   - until: stop after this update instead of the last (the run can be resumed later).
    @discardableResult
    public func train(progress: ProgressReporter? = nil, until: Int? = nil) throws -> [StepMetrics] {
        let lead = trainer.communicator.map { $0.rank == 0 } ?? true   // one rank writes the log
        let metrics = try metricsURL.flatMap { lead ? try MetricsLog(url: $0, keepingThrough: trainer.completedSteps) : nil }
        trainer.onStep = { m in
            progress?.report(m)
            try metrics?.append(m)
        }
        trainer.onCheckpoint = { [unowned self] step in try self.saveCheckpoint() }
        let history = try trainer.run(until: until)
        progress?.finish(RunTiming(trainer))
        return history
    }

    /// Writes `checkpoint.safetensors` atomically: parameters, AdamW moments, the model's
    /// state buffers, the step, the dropout generator for the next update, the run
    /// configuration and the vocabulary. Weights holding NaN or ±∞ are refused (the previous
    /// checkpoint stays).
    public func saveCheckpoint() throws {
        guard let url = checkpointURL, trainer.communicator.map({ $0.rank == 0 }) ?? true else { return }
        let step = trainer.completedSteps
        let checkpoint = try Checkpoint(
            config: configuration, step: step,
            rng: SeededGenerator(seed: SeededGenerator.mix(configuration.training.seed, UInt64(step + 1))),
            parameters: model.parameters.values,
            firstMoments: trainer.optimizer.firstMoments, secondMoments: trainer.optimizer.secondMoments,
            state: model.state,
            metadata: [Checkpoint.vocabularyKey: tokenizer.vocabulary.fileText])
        if let policy = configuration.checkpoints, let outputDirectory {
            try CheckpointFolder(run: outputDirectory).write(checkpoint, step: step,
                                                             validationLoss: trainer.history.last(where: { $0.validationLoss != nil })?.validationLoss,
                                                             policy: policy)
        } else {
            try checkpoint.write(to: url)
        }
    }
}
