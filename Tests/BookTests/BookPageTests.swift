import XCTest
@testable import Book
@testable import Notebook
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Weaves a small synthetic record and checks the page's structure: contents, highlighted
/// code, output, table, figure, navigation, nothing fetched from the network, well-formed XHTML.
final class BookPageTests: XCTestCase {
    static let svg = #"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#

    static func record(chapter: Int, title: String) -> NotebookRecord {
        let cell = CellRecord(
            index: 1, name: "a softmax", sourceFile: "Chapters/chapter\(chapter)/main.swift", startLine: 10, endLine: 14,
            source: "try book.cell(\"a softmax\") { cell in\n    let x = 1.5\n}",
            body: "// Σ over j, a \"quoted\" <tag>\nlet P = softmax(x, scale: 1.5) // [T, T]\nprint(\"n = \\(n + 1)\")",
            output: "P: 0.25 0.75\n",
            blocks: [OutputBlock(kind: .text, text: "P: 0.25 0.75\n", index: nil),
                     OutputBlock(kind: .table, text: nil, index: 0),
                     OutputBlock(kind: .figure, text: nil, index: 0)],
            tables: [TableRecord(headers: ["token", "weight"], rows: [["the", "0.25"], ["cat & dog", "0.75"]],
                                 caption: "weights", markdown: "")],
            figures: [FigureRecord(name: "heat", caption: "A heatmap.",
                                   files: [FigureFile(path: "heat.svg", kind: .svg), FigureFile(path: "heat.dot", kind: .dot)])],
            duration: 0.5, error: nil)
        let prose = """
            Attention compares every query with every key.

            ## Scaled attention

            The logits are αᵢⱼ = qᵢ·kⱼ / √D, so that:

                Pᵢ = softmax(αᵢ)

            - rows sum to 1
            - `x_i` stays code

            Try `tenfold predict
            --text "a [MASK]"` on a
            checkpoint.
            """
        return NotebookRecord(
            formatVersion: 1, chapter: chapter, title: title, startTime: Date(timeIntervalSince1970: 0),
            endTime: Date(timeIntervalSince1970: 2), completed: true, arguments: ["chapter\(chapter)", "--quick"],
            entries: [.prose(ProseRecord(markdown: prose, sourceFile: "main.swift", line: 3)), .cell(cell),
                      .prose(ProseRecord(markdown: "## What we have\n\nA result.", sourceFile: "main.swift", line: 20))])
    }

    func weaver() -> BookWeaver {
        BookWeaver(chapters: [
            BookChapter(record: Self.record(chapter: 2, title: "Second"), folder: URL(fileURLWithPath: "/nonexistent/chapter2")),
            BookChapter(record: Self.record(chapter: 1, title: "First"), folder: URL(fileURLWithPath: "/nonexistent/chapter1")),
        ])
    }

    func testContentsListsHeadingsCellsAndExercises() {
        let html = weaver().page(at: 0).html
        XCTAssertTrue(html.contains(#"<h2 id="scaled-attention">Scaled attention</h2>"#), html)
        XCTAssertTrue(html.contains(##"<a href="#scaled-attention">Scaled attention</a>"##))
        XCTAssertTrue(html.contains(##"<a href="#what-we-have">What we have</a>"##))
        XCTAssertTrue(html.contains(##"<a href="#cell-1"><span class="cell-number">[1]</span> a softmax</a>"##))
        XCTAssertTrue(html.contains(#"<section class="cell" id="cell-1">"#))
        XCTAssertTrue(html.contains(##"<a href="#exercises">Exercises</a>"##))
        XCTAssertTrue(html.contains(#"id="exercises""#))
        XCTAssertTrue(html.contains("Exercises/chapter1/"), "points at where the exercises will live")
    }

    func testProseKeepsUnicodeMathAndDisplaysIndentedFormulas() {
        let html = weaver().page(at: 0).html
        XCTAssertTrue(html.contains("αᵢⱼ = qᵢ·kⱼ / √D"))
        XCTAssertTrue(html.contains(#"<pre class="display"><span class="line" style="--indent:0">Pᵢ = softmax(αᵢ)</span></pre>"#), html)
        XCTAssertTrue(html.contains("<ul><li>rows sum to 1</li><li><code>x_i</code> stays code</li></ul>"), html)
        XCTAssertTrue(html.contains("<p>Try <code>tenfold predict --text \"a [MASK]\"</code> on a checkpoint.</p>"),
                      "a code span may cross a line break")
    }

    func testCellCodeIsHighlightedAndEscaped() {
        let html = weaver().page(at: 0).html
        XCTAssertTrue(html.contains(#"<span class="com">// Σ over j, a &quot;quoted&quot; &lt;tag&gt;</span>"#), html)
        XCTAssertTrue(html.contains(#"<span class="kw">let</span> P = softmax(x, scale: <span class="num">1.5</span>)"#))
        XCTAssertTrue(html.contains(#"<span class="str">&quot;n = \(</span>n + <span class="num">1</span><span class="str">)&quot;</span>"#), html)
        XCTAssertFalse(html.contains("try book.cell"), "the page shows the body, not the call")
    }

    func testOutputTableAndFigure() {
        let page = weaver().page(at: 0)
        let html = page.html
        XCTAssertTrue(html.contains(#"<pre class="printed"><span class="line" style="--indent:0">P: 0.25 0.75</span></pre>"#))
        XCTAssertTrue(html.contains("<caption>weights</caption>"))
        XCTAssertTrue(html.contains(#"<td>cat &amp; dog</td><td class="number">0.75</td>"#))
        XCTAssertTrue(html.contains(#"<div class="table"><table><caption>weights</caption>"#), "a table scrolls in its own box")
        XCTAssertTrue(html.contains(#"<img src="figures/chapter1/heat.svg" alt="A heatmap."/>"#), html)
        XCTAssertTrue(html.contains(#"<a href="figures/chapter1/heat.dot">DOT</a>"#))
        XCTAssertTrue(html.contains("<figcaption>A heatmap."))
    }

    func testNavigationBetweenChaptersInOrder() {
        let book = weaver()
        XCTAssertEqual(book.chapters.map(\.record.chapter), [1, 2])
        let first = book.page(at: 0).html, second = book.page(at: 1).html
        XCTAssertTrue(first.contains(#"<a rel="prev" href="index.html">"#))
        XCTAssertTrue(first.contains(#"<a rel="next" href="chapter2.html">Chapter 2: Second →</a>"#))
        XCTAssertTrue(second.contains(#"<a rel="prev" href="chapter1.html">← Chapter 1: First</a>"#))
        XCTAssertFalse(second.contains(#"rel="next""#), "the last chapter has no next")
        let index = book.indexHTML
        XCTAssertTrue(index.contains(#"href="chapter1.html""#) && index.contains(#"href="chapter2.html#scaled-attention""#))
    }

    func testNothingIsFetchedFromTheNetwork() {
        let book = weaver()
        for html in [book.indexHTML, book.page(at: 0).html, book.page(at: 1).html] {
            for attribute in ["src=", "href="] {
                for quote in ["\"", "'"] {
                    XCTAssertFalse(html.contains(attribute + quote + "http"), "\(attribute) points off the machine")
                    XCTAssertFalse(html.contains(attribute + quote + "//"))
                }
            }
            XCTAssertFalse(html.contains("<script"))
            XCTAssertFalse(html.contains("@import") || html.contains("url("), "the style sheet loads nothing")
        }
    }

    func testPagesAreWellFormedXHTML() throws {
        #if canImport(FoundationXML) || os(macOS)
        let book = weaver()
        for html in [book.indexHTML, book.page(at: 0).html] {
            let document = try XMLDocument(xmlString: html, options: [])
            let body = try XCTUnwrap(document.rootElement()?.elements(forName: "body").first)
            XCTAssertFalse(try body.nodes(forXPath: ".//a").isEmpty)
        }
        #endif
    }

    func testHighlighterTokens() {
        XCTAssertEqual(SwiftHighlighter.html("let x = 0x1F // hex"),
                       #"<span class="kw">let</span> x = <span class="num">0x1F</span> <span class="com">// hex</span>"#)
        XCTAssertEqual(SwiftHighlighter.html("/* a /* nested */ b */ Tensor"),
                       #"<span class="com">/* a /* nested */ b */</span> <span class="ty">Tensor</span>"#)
        XCTAssertEqual(SwiftHighlighter.html("let X = Tensor(WQ)"),
                       #"<span class="kw">let</span> X = <span class="ty">Tensor</span>(WQ)"#)
        XCTAssertEqual(SwiftHighlighter.html("@discardableResult x.y"), #"<span class="attr">@discardableResult</span> x.y"#)
        XCTAssertEqual(SwiftHighlighter.html("\"a\\\"b\" < ℓ"), #"<span class="str">&quot;a\&quot;b&quot;</span> &lt; ℓ"#)
    }

    func testWritesPagesAndCopiesFigures() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("BookTests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let runFolder = root.appendingPathComponent("out/chapter1")
        try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
        try Data(Self.svg.utf8).write(to: runFolder.appendingPathComponent("heat.svg"))
        try Data("digraph {}".utf8).write(to: runFolder.appendingPathComponent("heat.dot"))
        try NotebookRecord.encoder.encode(Self.record(chapter: 1, title: "First")).write(to: runFolder.appendingPathComponent("record.json"))

        let chapters = try BookWeaver.chapters(in: root.appendingPathComponent("out"))
        let bookFolder = root.appendingPathComponent("out/book")
        let pages = try BookWeaver(chapters: chapters).write(to: bookFolder)
        XCTAssertEqual(pages.map(\.lastPathComponent), ["index.html", "chapter1.html"])
        XCTAssertEqual(try String(contentsOf: bookFolder.appendingPathComponent("figures/chapter1/heat.svg"), encoding: .utf8), Self.svg)

        XCTAssertThrowsError(try BookWeaver.chapters(in: root.appendingPathComponent("empty"))) { error in
            XCTAssertEqual(error as? BookError, .noChapters(root.appendingPathComponent("empty").path))
        }
    }
}
