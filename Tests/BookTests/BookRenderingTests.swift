import XCTest
@testable import Book
@testable import Notebook
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The book's second pass: formulas in prose, wrapped code lines, one Exercises section per
/// chapter and the method notes as pages.
final class BookRenderingTests: XCTestCase {
    func render(_ markdown: String, links: MethodLinks? = nil) -> String {
        var renderer = ProseRenderer(methodLinks: links)
        return renderer.render(markdown)
    }

    // MARK: Formulas in prose

    func testUnderscoreBetweenLettersIsASubscriptNotEmphasis() {
        let html = render("The mean splits (μ = μ_w + μ_p) and so does the whole map.")
        XCTAssertEqual(html, "<p>The mean splits (μ = μ<sub>w</sub> + μ<sub>p</sub>) and so does the whole map.</p>")
    }

    func testBracedSubscriptKeepsItsContentWithoutBraces() {
        let html = render("TUPE-R adds T5's relative bias b_{bucket(i−j)}: one learned scalar per head.")
        XCTAssertEqual(html, "<p>TUPE-R adds T5's relative bias b<sub>bucket(i−j)</sub>: one learned scalar per head.</p>")
    }

    func testSubscriptsAcrossJoinedLinesDigitsAndBrackets() {
        let html = render("with x_1 and the\nword part (w)_i, and θ_h^Q; also W^Q_h.")
        XCTAssertEqual(html, "<p>with x<sub>1</sub> and the word part (w)<sub>i</sub>, and θ<sub>h</sub>^Q; also W^Q<sub>h</sub>.</p>")
    }

    func testRealEmphasisCodeSpansAndLinksAreLeftAlone() {
        let html = render("Some _real emphasis_ and *this*, but `x_w + b_{j}` stays code, __bold__ too, "
                          + "see [the a_b page](https://example.org/a_b_c) and cls_to_others.")
        XCTAssertEqual(html, "<p>Some <em>real emphasis</em> and <em>this</em>, but <code>x_w + b_{j}</code> stays code, "
                       + "<strong>bold</strong> too, see <a href=\"https://example.org/a_b_c\">the a<sub>b</sub> page</a> "
                       + "and cls_to_others.</p>")
    }

    func testDisplayBlocksAndFencedCodeStayVerbatim() {
        let html = render("Split:\n\n    LN(w + p) = [γ ⊙ (w − μ_w)/σ + β]\n\n```swift\nlet μ_w = 1\n```\n")
        XCTAssertTrue(html.contains(#"<pre class="display"><span class="line" style="--indent:0">LN(w + p) = [γ ⊙ (w − μ_w)/σ + β]</span></pre>"#), html)
        XCTAssertTrue(html.contains("μ_w = <span class=\"num\">1</span>"), html)
        XCTAssertFalse(html.contains("<sub>"))
    }

    func testHeadingWithSubscriptGetsAnAnchorAndTheContentsShowsIt() {
        var renderer = ProseRenderer()
        let html = renderer.render("## The term b_{ij}")
        XCTAssertEqual(html, #"<h2 id="the-term-bij">The term b<sub>ij</sub></h2>"#)
        XCTAssertEqual(renderer.headings.first?.html, "The term b<sub>ij</sub>")
    }

    func testWovenChapterRendersTheChaptersFormulas() {
        let prose = """
            Since LN's statistics are shared, the mean splits (μ = μ_w + μ_p) and so does the map.
            TUPE-R adds T5's relative bias b_{bucket(i−j)}: one learned scalar per head.
            """
        let record = NotebookRecord(
            formatVersion: 1, chapter: 2, title: "Formulas", startTime: Date(timeIntervalSince1970: 0),
            endTime: Date(timeIntervalSince1970: 1), completed: true, arguments: ["chapter2"],
            entries: [.prose(ProseRecord(markdown: prose, sourceFile: "main.swift", line: 1))])
        let html = BookWeaver(chapters: [BookChapter(record: record, folder: URL(fileURLWithPath: "/nonexistent"))]).page(at: 0).html
        XCTAssertTrue(html.contains("(μ = μ<sub>w</sub> + μ<sub>p</sub>)"), html)
        XCTAssertTrue(html.contains("bias b<sub>bucket(i−j)</sub>: one"), html)
        XCTAssertFalse(html.contains("<em>"), "no underscore became emphasis")
        XCTAssertFalse(html.contains("{bucket"), "no braces shown raw")
    }

    // MARK: Lines that wrap

    func testPreLinesCarryTheirIndentAndSpansAcrossLinesAreReopened() {
        XCTAssertEqual(HTML.lines("a\n  <span class=\"com\">/* x\n    y */</span> z"),
                       #"<span class="line" style="--indent:0">a"# + "\n</span>"
                       + #"<span class="line" style="--indent:2">  <span class="com">/* x</span>"# + "\n</span>"
                       + #"<span class="line" style="--indent:4"><span class="com">    y */</span> z</span>"#)
        XCTAssertEqual(HTML.lines("\tx"), "<span class=\"line\" style=\"--indent:4\">\tx</span>")
    }

    func testStyleSheetWrapsPreAndHasAPrintStyle() {
        XCTAssertTrue(BookStyle.css.contains("white-space: break-spaces; overflow-wrap: anywhere"))
        XCTAssertTrue(BookStyle.css.contains("div.table { overflow-x: auto"))
        XCTAssertTrue(BookStyle.css.contains("@media print"))
        XCTAssertFalse(BookStyle.css.contains("overflow-x: auto; padding"), "pre no longer scrolls sideways")
    }

    // MARK: One Exercises section

    func chapter(_ n: Int, prose: [String]) -> BookChapter {
        let record = NotebookRecord(
            formatVersion: 1, chapter: n, title: "Chapter \(n)", startTime: Date(timeIntervalSince1970: 0),
            endTime: Date(timeIntervalSince1970: 1), completed: true, arguments: ["chapter\(n)"],
            entries: prose.map { .prose(ProseRecord(markdown: $0, sourceFile: "main.swift", line: 1)) })
        return BookChapter(record: record, folder: URL(fileURLWithPath: "/nonexistent/chapter\(n)"))
    }

    func count(_ needle: String, in html: String) -> Int { html.components(separatedBy: needle).count - 1 }

    func testTheChaptersOwnExercisesSectionIsTheOnlyOne() {
        let prose = ["## What we have\n\nA model.", "## Exercises\n\nBuild it yourself:\n\n- **1.1** a softmax — `make exercise N=1.1`"]
        let html = BookWeaver(chapters: [chapter(1, prose: prose)], exerciseFolders: [1: "Exercises/chapter1/"]).page(at: 0).html
        XCTAssertEqual(count(">Exercises</h2>", in: html), 1, "no generic section next to the chapter's own")
        XCTAssertTrue(html.contains(#"<h2 id="exercises">Exercises</h2>"#))
        XCTAssertEqual(count(##"<a href="#exercises">Exercises</a>"##, in: html), 3, "contents, top and bottom navigation")
        XCTAssertFalse(html.contains("class=\"exercises\""))
        XCTAssertTrue(html.contains(#"<p class="workflow">Each exercise is a stub in <code>Exercises/chapter1/</code>"#), html)
        XCTAssertTrue(html.contains("<code>make hint N=…</code>") && html.contains("<code>Exercises/README.md</code>"))
        XCTAssertFalse(html.contains("its README"), "no README in Exercises/chapterN")
        let workflow = html.range(of: "class=\"workflow\"")!.lowerBound, list = html.range(of: "<strong>1.1</strong>")!.lowerBound
        XCTAssertLessThan(list, workflow, "the workflow line follows the chapter's list")
    }

    func testAnExercisesHeadingLowerDownStillLinksToTheRightAnchor() {
        let prose = ["### Exercises\n\nA subsection, not the section.", "## Exercises\n\nThe section."]
        let html = BookWeaver(chapters: [chapter(1, prose: prose)]).page(at: 0).html
        XCTAssertTrue(html.contains(#"<h2 id="exercises-2">Exercises</h2>"#), html)
        XCTAssertEqual(count(##"<a href="#exercises-2">Exercises</a>"##, in: html), 3)
        XCTAssertEqual(count(">Exercises</h2>", in: html), 1)
        XCTAssertFalse(html.contains("class=\"workflow\""), "no folder, no claim about stubs")
    }

    func testAChapterWithoutExercisesInItsProseGetsACorrectGenericSection() {
        let html = BookWeaver(chapters: [chapter(3, prose: ["## Results\n\nNumbers."])],
                              exerciseFolders: [3: "Exercises/chapter3/"]).page(at: 0).html
        XCTAssertEqual(count(">Exercises</h2>", in: html), 1)
        XCTAssertTrue(html.contains(#"<section class="exercises" id="exercises">"#))
        XCTAssertTrue(html.contains("<code>Exercises/chapter3/</code>"))
        XCTAssertTrue(html.contains("<code>make exercise N=3.1</code>") && html.contains("<code>make progress</code>"))
        XCTAssertFalse(html.contains("README gives"))
        XCTAssertEqual(count(##"<a href="#exercises">Exercises</a>"##, in: html), 3)
    }

    // MARK: Method notes

    static let notes = [
        MethodNote(fileName: "README.md", markdown: """
            # Method notes

            - [TUPE.md](TUPE.md) — chapter 3.
            - [FourTerms.md](FourTerms.md) — chapter 2.

            Cite a section as `Docs/Methods/TUPE.md#the-cls-buckets`.
            """),
        MethodNote(fileName: "TUPE.md", markdown: """
            # TUPE: untied positional encoding

            The argument is on [FourTerms.md](FourTerms.md); the ablation on
            [FourTerms.md](FourTerms.md#the-ablation). See [The CLS buckets](#the-cls-buckets).

            ```display
            P^h_ij = (p̂ᵢ U^Q_h)(p̂ⱼ U^K_h)ᵀ / √(2D)
            ```

            ## The CLS buckets

            Row bucket b_16 learns nothing; `rp_bucket[0, :] = 16` is code.

            | letter | meaning |
            | --- | --- |
            | `T` | sequence length |
            """),
        MethodNote(fileName: "FourTerms.md", markdown: "# Four terms\n\n## The ablation\n\nTable 1.\n"),
    ]

    func testNotesAreOrderedAsTheReadmeListsThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("BookNotes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for note in Self.notes + [MethodNote(fileName: "Aardvark.md", markdown: "no heading")] {
            try Data(note.markdown.utf8).write(to: folder.appendingPathComponent(note.fileName))
        }
        let notes = try MethodNote.notes(in: folder)
        XCTAssertEqual(notes.map(\.pageName), ["index.html", "tupe.html", "fourterms.html", "aardvark.html"])
        XCTAssertEqual(notes.map(\.title), ["Method notes", "TUPE: untied positional encoding", "Four terms", "Aardvark"])
        XCTAssertEqual(try MethodNote.notes(in: folder.appendingPathComponent("missing")), [])
    }

    func testNotePagesLinkEachOtherAndRenderDisplays() throws {
        let book = BookWeaver(chapters: [chapter(1, prose: ["See Docs/Methods/TUPE.md#the-cls-buckets."])],
                              methods: Self.notes)
        let tupe = book.methodPage(at: 1).html
        XCTAssertTrue(tupe.contains(#"<a href="fourterms.html">FourTerms.md</a>"#), tupe)
        XCTAssertTrue(tupe.contains(#"<a href="fourterms.html#the-ablation">FourTerms.md</a>"#))
        XCTAssertTrue(tupe.contains(##"<a href="#the-cls-buckets">The CLS buckets</a>"##))
        XCTAssertTrue(tupe.contains(#"<h2 id="the-cls-buckets">The CLS buckets</h2>"#))
        XCTAssertTrue(tupe.contains(#"<pre class="display"><span class="line" style="--indent:0">P^h_ij = (p̂ᵢ U^Q_h)"#), tupe)
        XCTAssertTrue(tupe.contains("Row bucket b<sub>16</sub> learns nothing; <code>rp_bucket[0, :] = 16</code>"))
        XCTAssertTrue(tupe.contains(#"<div class="table"><table><thead>"#))
        XCTAssertTrue(tupe.contains(#"<a class="book" href="../index.html">Tenfold</a>"#))
        XCTAssertTrue(tupe.contains(#"<a rel="next" href="fourterms.html">Four terms →</a>"#))
        XCTAssertTrue(tupe.contains(##"<li class="toc-h2"><a href="#the-cls-buckets">The CLS buckets</a></li>"##))

        let readme = book.methodPage(at: 0).html
        XCTAssertTrue(readme.contains(#"<a href="tupe.html#the-cls-buckets"><code>Docs/Methods/TUPE.md#the-cls-buckets</code></a>"#), readme)

        let chapter = book.page(at: 0).html
        XCTAssertTrue(chapter.contains(#"See <a href="methods/tupe.html#the-cls-buckets">Docs/Methods/TUPE.md#the-cls-buckets</a>."#), chapter)

        let index = book.indexHTML
        XCTAssertTrue(index.contains(#"<a class="title" href="methods/tupe.html">TUPE: untied positional encoding</a>"#), index)
        XCTAssertTrue(index.contains(##"<a href="methods/tupe.html#the-cls-buckets">The CLS buckets</a>"##))
        XCTAssertLessThan(index.range(of: "chapter1.html")!.lowerBound, index.range(of: "Method notes")!.lowerBound,
                          "notes are listed under the chapters")
        XCTAssertTrue(index.contains(#"<a href="methods/index.html">Their index</a>"#))
        XCTAssertFalse(index.contains(#"<a class="title" href="methods/index.html">"#), "the README is the notes' index, not a note")

        #if canImport(FoundationXML) || os(macOS)
        for html in [tupe, readme, chapter, index] { _ = try XMLDocument(xmlString: html, options: []) }
        #endif
    }

    func testMentionsOnlyLinkNotesThatExist() {
        let links = MethodLinks(pages: ["TUPE.md": "tupe.html"], folder: "methods/")
        XCTAssertEqual(render("Docs/Methods/TNF.md and Docs/Methods/TUPE.md, then ../Docs/Methods/TUPE.md.", links: links),
                       #"<p>Docs/Methods/TNF.md and <a href="methods/tupe.html">Docs/Methods/TUPE.md</a>, then ../Docs/Methods/TUPE.md.</p>"#)
        XCTAssertEqual(render("[the note](Docs/Methods/TUPE.md#results) and [Docs/Methods/TUPE.md](x.html)", links: links),
                       #"<p><a href="methods/tupe.html#results">the note</a> and <a href="x.html">Docs/Methods/TUPE.md</a></p>"#)
        XCTAssertEqual(links.destination("TUPE.md"), nil, "a bare name is a note only on the notes' pages")
        XCTAssertEqual(render("Docs/Methods/TUPE.md"), "<p>Docs/Methods/TUPE.md</p>", "no notes woven, no links")
    }

    func testWriteWeavesTheNotesUnderMethods() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("BookNotesWrite-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let pages = try BookWeaver(chapters: [chapter(1, prose: ["Text."])], methods: Self.notes).write(to: root)
        XCTAssertEqual(pages.map { $0.path.replacingOccurrences(of: root.path + "/", with: "") },
                       ["index.html", "chapter1.html", "methods/index.html", "methods/tupe.html", "methods/fourterms.html"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("methods/tupe.html").path))
    }
}
