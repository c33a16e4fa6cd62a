import XCTest
import Foundation
import Tensors
import Text
import Transformer
import BertBaseline

/// A checkpoint written before the model had seams (format version 1, `architecture` in its
/// configuration, no state) still loads, predicts and resumes — with the numbers the code
/// of that time computed (Fixtures/checkpoint_v1/expected.json says how they were made).
final class VersionOneCheckpointTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/checkpoint_v1")
    static let registry = ModelRegistry.core
        .registering(positions: AbsolutePositions.name, summary: "BERT-A", factory: AbsolutePositions.factory)

    struct Expected: Decodable {
        var losses: [Float]
        var validationLosses: [Float]
        var predictAfterStep3: [[FillMaskCandidate]]
        var threads: Int
    }

    func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.fixture.appendingPathComponent("expected.json")))
    }

    /// The run folder copied somewhere writable (resuming rewrites its files).
    func runFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-v1-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        for name in ["checkpoint.safetensors", "metrics.jsonl"] {
            try FileManager.default.copyItem(at: Self.fixture.appendingPathComponent(name),
                                             to: folder.appendingPathComponent(name))
        }
        return folder
    }

    /// The corpus the fixture was trained on: the first 60 documents of each embedded source.
    static let corpus: Corpus = {
        let all = try! Corpus.embedded()
        var picked: [Document] = []
        for source in all.sources { picked += all.documents.filter { $0.source == source }.prefix(60) }
        return Corpus(documents: picked)
    }()

    func testLoadsAndPredictsAsBefore() throws {
        let url = Self.fixture.appendingPathComponent("checkpoint.safetensors")
        let loaded = try LoadedCheckpoint(contentsOf: url, registry: Self.registry)
        XCTAssertEqual(loaded.checkpoint.step, 3)
        XCTAssertEqual(loaded.configuration.model.positions, "bert-a", "architecture is read as positions")
        XCTAssertEqual(loaded.configuration.model.input, "none")
        XCTAssertEqual(loaded.configuration.model.objective, "mlm")
        let predictions = try fillMask(loaded.model, tokenizer: loaded.tokenizer,
                                       text: "in the beginning god created the [MASK] and the earth.", topK: 3)
        let want = try expected().predictAfterStep3
        XCTAssertEqual(predictions.map { $0.map(\.token) }, want.map { $0.map(\.token) })
        for (got, expected) in zip(predictions.joined(), want.joined()) {
            XCTAssertEqual(got.score, expected.score, accuracy: 1e-6 * expected.score, got.token)
        }
    }

    func testResumesWhereItStopped() throws {
        let expected = try expected()
        let folder = try runFolder()
        let run = try PretrainingRun.resume(from: folder, registry: Self.registry, corpus: { _ in Self.corpus })
        XCTAssertEqual(run.trainer.completedSteps, 3)
        XCTAssertEqual(run.trainer.history.map(\.step), [1, 2, 3], "the old metrics lines are read, update 4 dropped")
        let history = try run.train()
        XCTAssertEqual(history.map(\.step), Array(1...6))
        if Parallel.threadCount == expected.threads {
            XCTAssertEqual(history.map(\.loss), expected.losses, "the resumed run repeats the old code's losses")
            XCTAssertEqual(history.compactMap(\.validationLoss), expected.validationLosses)
        } else {
            // Kernels that sum per thread round differently on another thread count.
            for (got, want) in zip(history.map(\.loss), expected.losses) { XCTAssertEqual(got, want, accuracy: 1e-4) }
        }
        // The resumed run writes the current format.
        let rewritten = try Checkpoint(contentsOf: folder.appendingPathComponent("checkpoint.safetensors"))
        XCTAssertEqual(rewritten.step, 6)
        XCTAssertTrue(rewritten.metadata.isEmpty || rewritten.metadata[Checkpoint.vocabularyKey] != nil)
        XCTAssertTrue(try rewritten.config(as: RunConfiguration.self).model.positions == "bert-a")
    }
}
