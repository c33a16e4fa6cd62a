import Foundation
import Notebook

/// One chapter of the book: its run record and the folder that holds it (and its figures).
///
///     let chapter = try BookChapter(folder: URL(fileURLWithPath: "out/chapter1"))
///     chapter.record.title   // "Naive attention and the BERT-A baseline"
///
/// Introduced with the book.
public struct BookChapter: Sendable {
    public var record: NotebookRecord
    /// The folder of `record.json`; figure paths in the record are relative to it.
    public var folder: URL

    public init(record: NotebookRecord, folder: URL) {
        self.record = record
        self.folder = folder
    }

    /// Reads `folder/record.json`, refusing a record format this weaver does not know.
    public init(folder: URL) throws {
        let file = folder.appendingPathComponent("record.json")
        let record: NotebookRecord
        do {
            record = try NotebookRecord.load(from: file)
        } catch {
            throw BookError.unreadableRecord(file.path, "\(error)")
        }
        guard record.formatVersion == NotebookRecord.currentFormatVersion else {
            throw BookError.unsupportedFormat(file.path, record.formatVersion)
        }
        self.init(record: record, folder: folder)
    }

    /// The page's file name, `chapterN.html`.
    public var pageName: String { "chapter\(record.chapter).html" }

    /// Where the page's copies of figure files live, relative to the book folder.
    public var figureFolder: String { "figures/chapter\(record.chapter)" }

    /// A record's relative figure path, kept when it stays inside its folder, else its file name.
    static func safeRelativePath(_ path: String) -> String {
        let parts = path.split(separator: "/")
        if path.hasPrefix("/") || parts.contains("..") || parts.isEmpty { return (path as NSString).lastPathComponent }
        return parts.joined(separator: "/")
    }

    /// Every figure file of the record.
    public var figureFiles: [FigureFile] { record.cells.flatMap { $0.figures.flatMap(\.files) } }
}

/// What can go wrong weaving the book, with what to do about it.
public enum BookError: Error, CustomStringConvertible, Equatable {
    case unreadableRecord(String, String)
    case unsupportedFormat(String, Int)
    case noChapters(String)
    case missingFigure(String)
    case unreadableNote(String, String)

    public var description: String {
        switch self {
        case .unreadableRecord(let path, let reason):
            return "cannot read the chapter record \(path): \(reason). Run the chapter again (make book)."
        case .unsupportedFormat(let path, let version):
            return "\(path) has record format \(version); this weaver reads format \(NotebookRecord.currentFormatVersion). Rebuild and rerun the chapter."
        case .noChapters(let path):
            return "no chapter records (chapterN/record.json) under \(path). Run the chapters first: make book."
        case .missingFigure(let path):
            return "the record names the figure \(path), which is missing. Run the chapter again (make book)."
        case .unreadableNote(let path, let reason):
            return "cannot read the method note \(path): \(reason)."
        }
    }
}
