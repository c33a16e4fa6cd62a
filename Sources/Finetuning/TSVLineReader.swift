import Foundation
import Text

/// Reads a tab-separated file line by line (through `TextLineReader`, in chunks) and splits
/// each line into its fields.
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
    private let lines: TextLineReader
    private var lineNumber = 0

    /// Opens `path`.
    ///
    /// - Throws: `GLUEDataError.unreadable` for a folder, a binary file or a file that cannot be opened.
    init(path: String, chunkSize: Int = 1 << 20) throws {
        self.path = path
        do {
            lines = try TextLineReader(path: path, chunkSize: chunkSize)
        } catch let error as TextError {
            switch error {
            case .unreadable(_, let reason): throw GLUEDataError.unreadable(path: path, reason: reason)
            case .missingPath: throw GLUEDataError.unreadable(path: path, reason: "no such file")
            case .binaryFile: throw GLUEDataError.unreadable(path: path, reason: "it holds binary data, not text")
            default: throw GLUEDataError.unreadable(path: path, reason: "\(error)")
            }
        }
    }

    /// The next line, or nil at the end of the file.
    ///
    /// - Throws: `GLUEDataError.invalidUTF8`, `.unreadable`.
    func next() throws -> Line? {
        let bytes: ArraySlice<UInt8>?
        do { bytes = try lines.nextLineBytes() } catch {
            throw GLUEDataError.unreadable(path: path, reason: "\(error)")
        }
        guard let bytes else { return nil }
        return try split(bytes)
    }

    private func split(_ line: ArraySlice<UInt8>) throws -> Line {
        lineNumber += 1
        var line = line
        if lineNumber == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        var fields: [String] = []
        // A tab byte never occurs inside a multi-byte UTF-8 sequence, so validating field by
        // field is validating the line.
        for field in line.split(separator: 0x09, omittingEmptySubsequences: false) {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw GLUEDataError.invalidUTF8(path: path, line: lineNumber)
            }
            fields.append(text)
        }
        return Line(number: lineNumber, fields: fields)
    }
}
