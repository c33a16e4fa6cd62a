import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old contents or the complete new ones, never
/// a half-written file — even if the process dies or the disk fills up halfway.
///
///     try AtomicFile.write(to: url) { sink in
///         try sink.write(Array("hello\n".utf8))
///     }
///
/// The steps: (1) create a temporary file with a unique name in the destination's folder
/// (the same file system, so the rename below cannot turn into a copy); (2) let `body` write
/// into it; (3) `fsync` it, so its bytes are on disk before its name is; (4) `rename` it over
/// the destination, which POSIX makes atomic; (5) `fsync` the folder, so the rename itself
/// survives a crash. If anything fails — `body` throws included — the temporary file is
/// removed and the destination is left as it was.
///
/// - Parameters:
///   - destination: the file to create or replace.
///   - body: writes the contents through the `Sink`; an error it throws is rethrown as is.
/// - Throws: `AtomicFileError` when the system refuses a step, or whatever `body` throws.
/// `write(_:to:)` is the one-call form for a whole `Data` or `String`, which also creates
/// the folder.
/// Introduced in Chapter 1 (Foundation).
public enum AtomicFile {
    /// Where `AtomicFile.write` sends the bytes: an open temporary file.
    public struct Sink {
        let descriptor: Int32
        let destination: String
        /// The number of bytes written so far.
        public private(set) var byteCount = 0

        /// Appends `bytes`, looping over partial writes.
        public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard var next = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                let written = systemWrite(descriptor, next, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw AtomicFileError.writeFailed(file: destination, reason: lastErrorText())
                }
                next += written
                remaining -= written
                byteCount += written
            }
        }

        /// Appends the bytes of an array.
        public mutating func write(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try write($0) }
        }
    }

    public static func write(to destination: URL, _ body: (inout Sink) throws -> Void) throws {
        let destinationPath = destination.path
        let folder = destination.deletingLastPathComponent().path
        let (descriptor, temporaryPath) = try createTemporaryFile(in: folder, for: destination)
        var isOpen = true
        var renamed = false
        defer {
            if isOpen { _ = close(descriptor) }
            if !renamed { _ = unlink(temporaryPath) }
        }

        var sink = Sink(descriptor: descriptor, destination: destinationPath)
        try body(&sink)
        guard fsync(descriptor) == 0 else {
            throw AtomicFileError.writeFailed(file: destinationPath, reason: lastErrorText())
        }
        isOpen = false
        guard close(descriptor) == 0 else {
            throw AtomicFileError.writeFailed(file: destinationPath, reason: lastErrorText())
        }
        guard rename(temporaryPath, destinationPath) == 0 else {
            throw AtomicFileError.renameFailed(file: destinationPath, reason: lastErrorText())
        }
        renamed = true
        syncFolder(folder)
    }

    /// `open(O_CREAT | O_EXCL)` with a random name, retried on the (unlikely) collision.
    static func createTemporaryFile(in folder: String, for destination: URL) throws -> (Int32, String) {
        for _ in 0..<16 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
            let path = folder + "/." + destination.lastPathComponent + ".tmp-" + suffix
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 { return (descriptor, path) }
            if errno != EEXIST {
                throw AtomicFileError.cannotCreateTemporary(
                    file: destination.path, folder: folder, reason: lastErrorText())
            }
        }
        throw AtomicFileError.cannotCreateTemporary(
            file: destination.path, folder: folder, reason: "every temporary name tried exists")
    }

    /// Makes the rename durable. Failing here cannot undo the rename, and some file systems
    /// refuse to sync a folder, so an error is ignored.
    static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }

    /// Writes `data` to `url`, creating the folder if needed and replacing any existing file.
    ///
    /// - Parameters:
    ///   - data: the file's whole contents.
    ///   - url: the destination file.
    /// - Throws: `AtomicFileError` (`.folderNotCreatable` included).
    public static func write(_ data: Data, to url: URL) throws {
        try createFolder(containing: url)
        try write(to: url) { sink in try data.withUnsafeBytes { try sink.write($0) } }
    }

    /// Writes `text` as UTF-8 to `url` (see `write(_:to:)`).
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Creates `url`'s folder when missing.
    ///
    /// - Throws: `AtomicFileError.folderNotCreatable`.
    public static func createFolder(containing url: URL) throws {
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) {
            if isFolder.boolValue { return }
            throw AtomicFileError.folderNotCreatable(path: folder.path, reason: "a file with that name exists")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw AtomicFileError.folderNotCreatable(path: folder.path, reason: reason(error))
        }
    }

    /// A fresh hidden name in `url`'s folder, for a file that will be renamed onto `url`.
    /// Creates the folder when missing.
    public static func temporaryURL(beside url: URL) throws -> URL {
        try createFolder(containing: url)
        let name = ".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp"
        return url.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Renames `temporary` onto `destination`, removing `temporary` if that fails.
    ///
    /// - Throws: `AtomicFileError.renameFailed`.
    public static func moveIntoPlace(_ temporary: URL, _ destination: URL) throws {
        if rename(temporary.path, destination.path) != 0 {
            let message = lastErrorText()
            try? FileManager.default.removeItem(at: temporary)
            throw AtomicFileError.renameFailed(file: destination.path, reason: message)
        }
    }

    /// The system's one-line reason inside a Foundation error ("No such file or directory").
    public static func reason(_ error: Error) -> String {
        if let fileError = error as? FileError { return fileError.reason }
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            if underlying.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(underlying.code))) }
            return underlying.localizedDescription
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        // Foundation's own codes, without the "The operation could not be completed" wrapping.
        switch nsError.code {
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "No such file or directory"
        case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return "Permission denied"
        case NSFileWriteFileExistsError: return "File exists"
        case NSFileWriteOutOfSpaceError: return "No space left on device"
        case NSFileWriteVolumeReadOnlyError: return "Read-only file system"
        default: return nsError.localizedDescription
        }
    }

    /// Removes what interrupted writes of `destination` left in its folder — the temporary
    /// files of `write(to:_:)` and `temporaryURL(beside:)` — and returns their names. Call it
    /// only where one process writes `destination` (a run folder), never beside a live writer.
    @discardableResult
    public static func removeTemporaries(of destination: URL) -> [String] {
        let folder = destination.deletingLastPathComponent()
        let name = destination.lastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        let stale = names.filter {
            $0.hasPrefix("." + name + ".tmp-") || ($0.hasPrefix("." + name + ".") && $0.hasSuffix(".tmp"))
        }
        return stale.filter { unlink(folder.appendingPathComponent($0).path) == 0 }.sorted()
    }
}

/// A file that could not be read, written or created, as one sentence: the path, what was
/// being done, the system's reason and what to do — never a raw Foundation error.
///
///     do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
///     catch { throw FileError(path: url.path, action: "create the folder", error) }
///     // "cannot create the folder out/run (File exists). Choose another path, or remove what is there."
///
/// Introduced in Chapter 1 (Foundation).
public struct FileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    /// What was being done: "read", "write", "append to", "create the folder".
    public var action: String
    /// The system's reason ("No space left on device").
    public var reason: String
    /// What to do about it; a default that fits the reason when not given.
    public var advice: String

    public init(path: String, action: String, reason: String, advice: String? = nil) {
        self.path = path
        self.action = action
        self.reason = reason
        self.advice = advice ?? FileError.advice(for: reason)
    }

    /// The same, with the reason taken from a Foundation or system error.
    public init(path: String, action: String, _ error: Error, advice: String? = nil) {
        self.init(path: path, action: action, reason: AtomicFile.reason(error), advice: advice)
    }

    public var description: String { "cannot \(action) \(path) (\(reason)). \(advice)" }

    static func advice(for reason: String) -> String {
        switch reason {
        case "No space left on device", "File too large", "Disk quota exceeded":
            return "Free some disk space (or choose another disk), then run the command again."
        case "Permission denied", "Operation not permitted", "Read-only file system":
            return "Choose a path you may write, or change its permissions."
        case "File exists", "Not a directory":
            return "A file is in the way: choose another path, or move that file."
        case "No such file or directory":
            return "Check the path (relative paths start from the current folder)."
        default:
            return "Check the path and the disk, then run the command again."
        }
    }
}

/// Why `AtomicFile.write` failed; the destination is untouched in every case.
/// Introduced in Chapter 1.
public enum AtomicFileError: Error, CustomStringConvertible, Equatable {
    /// The temporary file could not be created (missing folder, no permission, disk full).
    case cannotCreateTemporary(file: String, folder: String, reason: String)
    /// Writing or syncing the temporary file failed (disk full, I/O error).
    case writeFailed(file: String, reason: String)
    /// The temporary file could not replace the destination (for example it is a folder).
    case renameFailed(file: String, reason: String)
    /// The destination's folder was missing and could not be created.
    case folderNotCreatable(path: String, reason: String)

    /// The system's reason alone ("No space left on device").
    public var reason: String {
        switch self {
        case let .cannotCreateTemporary(_, _, reason), let .writeFailed(_, reason), let .renameFailed(_, reason),
             let .folderNotCreatable(_, reason):
            return reason
        }
    }

    public var description: String {
        switch self {
        case let .cannotCreateTemporary(file, folder, reason):
            return "cannot write \(file): cannot create a temporary file in \(folder) (\(reason)). "
                + "Check that the folder exists and is writable."
        case let .writeFailed(file, reason):
            return "cannot write \(file): writing its temporary file failed (\(reason)). "
                + "Check the free disk space; the previous file, if any, is unchanged."
        case let .renameFailed(file, reason):
            return "cannot write \(file): the finished temporary file could not replace it "
                + "(\(reason)). Check that the destination is not a folder and that its folder "
                + "is writable; the previous file, if any, is unchanged."
        case let .folderNotCreatable(path, reason):
            return "cannot create the folder \(path) (\(reason)). Choose another folder, or create "
                + "it yourself and make it writable."
        }
    }
}

/// The text of the current `errno`, such as "No such file or directory".
func lastErrorText() -> String {
    String(cString: strerror(errno))
}

@inline(__always)
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(descriptor, bytes, count)
    #else
    return Darwin.write(descriptor, bytes, count)
    #endif
}
