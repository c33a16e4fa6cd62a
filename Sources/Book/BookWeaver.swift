import Foundation
import Notebook

/// Weaves chapter records into the book: `index.html`, one `chapterN.html` per chapter, and
/// the figures each page shows, copied under `figures/chapterN/`; and the method notes, one
/// page each under `methods/`, listed on the index under the chapters; and the guides for
/// instructors (`Docs/Teaching.md`), each a page at the root.
///
///     let chapters = try BookWeaver.chapters(in: URL(fileURLWithPath: "out"))
///     let notes = try MethodNote.notes(in: URL(fileURLWithPath: "Docs/Methods"))
///     let written = try BookWeaver(chapters: chapters, methods: notes).write(to: URL(fileURLWithPath: "out/book"))
///
/// Chapters are ordered by number; each page links to its neighbours. The folder it writes
/// can be opened straight from disk (`file://`): nothing is fetched from the network.
///
/// Introduced with the book.
public struct BookWeaver {
    public var chapters: [BookChapter]
    /// The chapters that have exercises, and where (relative to the package root).
    public var exerciseFolders: [Int: String]
    /// The method notes, in reading order (`MethodNote.notes(in:)`).
    public var methods: [MethodNote]
    /// The guides for instructors (`Docs/Teaching.md`), each a page at the book's root (`GuidePage`).
    public var guides: [MethodNote]

    public init(chapters: [BookChapter], exerciseFolders: [Int: String] = [:], methods: [MethodNote] = [],
                guides: [MethodNote] = []) {
        self.chapters = chapters.sorted { $0.record.chapter < $1.record.chapter }
        self.exerciseFolders = exerciseFolders
        self.methods = methods
        self.guides = guides
    }

    /// Each note's file name and its page's name.
    var methodPages: [String: String] {
        Dictionary(methods.map { ($0.fileName, $0.pageName) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every `chapterN/record.json` directly under `folder`, read and ordered by chapter.
    public static func chapters(in folder: URL) throws -> [BookChapter] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let chapters = try names.filter { name in
            name.hasPrefix("chapter") && Int(name.dropFirst("chapter".count)) != nil
                && FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).appendingPathComponent("record.json").path)
        }.map { try BookChapter(folder: folder.appendingPathComponent($0)) }
        guard !chapters.isEmpty else { throw BookError.noChapters(folder.path) }
        return chapters.sorted { $0.record.chapter < $1.record.chapter }
    }

    /// The page of the chapter at `position` in `chapters`.
    public func page(at position: Int) -> ChapterPage {
        ChapterPage(chapter: chapters[position],
                    previous: position > 0 ? chapters[position - 1] : nil,
                    next: position + 1 < chapters.count ? chapters[position + 1] : nil,
                    exercisesFolder: exerciseFolders[chapters[position].record.chapter],
                    methodLinks: methods.isEmpty ? nil : MethodLinks(pages: methodPages, folder: MethodNote.folder + "/"))
    }

    /// The page of the method note at `position` in `methods`.
    public func methodPage(at position: Int) -> MethodPage {
        MethodPage(note: methods[position],
                   previous: position > 0 ? methods[position - 1] : nil,
                   next: position + 1 < methods.count ? methods[position + 1] : nil,
                   pages: methodPages)
    }

    /// The book's front page: every chapter with its sections.
    public var indexHTML: String {
        let items = chapters.indices.map { position -> String in
            let chapter = chapters[position]
            var prose = ProseRenderer()
            for case .prose(let block) in chapter.record.entries { _ = prose.render(block.markdown) }
            let sections = prose.headings.filter { $0.level <= 2 }.map {
                "<li><a href=\"\(chapter.pageName)#\($0.anchor)\">\($0.html)</a></li>"
            }.joined()
            return """
            <li><a class="title" href="\(chapter.pageName)">Chapter \(chapter.record.chapter): \(HTML.escape(chapter.record.title))</a>\
            \(sections.isEmpty ? "" : "<ul>\(sections)</ul>")</li>
            """
        }
        return HTML.page(title: "Tenfold · the book", body: """
        <header class="top"><a class="book" href="index.html">Tenfold</a><nav class="pager" aria-label="Chapters">\(chapters.first.map { "<a rel=\"next\" href=\"\($0.pageName)\">Start reading →</a>" } ?? "")</nav></header>
        <div class="layout">
        <main>
        <h1>Tenfold: efficient BERT pre-training, taught and run</h1>
        <p>Each chapter is a Swift program that reads like a notebook. These pages are woven from the record of each chapter's last run: its prose, the exact code of every cell, what the cell printed, its tables and its figures. Rebuild them with <code>make book</code>.</p>
        <ul class="chapters">
        \(items.joined(separator: "\n"))
        </ul>\(guidesIndex)\(methodsIndex)
        </main>
        </div>
        """)
    }

    /// The index's list of the guides for instructors, each with its sections.
    private var guidesIndex: String {
        guard !guides.isEmpty else { return "" }
        return """

        <h2 id="for-instructors">For instructors</h2>
        <p>How to run a course on Tenfold: a syllabus with each chapter's goals, time and expected numbers, the student edition without solutions, grading, the classroom environment and the slides.</p>
        <ul class="chapters notes">
        \(Self.list(guides, path: \.pageName))
        </ul>
        """
    }

    /// The index's list of method notes, each with its sections.
    private var methodsIndex: String {
        guard !methods.isEmpty else { return "" }
        let readme = methods.first { $0.pageName == "index.html" }
        return """

        <h2 id="method-notes">Method notes</h2>
        <p>Each method stated precisely — equations, rules, settings — with where every fact comes from. The chapters cite these notes.\(readme.map { " <a href=\"\($0.path)\">Their index</a> gives the notation they share and how each fact is marked." } ?? "")</p>
        <ul class="chapters notes">
        \(Self.list(methods.filter { $0.pageName != "index.html" }, path: \.path))
        </ul>
        """
    }

    /// One list item per note: its title, then its sections, each linking to its page at `path`.
    private static func list(_ notes: [MethodNote], path: (MethodNote) -> String) -> String {
        notes.map { note -> String in
            var prose = ProseRenderer()
            _ = prose.render(note.markdown)
            let sections = prose.headings.filter { $0.level == 2 }.map {
                "<li><a href=\"\(path(note))#\($0.anchor)\">\($0.html)</a></li>"
            }.joined()
            return "<li><a class=\"title\" href=\"\(path(note))\">\(HTML.escape(note.title))</a>"
                + (sections.isEmpty ? "" : "<ul class=\"sections\">\(sections)</ul>") + "</li>"
        }.joined(separator: "\n")
    }

    /// Writes the book into `folder` (created if needed) and returns the pages written.
    /// A figure file the record names but the run folder lacks is reported, not skipped silently.
    @discardableResult
    public func write(to folder: URL) throws -> [URL] {
        let files = FileManager.default
        try files.createDirectory(at: folder, withIntermediateDirectories: true)
        var written: [URL] = []
        for position in chapters.indices {
            let page = page(at: position)
            let chapter = chapters[position]
            for file in chapter.figureFiles {
                let source = chapter.folder.appendingPathComponent(file.path)
                let target = folder.appendingPathComponent(page.figurePath(file))
                guard files.fileExists(atPath: source.path) else {
                    throw BookError.missingFigure(source.path)
                }
                try files.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                if files.fileExists(atPath: target.path) { try files.removeItem(at: target) }
                try files.copyItem(at: source, to: target)
            }
            let url = folder.appendingPathComponent(chapter.pageName)
            try Data(page.html.utf8).write(to: url, options: .atomic)
            written.append(url)
        }
        if !methods.isEmpty {
            let notes = folder.appendingPathComponent(MethodNote.folder)
            try files.createDirectory(at: notes, withIntermediateDirectories: true)
            for position in methods.indices {
                let url = notes.appendingPathComponent(methods[position].pageName)
                try Data(methodPage(at: position).html.utf8).write(to: url, options: .atomic)
                written.append(url)
            }
        }
        for guide in guides {
            let url = folder.appendingPathComponent(guide.pageName)
            try Data(GuidePage(guide: guide, methodPages: methodPages).html.utf8).write(to: url, options: .atomic)
            written.append(url)
        }
        let index = folder.appendingPathComponent("index.html")
        try Data(indexHTML.utf8).write(to: index, options: .atomic)
        return [index] + written
    }
}
