import XCTest
@testable import Finetuning

/// Submission files: names, the `index  prediction` format, labels as words or numbers, STS-B
/// clipped, atomic writing, and refusals.
final class GLUESubmissionTests: XCTestCase {
    var folder: URL!

    override func setUp() { folder = Fixture.temporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    private func testSet(_ task: GLUETask, _ split: GLUESplit = .test, indices: [Int]) -> GLUEDataset {
        GLUEDataset(task: task, split: split, path: "\(task.name)/\(split.fileName)",
                    examples: indices.enumerated().map { GLUEExample(index: $1, line: $0 + 2, sentence1: "S.", sentence2: "T.") })
    }

    func testFileNames() {
        let names = GLUETask.all.flatMap { task in task.splits.compactMap { GLUESubmission.fileName(task: task, split: $0) } }
        XCTAssertEqual(names, ["CoLA.tsv", "SST-2.tsv", "MRPC.tsv", "STS-B.tsv", "QQP.tsv", "MNLI-m.tsv", "MNLI-mm.tsv",
                               "QNLI.tsv", "RTE.tsv", "WNLI.tsv"])
        XCTAssertNil(GLUESubmission.fileName(task: .rte, split: .dev))
        XCTAssertNil(GLUESubmission.fileName(task: .rte, split: .testMatched))
    }

    func testRTEWritesLabelWords() throws {
        // RTE's test file read from disk, so the indices are the file's.
        let rte = folder.appendingPathComponent("RTE")
        try FileManager.default.createDirectory(at: rte, withIntermediateDirectories: true)
        Fixture.write([
            Fixture.row("index", "sentence1", "sentence2"),
            Fixture.row("0", "Mangla was summoned after Madhumita's sister Nidhi Shukla lodged a complaint.", "Shukla is related to Mangla."),
            Fixture.row("1", "Authorities in Brazil say that more than 200 people are being held hostage.", "Brazilians hold hostages."),
            Fixture.row("2", "A man is due in court later charged with the murder 26 years ago of a teenager.", "A man is due in court."),
        ], to: "test.tsv", in: rte)
        let test = try GLUEReader(task: .rte, folder: rte).read(.test)
        let out = folder.appendingPathComponent("submission")
        let url = try GLUESubmission.write([.category(1), .category(0), .category(0)], for: test, into: out)
        XCTAssertEqual(url, out.appendingPathComponent("RTE.tsv"))
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8),
                       "index\tprediction\n0\tnot_entailment\n1\tentailment\n2\tentailment\n")
        // Only the file itself is left: the temporary file was renamed onto it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), ["RTE.tsv"])
    }

    func testSTSBWritesClippedScoresWithThreeDecimals() throws {
        let test = testSet(.stsb, indices: [0, 1, 2, 3, 4])
        let text = try GLUESubmission.contents([.score(3.14159), .score(-0.3), .score(5.7), .score(-0.0), .score(2)],
                                               for: test)
        XCTAssertEqual(text, "index\tprediction\n0\t3.142\n1\t0.000\n2\t5.000\n3\t0.000\n4\t2.000\n")
    }

    func testNumbersForBinaryTasksAndTheFileIndices() throws {
        // QQP's test ids need not start at 0 or be in order; the file's index is written.
        let test = testSet(.qqp, indices: [5, 3, 9])
        XCTAssertEqual(try GLUESubmission.contents([.category(0), .category(1), .category(1)], for: test),
                       "index\tprediction\n5\t0\n3\t1\n9\t1\n")
    }

    func testMNLIMismatchedFileAndReplacingAnOldFile() throws {
        let test = testSet(.mnli, .testMismatched, indices: [0, 1])
        let old = folder.appendingPathComponent("MNLI-mm.tsv")
        try "stale\n".write(to: old, atomically: false, encoding: .utf8)
        let url = try GLUESubmission.write([.category(2), .category(1)], for: test, into: folder)
        XCTAssertEqual(url.lastPathComponent, "MNLI-mm.tsv")
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "index\tprediction\n0\tcontradiction\n1\tneutral\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["MNLI-mm.tsv"])
    }

    func testRefusals() throws {
        let dev = testSet(.rte, .dev, indices: [0])
        XCTAssertThrowsError(try GLUESubmission.write([.category(0)], for: dev, into: folder)) {
            XCTAssertEqual($0 as? GLUESubmissionError, .notATestSplit(task: "RTE", split: "dev", testSplits: ["test"]))
            XCTAssertTrue("\($0)".contains("dev.tsv is not a test file"))
        }
        let test = testSet(.rte, indices: [0, 1])
        XCTAssertThrowsError(try GLUESubmission.write([.category(0)], for: test, into: folder)) {
            XCTAssertEqual($0 as? GLUEPredictionError,
                           .countMismatch(task: "RTE", path: "RTE/test.tsv", predictions: 1, examples: 2))
        }
        XCTAssertThrowsError(try GLUESubmission.write([.category(0), .category(7)], for: test, into: folder)) {
            XCTAssertEqual($0 as? GLUEPredictionError,
                           .categoryOutOfRange(task: "RTE", position: 1, category: 7, labels: ["entailment", "not_entailment"]))
        }
        XCTAssertThrowsError(try GLUESubmission.write([.score(.infinity)], for: testSet(.stsb, indices: [0]), into: folder)) {
            XCTAssertEqual($0 as? GLUEPredictionError, .nonFiniteScore(task: "STS-B", position: 0))
        }
        // Nothing was written by the refused calls.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
        // A file where the folder should be.
        let blocked = folder.appendingPathComponent("blocked")
        try "".write(to: blocked, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try GLUESubmission.write([.category(0), .category(1)], for: test, into: blocked)) { error in
            guard case .notWritten(let path, _)? = error as? GLUESubmissionError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, blocked.appendingPathComponent("RTE.tsv").path)
        }
    }
}
