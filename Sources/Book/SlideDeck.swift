import Foundation
import Notebook

/// A chapter's run record as a lecture's slide deck: one self-contained HTML file (its style and
/// every figure embedded, nothing fetched) that shows the chapter's outline and results.
///
///     let deck = try SlideDeck(chapter: BookChapter(folder: URL(fileURLWithPath: "out/chapter1")))
///     try SlideDeck.write([deck], to: URL(fileURLWithPath: "out/slides"))   // chapter1.html, index.html
///
/// The slides, in the record's order:
/// - a title slide: the chapter's number and title, the first sentence of its opening prose and
///   the run it was made from;
/// - one slide per section heading of the prose: the heading, the first sentence of the
///   section, its displayed formulas and its list items (an outline to speak to, not the text);
/// - one slide per table a cell printed (the result tables), and one per figure, embedded as a
///   `data:` URI with its caption.
///
/// Each slide is a 16:9 box (taller when its content needs it) that the browser snaps to while
/// scrolling, so Page Down steps through the deck in full-screen view; printing puts one slide
/// on each page.
///
/// Introduced with the teaching kit.
public struct SlideDeck {
    public var chapter: BookChapter
    /// Each slide's HTML (the inside of its `section`).
    public private(set) var slides: [String] = []

    public init(chapter: BookChapter) throws {
        self.chapter = chapter
        var prose = ProseRenderer()
        let record = chapter.record
        var intro: String?
        var sections: [(heading: String, text: [String])] = []
        var results: [(section: Int, html: String)] = []
        for entry in record.entries {
            switch entry {
            case .prose(let block):
                for (heading, lines) in Self.sections(block.markdown) {
                    if let heading {
                        sections.append((heading, lines))
                    } else if !sections.isEmpty {
                        sections[sections.count - 1].text += [""] + lines
                    } else if intro == nil {
                        intro = Self.firstSentence(of: lines)
                    }
                }
            case .cell(let cell):
                let title = "<h2 class=\"result\"><span class=\"cell-number\">[\(cell.index)]</span> \(HTML.escape(cell.name))</h2>"
                let order = cell.blocks.isEmpty
                    ? cell.tables.indices.map { (OutputBlock.Kind.table, $0) } + cell.figures.indices.map { (OutputBlock.Kind.figure, $0) }
                    : cell.blocks.compactMap { block in block.index.map { (block.kind, $0) } }
                for (kind, index) in order {
                    switch kind {
                    case .table where cell.tables.indices.contains(index):
                        let table = ChapterPage.tableHTML(cell.tables[index])
                        // A long table gets smaller type, so that it still fits on one slide.
                        results.append((sections.count, title + (cell.tables[index].rows.count > 8 ? "<div class=\"dense\">\(table)</div>" : table)))
                    case .figure where cell.figures.indices.contains(index):
                        results.append((sections.count, title + (try Self.figureHTML(cell.figures[index], folder: chapter.folder))))
                    default: break
                    }
                }
            }
        }
        let runNote = "<p class=\"run\">Tenfold · woven from the run <code>\(HTML.escape(chapter.runCommand))</code> of \(chapter.runDate) UTC"
            + (record.arguments.contains("--quick") ? " — a <em>quick</em> run: the numbers show the mechanics only" : "") + "</p>"
        slides.append("<p class=\"kicker\">Chapter \(record.chapter)</p>\n<h1>\(HTML.escape(record.title))</h1>\n"
                      + (intro.map { prose.render($0) } ?? "") + "\n" + runNote)
        slides += results.filter { $0.section == 0 }.map(\.html)
        for (position, section) in sections.enumerated() {
            slides.append(prose.render(Self.outline(heading: section.heading, lines: section.text)))
            slides += results.filter { $0.section == position + 1 }.map(\.html)
        }
    }

    /// The deck's HTML page.
    public var html: String {
        let record = chapter.record
        let count = slides.count
        let sections = slides.enumerated().map { number, slide in
            let next = number + 1 < count ? "<a href=\"#slide-\(number + 2)\">next →</a>" : "<a href=\"#slide-1\">↺ first</a>"
            return """
            <section class="slide" id="slide-\(number + 1)">
            <div class="slide-body">
            \(slide)
            </div>
            <footer><span>Chapter \(record.chapter) · \(HTML.escape(record.title))</span><span>\(number + 1) / \(count) \(next)</span></footer>
            </section>
            """
        }
        return HTML.page(title: "Chapter \(record.chapter) · \(HTML.escape(record.title)) · slides · Tenfold",
                         style: BookStyle.css + Self.css, bodyClass: "deck", body: sections.joined(separator: "\n"))
    }

    /// Writes each deck as `chapterN.html` into `folder` (created if needed) and an `index.html`
    /// listing them; returns the pages written.
    @discardableResult
    public static func write(_ decks: [SlideDeck], to folder: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var written: [URL] = []
        for deck in decks {
            let url = folder.appendingPathComponent(deck.chapter.pageName)
            try Data(deck.html.utf8).write(to: url, options: .atomic)
            written.append(url)
        }
        let items = decks.map { deck in
            "<li><a class=\"title\" href=\"\(deck.chapter.pageName)\">Chapter \(deck.chapter.record.chapter): "
                + "\(HTML.escape(deck.chapter.record.title))</a> <span class=\"count\">\(deck.slides.count) slides</span></li>"
        }
        let index = HTML.page(title: "Tenfold · slides", body: """
            <main>
            <h1>Tenfold: the slides</h1>
            <p>One deck per chapter, made from the record of its last run by <code>make slides</code>. Each deck is one file that needs nothing else: open it in a browser, go full screen, and step through it with Page Down.</p>
            <ul class="chapters">
            \(items.joined(separator: "\n"))
            </ul>
            </main>
            """)
        let url = folder.appendingPathComponent("index.html")
        try Data(index.utf8).write(to: url, options: .atomic)
        return [url] + written
    }

    /// The prose of a record's block split at its headings: (heading, lines) pairs, the first
    /// with a nil heading for the text before any heading.
    static func sections(_ markdown: String) -> [(heading: String?, lines: [String])] {
        var result: [(heading: String?, lines: [String])] = [(nil, [])]
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") { inFence.toggle() }
            if !inFence, line.hasPrefix("#"), let space = line.firstIndex(of: " "), line[..<space].allSatisfy({ $0 == "#" }) {
                result.append((String(line[line.index(after: space)...]).trimmingCharacters(in: .whitespaces), []))
            } else {
                result[result.count - 1].lines.append(line)
            }
        }
        if result[0].lines.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { result.removeFirst() }
        return result
    }

    /// A section's slide in Markdown: the heading, the first sentence, every displayed formula
    /// (an indented block) and every list item.
    static func outline(heading: String, lines: [String]) -> String {
        var parts = ["## " + heading]
        if let lead = firstSentence(of: lines) { parts.append(lead) }
        let fenced = ProseRenderer.fencingIndentedBlocks(lines.joined(separator: "\n"))
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var formula: [String]?
        var items: [String] = []
        for line in fenced {
            if var block = formula {
                if line == "```" {
                    parts.append(block.map { "    " + $0 }.joined(separator: "\n"))
                    formula = nil
                } else {
                    block.append(line)
                    formula = block
                }
            } else if line == "```display" {
                formula = []
            } else if line.hasPrefix("- ") || line.hasPrefix("* ") {
                items.append("- " + line.dropFirst(2))
            } else if !items.isEmpty, line.hasPrefix("  "), !line.trimmingCharacters(in: .whitespaces).isEmpty {
                items[items.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
            }
        }
        if !items.isEmpty { parts.append(items.joined(separator: "\n")) }
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// The first sentence of the first paragraph of `lines` (up to the first full stop, question
    /// or exclamation mark followed by a space, or its colon when it introduces a formula), or nil.
    static func firstSentence(of lines: [String]) -> String? {
        var paragraph: [String] = []
        for line in lines {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || line.hasPrefix("    ") || text.hasPrefix("- ") || text.hasPrefix("```") {
                if paragraph.isEmpty { continue } else { break }
            }
            paragraph.append(text)
        }
        guard !paragraph.isEmpty else { return nil }
        let text = paragraph.joined(separator: " ")
        var inCode = false
        for index in text.indices {
            if text[index] == "`" { inCode.toggle() }
            let next = text.index(after: index)
            guard !inCode, ".?!".contains(text[index]), next == text.endIndex || text[next] == " " else { continue }
            let sentence = text[..<next]
            if sentence.hasSuffix("e.g.") || sentence.hasSuffix("i.e.") || sentence.hasSuffix("cf.") { continue }
            return String(sentence)
        }
        return text
    }

    /// A figure embedded as a `data:` URI (its SVG, else its PNG) with its caption.
    static func figureHTML(_ figure: FigureRecord, folder: URL) throws -> String {
        guard let file = figure.files.first(where: { $0.kind == .svg }) ?? figure.files.first(where: { $0.kind == .png }) else {
            return ""
        }
        let url = folder.appendingPathComponent(BookChapter.safeRelativePath(file.path))
        guard let data = try? Data(contentsOf: url) else { throw BookError.missingFigure(url.path) }
        let type = file.kind == .svg ? "image/svg+xml" : "image/png"
        let alt = HTML.escape(figure.caption ?? figure.name)
        return "<figure><img src=\"data:\(type);base64,\(data.base64EncodedString())\" alt=\"\(alt)\"/>"
            + (figure.caption.map { "<figcaption>\(HTML.escape($0))</figcaption>" } ?? "") + "</figure>"
    }

    /// The deck's layout over the book's style: 16:9 slides whose text scales with the width.
    static let css = """

    html { font-size: clamp(11px, 1.8vw, 32px); scroll-snap-type: y proximity; background: #e9ecf0; }
    body.deck { background: #e9ecf0; }
    section.slide { position: relative; display: flex; flex-direction: column; width: 100%; aspect-ratio: 16 / 9;
      padding: 3% 5% 0; background: var(--paper); border-bottom: 0.4rem solid #e9ecf0; scroll-snap-align: start; }
    .slide-body { flex: 1 1 auto; display: flex; flex-direction: column; justify-content: center; min-height: 0; }
    .slide-body > * { max-width: 100%; }
    section.slide h1 { font-size: 2.4rem; margin: 0.2rem 0 0.8rem; }
    section.slide h2 { font-size: 1.6rem; margin: 0 0 0.8rem; border-bottom: 2px solid var(--accent); }
    section.slide h2.result { font-size: 1.3rem; }
    section.slide p, section.slide li { font-size: 1.1rem; line-height: 1.45; max-width: 46rem; }
    section.slide p.kicker { font-family: sans-serif; text-transform: uppercase; letter-spacing: 0.1em; color: var(--accent); margin: 0; }
    section.slide p.run { font-size: 0.75rem; margin-top: 1.5rem; }
    section.slide pre.display { font-size: 1.2rem; margin: 0.6rem auto; }
    section.slide table { font-size: 0.8rem; }
    section.slide .dense table { font-size: 0.6rem; }
    section.slide .dense th, section.slide .dense td { padding: 0.1rem 0.6rem; }
    section.slide p code, section.slide li code { font-size: 0.85em; }
    section.slide figure { margin: 0; min-height: 0; }
    section.slide figure img { max-height: 20rem; width: auto; max-width: 100%; }
    section.slide footer { display: flex; justify-content: space-between; gap: 1rem; padding: 0.4rem 0; font-family: sans-serif;
      font-size: 0.6rem; color: var(--muted); border-top: 1px solid var(--rule); }
    section.slide footer a { color: var(--muted); }
    ul.chapters .count { color: var(--muted); font-size: 0.85rem; }
    @media print {
      html { font-size: 11pt; background: none; }
      section.slide { aspect-ratio: auto; min-height: 0; border: none; padding: 0; break-after: page; }
      section.slide footer a { display: none; }
    }
    """
}

extension BookChapter {
    /// The command that made the record, as a reader would type it: `chapter1 --seed 2`.
    var runCommand: String { (["chapter\(record.chapter)"] + record.arguments.dropFirst()).joined(separator: " ") }

    /// When the run started, `2026-12-05 16:02:10`.
    var runDate: String {
        ISO8601DateFormatter.string(from: record.startTime, timeZone: TimeZone(identifier: "UTC")!,
                                    formatOptions: [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime])
    }
}
