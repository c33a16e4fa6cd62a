import Foundation
import XCTest
import Notebook

/// Chapter 3 in quick mode: the bucket table, the [CLS] reset, the graph of TUPE attention,
/// the four-model experiment with its ratio, and checkpoints of all four variants.
final class Chapter3Tests: XCTestCase {
    func testQuickRunPrintsAndWritesItsFigures() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        let run = try ChapterRunner.run("chapter3", ["--quick", "--seeds", "2", "--out", out.path])
        XCTAssertEqual(run.status, 0, run.errors)
        for expected in ["the bucket function", "P before the reset", "resetCLS backward vs finite differences",
                         "≈ 1.18M", "final losses and the steps ratio", "ratio TUPE-A seed 1", "ratio TUPE-R seed 2",
                         "what our miniature shows"] {
            XCTAssert(run.output.contains(expected), "chapter 3 did not print “\(expected)”")
        }
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
