import Foundation
import AtomicFiles

/// `tenfold prepare`: tokenizes a folder of text into binary shards, on all cores, in
/// constant memory, resumably.
///
///     let preparation = CorpusPreparation(corpus: "corpus/", output: URL(fileURLWithPath: "data/"),
///                                         tokenizer: tokenizer)
///     let manifest = try preparation.run { print($0) }      // progress lines
///
/// The documents of the corpus (`TextDirectoryStream`: files in sorted order) are cut into
/// units of about `shardBytes` bytes of text, at document boundaries, in reading order; unit k
/// becomes `shard-k.bin` (`Shard`). Units are read `jobs` at a time and tokenized in parallel,
/// so memory holds `jobs` units whatever the corpus size. Each shard is written atomically
/// (`AtomicFile`) and remembers the hash of its text: a preparation interrupted at any point
/// and started again re-reads the text, keeps every shard whose text and vocabulary match,
/// and tokenizes only the rest — the shards come out byte for byte as an uninterrupted run's.
/// `manifest.json` is written last. A document is held out for validation by
/// `Corpus.isValidation` (a hash of its file and its index in the file), recorded in the
/// shard's flags. Introduced for full-scale training (issue 23).
public struct CorpusPreparation {
    /// A folder of text files, or one file.
    public var corpus: String
    public var output: URL
    public var tokenizer: WordPieceTokenizer
    /// The text per shard (8 MB by default).
    public var shardBytes: Int
    /// Units tokenized at once (the cores).
    public var jobs: Int
    /// The expected share of documents held out for validation.
    public var validationFraction: Double

    public init(corpus: String, output: URL, tokenizer: WordPieceTokenizer, shardBytes: Int = 8 << 20,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount, validationFraction: Double = 0.05) {
        self.corpus = corpus; self.output = output; self.tokenizer = tokenizer
        self.shardBytes = shardBytes; self.jobs = max(1, jobs); self.validationFraction = validationFraction
    }

    /// How far a preparation has come.
    public struct Progress: Sendable, CustomStringConvertible {
        public var shards: Int
        public var reused: Int
        public var textBytes: Int
        public var tokens: Int
        public var seconds: Double
        public var description: String {
            String(format: "prepare: %d shards (%d kept from before), %.1f MB of text, %d tokens, %.2f MB/s",
                   shards, reused, Double(textBytes) / 1e6, tokens, seconds > 0 ? Double(textBytes) / 1e6 / seconds : 0)
        }
    }

    static func shardName(_ k: Int) -> String { String(format: "shard-%05d.bin", k) }

    /// Runs (or resumes) the preparation and writes the manifest.
    /// - Throws: `ShardError` when the output folder holds another vocabulary's data or other
    ///   files (nothing is overwritten then); `TextError` for unreadable input; `AtomicFileError`.
    @discardableResult
    public func run(progress: ((Progress) -> Void)? = nil) throws -> PreparedCorpus.Manifest {
        guard shardBytes > 0 else { throw TextError.invalidSetting("The shard size must be positive, not \(shardBytes) bytes.") }
        let vocabulary = tokenizer.vocabulary
        let hash = vocabulary.fingerprint
        try checkOutputFolder(vocabularyHash: hash)
        let stream = try TextDirectoryStream(path: corpus)
        removeTemporaryShards()
        try AtomicFile.write(vocabulary.fileText, to: output.appendingPathComponent(PreparedCorpus.vocabularyName))

        let start = Date()
        var entries: [PreparedCorpus.Manifest.ShardEntry] = []
        var totals = Progress(shards: 0, reused: 0, textBytes: 0, tokens: 0, seconds: 0)
        var reader = DocumentUnits(stream: stream, unitBytes: shardBytes)
        while true {
            let units = try reader.next(count: jobs)
            if units.isEmpty { break }
            // Tokenize them in parallel (or keep the shards already written for the same text).
            var results = [Result<(PreparedCorpus.Manifest.ShardEntry, Bool), Error>?](repeating: nil, count: units.count)
            results.withUnsafeMutableBufferPointer { slots in
                DispatchQueue.concurrentPerform(iterations: units.count) { k in
                    slots[k] = Result { try shard(units[k], vocabularyHash: hash) }
                }
            }
            for (unit, result) in zip(units, results) {
                let (entry, reused) = try result!.get()
                entries.append(entry)
                totals.shards += 1
                totals.reused += reused ? 1 : 0
                totals.textBytes += unit.textBytes
                totals.tokens += entry.tokens
            }
            totals.seconds = Date().timeIntervalSince(start)
            progress?(totals)
        }
        guard !entries.isEmpty else { throw TextError.emptyCorpus("'\(corpus)'") }
        let manifest = PreparedCorpus.Manifest(
            format: 1, vocabularyHash: String(hash, radix: 16), vocabularySize: vocabulary.count,
            corpus: corpus, validationFraction: validationFraction, shardBytes: shardBytes,
            documents: entries.reduce(0) { $0 + $1.documents }, tokens: totals.tokens,
            textBytes: totals.textBytes, shards: entries, sources: sources(of: reader.stream))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(manifest), to: output.appendingPathComponent(PreparedCorpus.manifestName))
        return manifest
    }

    /// Refuses a folder holding another vocabulary's data, or anything that is not ours.
    func checkOutputFolder(vocabularyHash hash: UInt64) throws {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: output.path) else { return }
        let vocabularyURL = output.appendingPathComponent(PreparedCorpus.vocabularyName)
        if fileManager.fileExists(atPath: vocabularyURL.path) {
            let existing = try Vocabulary(contentsOf: vocabularyURL)
            if existing.fingerprint != hash {
                throw ShardError.otherVocabulary(output.path, shard: existing.fingerprint, expected: hash)
            }
        }
        let names = (try? fileManager.contentsOfDirectory(atPath: output.path)) ?? []
        let foreign = names.filter {
            !$0.hasPrefix(".") && $0 != PreparedCorpus.manifestName && $0 != PreparedCorpus.vocabularyName
                && !($0.hasPrefix("shard-") && $0.hasSuffix(".bin"))
        }
        if let first = foreign.sorted().first {
            throw TextError.invalidSetting("The output folder \(output.path) holds \(first), which tenfold prepare did not write; give an empty or new folder.")
        }
    }

    /// Removes the temporary files a killed preparation left (`.shard-N.bin.tmp-…`, never renamed).
    func removeTemporaryShards() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
        for name in names where name.hasPrefix(".shard-") && name.contains(".bin.tmp-") {
            try? FileManager.default.removeItem(at: output.appendingPathComponent(name))
        }
    }

    /// Tokenizes one unit into its shard, or keeps the shard already there for the same text.
    func shard(_ unit: DocumentUnits.Unit, vocabularyHash: UInt64) throws -> (PreparedCorpus.Manifest.ShardEntry, Bool) {
        let name = Self.shardName(unit.index)
        let url = output.appendingPathComponent(name)
        func entry(_ shard: Shard) -> PreparedCorpus.Manifest.ShardEntry {
            .init(file: name, documents: shard.documentCount,
                  validationDocuments: (0..<shard.documentCount).filter(shard.isValidation).count,
                  tokens: shard.tokenCount, textBytes: unit.textBytes, checksum: String(shard.checksum, radix: 16))
        }
        if let existing = try? Shard(contentsOf: url, vocabularyHash: vocabularyHash, verifyChecksum: true),
           existing.textHash == unit.textHash, existing.documentCount == unit.documents.count {
            return (entry(existing), true)
        }
        var tokens: [UInt32] = []
        tokens.reserveCapacity(unit.textBytes / 4)
        var offsets: [UInt64] = [0]
        var validation: [Bool] = []
        var encoding = Encoding()
        for document in unit.documents {
            for paragraph in document.paragraphs {
                encoding.ids.removeAll(keepingCapacity: true)
                encoding.wordSpans.removeAll(keepingCapacity: true)
                tokenizer.encode(paragraph, into: &encoding)
                let first = tokens.count
                for id in encoding.ids { tokens.append(UInt32(bitPattern: id)) }
                for span in encoding.wordSpans where span.count > 0 { tokens[first + Int(span.start)] |= Shard.wordStartBit }
                if tokens.count > first { tokens[first] |= Shard.paragraphStartBit }
            }
            offsets.append(UInt64(tokens.count))
            validation.append(Corpus.isValidation(document, fraction: validationFraction))
        }
        let bytes = Shard.encode(vocabularyHash: vocabularyHash, textHash: unit.textHash, offsets: offsets,
                                 validation: validation, tokens: tokens)
        try AtomicFile.write(to: url) { sink in try sink.write(bytes) }
        return (entry(try Shard(contentsOf: url, vocabularyHash: vocabularyHash)), false)
    }

    func sources(of stream: TextDirectoryStream) -> [PreparedCorpus.Manifest.Source] {
        let root = URL(fileURLWithPath: stream.root).path
        return stream.files.map { file in
            let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            let relative = file == root ? URL(fileURLWithPath: file).lastPathComponent
                : String(file.dropFirst(root.count).drop { $0 == "/" })
            return .init(path: relative, bytes: bytes ?? 0)
        }
    }
}
