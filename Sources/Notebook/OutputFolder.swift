import Foundation
import AtomicFiles
import Diagrams
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder a chapter writes into (`out/chapterN/`): created and checked up front, then
/// written atomically, one file at a time.
///
///     let folder = try OutputFolder(URL(fileURLWithPath: "out/chapter1"))
///     try folder.writeAtomically(Data("{}".utf8), to: "record.json")
///
/// Introduced in Chapter 1.
public struct OutputFolder: Sendable {
    /// The folder, absolute and standardised.
    public let url: URL

    /// Creates the folder (and its parents) if needed and checks that a file can be written.
    ///
    /// - Parameter url: the folder; a relative path is taken from the current directory.
    /// - Throws: `NotebookError` naming the path and what to do.
    public init(_ url: URL) throws {
        self.url = url.standardizedFileURL
        let path = self.url.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { throw NotebookError.outputDirectoryIsAFile(path: path) }
        } else {
            do {
                try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
            } catch {
                throw NotebookError.outputDirectoryNotCreatable(path: path, reason: Self.reason(error))
            }
        }
        // Probe with a real file: permission bits alone do not tell (root, read-only mounts).
        let probe = self.url.appendingPathComponent(".write-probe-\(getpid())")
        guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
            throw NotebookError.outputDirectoryNotWritable(path: path, reason: String(cString: strerror(errno)))
        }
        try? FileManager.default.removeItem(at: probe)
    }

    /// Writes `data` to `name` inside the folder so that readers see the old file or the new
    /// one, never a part: write a temporary file beside it, then rename it over the target.
    ///
    /// - Parameters:
    ///   - data: the whole contents.
    ///   - name: a path relative to the folder.
    public func writeAtomically(_ data: Data, to name: String) throws {
        let target = url.appendingPathComponent(name)
        do {
            try AtomicFile.write(to: target) { sink in try data.withUnsafeBytes { try sink.write($0) } }
        } catch let error as AtomicFileError {
            throw NotebookError.fileNotWritten(path: target.path, reason: error.reason)
        }
    }

    /// `file`'s path relative to the folder, if it lies inside it.
    public func relativePath(of file: URL) -> String? {
        let base = url.resolvingSymlinksInPath().path + "/"
        let path = file.standardizedFileURL.resolvingSymlinksInPath().path
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : nil
    }

    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return nsError.localizedDescription
    }
}

/// Finds the package a source file belongs to, to record paths like `Chapters/chapter1/main.swift`.
enum PackageRoot {
    /// `file` relative to the nearest folder above it holding `Package.swift`, or the path
    /// unchanged when there is none.
    static func relativePath(of file: String) -> String {
        let url = URL(fileURLWithPath: file).standardizedFileURL
        var folder = url.deletingLastPathComponent()
        while folder.path != "/" && !folder.path.isEmpty {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                let base = folder.path + "/"
                return url.path.hasPrefix(base) ? String(url.path.dropFirst(base.count)) : url.path
            }
            folder = folder.deletingLastPathComponent()
        }
        return file
    }
}
