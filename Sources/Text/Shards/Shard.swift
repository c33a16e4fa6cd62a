import Foundation

/// One binary shard of a prepared corpus: the documents of a stretch of text, tokenized.
///
///     let shard = try Shard(contentsOf: url, vocabularyHash: manifest.vocabularyHash)  // memory-mapped
///     shard.documentCount, shard.tokenCount
///     shard.tokens(ofDocument: 3)            // [N_d] packed tokens: id, word start, paragraph start
///     Shard.id(shard.tokens[0]), Shard.startsWord(shard.tokens[0])
///
/// Layout (little-endian): the magic `TFSHARD1`; six UInt64 — the vocabulary's hash, the hash
/// of the text the shard was made from, D documents, N tokens, a checksum of everything after
/// the header, and a reserved 0; then D + 1 UInt64 document offsets (in tokens, the first 0,
/// the last N); D flag bytes (bit 0: a validation document), padded to a multiple of 8; then
/// N UInt32 tokens. A token holds its id in bits 0–29, bit 30 set on the first token of a
/// paragraph and bit 31 on the first token of a word — what packing (whole sentences) and
/// TNF (whole words) need. The file is read through `mmap`, so opening a gigabyte of shards
/// costs no memory beyond the pages the batches touch.
/// Introduced for full-scale training (issue 23).
public final class Shard {
    public static let magic = Array("TFSHARD1".utf8)
    static let headerSize = 56
    public static let wordStartBit: UInt32 = 1 << 31
    public static let paragraphStartBit: UInt32 = 1 << 30
    public static let idMask: UInt32 = (1 << 30) - 1

    /// The file.
    public let url: URL
    /// The hash of the vocabulary it was tokenized with (`Vocabulary.fingerprint`).
    public let vocabularyHash: UInt64
    /// The hash of the text it was made from (a resumed preparation compares it).
    public let textHash: UInt64
    /// D.
    public let documentCount: Int
    /// N.
    public let tokenCount: Int
    /// The checksum stored in the header.
    public let checksum: UInt64
    private let mapping: UnsafeRawBufferPointer
    /// The document offsets, D + 1 of them. [D + 1]
    public let offsets: UnsafeBufferPointer<UInt64>
    /// The document flags (bit 0: validation). [D]
    public let flags: UnsafeBufferPointer<UInt8>
    /// The packed tokens. [N]
    public let tokens: UnsafeBufferPointer<UInt32>

    /// Maps `url` and checks its header and size.
    /// - Parameters:
    ///   - vocabularyHash: when given, a shard from another vocabulary is an error.
    ///   - verifyChecksum: recompute the checksum over the whole file (reads every page).
    /// - Throws: `ShardError` — missing, truncated, not a shard, another vocabulary, corrupt.
    public init(contentsOf url: URL, vocabularyHash expected: UInt64? = nil, verifyChecksum: Bool = false) throws {
        self.url = url
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ShardError.missing(url.path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ShardError.missing(url.path) }
        let size = Int(status.st_size)
        guard size >= Self.headerSize else { throw ShardError.truncated(url.path, expected: Self.headerSize, actual: size) }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else {
            throw ShardError.unreadable(url.path, String(cString: strerror(errno)))
        }
        let mapped = UnsafeRawBufferPointer(start: base, count: size)
        mapping = mapped
        func word(_ k: Int) -> UInt64 { UInt64(littleEndian: mapped.loadUnaligned(fromByteOffset: 8 + 8 * k, as: UInt64.self)) }
        guard Array(mapped[0..<8]) == Self.magic else {
            munmap(base, size)
            throw ShardError.notAShard(url.path)
        }
        vocabularyHash = word(0); textHash = word(1)
        documentCount = Int(word(2)); tokenCount = Int(word(3)); checksum = word(4)
        let expectedSize = Self.size(documents: documentCount, tokens: tokenCount)
        guard documentCount >= 0, tokenCount >= 0, expectedSize == size else {
            munmap(base, size)
            throw ShardError.truncated(url.path, expected: expectedSize, actual: size)
        }
        if let expected, expected != vocabularyHash {
            munmap(base, size)
            throw ShardError.otherVocabulary(url.path, shard: vocabularyHash, expected: expected)
        }
        let offsetsStart = Self.headerSize
        let flagsStart = offsetsStart + 8 * (documentCount + 1)
        let tokensStart = flagsStart + Self.padded(documentCount)
        offsets = UnsafeBufferPointer(start: (base + offsetsStart).assumingMemoryBound(to: UInt64.self),
                                      count: documentCount + 1)
        flags = UnsafeBufferPointer(start: (base + flagsStart).assumingMemoryBound(to: UInt8.self), count: documentCount)
        tokens = UnsafeBufferPointer(start: (base + tokensStart).assumingMemoryBound(to: UInt32.self), count: tokenCount)
        let consistent = offsets.first == 0 && offsets.last == UInt64(tokenCount)
            && zip(offsets.dropFirst(), offsets).allSatisfy { $0 >= $1 }
        if !consistent || (verifyChecksum && Self.checksum(UnsafeRawBufferPointer(rebasing: mapped[Self.headerSize...])) != checksum) {
            munmap(base, size)
            throw ShardError.corrupt(url.path)
        }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: mapping.baseAddress), mapping.count) }

    /// The packed tokens of document `d`.
    public func tokens(ofDocument d: Int) -> UnsafeBufferPointer<UInt32> {
        UnsafeBufferPointer(rebasing: tokens[Int(offsets[d])..<Int(offsets[d + 1])])
    }

    /// Whether document `d` is held out for validation.
    public func isValidation(_ d: Int) -> Bool { flags[d] & 1 != 0 }

    @inline(__always) public static func id(_ token: UInt32) -> Int32 { Int32(bitPattern: token & idMask) }
    @inline(__always) public static func startsWord(_ token: UInt32) -> Bool { token & wordStartBit != 0 }
    @inline(__always) public static func startsParagraph(_ token: UInt32) -> Bool { token & paragraphStartBit != 0 }

    static func padded(_ n: Int) -> Int { (n + 7) / 8 * 8 }

    /// The file size of a shard of `documents` documents and `tokens` tokens.
    static func size(documents: Int, tokens: Int) -> Int {
        headerSize + 8 * (documents + 1) + padded(documents) + 4 * tokens
    }

    /// A 64-bit checksum: FNV-1a over the bytes taken eight at a time (then the tail).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, into seed: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 {
        var hash = seed
        let words = bytes.count / 8
        for k in 0..<words {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)) &* 0x100_0000_01B3
        }
        for k in (8 * words)..<bytes.count { hash = (hash ^ UInt64(bytes[k])) &* 0x100_0000_01B3 }
        return hash
    }

    /// Serialises a shard: the header, the offsets, the flags and the tokens.
    /// - Parameters:
    ///   - offsets: D + 1 document offsets into `tokens`, from 0 to N.
    ///   - validation: D flags.
    public static func encode(vocabularyHash: UInt64, textHash: UInt64, offsets: [UInt64], validation: [Bool],
                              tokens: [UInt32]) -> [UInt8] {
        let documents = validation.count
        precondition(offsets.count == documents + 1 && offsets.last == UInt64(tokens.count))
        var body = [UInt8]()
        body.reserveCapacity(size(documents: documents, tokens: tokens.count) - headerSize)
        offsets.withUnsafeBytes { body += $0 }
        body += validation.map { $0 ? 1 : 0 }
        body += [UInt8](repeating: 0, count: padded(documents) - documents)
        tokens.withUnsafeBytes { body += $0 }
        let sum = body.withUnsafeBytes { checksum($0) }
        var header = magic
        for value in [vocabularyHash, textHash, UInt64(documents), UInt64(tokens.count), sum, 0] {
            withUnsafeBytes(of: value.littleEndian) { header += $0 }
        }
        return header + body
    }
}

/// What can be wrong with a prepared-data folder or one of its shards; each says what to do.
/// Introduced for full-scale training (issue 23).
public enum ShardError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case unreadable(String, String)
    case notAShard(String)
    case truncated(String, expected: Int, actual: Int)
    case corrupt(String)
    case otherVocabulary(String, shard: UInt64, expected: UInt64)
    case missingManifest(String)
    case badManifest(String, String)

    public var description: String {
        switch self {
        case .missing(let path):
            return "The shard \(path) is missing; run tenfold prepare again with the same arguments to rebuild it."
        case .unreadable(let path, let reason):
            return "Could not map the shard \(path): \(reason)."
        case .notAShard(let path):
            return "\(path) is not a Tenfold shard (it does not begin with TFSHARD1)."
        case .truncated(let path, let expected, let actual):
            return "The shard \(path) is truncated or damaged: its header announces \(expected) bytes but the file has \(actual); run tenfold prepare again to rebuild it."
        case .corrupt(let path):
            return "The shard \(path) is corrupt (its checksum or document offsets do not match); run tenfold prepare again to rebuild it."
        case .otherVocabulary(let path, let shard, let expected):
            return "The shard \(path) was tokenized with another vocabulary (hash \(String(shard, radix: 16)), not \(String(expected, radix: 16))); prepare the corpus again with this vocabulary."
        case .missingManifest(let folder):
            return "\(folder) has no manifest.json: it is not a prepared corpus, or tenfold prepare did not finish (run it again: it resumes)."
        case .badManifest(let path, let reason):
            return "The manifest \(path) cannot be read: \(reason)."
        }
    }
}
