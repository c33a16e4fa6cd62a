import Foundation

/// A guide of the package's `Docs/` (the instructor's guide, `Docs/Teaching.md`) woven as a page
/// at the book's root, `teaching.html`, listed on the index under "For instructors". Its prose is
/// read in the book's dialect, and its mentions of `Docs/Methods/…md` link to the woven notes.
///
///     let guide = try MethodNote.guide(at: URL(fileURLWithPath: "Docs/Teaching.md"))
///     let page = GuidePage(guide: guide, methodPages: ["TUPE.md": "tupe.html"]).html
///
/// Introduced with the teaching kit.
public struct GuidePage {
    public var guide: MethodNote
    /// Every method note's file name and page name, for the links.
    public var methodPages: [String: String]

    public init(guide: MethodNote, methodPages: [String: String]) {
        self.guide = guide
        self.methodPages = methodPages
    }

    public var html: String {
        var prose = ProseRenderer(reservedAnchors: ["contents"],
                                  methodLinks: MethodLinks(pages: methodPages, folder: MethodNote.folder + "/"))
        let body = prose.render(guide.markdown)
        let contents = prose.headings.filter { (2...3).contains($0.level) }.map {
            "<li class=\"toc-h\($0.level)\"><a href=\"#\($0.anchor)\">\($0.html)</a></li>"
        }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(HTML.escape(guide.title)) · Tenfold</title>
        <style>\(BookStyle.css)</style>
        </head>
        <body class="guide">
        <header class="top"><a class="book" href="index.html">Tenfold</a><nav class="pager" aria-label="Book"><a rel="prev" href="index.html">← The book</a></nav></header>
        <div class="layout">
        <nav class="contents" id="contents" aria-label="Contents">
        <h2>Contents</h2>
        <ol>
        \(contents.joined(separator: "\n"))
        </ol>
        </nav>
        <main>
        <p class="run">For instructors · <code>Docs/\(HTML.escape(guide.fileName))</code></p>
        <div class="prose">\(body)</div>
        </main>
        </div>
        </body>
        </html>

        """
    }
}

extension MethodNote {
    /// The guide at `url` (a Markdown file), or nil when there is none.
    public static func guide(at url: URL) throws -> MethodNote? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return MethodNote(fileName: url.lastPathComponent, markdown: try String(contentsOf: url, encoding: .utf8))
        } catch {
            throw BookError.unreadableNote(url.path, "\(error)")
        }
    }
}
