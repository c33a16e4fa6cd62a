import XCTest
@testable import Finetuning

/// Every bad folder or file gets a `GLUEDataError` whose message names the file and, where it
/// is about one line, the line; none crashes.
final class GLUEReaderErrorTests: XCTestCase {
    var folder: URL!

    override func setUp() { folder = Fixture.temporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    private func read(_ task: GLUETask, _ split: GLUESplit) throws -> GLUEDataset {
        try GLUEReader(task: task, folder: folder).read(split)
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func testMissingFolderAndFile() {
        let nowhere = folder.appendingPathComponent("RTE").path
        assertDataError(.missingFolder(path: nowhere, task: "RTE"), naming: nowhere) {
            try GLUEReader(task: .rte, folder: URL(fileURLWithPath: nowhere)).read(.train)
        }
        assertDataError(.missingFile(path: path("dev.tsv"), task: "RTE", expected: ["train.tsv", "dev.tsv", "test.tsv"]),
                        naming: path("dev.tsv")) { try read(.rte, .dev) }
        // A folder where the file should be.
        try! FileManager.default.createDirectory(at: folder.appendingPathComponent("train.tsv"), withIntermediateDirectories: true)
        assertDataError(.unreadable(path: path("train.tsv"), reason: "it is a folder, not a file"),
                        naming: path("train.tsv")) { try read(.rte, .train) }
    }

    func testEmptyFiles() {
        Fixture.write([UInt8](), to: "train.tsv", in: folder)
        assertDataError(.emptyFile(path: path("train.tsv")), naming: "\(path("train.tsv")), line 1") {
            try read(.rte, .train)
        }
        // Headerless CoLA: empty too.
        assertDataError(.emptyFile(path: path("train.tsv")), naming: path("train.tsv")) { try read(.cola, .train) }
        // Only blank lines.
        Fixture.write(["", "", ""], to: "dev.tsv", in: folder)
        assertDataError(.emptyFile(path: path("dev.tsv")), naming: path("dev.tsv")) { try read(.rte, .dev) }
        // A header and no examples.
        Fixture.write([Fixture.row("index", "sentence1", "sentence2")], to: "test.tsv", in: folder)
        assertDataError(.noExamples(path: path("test.tsv"), skippedLines: 0), naming: path("test.tsv")) {
            try read(.rte, .test)
        }
    }

    func testMissingAndExtraColumns() {
        Fixture.write([
            Fixture.row("index", "sentence1", "sentence2", "label"),
            Fixture.row("0", "A cat sat.", "A cat is sitting.", "entailment"),
            Fixture.row("1", "A dog ran.", "entailment"),
        ], to: "train.tsv", in: folder)
        assertDataError(.wrongColumnCount(path: path("train.tsv"), line: 3, found: 3, expected: 4),
                        naming: "\(path("train.tsv")), line 3") { try read(.rte, .train) }
        // A tab inside a sentence makes an extra column.
        Fixture.write([
            Fixture.row("index", "sentence1", "sentence2", "label"),
            Fixture.row("0", "A cat sat.", "A cat is sitting.", "entailment"),
            Fixture.row("1", "A dog", "ran.", "A dog is running.", "entailment"),
        ], to: "dev.tsv", in: folder)
        assertDataError(.wrongColumnCount(path: path("dev.tsv"), line: 3, found: 5, expected: 4),
                        naming: "\(path("dev.tsv")), line 3") { try read(.rte, .dev) }
        // CoLA's headerless files must have four columns.
        Fixture.write([Fixture.row("gj04", "1", "", "Fine."), Fixture.row("gj04", "1", "Three columns.")],
                      to: "train.tsv", in: folder)
        assertDataError(.wrongColumnCount(path: path("train.tsv"), line: 2, found: 3, expected: 4),
                        naming: "\(path("train.tsv")), line 2") { try read(.cola, .train) }
    }

    func testQQPTestFilesAndAllBrokenTrainingFilesAreRefused() {
        // A broken line in QQP's test.tsv is an error: skipping it would leave a hole in the submission.
        Fixture.write([
            Fixture.row("id", "question1", "question2"),
            Fixture.row("0", "Why do rockets look white?"),
        ], to: "test.tsv", in: folder)
        assertDataError(.wrongColumnCount(path: path("test.tsv"), line: 2, found: 2, expected: 3),
                        naming: "\(path("test.tsv")), line 2") { try read(.qqp, .test) }
        // A training file none of whose lines fit.
        Fixture.write([
            Fixture.row("id", "qid1", "qid2", "question1", "question2", "is_duplicate"),
            Fixture.row("1", "2", "3", "How?"),
            Fixture.row("Why?", "0"),
        ], to: "train.tsv", in: folder)
        assertDataError(.noExamples(path: path("train.tsv"), skippedLines: 2), naming: path("train.tsv")) {
            try read(.qqp, .train)
        }
    }

    func testLabelOutsideTheTaskLabels() {
        let header = ["index", "promptID", "pairID", "genre", "sentence1_binary_parse", "sentence2_binary_parse",
                      "sentence1_parse", "sentence2_parse", "sentence1", "sentence2", "label1", "gold_label"]
        func row(_ label: String) -> String {
            ["0", "1", "1e", "fiction", "( a )", "( b )", "(ROOT a)", "(ROOT b)", "A premise.", "A hypothesis.", label, label]
                .joined(separator: "\t")
        }
        Fixture.write([header.joined(separator: "\t"), row("entailment"), row("neutral"), row("entailed")],
                      to: "train.tsv", in: folder)
        assertDataError(.unknownLabel(path: path("train.tsv"), line: 4, label: "entailed",
                                      allowed: ["entailment", "neutral", "contradiction"]),
                        naming: "\(path("train.tsv")), line 4") { try read(.mnli, .train) }
        // A 0/1 task.
        Fixture.write([Fixture.row("gj04", "1", "", "Fine."), Fixture.row("gj04", "2", "", "Not a label.")],
                      to: "train.tsv", in: folder)
        assertDataError(.unknownLabel(path: path("train.tsv"), line: 2, label: "2", allowed: ["0", "1"]),
                        naming: "\(path("train.tsv")), line 2") { try read(.cola, .train) }
        // Labels are compared exactly: case and spaces count.
        Fixture.write([Fixture.row("index", "question", "sentence", "label"), Fixture.row("0", "Q?", "S.", "Entailment")],
                      to: "dev.tsv", in: folder)
        assertDataError(.unknownLabel(path: path("dev.tsv"), line: 2, label: "Entailment", allowed: ["entailment", "not_entailment"]),
                        naming: "\(path("dev.tsv")), line 2") { try read(.qnli, .dev) }
    }

    func testBadSTSBScores() {
        let header = Fixture.row("index", "genre", "filename", "year", "old_index", "source1", "source2",
                                 "sentence1", "sentence2", "score")
        for bad in ["high", "5.5", "-0.1", "nan", "inf", "0x1p2", ""] {
            Fixture.write([
                header,
                Fixture.row("0", "main-captions", "MSRvid", "2012test", "0001", "none", "none", "A.", "B.", "4.2"),
                Fixture.row("1", "main-captions", "MSRvid", "2012test", "0002", "none", "none", "C.", "D.", bad),
            ], to: "train.tsv", in: folder)
            assertDataError(.invalidScore(path: path("train.tsv"), line: 3, value: bad, range: 0...5),
                            naming: "\(path("train.tsv")), line 3") { try read(.stsb, .train) }
        }
        XCTAssertTrue("\(GLUEDataError.invalidScore(path: "x", line: 3, value: "5.5", range: 0...5))".contains("from 0 to 5"))
    }

    func testInvalidUTF8NamesTheLine() {
        var bytes = Array("sentence\tlabel\nfine .\t1\n".utf8)
        bytes += Array("caf".utf8) + [0xE9] + Array(" au lait .\t1\n".utf8)
        Fixture.write(bytes, to: "train.tsv", in: folder)
        assertDataError(.invalidUTF8(path: path("train.tsv"), line: 3), naming: "\(path("train.tsv")), line 3") {
            try read(.sst2, .train)
        }
    }

    func testMissingHeaderColumn() {
        Fixture.write([
            Fixture.row("Label", "#1 ID", "#2 ID", "#1 String", "#2 String"),
            Fixture.row("1", "1", "2", "A.", "B."),
        ], to: "train.tsv", in: folder)
        assertDataError(.missingHeaderColumn(path: path("train.tsv"), line: 1, column: "Quality",
                                             header: ["Label", "#1 ID", "#2 ID", "#1 String", "#2 String"]),
                        naming: "\(path("train.tsv")), line 1") { try read(.mrpc, .train) }
        // Blank lines before the header: the message names the header's own line.
        Fixture.write(["", "", Fixture.row("Label", "#1 ID", "#2 ID", "#1 String", "#2 String")], to: "dev.tsv", in: folder)
        assertDataError(.missingHeaderColumn(path: path("dev.tsv"), line: 3, column: "Quality",
                                             header: ["Label", "#1 ID", "#2 ID", "#1 String", "#2 String"]),
                        naming: "\(path("dev.tsv")), line 3") { try read(.mrpc, .dev) }
        // A test file lacking its index column.
        Fixture.write([Fixture.row("sentence"), Fixture.row("A sentence.")], to: "test.tsv", in: folder)
        assertDataError(.missingHeaderColumn(path: path("test.tsv"), line: 1, column: "index", header: ["sentence"]),
                        naming: "\(path("test.tsv")), line 1") { try read(.sst2, .test) }
    }

    func testInvalidIndex() {
        Fixture.write([Fixture.row("index", "sentence"), Fixture.row("0", "One."), Fixture.row("one", "Two.")],
                      to: "test.tsv", in: folder)
        assertDataError(.invalidIndex(path: path("test.tsv"), line: 3, value: "one"),
                        naming: "\(path("test.tsv")), line 3") { try read(.cola, .test) }
        Fixture.write([Fixture.row("index", "sentence"), Fixture.row("-1", "One.")], to: "test.tsv", in: folder)
        assertDataError(.invalidIndex(path: path("test.tsv"), line: 2, value: "-1"),
                        naming: "\(path("test.tsv")), line 2") { try read(.cola, .test) }
    }

    func testEveryMessageIsOneSentenceThatSaysWhatToDo() {
        let errors: [GLUEDataError] = [
            .missingFolder(path: "/data/RTE", task: "RTE"),
            .splitNotInTask(task: "MNLI", split: "dev", available: ["train", "dev_matched"]),
            .missingFile(path: "/data/RTE/dev.tsv", task: "RTE", expected: ["train.tsv", "dev.tsv", "test.tsv"]),
            .unreadable(path: "/data/RTE/dev.tsv", reason: "permission denied"),
            .emptyFile(path: "/data/RTE/dev.tsv"),
            .noExamples(path: "/data/RTE/dev.tsv", skippedLines: 0),
            .noExamples(path: "/data/QQP/train.tsv", skippedLines: 3),
            .invalidUTF8(path: "/data/RTE/dev.tsv", line: 9),
            .missingHeaderColumn(path: "/data/RTE/dev.tsv", line: 1, column: "label", header: ["index"]),
            .wrongColumnCount(path: "/data/RTE/dev.tsv", line: 9, found: 3, expected: 4),
            .unknownLabel(path: "/data/RTE/dev.tsv", line: 9, label: "yes", allowed: ["entailment", "not_entailment"]),
            .invalidScore(path: "/data/STS-B/dev.tsv", line: 9, value: "x", range: 0...5),
            .invalidIndex(path: "/data/RTE/test.tsv", line: 9, value: "x"),
        ]
        for error in errors {
            let message = error.description
            XCTAssertTrue(message.hasSuffix("."), message)
            XCTAssertFalse(message.dropLast().contains(". "), "more than one sentence: \(message)")
            XCTAssertTrue(message.contains(";"), "no advice: \(message)")
        }
    }
}
