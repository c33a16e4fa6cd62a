import Foundation

/// The documents of a folder of text files (or of one file), read as a stream.
///
///     var stream = try TextDirectoryStream(path: "/data/wikipedia")
///     while let document = try stream.next() { … }   // never the whole corpus in memory
///     stream.skippedBinaryFiles                       // files passed over as binary
///
/// Files are visited in sorted path order, recursively, hidden ones (".…") skipped. Within
/// a file, a blank line ends a document, and the end of a file always does; each line is a
/// paragraph. A document's source label is its file's path relative to the folder.
/// A binary file inside a folder is skipped and listed in `skippedBinaryFiles` (a stray
/// image should not stop a day's training); given alone, it is an error. Invalid UTF-8 is
/// replaced and counted in `invalidSequences`.
/// Introduced in Chapter 1 (Text pipeline).
public struct TextDirectoryStream {
    /// The files to read, in order.
    public let files: [String]
    /// The folder (or file) given.
    public let root: String
    /// Binary files skipped so far.
    public private(set) var skippedBinaryFiles: [String] = []
    /// Invalid UTF-8 sequences replaced so far, in all files.
    public private(set) var invalidSequences = 0
    /// Documents read so far.
    public private(set) var documentsRead = 0

    private var fileIndex = 0
    private var reader: TextLineReader?
    private var splitter = DocumentSplitter(source: "")
    private var finishedInvalid = 0
    private let single: Bool

    /// Lists the files under `path` (a folder or a single file).
    /// - Throws: `TextError.missingPath`; `TextError.emptyCorpus` for a folder without files.
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TextError.missingPath(path)
        }
        root = path
        single = !isDirectory.boolValue
        if single {
            files = [path]
            return
        }
        let base = URL(fileURLWithPath: path)
        var found: [String] = []
        if let enumerator = FileManager.default.enumerator(
            at: base, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) {
            for case let url as URL in enumerator
            where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                found.append(url.path)
            }
        }
        files = found.sorted()
        if files.isEmpty { throw TextError.emptyCorpus("The folder '\(path)'") }
    }

    /// The next document, or nil when every file has been read.
    /// - Throws: read errors; `TextError.binaryFile` only for a single binary file.
    public mutating func next() throws -> Document? {
        while true {
            if let reader {
                if let line = try reader.nextLine() {
                    if let document = splitter.add(line) { return deliver(document) }
                    continue
                }
                invalidSequences += reader.invalidSequences
                self.reader = nil
                if let document = splitter.finish() { return deliver(document) }
            }
            guard fileIndex < files.count else { return nil }
            let file = files[fileIndex]
            fileIndex += 1
            do {
                reader = try TextLineReader(path: file)
            } catch TextError.binaryFile(let path) where !single {
                skippedBinaryFiles.append(path)
                continue
            }
            splitter = DocumentSplitter(source: single ? URL(fileURLWithPath: file).lastPathComponent
                                        : String(file.dropFirst(URL(fileURLWithPath: root).path.count).drop { $0 == "/" }))
        }
    }

    private mutating func deliver(_ document: Document) -> Document {
        documentsRead += 1
        return document
    }
}
