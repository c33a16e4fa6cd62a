/// One document of a corpus: its paragraphs, and the source it came from.
///
///     Document(source: "web-bible", index: 0, paragraphs: ["In the beginning …", …])
///
/// A paragraph is one line of the corpus files; sequences are packed from whole sentences
/// and paragraphs of one document and never cross into the next.
/// Introduced in Chapter 1 (Text pipeline).
public struct Document: Equatable, Sendable {
    /// Where it came from: the corpus file name without `.txt` ("sqlite-docs"), or a path.
    public var source: String
    /// Its position among the documents of its source, from 0.
    public var index: Int
    /// Its paragraphs, in order, none empty.
    public var paragraphs: [String]

    public init(source: String, index: Int, paragraphs: [String]) {
        self.source = source
        self.index = index
        self.paragraphs = paragraphs
    }

    /// The UTF-8 size of its paragraphs.
    public var byteCount: Int { paragraphs.reduce(0) { $0 + $1.utf8.count } }
}

/// Splits lines into documents: a blank (or all-whitespace) line ends a document.
///
///     var splitter = DocumentSplitter(source: "notes")
///     for line in lines { if let document = splitter.add(line) { … } }
///     if let last = splitter.finish() { … }
///
/// Introduced in Chapter 1 (Text pipeline).
public struct DocumentSplitter: Sendable {
    public let source: String
    private var paragraphs: [String] = []
    private var nextIndex = 0

    public init(source: String) { self.source = source }

    /// Adds a line; returns the document it completes, if any.
    public mutating func add(_ line: String) -> Document? {
        if line.allSatisfy(\.isWhitespace) { return finish() }
        paragraphs.append(line)
        return nil
    }

    /// Ends the current document (at the end of a file); nil when it is empty.
    public mutating func finish() -> Document? {
        guard !paragraphs.isEmpty else { return nil }
        defer {
            paragraphs = []
            nextIndex += 1
        }
        return Document(source: source, index: nextIndex, paragraphs: paragraphs)
    }
}
