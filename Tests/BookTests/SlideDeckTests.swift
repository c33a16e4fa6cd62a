import XCTest
@testable import Book
@testable import Notebook
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The lecture slides (`make slides`) and the instructor's guide woven into the book.
final class SlideDeckTests: XCTestCase {
    /// BookPageTests' synthetic record, its figure written to disk so that the deck can embed it.
    func chapter() throws -> BookChapter {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("SlideDeckTests-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(BookPageTests.svg.utf8).write(to: folder.appendingPathComponent("heat.svg"))
        return BookChapter(record: BookPageTests.record(chapter: 3, title: "Third"), folder: folder)
    }

    func testADeckHasTheTitleEverySectionAndEveryResult() throws {
        let deck = try SlideDeck(chapter: chapter())
        XCTAssertEqual(deck.slides.count, 5, "title, a section, its table and figure, a section: \(deck.slides)")
        XCTAssert(deck.slides[0].contains("<p class=\"kicker\">Chapter 3</p>\n<h1>Third</h1>"), deck.slides[0])
        XCTAssert(deck.slides[0].contains("<p>Attention compares every query with every key.</p>"), deck.slides[0])
        XCTAssert(deck.slides[0].contains("<code>chapter3 --quick</code>") && deck.slides[0].contains("quick"), deck.slides[0])
        let section = deck.slides[1]
        XCTAssert(section.contains("Scaled attention</h2>"), section)
        XCTAssert(section.contains("<p>The logits are αᵢⱼ = qᵢ·kⱼ / √D, so that:</p>"), "the first sentence: \(section)")
        XCTAssert(section.contains(#"<pre class="display"><span class="line" style="--indent:0">Pᵢ = softmax(αᵢ)</span></pre>"#), section)
        XCTAssert(section.contains("<li>rows sum to 1</li>"), section)
        XCTAssertFalse(section.contains("Try <code>tenfold predict"), "an outline, not the whole text: \(section)")
        XCTAssert(deck.slides[2].contains("[1]</span> a softmax</h2>") && deck.slides[2].contains("<td>cat &amp; dog</td>"), deck.slides[2])
        XCTAssert(deck.slides[3].contains("<img src=\"data:image/svg+xml;base64,\(Data(BookPageTests.svg.utf8).base64EncodedString())\""),
                  deck.slides[3])
        XCTAssert(deck.slides[3].contains("<figcaption>A heatmap.</figcaption>"), deck.slides[3])
        XCTAssert(deck.slides[4].contains("What we have</h2>") && deck.slides[4].contains("<p>A result.</p>"), deck.slides[4])
    }

    func testADeckIsOneWellFormedFileThatFetchesNothing() throws {
        let html = try SlideDeck(chapter: chapter()).html
        for slide in 1...5 {
            XCTAssert(html.contains("<section class=\"slide\" id=\"slide-\(slide)\">"), "slide \(slide)")
        }
        XCTAssert(html.contains("<span>2 / 5 <a href=\"#slide-3\">next →</a></span>"), html)
        XCTAssertNil(html.range(of: #"src="(?!data:)"#, options: .regularExpression), "every image is embedded")
        XCTAssertNil(html.range(of: #"<link|<script|@import|url\("#, options: .regularExpression), "nothing else is loaded")
        XCTAssert(html.contains("aspect-ratio: 16 / 9") && html.contains("break-after: page"), "16:9 slides, one per printed page")
        #if canImport(FoundationXML) || os(macOS)
        XCTAssertNoThrow(try XMLDocument(xmlString: html, options: []))
        #endif
    }

    func testAMissingFigureIsReportedAndWriteListsTheDecks() throws {
        var broken = try chapter()
        broken.folder = broken.folder.appendingPathComponent("elsewhere")
        XCTAssertThrowsError(try SlideDeck(chapter: broken)) { error in
            XCTAssertEqual(error as? BookError, .missingFigure(broken.folder.appendingPathComponent("heat.svg").path))
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("SlideDeckTests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let pages = try SlideDeck.write([SlideDeck(chapter: chapter())], to: out)
        XCTAssertEqual(pages.map(\.lastPathComponent), ["index.html", "chapter3.html"])
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssert(index.contains("<a class=\"title\" href=\"chapter3.html\">Chapter 3: Third</a> <span class=\"count\">5 slides</span>"), index)
    }

    func testFirstSentences() {
        XCTAssertEqual(SlideDeck.firstSentence(of: ["", "One thing, e.g. this. Another."]), "One thing, e.g. this.")
        XCTAssertEqual(SlideDeck.firstSentence(of: ["Ends `x.y z` here? Yes."]), "Ends `x.y z` here?")
        XCTAssertEqual(SlideDeck.firstSentence(of: ["    a formula", "", "no full stop"]), "no full stop")
        XCTAssertNil(SlideDeck.firstSentence(of: ["", "- a list"]))
    }

    /// Docs/Teaching.md woven at the book's root, listed on the index, linking the method notes.
    func testTheGuideIsAPageOfTheBook() throws {
        let guide = MethodNote(fileName: "Teaching.md", markdown: """
            # Teaching Tenfold

            ## Unit 3: TUPE

            Read `Docs/Methods/TUPE.md` first.
            """)
        let note = MethodNote(fileName: "TUPE.md", markdown: "# TUPE\n")
        let chapters = [BookChapter(record: BookPageTests.record(chapter: 1, title: "First"), folder: URL(fileURLWithPath: "/nonexistent"))]
        let book = BookWeaver(chapters: chapters, methods: [note], guides: [guide])
        XCTAssert(book.indexHTML.contains("<h2 id=\"for-instructors\">For instructors</h2>"), book.indexHTML)
        XCTAssert(book.indexHTML.contains("<a class=\"title\" href=\"teaching.html\">Teaching Tenfold</a>"
                                          + "<ul class=\"sections\"><li><a href=\"teaching.html#unit-3-tupe\">Unit 3: TUPE</a></li></ul>"),
                  book.indexHTML)
        let page = GuidePage(guide: guide, methodPages: book.methodPages).html
        XCTAssert(page.contains("<a href=\"methods/tupe.html\"><code>Docs/Methods/TUPE.md</code></a>"), page)
        XCTAssert(page.contains("<li class=\"toc-h2\"><a href=\"#unit-3-tupe\">Unit 3: TUPE</a></li>"), page)
        XCTAssert(page.contains("<a class=\"book\" href=\"index.html\">Tenfold</a>"), page)
        #if canImport(FoundationXML) || os(macOS)
        XCTAssertNoThrow(try XMLDocument(xmlString: page, options: []))
        #endif

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("GuideTests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(guide.markdown.utf8).write(to: folder.appendingPathComponent("Teaching.md").creatingFolder())
        XCTAssertEqual(try MethodNote.guide(at: folder.appendingPathComponent("Teaching.md")), guide)
        XCTAssertNil(try MethodNote.guide(at: folder.appendingPathComponent("None.md")))
    }
}

private extension URL {
    func creatingFolder() throws -> URL {
        try FileManager.default.createDirectory(at: deletingLastPathComponent(), withIntermediateDirectories: true)
        return self
    }
}
