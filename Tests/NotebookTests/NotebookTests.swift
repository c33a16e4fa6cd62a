import XCTest
import Tensors
@testable import Notebook

/// Collects what a notebook echoes, for tests.
final class Capture: @unchecked Sendable {
    private let lock = NSLock()
    private var pieces: [String] = []
    var text: String { lock.withLock { pieces.joined() } }
    var terminal: Terminal { Terminal(styled: false) { [self] piece in lock.withLock { pieces.append(piece) } } }
}

struct ExpectedFailure: Error, CustomStringConvertible {
    var description: String { "the loss became NaN at step 3" }
}

final class NotebookTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("notebook-tests-\(UUID().uuidString)").appendingPathComponent("chapter1")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder.deletingLastPathComponent())
    }

    func testRecordsProseCellsTablesAndFiguresInOrder() throws {
        let capture = Capture()
        let book = try Notebook(chapter: 1, title: "Naive attention", outputDirectory: folder,
                                terminal: capture.terminal, arguments: ["chapter1", "--steps", "3"])
        book.prose("""
            ## Scaled dot-product attention
            α_ij = q_i·k_j / √D, then **softmax** over j.
            """)
        // A figure rendered elsewhere (as Diagrams does), and one already inside the folder.
        let elsewhere = folder.deletingLastPathComponent().appendingPathComponent("graph.svg")
        try "<svg/>".write(to: elsewhere, atomically: true, encoding: .utf8)
        let inside = folder.appendingPathComponent("graph.dot")
        try "digraph { a -> b }".write(to: inside, atomically: true, encoding: .utf8)

        let callLine = #line + 1
        let maximum = try book.cell("three tokens") { cell -> Float in
            let scores = Tensor(shape: [2, 2], scalars: [0.5, -0.25, 1, 2])   // [T, T]
            cell.show(scores, name: "scores")
            cell.print("max:", scores.scalars.max()!)
            cell.table(["model", "loss"], rows: [["BERT-A", "6.41"]], caption: "after 3 steps")
            try cell.figure("attention", svg: "<svg>{}</svg>", caption: "α of head 1")
            try cell.figure("graph", files: [elsewhere, inside])
            cell.print("done")
            return scores.scalars.max()!
        }
        XCTAssertEqual(maximum, 2, "a cell returns its body's value")
        book.prose("The end.")
        try book.finish()

        let record = try NotebookRecord.load(from: folder.appendingPathComponent("record.json"))
        XCTAssertEqual(record.chapter, 1)
        XCTAssertEqual(record.title, "Naive attention")
        XCTAssertEqual(record.arguments, ["chapter1", "--steps", "3"])
        XCTAssertTrue(record.completed)
        XCTAssertLessThanOrEqual(record.startTime, record.endTime)
        XCTAssertEqual(record.entries.count, 3)
        guard case .prose(let prose) = record.entries[0], case .cell(let cell) = record.entries[1],
              case .prose(let last) = record.entries[2] else {
            return XCTFail("expected prose, cell, prose; got \(record.entries)")
        }
        XCTAssertTrue(prose.markdown.hasPrefix("## Scaled dot-product attention"))
        XCTAssertEqual(last.markdown, "The end.")
        XCTAssertEqual(prose.sourceFile, "Tests/NotebookTests/NotebookTests.swift")

        XCTAssertEqual(cell.index, 1)
        XCTAssertEqual(cell.name, "three tokens")
        XCTAssertEqual(cell.sourceFile, "Tests/NotebookTests/NotebookTests.swift")
        XCTAssertEqual(cell.startLine, callLine)
        XCTAssertEqual(cell.endLine, callLine + 9)
        XCTAssertEqual(cell.body.split(separator: "\n").first,
                       "let scores = Tensor(shape: [2, 2], scalars: [0.5, -0.25, 1, 2])   // [T, T]")
        XCTAssertEqual(cell.body.split(separator: "\n").last, "return scores.scalars.max()!")
        XCTAssertTrue(cell.source.hasPrefix(#"let maximum = try book.cell("three tokens") { cell -> Float in"#))
        XCTAssertTrue(cell.source.hasSuffix("\n}"))
        XCTAssertNil(cell.error)
        XCTAssertGreaterThanOrEqual(cell.duration, 0)

        XCTAssertEqual(cell.blocks.map(\.kind), [.text, .table, .figure, .figure, .text])
        XCTAssertEqual(cell.blocks[0].text, """
            scores: Tensor [2, 2]
               0.5000  -0.2500
               1.0000   2.0000
            max: 2.0

            """)
        XCTAssertEqual(cell.blocks[4].text, "done\n")
        XCTAssertTrue(cell.output.hasPrefix(cell.blocks[0].text!))
        XCTAssertTrue(cell.output.contains("BERT-A  6.41"), cell.output)
        XCTAssertEqual(cell.tables, [TableRecord(headers: ["model", "loss"], rows: [["BERT-A", "6.41"]],
                                                 caption: "after 3 steps",
                                                 markdown: "| model  | loss |\n| ------ | ---: |\n| BERT-A | 6.41 |")])
        XCTAssertEqual(cell.figures, [
            FigureRecord(name: "attention", caption: "α of head 1", files: [FigureFile(path: "attention.svg", kind: .svg)]),
            FigureRecord(name: "graph", caption: nil, files: [FigureFile(path: "graph.svg", kind: .svg),
                                                              FigureFile(path: "graph.dot", kind: .dot)]),
        ])
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("attention.svg"), encoding: .utf8),
                       "<svg>{}</svg>")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("graph.svg"), encoding: .utf8),
                       "<svg/>", "a figure outside the folder is copied in")

        let echoed = capture.text
        XCTAssertFalse(echoed.contains("\u{1B}"), "plain output has no ANSI escapes:\n\(echoed)")
        XCTAssertTrue(echoed.hasPrefix("Chapter 1 · Naive attention\n"), echoed)
        XCTAssertTrue(echoed.contains("── [1] three tokens ──"), echoed)
        XCTAssertTrue(echoed.contains("then softmax over j."), echoed)
        XCTAssertTrue(echoed.contains(cell.blocks[0].text!), "the terminal shows the recorded output")
        XCTAssertTrue(cell.output.contains("▣ figure “attention”: attention.svg — α of head 1\n"), cell.output)
        XCTAssertTrue(echoed.contains("▣ figure “attention”: \(folder.standardizedFileURL.path)/attention.svg"),
                      "the terminal says where the figure is:\n\(echoed)")
        XCTAssertTrue(echoed.contains("record.json: 1 cell, 2 prose blocks; figures: attention.svg, graph.svg, graph.dot"),
                      echoed)
    }

    func testRecordJSONHasTheDocumentedShape() throws {
        let book = try Notebook(chapter: 2, title: "Expanded", outputDirectory: folder, quiet: true, arguments: ["x"])
        book.prose("Hello")
        book.cell("one") { cell in cell.print(1) }
        try book.finish()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: book.recordURL)) as! [String: Any]
        XCTAssertEqual(Set(json.keys), ["formatVersion", "chapter", "title", "startTime", "endTime", "completed",
                                        "arguments", "entries"])
        let entries = json["entries"] as! [[String: Any]]
        XCTAssertEqual(entries.map { $0["kind"] as! String }, ["prose", "cell"])
        let cell = entries[1]["cell"] as! [String: Any]
        XCTAssertEqual(Set(cell.keys), ["index", "name", "sourceFile", "startLine", "endLine", "source", "body",
                                        "output", "blocks", "tables", "figures", "duration"])
        XCTAssertEqual(cell["body"] as? String, "cell.print(1)")
        XCTAssertTrue((json["startTime"] as! String).hasSuffix("Z"), "ISO 8601 dates")
    }

    func testThrowingCellIsRecordedAndRethrown() throws {
        let book = try Notebook(chapter: 1, title: "Failing", outputDirectory: folder, quiet: true)
        book.cell("fine") { cell in cell.print("ok") }
        XCTAssertThrowsError(try book.cell("diverges") { cell in
            cell.print("step 1")
            throw ExpectedFailure()
        }) { error in XCTAssertTrue(error is ExpectedFailure, "the body's own error is rethrown") }

        // The record so far is on disk, marked incomplete, with the error in the cell.
        let record = try NotebookRecord.load(from: book.recordURL)
        XCTAssertFalse(record.completed)
        XCTAssertEqual(record.cells.map(\.name), ["fine", "diverges"])
        XCTAssertEqual(record.cells[1].error, "the loss became NaN at step 3")
        XCTAssertEqual(record.cells[1].output, "step 1\n")
        XCTAssertEqual(record.cells[1].body, "cell.print(\"step 1\")\nthrow ExpectedFailure()")
    }

    func testUnreadableSourceRecordsLocationAndEmptySource() throws {
        let book = try Notebook(chapter: 1, title: "Moved binary", outputDirectory: folder, quiet: true)
        book.cell("elsewhere", file: "/nonexistent/Chapters/chapter1/main.swift", line: 42) { cell in cell.print(1) }
        try book.finish()
        let cell = try NotebookRecord.load(from: book.recordURL).cells[0]
        XCTAssertEqual(cell.sourceFile, "/nonexistent/Chapters/chapter1/main.swift")
        XCTAssertEqual(cell.startLine, 42)
        XCTAssertEqual(cell.endLine, 42)
        XCTAssertEqual(cell.source, "")
        XCTAssertEqual(cell.output, "1\n")
    }

    func testFigureNamesAreCheckedAndNotReused() throws {
        let book = try Notebook(chapter: 1, title: "Figures", outputDirectory: folder, quiet: true)
        try book.cell("figures") { cell in
            try cell.figure("loss-curve", svg: "<svg/>")
            XCTAssertThrowsError(try cell.figure("loss-curve", svg: "<svg/>")) { error in
                guard case NotebookError.duplicateFigure(let path) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(path.hasSuffix("chapter1/loss-curve.svg"), path)
            }
            XCTAssertThrowsError(try cell.figure("../escape", svg: "")) { error in
                XCTAssertEqual(error as? NotebookError, .invalidFigureName("../escape"))
            }
            XCTAssertThrowsError(try cell.figure("missing", files: [URL(fileURLWithPath: "/nonexistent/g.svg")])) {
                XCTAssertEqual($0 as? NotebookError, .figureFileMissing(path: "/nonexistent/g.svg"))
            }
            XCTAssertThrowsError(try cell.figure("pdf", files: [URL(fileURLWithPath: "/tmp/g.pdf")])) {
                XCTAssertEqual($0 as? NotebookError, .unsupportedFigureKind(path: "/tmp/g.pdf"))
            }
        }
    }

    func testOutputDirectoryErrorsSayWhichPathAndWhatToDo() throws {
        let parent = folder.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let file = parent.appendingPathComponent("not-a-folder")
        try "x".write(to: file, atomically: true, encoding: .utf8)

        XCTAssertThrowsError(try Notebook(chapter: 1, title: "t", outputDirectory: file, quiet: true)) { error in
            XCTAssertEqual(error as? NotebookError, .outputDirectoryIsAFile(path: file.path))
            XCTAssertTrue("\(error)".contains("--out"), "\(error)")
        }
        let below = file.appendingPathComponent("chapter1")
        XCTAssertThrowsError(try Notebook(chapter: 1, title: "t", outputDirectory: below, quiet: true)) { error in
            guard case NotebookError.outputDirectoryNotCreatable(let path, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, below.path)
            XCTAssertTrue("\(error)".hasPrefix("Cannot create the output folder \(below.path)"), "\(error)")
        }
    }

    func testReadOnlyOutputDirectoryIsReported() throws {
        let parent = folder.deletingLastPathComponent()
        let readOnly = parent.appendingPathComponent("read-only")
        try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: readOnly.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: readOnly.path) }
        if FileManager.default.createFile(atPath: readOnly.appendingPathComponent("probe").path, contents: nil) {
            throw XCTSkip("running as a user who can write anywhere (root); permissions cannot be tested")
        }
        XCTAssertThrowsError(try Notebook(chapter: 1, title: "t", outputDirectory: readOnly, quiet: true)) { error in
            guard case NotebookError.outputDirectoryNotWritable(let path, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, readOnly.standardizedFileURL.path)
        }
    }

    func testStringOutputDirectoryAndDefaultFolderName() throws {
        let book = try Notebook(chapter: 3, title: "Untied", outputDirectory: folder.path, quiet: true)
        XCTAssertEqual(book.outputDirectory.path, folder.standardizedFileURL.path)
        try book.finish()
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("record.json").path))
    }
}
