import Foundation
import Tensors
import Autograd
import Diagrams
import Text

/// Everything that defines a pre-training run; stored in every checkpoint, so a run can be
/// resumed (or a model rebuilt) from the checkpoint alone. Introduced in Chapter 1.
public struct RunConfiguration: Codable, Equatable, Sendable {
    public var model: ModelConfiguration
    public var training: TrainingSettings
    /// B.
    public var batchSize: Int
    /// Seeds the data order and the masking (the model's initial weights use `training.seed`).
    public var dataSeed: UInt64
    /// `"embedded"` or the path of a text file or folder of text files.
    public var corpus: String

    public init(model: ModelConfiguration, training: TrainingSettings, batchSize: Int,
                dataSeed: UInt64, corpus: String = "embedded") {
        self.model = model; self.training = training; self.batchSize = batchSize
        self.dataSeed = dataSeed; self.corpus = corpus
    }
}

/// A pre-training run with its output folder: data, model, trainer, metrics, checkpoints.
///
///     let run = try PretrainingRun(configuration: configuration, positions: AbsolutePositions.factory,
///                                  corpus: try Corpus.embedded(), tokenizer: try .embedded(),
///                                  outputDirectory: URL(fileURLWithPath: "out/run"))
///     try run.train()          // writes metrics.jsonl, checkpoint.safetensors, loss-curve.svg
///
/// The folder holds `checkpoint.safetensors` (replaced atomically at every checkpoint),
/// `metrics.jsonl` (one line per update), `vocab.txt` and, at the end, `loss-curve.svg`.
/// `PretrainingRun.resume(from:)` continues an interrupted run exactly where its last
/// checkpoint left it. Introduced in Chapter 1.
public final class PretrainingRun {
    public let configuration: RunConfiguration
    public let tokenizer: WordPieceTokenizer
    public let model: MaskedLanguageModel
    public let data: MaskedLMData
    public let trainer: Trainer
    public let outputDirectory: URL?
    /// The cross-entropy of guessing every masked token from training-set unigram frequencies.
    public let unigramBaseline: Float

    public var checkpointURL: URL? { outputDirectory?.appendingPathComponent("checkpoint.safetensors") }
    public var metricsURL: URL? { outputDirectory?.appendingPathComponent("metrics.jsonl") }
    public var lossCurveURL: URL? { outputDirectory?.appendingPathComponent("loss-curve.svg") }

    /// Builds a fresh run.
    /// - Parameter outputDirectory: where metrics and checkpoints go; nil keeps nothing on disk.
    public init(configuration: RunConfiguration, positions: PositionEncodingFactory, corpus: Corpus,
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
        data = MaskedLMData(training: trainSequences, validation: validSequences,
                            vocabulary: tokenizer.vocabulary, batchSize: configuration.batchSize,
                            length: T, seed: configuration.dataSeed)
        model = try MaskedLanguageModel(config: configuration.model, seed: configuration.training.seed,
                                        positions: positions)
        trainer = Trainer(model: model, settings: configuration.training, data: data)
        unigramBaseline = PretrainingRun.unigramCrossEntropy(training: trainSequences,
                                                             validation: data.validationBatches,
                                                             vocabulary: tokenizer.vocabulary)
        if let outputDirectory {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        }
    }

    /// Re-opens the run saved in `directory` after its last checkpoint.
    ///
    /// - Parameters:
    ///   - positions: the position scheme for the saved `architecture` (nil: unknown).
    ///   - corpus: the corpus to read (normally `loadCorpus(configuration.corpus)`).
    public static func resume(from directory: URL,
                              positions: (String) -> PositionEncodingFactory?,
                              corpus loadCorpus: (String) throws -> Corpus) throws -> PretrainingRun {
        let url = directory.appendingPathComponent("checkpoint.safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ConfigurationError(message: "nothing to resume in \(directory.path): it has no checkpoint.safetensors (start the run without --resume)")
        }
        let checkpoint = try Checkpoint(contentsOf: url)
        let configuration = try checkpoint.config(as: RunConfiguration.self)
        guard let factory = positions(configuration.model.architecture) else {
            throw ConfigurationError(message: "the checkpoint's architecture '\(configuration.model.architecture)' is not known to this build")
        }
        let vocabulary = try Vocabulary(tokens: checkpoint.vocabularyTokens(), origin: url.path)
        let run = try PretrainingRun(configuration: configuration, positions: factory,
                                     corpus: try loadCorpus(configuration.corpus),
                                     tokenizer: WordPieceTokenizer(vocabulary: vocabulary),
                                     outputDirectory: directory)
        try checkpoint.check(matching: run.model.parameters.shapes, file: url.path)
        run.model.parameters.load(checkpoint.parameters)
        let history = run.metricsURL.map(MetricsLog.read) ?? []
        run.trainer.restore(step: checkpoint.step, firstMoments: checkpoint.firstMoments,
                            secondMoments: checkpoint.secondMoments, history: history)
        return run
    }

    /// Trains to the configured number of updates, reporting progress, appending metrics,
    /// checkpointing at intervals, and drawing the loss curve at the end.
    ///
    /// - Parameters:
    ///   - progress: where progress is shown (nil: nowhere).
    ///   - until: stop after this update instead of the last (the run can be resumed later).
    @discardableResult
    public func train(progress: ProgressReporter? = nil, until: Int? = nil) throws -> [StepMetrics] {
        let metrics = try metricsURL.map { try MetricsLog(url: $0, keepingThrough: trainer.completedSteps) }
        trainer.onStep = { m in
            progress?.report(m)
            try? metrics?.append(m)
        }
        trainer.onCheckpoint = { [unowned self] step in try self.saveCheckpoint() }
        let history = try trainer.run(until: until)
        if let url = lossCurveURL { try lossCurve().write(to: url) }
        return history
    }

    /// Writes `checkpoint.safetensors` atomically: parameters, AdamW moments, the step, the
    /// dropout generator for the next update, the run configuration and the vocabulary.
    public func saveCheckpoint() throws {
        guard let url = checkpointURL else { return }
        let step = trainer.completedSteps
        let checkpoint = try Checkpoint(
            config: configuration, step: step,
            rng: SeededGenerator(seed: SeededGenerator.mix(configuration.training.seed, UInt64(step + 1))),
            parameters: model.parameters.values,
            firstMoments: trainer.optimizer.firstMoments, secondMoments: trainer.optimizer.secondMoments,
            notes: [Checkpoint.vocabularyKey: tokenizer.vocabulary.fileText])
        try checkpoint.write(to: url)
    }

    /// The training and validation loss per update, with the unigram baseline.
    public func lossCurve(title: String = "Masked-LM loss") -> LineChart {
        let history = trainer.history
        var chart = LineChart(title: title, xLabel: "update", yLabel: "cross-entropy (nats)")
        chart.add(.init("training", x: history.map { Double($0.step) }, y: history.map(\.loss)))
        let validated = history.filter { $0.validationLoss != nil }
        chart.add(.init("validation", x: validated.map { Double($0.step) }, y: validated.map { $0.validationLoss! }))
        chart.addReferenceLine("unigram baseline", y: Double(unigramBaseline))
        return chart
    }

    /// H(validation labels ‖ training unigram): the loss of a model that ignores context,
    /// with add-one smoothing over ordinary tokens.
    static func unigramCrossEntropy(training: [TokenSequence], validation: [TrainingBatch],
                                    vocabulary: Vocabulary) -> Float {
        var counts = [Double](repeating: 1, count: vocabulary.count)
        for id in vocabulary.tokens.indices where vocabulary.isSpecial[id] { counts[id] = 0 }
        for sequence in training { for id in sequence.ids where !vocabulary.isSpecial[Int(id)] { counts[Int(id)] += 1 } }
        let total = counts.reduce(0, +)
        var loss = 0.0, n = 0
        for batch in validation {
            for label in batch.targets.labels {
                loss -= Foundation.log(max(counts[Int(label)], 1) / total)
                n += 1
            }
        }
        return n == 0 ? .nan : Float(loss / Double(n))
    }
}

extension Checkpoint {
    /// The metadata key under which a run's `vocab.txt` travels inside its checkpoint.
    public static let vocabularyKey = "vocabulary"

    /// The vocabulary stored with the checkpoint, one token per entry.
    public func vocabularyTokens() throws -> [String] {
        guard let text = notes[Checkpoint.vocabularyKey] else {
            throw ConfigurationError(message: "the checkpoint carries no vocabulary")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}

extension Corpus {
    /// The corpus named on a command line: `"embedded"` (the package's own), a text file, or
    /// a folder of text files (read whole into memory: fine for chapter-sized corpora; the
    /// full-scale chapter streams instead).
    ///
    /// - Throws: `TextError.missingPath`, `.emptyCorpus` and the other reading errors, each
    ///   with a message that names the path.
    public static func load(_ specification: String) throws -> Corpus {
        if specification == "embedded" { return try .embedded() }
        var stream = try TextDirectoryStream(path: specification)
        var documents: [Document] = []
        while let document = try stream.next() { documents.append(document) }
        guard !documents.isEmpty else { throw TextError.emptyCorpus("'\(specification)'") }
        return Corpus(documents: documents)
    }
}
