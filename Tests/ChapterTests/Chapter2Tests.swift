import Foundation
import XCTest
import Notebook

/// Chapter 2 in quick mode: the sum check, the measurements, the heatmaps, the graph of the
/// expanded attention, the BERT-A vs BERT-A^d comparison and the run record.
final class Chapter2Tests: XCTestCase {
    func testQuickRunPrintsAndWritesItsFigures() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        let run = try ChapterRunner.run("chapter2", ["--quick", "--out", out.path])
        XCTAssertEqual(run.status, 0, run.errors)
        for expected in ["four terms on three tokens", "backward vs finite differences", "sum check over",
                         "position share", "position → position", "what our miniature shows", "BERT-A^d"] {
            XCTAssert(run.output.contains(expected), "chapter 2 did not print “\(expected)”")
        }
        // The sum check's relative error is printed; it must be at rounding level.
        let line = try XCTUnwrap(run.output.split(separator: "\n").first { $0.contains("sum check over") })
        let relative = try XCTUnwrap(line.split(separator: " ").last.flatMap { Float($0) }, String(line))
        XCTAssertLessThanOrEqual(relative, 1e-5, String(line))

        for file in ["expanded-attention.dot", "four-terms.svg", "four-terms-own-scales.svg", "bert-a-vs-bert-ad.svg",
                     "bert-a/checkpoint.safetensors", "bert-ad/checkpoint.safetensors", "bert-ad/metrics.jsonl"] {
            XCTAssert(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "missing \(file)")
        }
        let heatmaps = try String(contentsOf: out.appendingPathComponent("four-terms.svg"), encoding: .utf8)
        for label in ["<svg", "key position j", "query position i", "word → position", "logit"] {
            XCTAssert(heatmaps.contains(label), "the heatmap grid lacks “\(label)”")
        }
        let dot = try String(contentsOf: out.appendingPathComponent("expanded-attention.dot"), encoding: .utf8)
        for branch in ["word → word", "word → position", "position → word", "position → position"] {
            XCTAssert(dot.contains("subgraph \"cluster_") && dot.contains(branch), "the graph lacks the branch “\(branch)”")
        }
        let curves = try String(contentsOf: out.appendingPathComponent("bert-a-vs-bert-ad.svg"), encoding: .utf8)
        XCTAssert(curves.contains("BERT-A^d validation") && curves.contains("BERT-A validation"))

        let record = try NotebookRecord.load(from: out.appendingPathComponent("record.json"))
        XCTAssertEqual(record.chapter, 2)
        XCTAssertTrue(record.completed)
        XCTAssertEqual(record.cells.first?.name, "four terms on three tokens")
        XCTAssert(record.cells.first?.source.contains("splitLayerNorm") == true, "the record keeps each cell's code")
        XCTAssert(record.cells.contains { $0.figures.count >= 2 }, "the heatmaps are recorded with their cell")
    }

    func testACheckpointFromAnotherArchitectureIsRefusedClearly() throws {
        // Train a quick BERT-A^d with chapter 2 itself, then ask chapter 2 to expand it.
        let out = ChapterRunner.temporaryDirectory(self)
        let first = try ChapterRunner.run("chapter2", ["--quick", "--out", out.path])
        XCTAssertEqual(first.status, 0, first.errors)
        let checkpoint = out.appendingPathComponent("bert-ad/checkpoint.safetensors").path
        let second = try ChapterRunner.run("chapter2", ["--quick", "--checkpoint", checkpoint,
                                                        "--out", out.appendingPathComponent("again").path])
        XCTAssertEqual(second.status, 1)
        XCTAssert(second.errors.contains("needs a BERT-A model"), second.errors)
        XCTAssertFalse(second.errors.contains("Fatal error"))

        let missing = try ChapterRunner.run("chapter2", ["--quick", "--checkpoint", "/no/such/checkpoint.safetensors",
                                                         "--out", out.appendingPathComponent("missing").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssert(missing.errors.contains("/no/such/checkpoint.safetensors"), missing.errors)
    }

    func testAChapterOneCheckpointIsStudied() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        let first = try ChapterRunner.run("chapter2", ["--quick", "--out", out.path])
        XCTAssertEqual(first.status, 0, first.errors)
        let checkpoint = out.appendingPathComponent("bert-a/checkpoint.safetensors").path
        let second = try ChapterRunner.run("chapter2", ["--quick", "--checkpoint", checkpoint,
                                                        "--out", out.appendingPathComponent("again").path])
        XCTAssertEqual(second.status, 0, second.errors)
        XCTAssert(second.output.contains("loaded \(checkpoint)"), second.output)
        XCTAssert(second.output.contains("sum check over"))
    }
}
