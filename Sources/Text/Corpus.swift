import Foundation
import Tensors

/// A corpus held in memory: documents with their source labels, split by document.
///
///     let corpus = try Corpus.embedded()               // SQLite docs, WEB Bible, Devil's Dictionary
///     corpus.sources                                   // ["devils-dictionary", "sqlite-docs", "web-bible"]
///     let (training, validation) = corpus.split()      // ≈95% / 5% of documents, fixed
///
/// The embedded corpus is ≈7 MB; for larger ones use `TextDirectoryStream`, which never
/// loads a corpus whole. Introduced in Chapter 1 (Text pipeline).
public struct Corpus: Sendable, Equatable {
    /// The documents, source by source, in order.
    public var documents: [Document]

    public init(documents: [Document]) { self.documents = documents }

    /// The names of the embedded corpus files, which are its source labels.
    public static let embeddedSources = ["devils-dictionary", "sqlite-docs", "web-bible"]

    /// The embedded corpus (DATA.md): documents separated by blank lines, one paragraph a line.
    /// - Throws: `TextError.missingResource` when the package was built without it.
    public static func embedded() throws -> Corpus {
        var documents: [Document] = []
        for source in embeddedSources {
            guard let url = Bundle.module.url(forResource: source, withExtension: "txt",
                                              subdirectory: "corpus") else {
                throw TextError.missingResource("corpus/\(source).txt")
            }
            documents += try Corpus(file: url.path, source: source).documents
        }
        return Corpus(documents: documents)
    }

    /// Reads one text file: documents separated by blank lines, one paragraph a line.
    /// - Throws: the errors of `TextLineReader`, and `TextError.emptyCorpus` for a file with no text.
    public init(file path: String, source: String? = nil) throws {
        let reader = try TextLineReader(path: path)
        var splitter = DocumentSplitter(source: source ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
        var documents: [Document] = []
        while let line = try reader.nextLine() {
            if let document = splitter.add(line) { documents.append(document) }
        }
        if let document = splitter.finish() { documents.append(document) }
        if documents.isEmpty { throw TextError.emptyCorpus("'\(path)'") }
        self.documents = documents
    }

    /// The source labels present, sorted.
    public var sources: [String] { Array(Set(documents.map(\.source))).sorted() }
    /// All paragraphs, in order.
    public var paragraphs: [String] { documents.flatMap(\.paragraphs) }
    /// The UTF-8 size of all paragraphs.
    public var byteCount: Int { documents.reduce(0) { $0 + $1.byteCount } }

    /// The seed of the default split (fixed: the committed vocabulary and the HF-parity
    /// fixture depend on which documents are held out).
    public static let splitSeed: UInt64 = 0x7E4F_01D5

    /// Whether `document` is held out for validation: a hash of (seed, source, index) below
    /// `fraction`. By document, not by line, so no paragraph of a validation document is
    /// trained on; and stable: adding documents to one source does not move the others.
    public static func isValidation(_ document: Document, fraction: Double, seed: UInt64 = splitSeed) -> Bool {
        var sourceHash: UInt64 = 0xCBF2_9CE4_8422_2325   // FNV-1a over the label's bytes
        for byte in document.source.utf8 { sourceHash = (sourceHash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let draw = SeededGenerator.mix(seed ^ sourceHash, UInt64(document.index))
        return Double(draw >> 11) * 0x1p-53 < fraction
    }

    /// The training and validation corpora, split by document.
    /// - Parameters:
    ///   - validationFraction: the expected share of documents held out (0.05).
    ///   - seed: the split's seed.
    public func split(validationFraction: Double = 0.05, seed: UInt64 = splitSeed) -> (training: Corpus, validation: Corpus) {
        var training: [Document] = [], validation: [Document] = []
        for document in documents {
            if Self.isValidation(document, fraction: validationFraction, seed: seed) {
                validation.append(document)
            } else {
                training.append(document)
            }
        }
        return (Corpus(documents: training), Corpus(documents: validation))
    }
}

extension Corpus {
    /// The corpus named on a command line: `"embedded"` (the package's own), a text file, or
    /// a folder of text files (read whole into memory: fine for chapter-sized corpora).
    ///
    ///     let corpus = try Corpus.load("embedded")
    ///
    /// - Throws: `TextError.missingPath`, `.emptyCorpus` and the other reading errors, each
    ///   with a message that names the path.
    public static func load(_ specification: String) throws -> Corpus {
        if specification == "embedded" { return try .embedded() }
        var stream = try TextDirectoryStream(path: specification)
        var documents: [Document] = []
        while let document = try stream.next() { documents.append(document) }
        guard !documents.isEmpty else { throw TextError.emptyCorpus("'\(specification)'") }
        return Corpus(documents: documents)
    }
}
