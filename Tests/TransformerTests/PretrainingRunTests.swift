import XCTest
import Foundation
import Tensors
import Text
@testable import Transformer
import BertBaseline

/// The training loop end to end on a slice of the embedded corpus.
final class PretrainingRunTests: XCTestCase {
    static let corpus: Corpus = {
        let all = try! Corpus.embedded()
        // Whole documents from every source, enough for a few hundred sequences.
        var picked: [Document] = []
        for source in all.sources {
            picked += all.documents.filter { $0.source == source }.prefix(60)
        }
        return Corpus(documents: picked)
    }()
    static let tokenizer = try! WordPieceTokenizer.embedded()
    static let registry = ModelRegistry.core
        .registering(positions: AbsolutePositions.name, summary: "BERT-A", factory: AbsolutePositions.factory)

    func configuration(steps: Int, checkpointInterval: Int = 0) -> RunConfiguration {
        Self.configuration(steps: steps, checkpointInterval: checkpointInterval)
    }

    static func configuration(steps: Int, checkpointInterval: Int = 0) -> RunConfiguration {
        var model = ModelConfiguration.preset("tiny", vocabularySize: Self.tokenizer.vocabulary.count)!
        model.maxSequenceLength = 32
        var training = TrainingSettings(steps: steps, peakLearningRate: 2e-3, warmupSteps: 4,
                                        validationInterval: 5, checkpointInterval: checkpointInterval, seed: 3)
        training.maxGradientNorm = 1
        return RunConfiguration(model: model, training: training, batchSize: 8, dataSeed: 4)
    }

    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-run-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testSameSeedSameCurveAndResumeReproducesTheUninterruptedRun() throws {
        let steps = 12
        // 1. Uninterrupted.
        let whole = try PretrainingRun(configuration: configuration(steps: steps), registry: Self.registry,
                                       corpus: Self.corpus, tokenizer: Self.tokenizer, outputDirectory: nil)
        let reference = try whole.train()
        // 2. The same seed again gives the same curve, bit for bit.
        let again = try PretrainingRun(configuration: configuration(steps: steps), registry: Self.registry,
                                       corpus: Self.corpus, tokenizer: Self.tokenizer, outputDirectory: nil)
        XCTAssertEqual(try again.train().map(\.loss), reference.map(\.loss))

        // 3. Interrupted after update 7 (checkpoints every 4), then resumed.
        let directory = temporaryDirectory()
        let first = try PretrainingRun(configuration: configuration(steps: steps, checkpointInterval: 4),
                                       registry: Self.registry, corpus: Self.corpus,
                                       tokenizer: Self.tokenizer, outputDirectory: directory)
        try first.train(until: 7)
        let resumed = try PretrainingRun.resume(from: directory, registry: Self.registry,
                                                corpus: { _ in Self.corpus })
        XCTAssertEqual(resumed.trainer.completedSteps, 4)
        let continued = try resumed.train()
        XCTAssertEqual(continued.map(\.step), Array(1...steps))
        XCTAssertEqual(continued.map(\.loss), reference.map(\.loss), "losses after resuming differ from the uninterrupted run")
        XCTAssertEqual(continued.compactMap(\.validationLoss), reference.compactMap(\.validationLoss))
        let logged = MetricsLog.read(directory.appendingPathComponent("metrics.jsonl"))
        XCTAssertEqual(logged.map(\.step), Array(1...steps), "the metrics log holds each update once")
        XCTAssertEqual(logged.map(\.metrics), reference.map(\.metrics), "each line names the loss's parts")
        XCTAssertEqual(reference.first?.metrics, ["mlm": reference.first!.loss])
    }

    /// A short run leaves the uniform guess far behind and reaches the unigram baseline's
    /// level (escaping below it takes hundreds of updates: chapter 1 shows that run).
    func testTrainingLearnsTowardsTheUnigramBaseline() throws {
        var config = configuration(steps: 300)
        config.training.peakLearningRate = 3e-3
        config.training.validationInterval = 300
        let run = try PretrainingRun(configuration: config, registry: Self.registry,
                                     corpus: Self.corpus, tokenizer: Self.tokenizer, outputDirectory: nil)
        let initial = run.trainer.validationLoss()
        let history = try run.train()
        let final = try XCTUnwrap(history.last?.validationLoss)
        XCTAssertGreaterThan(initial, log(Float(8192)) - 0.5, "an untrained model is near-uniform")
        XCTAssertLessThan(final, initial - 2, "validation \(final) vs initial \(initial)")
        XCTAssertLessThan(final, run.unigramBaseline + 0.3, "validation \(final) vs unigram \(run.unigramBaseline)")
    }

    func testFillMaskReturnsTopKPerMask() throws {
        let run = try PretrainingRun(configuration: configuration(steps: 1), registry: Self.registry,
                                     corpus: Self.corpus, tokenizer: Self.tokenizer, outputDirectory: nil)
        let predictions = try fillMask(run.model, tokenizer: Self.tokenizer, text: "the [MASK] sat on the [MASK].", topK: 3)
        XCTAssertEqual(predictions.count, 2)
        XCTAssertEqual(predictions.map(\.count), [3, 3])
        XCTAssert(predictions[0][0].score >= predictions[0][1].score)
        XCTAssertThrowsError(try fillMask(run.model, tokenizer: Self.tokenizer, text: "no blank here", topK: 3))
    }
}

final class FirstCrossingTests: XCTestCase {
    func testTheCrossingIsInterpolatedBetweenValidations() {
        let curve: [(step: Int, value: Float)] = [(10, 6.5), (20, 6.3), (30, 6.1)]
        XCTAssertEqual(try XCTUnwrap(firstCrossing(curve, reaching: 6.2)), 25, accuracy: 1e-4)
        XCTAssertEqual(firstCrossing(curve, reaching: 6.3), 20)
        XCTAssertEqual(firstCrossing(curve, reaching: 7), 10, "already below at the first validation")
        XCTAssertNil(firstCrossing(curve, reaching: 6.0))
    }
}
