import Foundation
import XCTest
import Notebook

/// Chapter 4 in quick mode: the long tail, the note in the graph, the four-model experiment
/// with and without notes, the looks inside, and mini-GLUE.
final class Chapter4Tests: XCTestCase {
    func testQuickRunPrintsAndWritesItsFigures() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        let run = try ChapterRunner.run("chapter4", ["--quick", "--evaluate", "--out", out.path])
        XCTAssertEqual(run.status, 0, run.errors)
        for expected in ["word frequencies", "Rare-word band 10–20 occurrences", "(the default)",
                         "mixRows backward vs finite differences: passed", "training the four models",
                         "BERT-A + TNF seed 1", "notes mixed into", "what the notes did",
                         "on sequences with a rare word", "a --quick run shows nothing",
                         "how far embeddings moved", "a note up close", "mini-GLUE test scores", "with notes (Tenfold score"] {
            XCTAssert(run.output.contains(expected), "chapter 4 did not print “\(expected)”")
        }
        for file in ["word-frequencies.svg", "note-graph.dot", "validation-loss.svg", "rare-validation-loss.svg", "record.json",
                     "bert-a-notes-seed1/checkpoint.safetensors", "tupe-r-seed1/checkpoint.safetensors"] {
            XCTAssert(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "missing \(file)")
        }
        let dot = try String(contentsOf: out.appendingPathComponent("note-graph.dot"), encoding: .utf8)
        XCTAssert(dot.contains("mixRows") && dot.contains("outside the graph"), "the graph lacks the note and its update")
        let record = try NotebookRecord.load(from: out.appendingPathComponent("record.json"))
        XCTAssertEqual(record.chapter, 4)
        XCTAssertTrue(record.completed)
    }
}
