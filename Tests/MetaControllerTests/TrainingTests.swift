import XCTest
import Foundation
import Tensors
import Autograd
import Text
@testable import Transformer
import Catalog
import Finetuning
import NoteTaking
import UntiedAttention
@testable import MetaController

/// An input augmentation that changes nothing and remembers the ids of every batch the main
/// encoder read (after the update, as the input seam observes it).
final class InputRecorder: InputAugmentation {
    static let name = "recorder"
    private(set) var seen: [[Int32]] = []
    private(set) var masked: [[Int32]] = []
    func augment(_ embeddings: Variable, input: ModelInput, isTraining: Bool) -> Variable { embeddings }
    func observe(hidden: Tensor, input: ModelInput) {
        seen.append(input.ids)
        masked.append(input.maskedPositions)
    }
}

/// Both objectives through the whole machinery: the registry, `PretrainingRun`, the metrics
/// log, checkpoints and resume, loading for inference and fine-tuning, every position
/// scheme and the input seam.
final class TrainingTests: XCTestCase {
    static let corpus: Corpus = {
        let all = try! Corpus.embedded()
        var picked: [Document] = []
        for source in all.sources { picked += all.documents.filter { $0.source == source }.prefix(30) }
        return Corpus(documents: picked)
    }()
    static let tokenizer = try! WordPieceTokenizer.embedded()
    static let registry = ModelRegistry.standard
        .registering(input: InputRecorder.name, summary: "records the batches", factory: { _ in InputRecorder() })

    static let electraMetrics: Set<String> = ["generator", "generator_accuracy", "discriminator", "replace_rate",
                                              "discriminator_accuracy", "replaced_accuracy", "kept_accuracy"]
    static let mcbertMetrics: Set<String> = ["controller", "controller_accuracy", "multiple_choice", "replace_rate",
                                             "main_accuracy", "replaced_accuracy", "kept_accuracy"]

    func configuration(_ objective: String, positions: String = "bert-a", input: String = "none",
                       options: [String: Double] = [:], steps: Int = 6, checkpointInterval: Int = 0) -> RunConfiguration {
        var model = ModelConfiguration.preset("tiny", vocabularySize: Self.tokenizer.vocabulary.count)!
        model.objective = objective
        model.positions = positions
        model.input = input
        model.options = options
        let training = TrainingSettings(steps: steps, peakLearningRate: 2e-3, warmupSteps: 2, validationInterval: 3,
                                        checkpointInterval: checkpointInterval, seed: 21)
        return RunConfiguration(model: model, training: training, batchSize: 4, dataSeed: 22)
    }

    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-mc-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    // MARK: Train, checkpoint, resume, load

    func testELECTRATrainsCheckpointsAndResumesBitExactly() throws {
        try trainCheckpointAndResume(ELECTRA.name, metrics: Self.electraMetrics,
                                     ownParameters: ["generator.embeddings.projection.weight", "generator.mlm.bias",
                                                     "electra.output.weight"]) { $0 is ELECTRA }
    }

    func testMCBERTTrainsCheckpointsAndResumesBitExactly() throws {
        try trainCheckpointAndResume(MCBERT.name, metrics: Self.mcbertMetrics,
                                     ownParameters: ["controller.embeddings.projection.weight", "mcbert.nota",
                                                     "mcbert.nota_bias", "mcbert.bias"]) { $0 is MCBERT }
    }

    /// Chapter 6's model: TUPE-R positions and TNF's notes with MC-BERT's objective. Its note
    /// dictionary, part of the checkpoint's state, resumes bit for bit with the parameters.
    func testTheCombinedModelTrainsCheckpointsAndResumesBitExactly() throws {
        // Words seen 2 to 20 times are rare here, so that a word noted in one batch recurs in a later one.
        var notes = NoteTaking.Settings()
        notes.band = 2...20
        let (whole, resumed) = try trainCheckpointAndResume(
            MCBERT.name, positions: UntiedPositions.relativeName, input: NoteTaking.name, options: notes.options,
            metrics: Self.mcbertMetrics,
            ownParameters: ["positions.relative_bias", "positions.cls_to_others", "controller.positions.relative_bias",
                            "mcbert.nota", "mcbert.bias"]) { $0 is MCBERT }
        let taken = try XCTUnwrap(whole.model.input as? NoteTaking)
        let resumedNotes = try XCTUnwrap(resumed.model.input as? NoteTaking)
        XCTAssertGreaterThan(taken.mixedOccurrences, 0, "notes were mixed into the input")
        XCTAssertGreaterThan(resumedNotes.mixedOccurrences, 0, "and after resuming too")
        XCTAssertEqual(resumedNotes.rareWords.words, taken.rareWords.words)
        XCTAssertEqual(resumedNotes.dictionary.notes.scalars, taken.dictionary.notes.scalars)
        XCTAssertEqual(resumedNotes.dictionary.seen, taken.dictionary.seen)
    }

    /// Trains 6 updates straight, then 4 with a checkpoint at 3 and resumes from it: the same
    /// losses, metrics and parameters. Returns the straight run and the resumed one.
    @discardableResult
    func trainCheckpointAndResume(_ objective: String, positions: String = "bert-a", input: String = "none",
                                  options: [String: Double] = [:], metrics names: Set<String>, ownParameters: [String],
                                  isObjective: (PretrainingObjective) -> Bool) throws
        -> (whole: PretrainingRun, resumed: PretrainingRun) {
        let whole = try PretrainingRun(configuration: configuration(objective, positions: positions, input: input, options: options),
                                       registry: Self.registry, corpus: Self.corpus, tokenizer: Self.tokenizer,
                                       outputDirectory: nil)
        XCTAssert(isObjective(whole.model.objective))
        XCTAssertEqual((whole.data as? MaskedLMData)?.policy, whole.model.objective.maskingPolicy)
        let reference = try whole.train()
        XCTAssertEqual(reference.map(\.step), Array(1...6))
        XCTAssert(reference.allSatisfy { $0.loss.isFinite && $0.gradientNorm.isFinite })
        for m in reference { XCTAssertEqual(Set(m.metrics.keys), names, "step \(m.step)") }
        XCTAssertEqual(Set(reference.last!.validationMetrics!.keys), names)

        let directory = temporaryDirectory()
        let first = try PretrainingRun(configuration: configuration(objective, positions: positions, input: input,
                                                                    options: options, checkpointInterval: 3),
                                       registry: Self.registry, corpus: Self.corpus, tokenizer: Self.tokenizer,
                                       outputDirectory: directory)
        try first.train(until: 4)
        let url = directory.appendingPathComponent("checkpoint.safetensors")
        let saved = try Checkpoint(contentsOf: url)
        XCTAssertEqual(saved.step, 3)
        for name in ownParameters { XCTAssertNotNil(saved.parameters[name], "the checkpoint holds \(name)") }
        XCTAssertNil(saved.parameters["generator.embeddings.word"], "the table is shared, stored once")
        XCTAssertNil(saved.parameters["controller.embeddings.word"])

        let resumed = try PretrainingRun.resume(from: directory, registry: Self.registry, corpus: { _ in Self.corpus })
        XCTAssertEqual(resumed.trainer.completedSteps, 3)
        let continued = try resumed.train()
        XCTAssertEqual(continued.map(\.loss), reference.map(\.loss), "losses after resuming differ")
        XCTAssertEqual(continued.map(\.metrics), reference.map(\.metrics))
        XCTAssertEqual(continued.compactMap(\.validationLoss), reference.compactMap(\.validationLoss))
        XCTAssertEqual(continued.compactMap(\.validationMetrics), reference.compactMap(\.validationMetrics))
        for (name, value) in whole.model.parameters.values {
            XCTAssertEqual(resumed.model.parameters.values[name]?.scalars, value.scalars, name)
        }
        let logged = MetricsLog.read(directory.appendingPathComponent("metrics.jsonl"))
        XCTAssertEqual(logged.map(\.step), Array(1...6))
        for line in logged { XCTAssertEqual(Set(line.metrics.keys), names, "metrics.jsonl step \(line.step)") }
        XCTAssertEqual(logged.last?.metrics, reference.last?.metrics)
        XCTAssertEqual(Set(logged.last?.validationMetrics?.keys ?? [:].keys), names)

        // For inference and fine-tuning the model's encoder is the main network.
        let last = try Checkpoint(contentsOf: url)
        XCTAssertEqual(last.step, 6)
        let loaded = try LoadedCheckpoint(contentsOf: url, registry: Self.registry)
        XCTAssert(isObjective(loaded.model.objective))
        let encoder = loaded.model.encoder
        XCTAssertEqual(encoder.config.hiddenSize, 32)
        XCTAssertNil(encoder.inputProjection, "the main encoder reads its own table")
        XCTAssert(encoder.wordEmbeddings === loaded.model.parameters["embeddings.word"]?.variable)
        XCTAssertEqual(encoder.layers[0].attention.query.weight.value.scalars,
                       last.parameters["encoder.layer.0.attention.query.weight"]?.scalars)
        let classifier = try SequenceClassifier(pretrained: loaded, registry: Self.registry,
                                                kind: .classification(labels: ["a", "b"]), seed: 1)
        for parameter in classifier.parameters.parameters where !parameter.name.hasPrefix("classifier.") {
            XCTAssert(parameter.variable.value.scalars == last.parameters[parameter.name]?.scalars, parameter.name)
        }
        XCTAssertFalse(classifier.parameters.parameters.contains {
            $0.name.hasPrefix("generator.") || $0.name.hasPrefix("controller.")
        }, "the helper network is left behind")
        return (whole, resumed)
    }

    // MARK: Every position scheme, and the input seam

    func testBothObjectivesTakeAStepWithTUPERPositionsAndNotes() throws {
        for objective in [ELECTRA.name, MCBERT.name] {
            let run = try PretrainingRun(configuration: configuration(objective, positions: UntiedPositions.relativeName,
                                                                      input: NoteTaking.name, steps: 2),
                                         registry: Self.registry, corpus: Self.corpus, tokenizer: Self.tokenizer,
                                         outputDirectory: nil)
            let scope = objective == ELECTRA.name ? "generator" : "controller"
            XCTAssertEqual(run.model.parameters["\(scope).positions.relative_bias"]?.variable.shape.first, 1,
                           "the helper has TUPE-R's positions of its own, one head")
            let history = try run.train()
            XCTAssert(history.allSatisfy { $0.loss.isFinite }, "\(objective): \(history.map(\.loss))")
            let notes = try XCTUnwrap(run.model.input as? NoteTaking)
            XCTAssertGreaterThan(notes.notedOccurrences, 0, "\(objective): the input seam observed the main encoder's batches")
        }
    }

    func testBothObjectivesTakeAStepWithEveryPositionScheme() throws {
        for objective in [ELECTRA.name, MCBERT.name] {
            for positions in Self.registry.positionNames {
                let run = try PretrainingRun(configuration: configuration(objective, positions: positions, steps: 1),
                                             registry: Self.registry, corpus: Self.corpus, tokenizer: Self.tokenizer,
                                             outputDirectory: nil)
                let history = try run.train()
                XCTAssert(history.allSatisfy { $0.loss.isFinite }, "\(objective) with \(positions)")
            }
        }
    }

    // MARK: Sampling per (seed, update)

    func testUpdateTDrawsItsSamplesFromTheStreamOfSeedAndT() throws {
        for objective in [ELECTRA.name, MCBERT.name] {
            let config = configuration(objective, input: InputRecorder.name)
            let run = try PretrainingRun(configuration: config, registry: Self.registry, corpus: Self.corpus,
                                         tokenizer: Self.tokenizer, outputDirectory: nil)
            let seed = config.training.seed
            let batch = run.data.trainingBatch(step: 1)
            func corrupted(step t: Int, samplingStep: Int? = nil) -> [Int32] {
                var dropout: SeededGenerator? = SeededGenerator(seed: SeededGenerator.mix(seed, UInt64(t)))
                var sampling = SeededGenerator(seed: SeededGenerator.mix(
                    SeededGenerator.mix(seed, UInt64(samplingStep ?? t)), Trainer.samplingSalt))
                // Recorded as in training (the graph is dropped unused).
                return run.model.loss(batch, dropout: &dropout, sampling: &sampling).input.ids
            }
            let once = corrupted(step: 1)
            XCTAssertEqual(corrupted(step: 1), once, "\(objective): the same stream, the same samples")
            XCTAssertNotEqual(corrupted(step: 1, samplingStep: 2), once, "\(objective): another update's stream, other samples")
            XCTAssertNotEqual(once, batch.input.ids, "\(objective): the samples replaced the [MASK]s")

            _ = run.trainer.update(step: 1, batch: batch)
            let recorder = try XCTUnwrap(run.model.input as? InputRecorder)
            XCTAssertEqual(recorder.seen, [once], "\(objective): update 1 corrupted its batch with exactly those samples")
            XCTAssertEqual(recorder.masked, [batch.targets.positions],
                           "\(objective): the input seam is told every picked position")
        }
    }
}
