import Foundation
import XCTest

/// Every committed fuzzing input (Tests/Fuzz/Corpora) — the seeds and any input that once
/// found a bug — replayed through its harness built as an ordinary program: none may trap.
/// `make fuzz` searches for new ones.
final class FuzzCorpusTests: XCTestCase {
    static let corpora = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpora")

    func replay(_ harness: String, _ corpus: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let folder = Self.corpora.appendingPathComponent(corpus)
        let inputs = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            .map { folder.appendingPathComponent($0).path }
        XCTAssertFalse(inputs.isEmpty, "no seeds in \(folder.path)", file: file, line: line)
        let run = try ChapterRunner.run(harness, inputs)
        XCTAssertEqual(run.status, 0, run.errors, file: file, line: line)
        XCTAssert(run.output.contains("replayed \(inputs.count) inputs"), run.output + run.errors, file: file, line: line)
    }

    func testSafetensorsCorpus() throws { try replay("FuzzSafetensors", "safetensors") }
    func testCheckpointCorpus() throws { try replay("FuzzCheckpoint", "checkpoint") }
    func testVocabularyCorpus() throws { try replay("FuzzVocabulary", "vocabulary") }
    func testTokenizerCorpus() throws { try replay("FuzzTokenizer", "tokenizer") }
}
