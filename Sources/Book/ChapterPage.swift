import Foundation
import Notebook

/// The HTML page of one chapter: contents, prose, every cell's code, output, tables and
/// figures, the exercises and links to the neighbouring chapters.
///
/// The exercises are one section: the chapter's own `## Exercises` heading when its prose has
/// one (the contents and the navigation link there, and a line on how to check them follows
/// it), else a generic section that says where the exercises are and how to check them.
///
///     let page = ChapterPage(chapter: chapter, previous: nil, next: nextChapter)
///     try page.html.write(to: book.appendingPathComponent(chapter.pageName), atomically: true, encoding: .utf8)
///
/// Figures are referenced under `chapter.figureFolder` (the weaver copies them there). The
/// page fetches nothing: its style is embedded and it has no scripts.
///
/// Introduced with the book.
public struct ChapterPage {
    public var chapter: BookChapter
    public var previous: BookChapter?
    public var next: BookChapter?
    /// Where this chapter's exercises live, relative to the package root, when they exist.
    public var exercisesFolder: String?
    /// Where the method notes are woven (from the book's root), when they are.
    public var methodLinks: MethodLinks?

    public init(chapter: BookChapter, previous: BookChapter?, next: BookChapter?, exercisesFolder: String? = nil,
                methodLinks: MethodLinks? = nil) {
        self.chapter = chapter
        self.previous = previous
        self.next = next
        self.exercisesFolder = exercisesFolder
        self.methodLinks = methodLinks
    }

    private enum ContentsEntry {
        case heading(PageHeading)
        case cell(CellRecord)
    }

    public var html: String {
        let record = chapter.record
        var prose = ProseRenderer(reservedAnchors: Set(record.cells.map { "cell-\($0.index)" } + ["contents"]),
                                  methodLinks: methodLinks)
        var body = ""
        var contents: [ContentsEntry] = []
        var exercisesAnchor: String?
        for entry in record.entries {
            switch entry {
            case .prose(let block):
                let before = prose.headings.count
                var html = prose.render(block.markdown)
                let new = prose.headings[before...]
                contents += new.map { ContentsEntry.heading($0) }
                if exercisesAnchor == nil, let heading = new.first(where: Self.isExercisesHeading) {
                    exercisesAnchor = heading.anchor
                    if !workflow.isEmpty { html += "\n" + workflow }
                }
                body += "<div class=\"prose\">\(html)</div>\n"
            case .cell(let cell):
                body += cellHTML(cell)
                contents.append(.cell(cell))
            }
        }
        let exercises = exercisesAnchor == nil ? genericExercises(anchor: prose.uniqueAnchor("exercises")) : nil
        let exercisesLink = exercisesAnchor ?? exercises!.anchor
        let title = "Chapter \(record.chapter) · \(HTML.escape(record.title))"
        return HTML.page(title: "\(title) · Tenfold", body: """
        <header class="top"><a class="book" href="index.html">Tenfold</a>\(pager(class: "pager", exercises: exercisesLink))</header>
        <div class="layout">
        <nav class="contents" id="contents" aria-label="Contents">
        <h2>Contents</h2>
        <ol>
        \(contents.map(contentsItem).joined(separator: "\n"))\(exercises.map { "\n<li class=\"toc-h2\"><a href=\"#\($0.anchor)\">Exercises</a></li>" } ?? "")
        </ol>
        </nav>
        <main>
        <h1>\(title)</h1>
        \(runNote)
        \(body)\(exercises.map { $0.html + "\n" } ?? "")
        \(pager(class: "pager bottom", exercises: exercisesLink))
        </main>
        </div>
        """)
    }

    private func contentsItem(_ entry: ContentsEntry) -> String {
        switch entry {
        case .heading(let heading):
            return "<li class=\"toc-h\(min(max(heading.level, 1), 4))\"><a href=\"#\(heading.anchor)\">\(heading.html)</a></li>"
        case .cell(let cell):
            return "<li class=\"toc-cell\"><a href=\"#cell-\(cell.index)\"><span class=\"cell-number\">[\(cell.index)]</span> \(HTML.escape(cell.name))</a></li>"
        }
    }

    /// Previous and next chapters (the book's contents before the first).
    private func pager(class className: String, exercises anchor: String) -> String {
        let back = previous.map { "<a rel=\"prev\" href=\"\($0.pageName)\">← Chapter \($0.record.chapter): \(HTML.escape($0.record.title))</a>" }
            ?? "<a rel=\"prev\" href=\"index.html\">← Contents</a>"
        let forward = next.map { "<a rel=\"next\" href=\"\($0.pageName)\">Chapter \($0.record.chapter): \(HTML.escape($0.record.title)) →</a>" }
            ?? "<span class=\"last\">The last chapter so far</span>"
        return "<nav class=\"\(className)\" aria-label=\"Chapters\">\(back)<a href=\"#\(anchor)\">Exercises</a>\(forward)</nav>"
    }

    /// How the record was made: the command, when, how long, and whether it finished.
    private var runNote: String {
        let record = chapter.record
        let seconds = record.endTime.timeIntervalSince(record.startTime)
        var note = "<p class=\"run\">Woven from the run <code>\(HTML.escape(chapter.runCommand))</code> of \(chapter.runDate) UTC (\(String(format: "%.1f", seconds)) s)."
        if record.arguments.contains("--quick") {
            note += " This was a <em>quick</em> run: a tiny model and a few updates, so the numbers show the mechanics, not a trained model. <code>make book</code> (without <code>BOOK_QUICK=1</code>) weaves the full runs."
        }
        note += "</p>"
        if !record.completed {
            note += "\n<p class=\"warning\">This run stopped early: a cell threw an error (shown in red below), and the cells after it did not run.</p>"
        }
        return note
    }

    private func cellHTML(_ cell: CellRecord) -> String {
        let id = "cell-\(cell.index)"
        let file = (cell.sourceFile as NSString).lastPathComponent
        let lines = cell.startLine == cell.endLine ? "\(cell.startLine)" : "\(cell.startLine)–\(cell.endLine)"
        var html = """
        <section class="cell" id="\(id)">
        <div class="cell-head"><a class="cell-number" href="#\(id)">[\(cell.index)]</a> <span class="cell-name">\(HTML.escape(cell.name))</span><span class="where">\(HTML.escape(file)):\(lines) · \(String(format: "%.2f", cell.duration)) s</span></div>
        <pre class="code"><code>\(HTML.lines(SwiftHighlighter.html(cell.body.isEmpty ? cell.source : cell.body)))</code></pre>

        """
        var output = ""
        if cell.blocks.isEmpty {
            // A record without ordered blocks: the text, then every table and figure.
            if !cell.output.isEmpty { output += outputText(cell.output) }
            output += cell.tables.map(Self.tableHTML).joined()
            output += cell.figures.map(figureHTML).joined()
        } else {
            for block in cell.blocks {
                switch block.kind {
                case .text: output += outputText(block.text ?? "")
                case .table: if let i = block.index, cell.tables.indices.contains(i) { output += Self.tableHTML(cell.tables[i]) }
                case .figure: if let i = block.index, cell.figures.indices.contains(i) { output += figureHTML(cell.figures[i]) }
                }
            }
        }
        if let error = cell.error {
            output += "<pre class=\"error\">\(HTML.lines(HTML.escape("error: " + error)))</pre>\n"
        }
        if !output.isEmpty { html += "<div class=\"output\">\n\(output)</div>\n" }
        return html + "</section>\n"
    }

    private func outputText(_ text: String) -> String {
        var trimmed = text
        while trimmed.hasSuffix("\n") { trimmed.removeLast() }
        return trimmed.isEmpty ? "" : "<pre class=\"printed\">\(HTML.lines(HTML.escape(trimmed)))</pre>\n"
    }

    /// A cell's table, numeric columns right-aligned, in a `div.table` that scrolls on a narrow screen.
    static func tableHTML(_ table: TableRecord) -> String {
        let columns = table.headers.count
        let numeric = (0..<columns).map { column in
            let values = table.rows.compactMap { column < $0.count ? $0[column] : nil }.filter { !$0.isEmpty }
            return !values.isEmpty && values.allSatisfy { Double($0.replacingOccurrences(of: ",", with: "")) != nil }
        }
        func cells(_ row: [String], tag: String) -> String {
            row.enumerated().map { column, text in
                let align = column < numeric.count && numeric[column] ? " class=\"number\"" : ""
                return "<\(tag)\(align)>\(HTML.escape(text))</\(tag)>"
            }.joined()
        }
        var html = "<div class=\"table\"><table>"
        if let caption = table.caption { html += "<caption>\(HTML.escape(caption))</caption>" }
        html += "<thead><tr>\(cells(table.headers, tag: "th"))</tr></thead><tbody>"
        html += table.rows.map { "<tr>\(cells($0, tag: "td"))</tr>" }.joined()
        return html + "</tbody></table></div>\n"
    }

    /// The SVG (or PNG) as an image that opens full size when clicked, with its caption and
    /// a link to the DOT source when there is one.
    private func figureHTML(_ figure: FigureRecord) -> String {
        let image = figure.files.first { $0.kind == .svg } ?? figure.files.first { $0.kind == .png }
        let alt = HTML.escape(figure.caption ?? figure.name)
        var html = "<figure id=\"figure-\(HTML.escape(figure.name))\">"
        if let image {
            let path = HTML.escape(figurePath(image))
            html += "<a href=\"\(path)\"><img src=\"\(path)\" alt=\"\(alt)\"/></a>"
        }
        var caption = figure.caption.map(HTML.escape) ?? ""
        let sources = figure.files.filter { $0.path != image?.path }.map {
            "<a href=\"\(HTML.escape(figurePath($0)))\">\($0.kind.rawValue.uppercased())</a>"
        }
        if !sources.isEmpty { caption += (caption.isEmpty ? "" : " ") + "<span class=\"sources\">(\(sources.joined(separator: ", ")))</span>" }
        if !caption.isEmpty { html += "<figcaption>\(caption)</figcaption>" }
        return html + "</figure>\n"
    }

    /// A figure file's path from the book folder.
    public func figurePath(_ file: FigureFile) -> String {
        chapter.figureFolder + "/" + BookChapter.safeRelativePath(file.path)
    }

    /// A heading that opens the chapter's own exercises section.
    static func isExercisesHeading(_ heading: PageHeading) -> Bool {
        heading.level <= 2 && HTML.plainText(heading.html).trimmingCharacters(in: .whitespaces).lowercased() == "exercises"
    }

    /// How every exercise is checked, added under the chapter's own Exercises heading (when
    /// the chapter's exercise folder exists).
    private var workflow: String {
        guard let folder = exercisesFolder else { return "" }
        return "<p class=\"workflow\">Each exercise is a stub in <code>\(HTML.escape(folder))</code>: replace its "
            + "<code>throw</code> with your code, then <code>make exercise N=…</code> checks it and explains what is wrong, "
            + "<code>make hint N=…</code> gives a hint and <code>make progress</code> lists every exercise. "
            + "<code>Exercises/README.md</code> has the details, and how to work on a copy outside the repository.</p>"
    }

    /// The section for a chapter whose prose has no Exercises heading.
    private func genericExercises(anchor: String) -> (anchor: String, html: String) {
        let n = chapter.record.chapter
        let text: String
        if let exercisesFolder {
            text = "<p>This chapter's exercises are stubs in <code>\(HTML.escape(exercisesFolder))</code>. "
                + "<code>make progress</code> lists them by number; <code>make exercise N=\(n).1</code> checks the first "
                + "and explains what is wrong, <code>make hint N=\(n).1</code> gives a hint. "
                + "<code>Exercises/README.md</code> has the details.</p>"
        } else {
            text = "<p>The exercises for this chapter are not written yet. They will live in <code>Exercises/chapter\(n)/</code>: "
                + "stubs you edit, each checked by <code>make exercise N=\(n).1</code> (and so on), which explains what is wrong "
                + "and offers a hint.</p>"
        }
        return (anchor, "<section class=\"exercises\" id=\"\(anchor)\">\n<h2>Exercises</h2>\n\(text)\n</section>")
    }
}
