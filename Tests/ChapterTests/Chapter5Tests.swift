import Foundation
import XCTest
import Notebook

/// Chapter 5 in quick mode: both objectives as graphs, FLOPs per update, the three-model
/// experiment, the curriculum with its candidate sets, mini-GLUE at equal updates and FLOPs.
final class Chapter5Tests: XCTestCase {
    func testQuickRunPrintsAndWritesItsFigures() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        let run = try ChapterRunner.run("chapter5", ["--quick", "--evaluate", "--out", out.path])
        XCTAssertEqual(run.status, 0, run.errors)
        for expected in ["the objectives as graphs", "FLOPs per update", "× BERT-A's", "training the three models",
                         "ELECTRA seed 1: validation replace_rate", "MC-BERT seed 1: validation replace_rate",
                         "the curriculum, made visible", "after 2 updates:", "of 10 samples are the original",
                         "(a --quick run is far too short)", "At equal updates: BERT-A", "At MC-BERT's FLOPs"] {
            XCTAssert(run.output.contains(expected), "chapter 5 did not print “\(expected)”")
        }
        for file in ["electra-graph.dot", "mc-bert-graph.dot", "curriculum.svg", "record.json",
                     "electra-seed1/checkpoint.safetensors", "mc-bert-seed1/checkpoint.safetensors",
                     "mlm-equal-flops-seed1/checkpoint.safetensors"] {
            XCTAssert(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "missing \(file)")
        }
        let record = try NotebookRecord.load(from: out.appendingPathComponent("record.json"))
        XCTAssertEqual(record.chapter, 5)
        XCTAssertTrue(record.completed)
    }
}
