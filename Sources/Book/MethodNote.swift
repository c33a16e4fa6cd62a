import Foundation

/// One of the package's method notes (`Docs/Methods/*.md`), woven as a page of the book under
/// `methods/`: `README.md` becomes `methods/index.html`, `TUPE.md` `methods/tupe.html`.
///
///     let notes = try MethodNote.notes(in: URL(fileURLWithPath: "Docs/Methods"))
///     notes.map(\.pageName)   // ["index.html", "bert.html", "fourterms.html", "tupe.html", …]
///
/// Introduced with the book's second pass.
public struct MethodNote: Sendable, Equatable {
    /// The folder of the notes' pages, relative to the book's root.
    public static let folder = "methods"

    /// The note's file name, `TUPE.md`.
    public var fileName: String
    public var markdown: String

    public init(fileName: String, markdown: String) {
        self.fileName = fileName
        self.markdown = markdown
    }

    /// `index.html` for the README, else the file name in lower case: `tupe.html`.
    public var pageName: String {
        fileName.lowercased() == "readme.md" ? "index.html" : (fileName as NSString).deletingPathExtension.lowercased() + ".html"
    }

    /// The page's path from the book's root, `methods/tupe.html`.
    public var path: String { Self.folder + "/" + pageName }

    /// The text of the note's first `# ` heading, else its file name without `.md`.
    public var title: String {
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inFence.toggle() }
            if !inFence, line.hasPrefix("# ") { return line.dropFirst(2).trimmingCharacters(in: .whitespaces) }
        }
        return (fileName as NSString).deletingPathExtension
    }

    /// Every `*.md` in `folder`, README first, then in the order the README links to them,
    /// then any other by name. No folder, or an empty one, is no notes.
    public static func notes(in folder: URL) throws -> [MethodNote] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".md") }
        var notes = try names.map { name in
            do {
                return MethodNote(fileName: name,
                                  markdown: try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
            } catch {
                throw BookError.unreadableNote(folder.appendingPathComponent(name).path, "\(error)")
            }
        }
        let readme = notes.first { $0.pageName == "index.html" }
        var order: [String: Int] = [:]
        if let readme {
            for name in linkedNames(in: readme.markdown) where order[name] == nil { order[name] = order.count }
        }
        notes.sort { a, b in
            if a.pageName == "index.html" || b.pageName == "index.html" { return a.pageName == "index.html" && b.pageName != "index.html" }
            switch (order[a.fileName], order[b.fileName]) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.fileName < b.fileName
            }
        }
        return notes
    }

    /// The `NAME.md` link destinations of `markdown`, in order.
    static func linkedNames(in markdown: String) -> [String] {
        var names: [String] = []
        var rest = Substring(markdown)
        while let range = rest.range(of: "](") {
            rest = rest[range.upperBound...]
            guard let close = rest.firstIndex(of: ")") else { break }
            let destination = rest[..<close].split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            if destination.hasSuffix(".md"), !destination.contains("/") { names.append(String(destination)) }
        }
        return names
    }
}

/// The page of one method note: the note's own headings as contents, its prose in the book's
/// dialect (```display blocks as displayed formulas, links between notes to their pages,
/// `Docs/Methods/…` mentions as links), and links to the neighbouring notes and the book.
///
/// Introduced with the book's second pass.
public struct MethodPage {
    public var note: MethodNote
    public var previous: MethodNote?
    public var next: MethodNote?
    /// Every note's file name and page name.
    public var pages: [String: String]

    public init(note: MethodNote, previous: MethodNote?, next: MethodNote?, pages: [String: String]) {
        self.note = note
        self.previous = previous
        self.next = next
        self.pages = pages
    }

    public var html: String {
        MethodPage.prosePage(
            title: "\(HTML.escape(note.title)) · Method notes · Tenfold", bodyClass: "note", markdown: note.markdown,
            links: MethodLinks(pages: pages, folder: "", resolvesBareNames: true), home: "../index.html",
            label: "Method note · <code>\(HTML.escape(MethodLinks.folderPrefix + note.fileName))</code>",
            pager: { pager(class: $0) })
    }

    /// A page of Markdown prose in the book's dialect — a method note, a guide — with its own
    /// headings (levels 2 and 3) as contents beside it, a line saying what the page is, and the
    /// navigation above and below the prose (`pager` gets the nav's class).
    static func prosePage(title: String, bodyClass: String, markdown: String, links: MethodLinks, home: String, label: String,
                          pager: (String) -> String) -> String {
        var prose = ProseRenderer(reservedAnchors: ["contents"], methodLinks: links)
        let body = prose.render(markdown)
        let contents = prose.headings.filter { (2...3).contains($0.level) }.map {
            "<li class=\"toc-h\($0.level)\"><a href=\"#\($0.anchor)\">\($0.html)</a></li>"
        }
        return HTML.page(title: title, bodyClass: bodyClass, body: """
            <header class="top"><a class="book" href="\(home)">Tenfold</a>\(pager("pager"))</header>
            <div class="layout">
            <nav class="contents" id="contents" aria-label="Contents">
            <h2>Contents</h2>
            <ol>
            \(contents.joined(separator: "\n"))
            </ol>
            </nav>
            <main>
            <p class="run">\(label)</p>
            <div class="prose">\(body)</div>
            \(pager("pager bottom"))
            </main>
            </div>
            """)
    }

    private func pager(class className: String) -> String {
        let back = previous.map { "<a rel=\"prev\" href=\"\($0.pageName)\">← \(HTML.escape($0.title))</a>" }
            ?? "<a rel=\"prev\" href=\"../index.html\">← The book</a>"
        let index = note.pageName == "index.html" ? "" : "<a href=\"index.html\">All notes</a>"
        let forward = next.map { "<a rel=\"next\" href=\"\($0.pageName)\">\(HTML.escape($0.title)) →</a>" }
            ?? "<span class=\"last\">The last note</span>"
        return "<nav class=\"\(className)\" aria-label=\"Method notes\">\(back)\(index)\(forward)</nav>"
    }
}
