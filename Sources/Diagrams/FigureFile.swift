import Foundation
import AtomicFiles

/// Writes a figure's files atomically (see `AtomicFile`), reporting a failure as the
/// `DiagramError` a chapter shows its reader. Introduced in Chapter 1 (Foundation).
enum FigureFile {
    /// `text` as UTF-8 into `url`, creating its folder when missing.
    static func write(_ text: String, to url: URL) throws {
        try mapped { try AtomicFile.write(text, to: url) }
    }

    /// A fresh hidden name beside `url`, for a file that `moveIntoPlace` renames onto it.
    static func temporaryURL(beside url: URL) throws -> URL {
        try mapped { try AtomicFile.temporaryURL(beside: url) }
    }

    static func moveIntoPlace(_ temporary: URL, _ destination: URL) throws {
        try mapped { try AtomicFile.moveIntoPlace(temporary, destination) }
    }

    private static func mapped<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as AtomicFileError {
            switch error {
            case let .folderNotCreatable(path, reason):
                throw DiagramError.folderNotCreatable(path: path, reason: reason)
            case let .cannotCreateTemporary(file, _, reason), let .writeFailed(file, reason),
                 let .renameFailed(file, reason):
                throw DiagramError.fileNotWritten(path: file, reason: reason)
            }
        }
    }
}
