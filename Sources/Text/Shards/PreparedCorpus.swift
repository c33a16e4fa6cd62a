import Foundation
import AtomicFiles

/// A prepared corpus: the folder `tenfold prepare` writes, described by its `manifest.json`.
///
///     let prepared = try PreparedCorpus(folder: URL(fileURLWithPath: "data/"))
///     prepared.manifest.tokens                  // how many tokens in all
///     let shards = try prepared.openShards()    // memory-mapped, checked against the vocabulary
///     prepared.vocabulary                       // the vocab.txt it was tokenized with
///
/// The folder holds `vocab.txt`, `shard-00000.bin` … (see `Shard`) and `manifest.json`, which
/// is written last: a folder without one was never finished. Introduced for full-scale
/// training (issue 23).
public struct PreparedCorpus {
    /// What `manifest.json` records.
    public struct Manifest: Codable, Equatable, Sendable {
        /// One shard's entry.
        public struct ShardEntry: Codable, Equatable, Sendable {
            public var file: String
            public var documents: Int
            public var validationDocuments: Int
            public var tokens: Int
            public var textBytes: Int
            public var checksum: String
        }
        /// One input file.
        public struct Source: Codable, Equatable, Sendable {
            public var path: String
            public var bytes: Int
        }
        public var format: Int
        /// `Vocabulary.fingerprint` in hexadecimal.
        public var vocabularyHash: String
        public var vocabularySize: Int
        public var corpus: String
        public var validationFraction: Double
        public var shardBytes: Int
        public var documents: Int
        public var tokens: Int
        public var textBytes: Int
        public var shards: [ShardEntry]
        public var sources: [Source]
    }

    public static let manifestName = "manifest.json"
    public static let vocabularyName = "vocab.txt"

    public let folder: URL
    public let manifest: Manifest
    public let vocabulary: Vocabulary

    /// Reads `manifest.json` and `vocab.txt` and checks that they agree.
    /// - Throws: `ShardError.missingManifest`, `.badManifest`, `.otherVocabulary`, `TextError` for the vocabulary.
    public init(folder: URL) throws {
        self.folder = folder
        let manifestURL = folder.appendingPathComponent(Self.manifestName)
        guard FileManager.default.fileExists(atPath: manifestURL.path) else {
            throw ShardError.missingManifest(folder.path)
        }
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifestURL))
        } catch {
            throw ShardError.badManifest(manifestURL.path, "\(error)")
        }
        guard manifest.format == 1 else { throw ShardError.badManifest(manifestURL.path, "format \(manifest.format) is not 1") }
        vocabulary = try Vocabulary(contentsOf: folder.appendingPathComponent(Self.vocabularyName))
        let hash = String(vocabulary.fingerprint, radix: 16)
        guard hash == manifest.vocabularyHash else {
            throw ShardError.otherVocabulary(folder.appendingPathComponent(Self.vocabularyName).path,
                                             shard: vocabulary.fingerprint,
                                             expected: UInt64(manifest.vocabularyHash, radix: 16) ?? 0)
        }
    }

    /// Maps every shard, checking each one's size, vocabulary and (with `verify`) checksum.
    public func openShards(verify: Bool = false) throws -> [Shard] {
        try manifest.shards.map { entry in
            let shard = try Shard(contentsOf: folder.appendingPathComponent(entry.file),
                                  vocabularyHash: vocabulary.fingerprint, verifyChecksum: verify)
            guard shard.documentCount == entry.documents, shard.tokenCount == entry.tokens,
                  String(shard.checksum, radix: 16) == entry.checksum else {
                throw ShardError.corrupt(shard.url.path)
            }
            return shard
        }
    }
}

extension Vocabulary {
    /// A 64-bit hash of the `vocab.txt` text: shards remember it, so data tokenized with one
    /// vocabulary is never read with another.
    public var fingerprint: UInt64 {
        Array(fileText.utf8).withUnsafeBytes { Shard.checksum($0) }
    }
}
