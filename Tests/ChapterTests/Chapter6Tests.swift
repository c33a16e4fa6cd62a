import Foundation
import XCTest
import Notebook

/// Chapter 6 in quick mode: the seams side by side, the combined model's graph and costs, the
/// reproduction table (live and committed), full scale's plan and a few measured updates; and
/// one row of the reproduction table rebuilt from the command its Markdown prints.
final class Chapter6Tests: XCTestCase {
    func testQuickRunPrintsAndWritesItsFigures() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        let run = try ChapterRunner.run("chapter6", ["--quick", "--out", out.path])
        XCTAssertEqual(run.status, 0, run.errors)
        for expected in ["the three seams, one choice each", "objective mc-bert: TUPE-R + TNF + MC-BERT",
                         "the combined model as one graph", "main model's parameters", "the reproduction table, live",
                         "updates to BERT-A's final MLM (÷ N)", "TUPE-R + TNF + MC-BERT  tupe-r+notes+mc-bert",
                         "TUPE-R: reaches BERT-A's final validation MLM loss", "the committed long table",
                         "Docs/results/chapter6/reproduction.md: preset chapter",
                         "full scale: what the same run costs at BERT-base", "1M updates",
                         "a few full-size updates, measured", "median update", "make exercise N=6.3"] {
            XCTAssert(run.output.contains(expected), "chapter 6 did not print “\(expected)”")
        }
        for file in ["combined-graph.dot", "combined-graph.svg", "validation-loss.svg", "record.json",
                     "tupe-r+notes+mc-bert-seed1/checkpoint.safetensors", "notes-seed1/metrics.jsonl"] {
            XCTAssert(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "missing \(file)")
        }
        let record = try NotebookRecord.load(from: out.appendingPathComponent("record.json"))
        XCTAssertEqual(record.chapter, 6)
        XCTAssertTrue(record.completed)
    }

    /// The committed table's promise, at quick size: `--reproduce --rows ROW` writes the table's
    /// format, and the command its Markdown prints for the row gives the same numbers again.
    func testOneRowOfTheReproductionTableFromItsPrintedCommand() throws {
        let first = ChapterRunner.temporaryDirectory(self), second = ChapterRunner.temporaryDirectory(self)
        let run = try ChapterRunner.run("chapter6", ["--quick", "--reproduce", "--rows", "tupe-r", "--results", first.path,
                                                     "--out", first.appendingPathComponent("out").path])
        XCTAssertEqual(run.status, 0, run.errors)
        let table = try Self.read(first)
        XCTAssertEqual(table["version"] as? Int, 1)
        let provenance = try XCTUnwrap(table["provenance"] as? [String: Any])
        for key in ["command", "commit", "machine", "date"] {
            XCTAssertFalse((provenance[key] as? String ?? "").isEmpty, "provenance lacks \(key)")
        }
        let rows = try XCTUnwrap(table["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["name"] as? String }, ["BERT-A", "TUPE-R"])
        for row in rows {
            let runs = try XCTUnwrap(row["runs"] as? [[String: Any]])
            XCTAssertEqual(runs.count, 1)
            XCTAssertEqual((runs[0]["validation"] as? [[String: Any]])?.last?["step"] as? Int, 8)
            XCTAssertEqual((runs[0]["miniGLUE"] as? [[String: Any]])?.map { $0["step"] as? Int }, [4, 8],
                           "mini-GLUE after N/2 and N updates")
            XCTAssertGreaterThan(row["flopsPerUpdate"] as? Double ?? 0, 0)
        }
        let markdown = try String(contentsOf: first.appendingPathComponent("reproduction.md"), encoding: .utf8)
        XCTAssert(markdown.contains("| method | seams | GFLOP per update (× BERT-A) |"), markdown)
        XCTAssert(markdown.contains("| TUPE-R | tupe-r |"), markdown)
        // The printed command, run again: the same numbers.
        let line = try XCTUnwrap(markdown.split(separator: "\n").first { $0.hasPrefix("- TUPE-R: `") })
        let command = line.split(separator: "`")[1].split(separator: " ").map(String.init)
        XCTAssertEqual(Array(command.prefix(4)), ["swift", "run", "-c", "release"])
        XCTAssertEqual(command[4], "chapter6")
        let again = try ChapterRunner.run("chapter6", Array(command.dropFirst(5))
                                          + ["--results", second.path, "--out", second.appendingPathComponent("out").path])
        XCTAssertEqual(again.status, 0, again.errors)
        let repeated = try Self.read(second)
        XCTAssertEqual(try Self.numbers(repeated), try Self.numbers(table), "the printed command gives other numbers")
    }

    /// `--full` at a tiny size: stopped after 2 of 4 updates, the same command resumes it and
    /// finishes.
    func testFullScaleRunStopsAndResumesWithTheSameCommand() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        let arguments = ["--full", "--preset", "tiny", "--steps", "4", "--out", out.path]
        let first = try ChapterRunner.run("chapter6", arguments + ["--stop-after", "2"])
        XCTAssertEqual(first.status, 0, first.errors)
        XCTAssert(first.output.contains("Training TUPE-R + TNF + MC-BERT at tiny"), first.output)
        XCTAssert(first.output.contains("Stopped after update 2 of 4; the same command resumes it."), first.output)
        let second = try ChapterRunner.run("chapter6", arguments)
        XCTAssertEqual(second.status, 0, second.errors)
        XCTAssert(second.output.contains("Resuming \(out.appendingPathComponent("full").path) after update 2 of 4."), second.output)
        XCTAssert(second.output.contains("Done: 4 updates."), second.output)
        let log = try String(contentsOf: out.appendingPathComponent("full/metrics.jsonl"), encoding: .utf8)
        XCTAssertEqual(log.split(separator: "\n").count, 4, "one line per update, none repeated")
    }

    func testBadFlagsGiveOneSentenceAndNonZeroExit() throws {
        for (arguments, message) in [(["--rows", "tupe-r"], "--rows and --results need --reproduce"),
                                     (["--full", "--reproduce"], "choose one of --full and --reproduce"),
                                     (["--reproduce", "--rows", "tupe-q"], "\"tupe-q\" in \"tupe-q\" names no method"),
                                     (["--full", "--method", "tupe-a+tupe-r"], "names two position schemes"),
                                     (["--accumulate", "4"], "need --full")] {
            let run = try ChapterRunner.run("chapter6", arguments + ["--quick", "--out", ChapterRunner.temporaryDirectory(self).path])
            XCTAssertNotEqual(run.status, 0, "\(arguments) was accepted")
            XCTAssert(run.errors.contains(message), "\(arguments): \(run.errors)")
            XCTAssertFalse(run.errors.contains("Fatal error"), run.errors)
        }
    }

    static func read(_ folder: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent("reproduction.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The rows' measurements without their wall times.
    static func numbers(_ table: [String: Any]) throws -> String {
        var rows = try XCTUnwrap(table["rows"] as? [[String: Any]])
        for r in rows.indices {
            rows[r]["runs"] = (rows[r]["runs"] as? [[String: Any]])?.map { run in run.filter { $0.key != "seconds" } }
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self)
    }
}
