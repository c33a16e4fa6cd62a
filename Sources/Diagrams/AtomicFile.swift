import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that a reader never sees half of one: the bytes go to a temporary file in
/// the same folder, which is then renamed over the destination (a rename within one file
/// system is atomic).
///
///     try AtomicFile.write(Data(svg.utf8), to: URL(fileURLWithPath: "out/loss.svg"))
///
/// Introduced in Chapter 1 (Foundation).
public enum AtomicFile {
    /// Writes `data` to `url`, creating the folder if needed and replacing any existing file.
    ///
    /// - Parameters:
    ///   - data: the file's whole contents.
    ///   - url: the destination file.
    /// - Throws: `DiagramError.folderNotCreatable` or `.fileNotWritten`.
    public static func write(_ data: Data, to url: URL) throws {
        let temporary = try temporaryURL(beside: url)
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw DiagramError.fileNotWritten(path: url.path, reason: reason(error))
        }
        try moveIntoPlace(temporary, url)
    }

    /// Writes `text` as UTF-8 to `url` (see `write(_:to:)`).
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Creates `url`'s folder when missing.
    ///
    /// - Throws: `DiagramError.folderNotCreatable`.
    public static func createFolder(containing url: URL) throws {
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) {
            if isFolder.boolValue { return }
            throw DiagramError.folderNotCreatable(path: folder.path, reason: "a file with that name exists")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DiagramError.folderNotCreatable(path: folder.path, reason: reason(error))
        }
    }

    /// A fresh hidden name in `url`'s folder, for a file that will be renamed onto `url`.
    /// Creates the folder when missing.
    static func temporaryURL(beside url: URL) throws -> URL {
        try createFolder(containing: url)
        let name = ".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp"
        return url.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Renames `temporary` onto `destination`, removing `temporary` if that fails.
    static func moveIntoPlace(_ temporary: URL, _ destination: URL) throws {
        if rename(temporary.path, destination.path) != 0 {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw DiagramError.fileNotWritten(path: destination.path, reason: message)
        }
    }

    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return nsError.localizedDescription
    }
}
