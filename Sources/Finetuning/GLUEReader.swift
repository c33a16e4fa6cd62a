import Foundation

/// Reads the files of one GLUE task folder into examples.
///
///     let reader = GLUEReader(task: .mnli, folder: URL(fileURLWithPath: "glue_data/MNLI"))
///     let train = try reader.read(.train)
///     let dev = try reader.read(.devMatched)
///     dev.examples[0].label               // .category(…), a position in GLUETask.mnli.labels
///     try reader.read(.testMatched).examples[0].label   // nil: test files have no labels
///
/// Lines are split on tabs only and quote characters are kept as text. A blank line is skipped.
/// Every other line must have exactly as many columns as the header (CoLA's train.tsv and
/// dev.tsv: 4), a label from the task's labels (STS-B: a number from 0 to 5) and, where the
/// file has an index column, a whole-number index; otherwise reading stops with a
/// `GLUEDataError` naming the file and line. The one exception is QQP's train.tsv and
/// dev.tsv: some copies hold a few questions broken over two lines, so there a line with the
/// wrong number of columns is skipped and listed in `GLUEDataset.skippedLines` (the Hugging
/// Face processors skip such lines too). No line of QQP's test.tsv is skipped: a missing test
/// line would leave a hole in the submission. Introduced in Chapter 3.
public struct GLUEReader: Sendable {
    /// The task whose files are read.
    public let task: GLUETask
    /// The task folder, holding train.tsv, dev.tsv and test.tsv (MNLI: dev_matched.tsv, …).
    public let folder: URL

    /// A reader of `task`'s files in `folder`; nothing is read until `read(_:)`.
    ///
    /// - Parameters:
    ///   - task: which of the nine GLUE tasks the folder holds.
    ///   - folder: the task folder, such as `glue_data/RTE`.
    public init(task: GLUETask, folder: URL) {
        self.task = task
        self.folder = folder
    }

    /// The examples of one split.
    ///
    /// - Parameter split: one of `task.splits`.
    /// - Returns: the examples in file order, with labels unless `split` is a test split.
    /// - Throws: `GLUEDataError` naming the file (and line) and what to do.
    public func read(_ split: GLUESplit) throws -> GLUEDataset {
        guard task.splits.contains(split) else {
            throw GLUEDataError.splitNotInTask(task: task.name, split: split.rawValue,
                                               available: task.splits.map(\.rawValue))
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder),
              isFolder.boolValue else {
            throw GLUEDataError.missingFolder(path: folder.path, task: task.name)
        }
        let path = folder.appendingPathComponent(split.fileName).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw GLUEDataError.missingFile(path: path, task: task.name,
                                            expected: task.splits.map(\.fileName))
        }
        return try Self.read(path: path, task: task, split: split)
    }

    /// Reads one file of `task` laid out as `split`'s files are.
    static func read(path: String, task: GLUETask, split: GLUESplit) throws -> GLUEDataset {
        let layout = task.layout(for: split)
        let skipsMalformed = task.skipsMalformedLines && !split.isTest
        let reader = try TSVLineReader(path: path)

        var sawText = false
        let columns: ResolvedColumns
        let columnCount: Int
        if let fixed = layout.headerlessColumnCount {
            columns = try ResolvedColumns(layout, header: [], path: path, line: 0)
            columnCount = fixed
        } else {
            guard let header = try nextNonBlank(reader) else { throw GLUEDataError.emptyFile(path: path) }
            sawText = true
            columns = try ResolvedColumns(layout, header: header.fields, path: path, line: header.number)
            columnCount = header.fields.count
        }

        var examples: [GLUEExample] = []
        var skipped: [Int] = []
        while let line = try nextNonBlank(reader) {
            sawText = true
            guard line.fields.count == columnCount else {
                if skipsMalformed {
                    skipped.append(line.number)
                    continue
                }
                throw GLUEDataError.wrongColumnCount(path: path, line: line.number,
                                                     found: line.fields.count, expected: columnCount)
            }
            let fields = line.fields
            var label: GLUELabel?
            if let column = columns.label {
                label = try parseLabel(fields[column], task: task, path: path, line: line.number)
            }
            var index = examples.count
            if let column = columns.index {
                guard let value = Int(fields[column]), value >= 0 else {
                    throw GLUEDataError.invalidIndex(path: path, line: line.number, value: fields[column])
                }
                index = value
            }
            examples.append(GLUEExample(index: index, line: line.number, sentence1: fields[columns.sentence1],
                                        sentence2: columns.sentence2.map { fields[$0] }, label: label))
        }
        guard sawText else { throw GLUEDataError.emptyFile(path: path) }
        guard !examples.isEmpty else { throw GLUEDataError.noExamples(path: path, skippedLines: skipped.count) }
        return GLUEDataset(task: task, split: split, path: path, examples: examples, skippedLines: skipped)
    }

    private static func nextNonBlank(_ reader: TSVLineReader) throws -> TSVLineReader.Line? {
        while let line = try reader.next() {
            if !line.isBlank { return line }
        }
        return nil
    }

    /// A class by its position in the task's labels, or a score within the task's range.
    static func parseLabel(_ text: String, task: GLUETask, path: String, line: Int) throws -> GLUELabel {
        switch task.kind {
        case .classification(let labels):
            guard let category = labels.firstIndex(of: text) else {
                throw GLUEDataError.unknownLabel(path: path, line: line, label: text, allowed: labels)
            }
            return .category(category)
        case .regression(let range):
            guard let score = parseDecimal(text), range.contains(score) else {
                throw GLUEDataError.invalidScore(path: path, line: line, value: text, range: range)
            }
            return .score(score)
        }
    }

    /// A plain decimal such as `3.800` or `-1e-2`; nil for anything else, including the
    /// `nan`, `inf` and hexadecimal forms `Double(_:)` would also accept.
    static func parseDecimal(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E
                                                     || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45 }),
              let value = Double(text), value.isFinite else { return nil }
        return value
    }
}

/// The 0-based positions of the columns a layout names.
struct ResolvedColumns {
    var sentence1: Int
    var sentence2: Int?
    var label: Int?
    var index: Int?

    /// Finds each column of `layout`: a named one in `header` (read from `line` of `path`), a
    /// positioned one where it is.
    ///
    /// - Throws: `GLUEDataError.missingHeaderColumn` for the first named column `header` lacks.
    init(_ layout: GLUEFileLayout, header: [String], path: String, line: Int) throws {
        func position(of column: GLUEFileLayout.Column) throws -> Int {
            switch column {
            case .position(let position): return position
            case .named(let name):
                guard let position = header.firstIndex(of: name) else {
                    throw GLUEDataError.missingHeaderColumn(path: path, line: line, column: name, header: header)
                }
                return position
            }
        }
        sentence1 = try position(of: layout.sentence1)
        sentence2 = try layout.sentence2.map(position(of:))
        label = try layout.label.map(position(of:))
        index = try layout.index.map(position(of:))
    }
}
