import Foundation

/// Reads a text file line by line, in chunks, so a large file is never loaded whole.
///
///     let reader = try TextLineReader(path: "corpus/part-0001.txt")
///     while let line = try reader.nextLine() { … }
///     reader.invalidSequences     // invalid UTF-8 sequences replaced by U+FFFD so far
///
/// Behaviour on bad input (each is tested):
/// - a missing path throws `TextError.missingPath`; a folder, `TextError.unreadable`;
/// - a NUL byte in the first 8 000 bytes throws `TextError.binaryFile` (as git decides);
/// - invalid UTF-8 is decoded with replacement (U+FFFD) and counted in `invalidSequences`;
/// - a very long line (10 MB with no newline) is read in linear time and memory: the
///   search for the newline resumes where it stopped, never from the start of the line.
/// Lines end at `\n`; a `\r` before it is removed. Introduced in Chapter 1 (Text pipeline).
public final class TextLineReader {
    /// The file being read.
    public let path: String
    /// Invalid UTF-8 sequences replaced so far.
    public private(set) var invalidSequences = 0
    /// Bytes read so far.
    public private(set) var bytesRead = 0

    private let handle: FileHandle
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var lineStart = 0
    private var searchFrom = 0
    private var atEnd = false

    /// Opens `path` and reads its first chunk.
    /// - Parameter chunkSize: bytes per read (1 MiB by default).
    /// - Throws: `TextError.missingPath`, `.unreadable`, `.binaryFile`.
    public init(path: String, chunkSize: Int = 1 << 20) throws {
        self.path = path
        self.chunkSize = max(16, chunkSize)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TextError.missingPath(path)
        }
        if isDirectory.boolValue { throw TextError.unreadable(path: path, reason: "it is a folder, not a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TextError.unreadable(path: path, reason: "permission denied or not a regular file")
        }
        self.handle = handle
        try fill()
        if looksBinary(buffer) { throw TextError.binaryFile(path) }
    }

    deinit { try? handle.close() }

    private func fill() throws {
        let data: Data?
        do { data = try handle.read(upToCount: chunkSize) } catch {
            throw TextError.unreadable(path: path, reason: TextError.reason(error))
        }
        guard let data, !data.isEmpty else {
            atEnd = true
            return
        }
        if lineStart > 0 && lineStart >= buffer.count / 2 {
            buffer.removeSubrange(0..<lineStart)
            searchFrom -= lineStart
            lineStart = 0
        }
        buffer.append(contentsOf: data)
        bytesRead += data.count
    }

    /// The next line without its line end, or nil at the end of the file.
    public func nextLine() throws -> String? {
        guard let bytes = try nextLineBytes() else { return nil }
        let decoded = DecodedText(bytes: bytes)
        invalidSequences += decoded.invalidSequences
        return decoded.text
    }

    /// The next line's bytes, without its line end (`\n`, or `\r\n`), not decoded: for a reader
    /// that must refuse invalid UTF-8 instead of replacing it. Nil at the end of the file.
    public func nextLineBytes() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: 0x0A) {
                let line = slice(lineStart..<newline)
                lineStart = newline + 1
                searchFrom = lineStart
                return line
            }
            searchFrom = buffer.count
            if atEnd {
                guard lineStart < buffer.count else { return nil }
                let line = slice(lineStart..<buffer.count)
                lineStart = buffer.count
                return line
            }
            try fill()
        }
    }

    private func slice(_ range: Range<Int>) -> ArraySlice<UInt8> {
        var end = range.upperBound
        if end > range.lowerBound && buffer[end - 1] == 0x0D { end -= 1 }
        return buffer[range.lowerBound..<end]
    }
}
