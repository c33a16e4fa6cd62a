import Foundation

/// The machine-readable record of one chapter run: `out/chapterN/record.json`.
///
///     let record = try NotebookRecord.load(from: URL(fileURLWithPath: "out/chapter1/record.json"))
///     for case .cell(let cell) in record.entries {
///         print(cell.index, cell.name, cell.body, cell.output, cell.figures.map(\.files))
///     }
///
/// It holds everything a page needs: the prose (Markdown), and for every cell the exact code,
/// its printed output, its tables and its figures (files in the same folder), in the order
/// the chapter ran them. Dates are ISO 8601; durations are seconds; figure paths are relative
/// to the folder that holds `record.json`.
///
/// Introduced in Chapter 1.
public struct NotebookRecord: Codable, Equatable, Sendable {
    /// Bumped when a field changes meaning, so a weaver can refuse records it cannot read.
    public var formatVersion: Int
    public var chapter: Int
    public var title: String
    public var startTime: Date
    /// When the record was last written (the end of the run, or the failing cell).
    public var endTime: Date
    /// Whether `finish()` ran; `false` when a cell threw and the run stopped there.
    public var completed: Bool
    /// The command line, program name first.
    public var arguments: [String]
    /// Prose and cells, in the order they ran.
    public var entries: [NotebookEntry]

    public static let currentFormatVersion = 1

    /// Reads and decodes a record written by `Notebook.finish()`.
    public static func load(from url: URL) throws -> NotebookRecord {
        try decoder.decode(NotebookRecord.self, from: Data(contentsOf: url))
    }

    /// The decoder matching the notebook's encoding (ISO 8601 dates).
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Pretty-printed, keys sorted (stable diffs), ISO 8601 dates.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// The cells alone, in order.
    public var cells: [CellRecord] {
        entries.compactMap { if case .cell(let cell) = $0 { return cell } else { return nil } }
    }
}

/// One entry of a record: a prose block or a cell. Encoded as
/// `{"kind": "prose", "prose": {…}}` or `{"kind": "cell", "cell": {…}}`.
/// Introduced in Chapter 1.
public enum NotebookEntry: Codable, Equatable, Sendable {
    case prose(ProseRecord)
    case cell(CellRecord)

    private enum CodingKeys: String, CodingKey { case kind, prose, cell }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "prose": self = .prose(try container.decode(ProseRecord.self, forKey: .prose))
        case "cell": self = .cell(try container.decode(CellRecord.self, forKey: .cell))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container,
                                                   debugDescription: "unknown entry kind '\(other)'")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .prose(let prose):
            try container.encode("prose", forKey: .kind)
            try container.encode(prose, forKey: .prose)
        case .cell(let cell):
            try container.encode("cell", forKey: .kind)
            try container.encode(cell, forKey: .cell)
        }
    }
}

/// A block of Markdown prose and where it was written.
/// Introduced in Chapter 1.
public struct ProseRecord: Codable, Equatable, Sendable {
    public var markdown: String
    /// The source file, relative to the package root when it lies inside one.
    public var sourceFile: String
    public var line: Int
}

/// One executed cell: its code, what it printed, its tables and figures.
/// Introduced in Chapter 1.
public struct CellRecord: Codable, Equatable, Sendable {
    /// 1-based position among the chapter's cells (the `[3]` of its header).
    public var index: Int
    public var name: String
    /// The source file, relative to the package root when it lies inside one.
    public var sourceFile: String
    /// The line of the `cell` call and of its closing brace (1-based); equal when the
    /// source could not be read.
    public var startLine: Int
    public var endLine: Int
    /// The whole call, from `book.cell(…) {` to `}`, common indentation removed; empty when
    /// the source file could not be read.
    public var source: String
    /// The closure's body alone, common indentation removed: the code a page shows.
    public var body: String
    /// Everything the cell printed, as plain text (tables and tensors included).
    public var output: String
    /// The output in order, as blocks that point into `tables` and `figures`.
    public var blocks: [OutputBlock]
    public var tables: [TableRecord]
    public var figures: [FigureRecord]
    /// Wall-clock seconds the cell took.
    public var duration: Double
    /// The description of the error the cell threw, if it threw.
    public var error: String?
}

/// One piece of a cell's output, in order: printed text, or a pointer to a table or figure.
/// Introduced in Chapter 1.
public struct OutputBlock: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable { case text, table, figure }
    public var kind: Kind
    /// The text, for `.text` blocks (newlines included).
    public var text: String?
    /// The position in the cell's `tables` or `figures`, for `.table` and `.figure` blocks.
    public var index: Int?
}

/// A table as headers and rows of strings, with its Markdown pipe-table rendering.
/// Introduced in Chapter 1.
public struct TableRecord: Codable, Equatable, Sendable {
    public var headers: [String]
    public var rows: [[String]]
    public var caption: String?
    /// The same table as a Markdown pipe table (numeric columns right-aligned).
    public var markdown: String
}

/// A figure: one or more files in the output folder showing the same thing (an `.svg` to
/// inline, the `.dot` it came from, a `.png` fallback).
/// Introduced in Chapter 1.
public struct FigureRecord: Codable, Equatable, Sendable {
    public var name: String
    public var caption: String?
    public var files: [FigureFile]
}

/// A figure's file, relative to the output folder, and its kind.
/// Introduced in Chapter 1.
public struct FigureFile: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case svg, png, dot }
    public var path: String
    public var kind: Kind
}
