import Foundation
import XCTest
import Notebook

/// Chapter 1 in quick mode: what it prints, the figures and the run record it writes,
/// and how it answers bad flags.
final class Chapter1Tests: XCTestCase {
    func testQuickRunPrintsAndWritesItsFigures() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        let run = try ChapterRunner.run("chapter1", ["--quick", "--out", out.path])
        XCTAssertEqual(run.status, 0, run.errors)
        for expected in ["attention on three tokens", "P (rows sum to 1)", "backward vs finite differences: passed",
                         "unigram baseline", "fill in the blank, after training",
                         "has not left the unigram plateau", "A --quick run is too short"] {
            XCTAssert(run.output.contains(expected), "chapter 1 did not print “\(expected)”")
        }
        for file in ["attention-graph.dot", "attention-graph.svg", "two-heads.svg", "loss-curve.svg",
                     "run/checkpoint.safetensors", "run/metrics.jsonl"] {
            XCTAssert(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "missing \(file)")
        }
        let svg = try String(contentsOf: out.appendingPathComponent("loss-curve.svg"), encoding: .utf8)
        XCTAssert(svg.contains("<svg") && svg.contains("unigram baseline"))
        let record = try NotebookRecord.load(from: out.appendingPathComponent("record.json"))
        XCTAssertEqual(record.chapter, 1)
        XCTAssertTrue(record.completed)
        let cells = record.cells
        XCTAssertEqual(cells.map(\.name).first, "attention on three tokens")
        XCTAssert(cells.first?.source.contains("softmax(logits)") == true, "the record keeps each cell's code")
        XCTAssert(cells.contains { !$0.figures.isEmpty }, "figures are recorded with their cells")
    }

    func testBadFlagsGiveAClearMessageAndNonZeroExit() throws {
        let negative = try ChapterRunner.run("chapter1", ["--steps=-3", "--quick"])
        XCTAssertNotEqual(negative.status, 0)
        XCTAssert(negative.errors.contains("--steps must be a positive number"), negative.errors)
        XCTAssertFalse(negative.errors.contains("Fatal error"))

        let out = ChapterRunner.temporaryDirectory(self)
        let missing = try ChapterRunner.run("chapter1", ["--quick", "--corpus", "/no/such/corpus", "--out", out.path])
        XCTAssertEqual(missing.status, 1)
        XCTAssert(missing.errors.contains("/no/such/corpus"), missing.errors)
        XCTAssertFalse(missing.errors.contains("Fatal error"))
    }
}
