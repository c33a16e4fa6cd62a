import Foundation

/// Reads a tab-separated file line by line, in chunks, and splits each line into its fields.
///
///     let reader = try TSVLineReader(path: "glue_data/QQP/train.tsv")
///     while let line = try reader.next() { line.number; line.fields }
///
/// Lines end at `\n`, and a `\r` before it is dropped. Fields are separated by tabs and by
/// nothing else: quote characters are text (GLUE's files hold unbalanced quotes, which a CSV
/// reader would take for quoting and so merge lines). A UTF-8 byte order mark at the start of
/// the file is dropped (MRPC's header starts with one). Invalid UTF-8 is an error naming the
/// line, not replaced: a label or score must never be silently altered.
final class TSVLineReader {
    /// One line: its number from 1 and its fields (one empty field for a blank line).
    struct Line {
        var number: Int
        var fields: [String]

        var isBlank: Bool { fields.count == 1 && fields[0].isEmpty }
    }

    let path: String
    private let handle: FileHandle
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var lineStart = 0
    private var searchFrom = 0
    private var atEnd = false
    private var lineNumber = 0

    /// Opens `path`.
    ///
    /// - Throws: `GLUEDataError.unreadable` for a folder or a file that cannot be opened.
    init(path: String, chunkSize: Int = 1 << 20) throws {
        self.path = path
        self.chunkSize = max(16, chunkSize)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw GLUEDataError.unreadable(path: path, reason: "it is a folder, not a file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw GLUEDataError.unreadable(path: path, reason: "permission denied or not a regular file")
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// The next line, or nil at the end of the file.
    ///
    /// - Throws: `GLUEDataError.invalidUTF8`, `.unreadable`.
    func next() throws -> Line? {
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: 0x0A) {
                let line = try split(lineStart..<newline)
                lineStart = newline + 1
                searchFrom = lineStart
                return line
            }
            searchFrom = buffer.count
            if atEnd {
                guard lineStart < buffer.count else { return nil }
                let line = try split(lineStart..<buffer.count)
                lineStart = buffer.count
                return line
            }
            try fill()
        }
    }

    private func fill() throws {
        let data: Data?
        do { data = try handle.read(upToCount: chunkSize) } catch {
            throw GLUEDataError.unreadable(path: path, reason: error.localizedDescription)
        }
        guard let data, !data.isEmpty else {
            atEnd = true
            return
        }
        // Drop the lines already returned once they fill half the buffer, so the buffer
        // stays about one chunk plus the longest line.
        if lineStart > 0 && lineStart >= buffer.count / 2 {
            buffer.removeSubrange(0..<lineStart)
            searchFrom -= lineStart
            lineStart = 0
        }
        buffer.append(contentsOf: data)
    }

    private func split(_ range: Range<Int>) throws -> Line {
        lineNumber += 1
        var start = range.lowerBound
        var end = range.upperBound
        if end > start && buffer[end - 1] == 0x0D { end -= 1 }
        if lineNumber == 1 && end - start >= 3
            && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF {
            start += 3
        }
        var fields: [String] = []
        // A tab byte never occurs inside a multi-byte UTF-8 sequence, so validating field by
        // field is validating the line.
        for field in buffer[start..<end].split(separator: 0x09, omittingEmptySubsequences: false) {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw GLUEDataError.invalidUTF8(path: path, line: lineNumber)
            }
            fields.append(text)
        }
        return Line(number: lineNumber, fields: fields)
    }
}
