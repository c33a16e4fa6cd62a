import XCTest
import Foundation
import Tensors
import Text
@testable import Transformer
import BertBaseline

/// Training from prepared shards, gradient accumulation, the checkpoint policy, and
/// data-parallel updates (ranks as threads here; over MPI in `make test-mpi`).
final class FullScaleTrainingTests: XCTestCase {
    static let corpus = PretrainingRunTests.corpus
    static let tokenizer = PretrainingRunTests.tokenizer
    static let registry = PretrainingRunTests.registry

    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-full-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// The test corpus as text files, prepared into shards.
    func prepared() throws -> PreparedCorpus {
        let folder = temporaryDirectory()
        let text = folder.appendingPathComponent("text")
        try FileManager.default.createDirectory(at: text, withIntermediateDirectories: true)
        for source in Self.corpus.sources {
            let documents = Self.corpus.documents.filter { $0.source == source }
            try documents.map { $0.paragraphs.joined(separator: "\n") }.joined(separator: "\n\n")
                .write(to: text.appendingPathComponent(source + ".txt"), atomically: true, encoding: .utf8)
        }
        let output = folder.appendingPathComponent("data")
        try CorpusPreparation(corpus: text.path, output: output, tokenizer: Self.tokenizer, shardBytes: 40_000, jobs: 2).run()
        return try PreparedCorpus(folder: output)
    }

    func configuration(steps: Int, batchSize: Int = 8, accumulate: Int? = nil, dropout: Float = 0.1,
                       checkpointInterval: Int = 0) -> RunConfiguration {
        var model = ModelConfiguration.preset("tiny", vocabularySize: Self.tokenizer.vocabulary.count)!
        model.maxSequenceLength = 32
        model.dropout = dropout
        let training = TrainingSettings(steps: steps, peakLearningRate: 2e-3, warmupSteps: 4,
                                        validationInterval: 5, checkpointInterval: checkpointInterval, seed: 3)
        var configuration = RunConfiguration(model: model, training: training, batchSize: batchSize, dataSeed: 4)
        configuration.accumulate = accumulate
        return configuration
    }

    func assertSameBatch(_ a: TrainingBatch, _ b: TrainingBatch, _ message: String, line: UInt = #line) {
        XCTAssertEqual(a.input.ids, b.input.ids, message, line: line)
        XCTAssertEqual(a.input.lengths, b.input.lengths, message, line: line)
        XCTAssertEqual(a.input.wordSpans, b.input.wordSpans, message, line: line)
        XCTAssertEqual(a.input.maskedPositions, b.input.maskedPositions, message, line: line)
        XCTAssertEqual(a.targets.positions, b.targets.positions, message, line: line)
        XCTAssertEqual(a.targets.labels, b.targets.labels, message, line: line)
    }

    // MARK: Shards

    func testShardsPackLikeTheInMemoryPacker() throws {
        let prepared = try prepared()
        let data = try ShardData(prepared: prepared, length: 32, batchSize: 8, seed: 5)
        var stream = try TextDirectoryStream(path: prepared.manifest.corpus)
        let packer = try SequencePacker(tokenizer: Self.tokenizer, maxLength: 32)
        var expected: [TokenSequence] = []
        while let document = try stream.next() {
            if !Corpus.isValidation(document, fraction: 0.05) { expected += packer.pack(document) }
        }
        let packed = data.sampleSequences(limit: Int.max)
        XCTAssertEqual(packed.count, expected.count)
        XCTAssertEqual(packed.map(\.ids), expected.map(\.ids), "the same sequences, in corpus order")
        XCTAssertEqual(packed.map(\.wordSpans), expected.map(\.wordSpans), "the same word spans (TNF's words)")
    }

    func testBatchTIsAFunctionOfSeedAndStepAcrossRestarts() throws {
        let prepared = try prepared()
        let first = try ShardData(prepared: prepared, length: 32, batchSize: 8, seed: 5)
        let steps = [1, 2, 3, 40, first.batchesPerEpoch + 1, 7]
        let batches = steps.map { first.trainingBatch(step: $0) }
        // A new process (a new data source on the same folder), asked in another order.
        let restarted = try ShardData(prepared: try PreparedCorpus(folder: prepared.folder), length: 32, batchSize: 8, seed: 5)
        for (step, batch) in zip(steps, batches).reversed() {
            assertSameBatch(restarted.trainingBatch(step: step), batch, "batch \(step)")
        }
        // A rank's share is the same rows, built without the others.
        assertSameBatch(restarted.trainingBatch(step: 3, rows: 2..<5), batches[2].rows(2..<5), "rows 2..<5 of batch 3")
        XCTAssertNotEqual(batches[0].input.ids, batches[1].input.ids)
        let otherSeed = try ShardData(prepared: prepared, length: 32, batchSize: 8, seed: 6)
        XCTAssertNotEqual(otherSeed.trainingBatch(step: 1).input.ids, batches[0].input.ids)
    }

    func testARunFromShardsResumesBitForBit() throws {
        let prepared = try prepared()
        var configuration = configuration(steps: 8, checkpointInterval: 3)
        configuration.data = prepared.folder.path
        let whole = try PretrainingRun(configuration: configuration, registry: Self.registry, prepared: prepared,
                                       outputDirectory: nil)
        let reference = try whole.train()
        let directory = temporaryDirectory()
        let first = try PretrainingRun(configuration: configuration, registry: Self.registry, prepared: prepared,
                                       outputDirectory: directory)
        try first.train(until: 5)
        let resumed = try PretrainingRun.resume(from: directory, registry: Self.registry, corpus: { _ in Self.corpus })
        XCTAssertEqual(resumed.trainer.completedSteps, 3)
        XCTAssertEqual(try resumed.train().map(\.loss), reference.map(\.loss))
    }

    // MARK: Accumulation

    func testAccumulatedMicroBatchesEqualOneLargerBatch() throws {
        let steps = 4
        let large = try PretrainingRun(configuration: configuration(steps: steps, batchSize: 8, dropout: 0),
                                       registry: Self.registry, corpus: Self.corpus, tokenizer: Self.tokenizer,
                                       outputDirectory: nil)
        let micro = try PretrainingRun(configuration: configuration(steps: steps, batchSize: 2, accumulate: 4, dropout: 0),
                                       registry: Self.registry, corpus: Self.corpus, tokenizer: Self.tokenizer,
                                       outputDirectory: nil)
        XCTAssertEqual(micro.trainer.microBatches, 4)
        let a = try large.train(), b = try micro.train()
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x.loss, y.loss, accuracy: 1e-4 * abs(x.loss), "update \(x.step): loss")
            XCTAssertEqual(x.gradientNorm, y.gradientNorm, accuracy: 1e-3 * x.gradientNorm, "update \(x.step): gradient norm")
        }
        assertClose(large.model.parameters.values, micro.model.parameters.values, tolerance: 1e-4)
    }

    func assertClose(_ a: [String: Tensor], _ b: [String: Tensor], tolerance: Float, line: UInt = #line) {
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted(), line: line)
        var worst: Float = 0
        for (name, x) in a {
            for (u, v) in zip(x.scalars, b[name]!.scalars) { worst = max(worst, abs(u - v) / max(1, abs(u))) }
        }
        XCTAssertLessThan(worst, tolerance, "largest parameter difference", line: line)
    }

    func testZeroMicroBatchesIsRefused() {
        XCTAssertThrowsError(try PretrainingRun(configuration: configuration(steps: 2, accumulate: 0), registry: Self.registry,
                                                corpus: Self.corpus, tokenizer: Self.tokenizer, outputDirectory: nil)) { error in
            XCTAssertEqual((error as? ConfigurationError)?.message, "--accumulate must be at least 1 micro-batch per update, not 0")
        }
    }

    // MARK: Checkpoints

    func testThePolicyKeepsTheLastAndTheBestAndFallsBackFromADamagedNewest() throws {
        let directory = temporaryDirectory()
        var configuration = configuration(steps: 10, checkpointInterval: 2)
        configuration.training.validationInterval = 2
        configuration.checkpoints = CheckpointPolicy(keepLast: 2, keepBest: true)
        let run = try PretrainingRun(configuration: configuration, registry: Self.registry, corpus: Self.corpus,
                                     tokenizer: Self.tokenizer, outputDirectory: directory)
        let history = try run.train(until: 8)
        let folder = CheckpointFolder(run: directory)
        let best = history.filter { $0.validationLoss != nil }.min { $0.validationLoss! < $1.validationLoss! }!.step
        XCTAssertEqual(Set(folder.entries().map(\.step)), Set([6, 8, best]))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.folder.path).filter { $0.hasPrefix("step-") }
        XCTAssertEqual(Set(names), Set([6, 8, best].map(CheckpointFolder.fileName)))
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: directory.appendingPathComponent("checkpoint.safetensors").path),
                       "checkpoints/" + CheckpointFolder.fileName(step: 8))

        // The newest cut short (a disk that filled): a warning, then the one before.
        let newest = folder.folder.appendingPathComponent(CheckpointFolder.fileName(step: 8))
        let bytes = try Data(contentsOf: newest)
        try bytes.prefix(bytes.count / 2).write(to: newest)
        var warnings: [String] = []
        let found = try folder.newestIntact { warnings.append($0) }
        XCTAssertEqual(found?.url.lastPathComponent, CheckpointFolder.fileName(step: 6))
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].hasPrefix("warning: step-0000008.safetensors is damaged"), warnings[0])

        let resumed = try PretrainingRun.resume(from: directory, registry: Self.registry, corpus: { _ in Self.corpus })
        XCTAssertEqual(resumed.trainer.completedSteps, 6)
        let uninterrupted = try PretrainingRun(configuration: configuration, registry: Self.registry, corpus: Self.corpus,
                                               tokenizer: Self.tokenizer, outputDirectory: nil).train()
        XCTAssertEqual(try resumed.train().map(\.loss), uninterrupted.map(\.loss))
    }
}
