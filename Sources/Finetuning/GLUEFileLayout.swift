/// Where a GLUE file keeps what a model needs: which columns hold the sentences, the label
/// and the example's index, and whether the first line names the columns.
///
///     let layout = GLUETask.mrpc.layout(for: .train)
///     layout.sentence1          // .named("#1 String")
///     layout.label              // .named("Quality")
///     GLUETask.cola.layout(for: .train).headerlessColumnCount   // 4: no header line
///
/// Every GLUE file but CoLA's train.tsv and dev.tsv starts with a header, and there columns are
/// found by name, so a file whose columns come in another order still reads. Columns are
/// separated by tabs and nothing else: a quote character is part of the text, never CSV quoting.
/// Introduced in Chapter 3.
public struct GLUEFileLayout: Sendable, Hashable {
    /// How a column is found: by its header name, or by its 0-based position in a file
    /// without a header.
    public enum Column: Sendable, Hashable, CustomStringConvertible {
        case named(String)
        case position(Int)

        public var description: String {
            switch self {
            case .named(let name): return "\"\(name)\""
            case .position(let position): return "column \(position + 1)"
            }
        }
    }

    /// nil when the first line is a header; otherwise the file has no header and every line
    /// has exactly this many columns.
    public let headerlessColumnCount: Int?
    /// The first (or only) sentence.
    public let sentence1: Column
    /// The second sentence of a sentence-pair task; nil for single-sentence tasks.
    public let sentence2: Column?
    /// The gold label; nil in test files.
    public let label: Column?
    /// The example's index; nil where the file has none, and the example's position (from 0)
    /// among the file's examples serves instead.
    public let index: Column?

    /// Whether the first line names the columns.
    public var hasHeader: Bool { headerlessColumnCount == nil }

    /// A file whose first line names its columns.
    static func header(sentence1: String, sentence2: String? = nil, label: String? = nil,
                       index: String? = nil) -> GLUEFileLayout {
        GLUEFileLayout(headerlessColumnCount: nil, sentence1: .named(sentence1),
                       sentence2: sentence2.map(Column.named), label: label.map(Column.named),
                       index: index.map(Column.named))
    }

    /// A file without a header, of exactly `columns` columns, found by 0-based position.
    static func headerless(columns: Int, sentence1: Int, sentence2: Int? = nil, label: Int? = nil,
                           index: Int? = nil) -> GLUEFileLayout {
        GLUEFileLayout(headerlessColumnCount: columns, sentence1: .position(sentence1),
                       sentence2: sentence2.map(Column.position), label: label.map(Column.position),
                       index: index.map(Column.position))
    }
}
