/// What can be wrong with a GLUE task folder or one of its files. Each message names the file
/// and, where it is about one line, the line (counting from 1, the header included), says what
/// is wrong and what to do.
///
///     do { _ = try GLUEReader(task: .mnli, folder: folder).read(.devMatched) }
///     catch let error as GLUEDataError {
///         print(error)   // "glue_data/MNLI/dev_matched.tsv, line 7: label "entailed" is not …"
///     }
///
/// Introduced in Chapter 3.
public enum GLUEDataError: Error, CustomStringConvertible, Equatable {
    /// No folder at the task folder's path.
    case missingFolder(path: String, task: String)
    /// A split the task does not have (MNLI has dev_matched, not dev).
    case splitNotInTask(task: String, split: String, available: [String])
    /// The split's file is not in the task folder.
    case missingFile(path: String, task: String, expected: [String])
    /// The file exists but could not be read (permissions, a folder, an I/O error).
    case unreadable(path: String, reason: String)
    /// Not a single non-blank line.
    case emptyFile(path: String)
    /// A header and nothing else, or (QQP) only lines that were skipped as malformed.
    case noExamples(path: String, skippedLines: Int)
    /// A line that is not valid UTF-8.
    case invalidUTF8(path: String, line: Int)
    /// The header lacks a column the task needs.
    case missingHeaderColumn(path: String, line: Int, column: String, header: [String])
    /// A line with more or fewer tab-separated columns than the header (or the fixed count).
    case wrongColumnCount(path: String, line: Int, found: Int, expected: Int)
    /// A label that is not one of the task's labels.
    case unknownLabel(path: String, line: Int, label: String, allowed: [String])
    /// An STS-B score that is not a number, or outside 0–5.
    case invalidScore(path: String, line: Int, value: String, range: ClosedRange<Double>)
    /// An index that is not a whole number ≥ 0.
    case invalidIndex(path: String, line: Int, value: String)

    public var description: String {
        switch self {
        case let .missingFolder(path, task):
            return "No folder at '\(path)'; give the \(task) folder of the GLUE data "
                + "(for example glue_data/\(task), as download_glue_data.py writes it)."
        case let .splitNotInTask(task, split, available):
            return "\(task) has no \(split) split; read one of "
                + available.joined(separator: ", ") + "."
        case let .missingFile(path, task, expected):
            return "\(path) does not exist; a GLUE \(task) folder holds "
                + expected.joined(separator: ", ") + ", so check that the folder is the "
                + "task's own and that the download finished."
        case let .unreadable(path, reason):
            return "Could not read \(path): \(reason); check that it is a readable file."
        case let .emptyFile(path):
            return "\(path), line 1: the file is empty; download the task's data again."
        case let .noExamples(path, skipped):
            if skipped == 0 {
                return "\(path): the file ends after its header and holds no examples; "
                    + "download the task's data again."
            }
            return "\(path): all \(skipped) lines after the header have the wrong number of "
                + "columns, so no example is left; this is not a GLUE file of this task, or "
                + "it is damaged and should be downloaded again."
        case let .invalidUTF8(path, line):
            return "\(path), line \(line): the line is not valid UTF-8; GLUE files are UTF-8, "
                + "so download the file again or convert it (iconv -f latin1 -t utf-8)."
        case let .missingHeaderColumn(path, line, column, header):
            let names = header.map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(path), line \(line): the header has no column \"\(column)\" (it has \(names)); "
                + "give the task's own file, with its original header."
        case let .wrongColumnCount(path, line, found, expected):
            return "\(path), line \(line): \(found) tab-separated columns where the file has "
                + "\(expected); fix or delete the line (columns are separated by tabs only, "
                + "and a sentence must not contain a tab or a line break)."
        case let .unknownLabel(path, line, label, allowed):
            let labels = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(path), line \(line): label \"\(label)\" is not one of the task's labels "
                + "(\(labels)); correct the label."
        case let .invalidScore(path, line, value, range):
            return "\(path), line \(line): score \"\(value)\" is not a number from "
                + "\(Self.number(range.lowerBound)) to \(Self.number(range.upperBound)); "
                + "correct the score."
        case let .invalidIndex(path, line, value):
            return "\(path), line \(line): index \"\(value)\" is not a whole number of 0 or "
                + "more; correct the index column."
        }
    }

    /// 5 rather than 5.0.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
