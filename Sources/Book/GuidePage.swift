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
        MethodPage.prosePage(
            title: "\(HTML.escape(guide.title)) · Tenfold", bodyClass: "guide", markdown: guide.markdown,
            links: MethodLinks(pages: methodPages, folder: MethodNote.folder + "/"), home: "index.html",
            label: "For instructors · <code>Docs/\(HTML.escape(guide.fileName))</code>",
            pager: { "<nav class=\"\($0)\" aria-label=\"Book\"><a rel=\"prev\" href=\"index.html\">← The book</a></nav>" })
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
