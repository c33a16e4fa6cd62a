/// A corpus read as consecutive units of whole documents, each about `unitBytes` of text,
/// with a hash of its text — what `CorpusPreparation` makes one shard of, and what streaming
/// vocabulary training counts in parallel.
///
///     var units = DocumentUnits(stream: try TextDirectoryStream(path: "corpus/"), unitBytes: 8 << 20)
///     while case let batch = try units.next(count: 2), !batch.isEmpty { … }
///
/// The cut depends only on the text: the same corpus gives the same units, numbered from 0.
/// Introduced for full-scale training (issue 23).
public struct DocumentUnits {
    /// One stretch of documents, read but not yet tokenized.
    public struct Unit: Sendable {
        /// Its number, from 0.
        public var index: Int
        public var documents: [Document] = []
        /// UTF-8 bytes of its paragraphs, a newline counted after each.
        public var textBytes = 0
        /// FNV-1a over its paragraphs, with a mark after each paragraph and each document.
        public var textHash: UInt64 = 0xCBF2_9CE4_8422_2325
    }

    public private(set) var stream: TextDirectoryStream
    public let unitBytes: Int
    private var nextIndex = 0
    private var exhausted = false

    public init(stream: TextDirectoryStream, unitBytes: Int) {
        self.stream = stream
        self.unitBytes = max(1, unitBytes)
    }

    /// Up to `count` next units; empty at the end of the corpus.
    public mutating func next(count: Int) throws -> [Unit] {
        var units: [Unit] = []
        while units.count < count, !exhausted {
            var unit = Unit(index: nextIndex)
            while unit.textBytes < unitBytes {
                guard let document = try stream.next() else { exhausted = true; break }
                unit.documents.append(document)
                for paragraph in document.paragraphs {
                    var text = paragraph
                    text.withUTF8 { unit.textHash = Shard.checksum(UnsafeRawBufferPointer($0), into: unit.textHash) }
                    unit.textHash = (unit.textHash ^ 0x0A) &* 0x100_0000_01B3
                    unit.textBytes += paragraph.utf8.count + 1
                }
                unit.textHash = (unit.textHash ^ 0x1E) &* 0x100_0000_01B3
            }
            if !unit.documents.isEmpty {
                units.append(unit)
                nextIndex += 1
            }
        }
        return units
    }
}
