import Foundation
import XCTest
import Notebook

/// Chapter 3 in quick mode: the bucket table, the [CLS] reset, the graph of TUPE attention,
/// the four-model experiment with its ratio, and checkpoints of all four variants.
final class Chapter3Tests: XCTestCase {
    func testQuickRunPrintsAndWritesItsFigures() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        let run = try ChapterRunner.run("chapter3", ["--quick", "--seeds", "2", "--evaluate", "--out", out.path])
        XCTAssertEqual(run.status, 0, run.errors)
        for expected in ["the bucket function", "P before the reset", "resetCLS backward vs finite differences: passed",
                         "≈ 1.18M", "final losses and the steps ratio", "unigram baseline (ignores context)",
                         "A masked-LM-loss ratio, not the paper's GLUE ratio", "Seed 2: BERT-A ends",
                         "what our miniature shows", "a --quick run says nothing at all",
                         "mini-GLUE test scores", "Tenfold scores: BERT-A"] {
            XCTAssert(run.output.contains(expected), "chapter 3 did not print “\(expected)”")
        }
        // Words agree with the numbers: a --quick BERT-A never leaves the plateau, and says so.
        XCTAssert(run.output.contains("it has not left the plateau"), "the quick run must not claim BERT-A reads context")
        XCTAssertFalse(run.output.contains("it reads context"))
        for file in ["tupe-attention.dot", "validation-loss.svg", "record.json"]
            + ["bert-a", "bert-r", "tupe-a", "tupe-r"].map({ "\($0)-seed1/checkpoint.safetensors" }) {
            XCTAssert(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "missing \(file)")
        }
        let curves = try String(contentsOf: out.appendingPathComponent("validation-loss.svg"), encoding: .utf8)
        for name in ["BERT-A", "BERT-R", "TUPE-A", "TUPE-R"] { XCTAssert(curves.contains(name), "the chart lacks \(name)") }
        let dot = try String(contentsOf: out.appendingPathComponent("tupe-attention.dot"), encoding: .utf8)
        XCTAssert(dot.contains("subgraph \"cluster_") && dot.contains("positional branch"), "the graph lacks the positional cluster")
        let record = try NotebookRecord.load(from: out.appendingPathComponent("record.json"))
        XCTAssertEqual(record.chapter, 3)
        XCTAssertTrue(record.completed)
    }

    func testBadSeedCountIsRefused() throws {
        let run = try ChapterRunner.run("chapter3", ["--quick", "--seeds", "0"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssert(run.errors.contains("--seeds"), run.errors)
    }
}
