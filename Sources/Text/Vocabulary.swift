import Foundation

/// The token list of a WordPiece model: token strings, their ids, and which are special.
///
///     let vocabulary = try Vocabulary.embedded()         // the committed 8 192 tokens
///     vocabulary.count                                   // 8192
///     vocabulary[vocabulary.maskId]                      // "[MASK]"
///     vocabulary.id(of: "##ing")                         // an id, or nil
///
/// The id of a token is its line number (from 0) in the standard `vocab.txt`. Tenfold puts
/// [PAD] [UNK] [CLS] [SEP] [MASK] first (ids 0–4) in the vocabularies it trains, but reads
/// any vocab.txt that has them somewhere (Google's BERT files have [PAD] at 0, [UNK] at 100).
/// Introduced in Chapter 1 (Text pipeline).
public struct Vocabulary: Sendable, Equatable {
    /// The special tokens every Tenfold vocabulary needs, in the order Tenfold writes them.
    public static let requiredSpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    /// Token strings by id.
    public let tokens: [String]
    /// Ids by token string.
    public let ids: [String: Int32]
    public let padId: Int32
    public let unknownId: Int32
    public let clsId: Int32
    public let sepId: Int32
    public let maskId: Int32
    /// `isSpecial[id]`: the five required specials and any bracketed token such as
    /// `[unused0]`. Masking never picks these, and random replacement never draws them.
    public let isSpecial: [Bool]
    /// The ids that are not special, in order: the pool random replacement draws from.
    public let ordinaryIds: [Int32]

    /// Builds a vocabulary from its tokens, in id order.
    ///
    /// - Parameters:
    ///   - tokens: one string per id; unique, non-empty, including the five specials.
    ///   - origin: names the source in error messages (a path, or "vocabulary").
    /// - Throws: `TextError.duplicateToken`, `.emptyToken`, `.missingSpecialTokens`.
    public init(tokens: [String], origin: String = "vocabulary") throws {
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (line, token) in tokens.enumerated() {
            if token.isEmpty { throw TextError.emptyToken(path: origin, line: line + 1) }
            if let first = ids[token] {
                throw TextError.duplicateToken(path: origin, token: token,
                                               firstLine: Int(first) + 1, secondLine: line + 1)
            }
            ids[token] = Int32(line)
        }
        let missing = Self.requiredSpecialTokens.filter { ids[$0] == nil }
        if !missing.isEmpty { throw TextError.missingSpecialTokens(path: origin, missing: missing) }
        self.tokens = tokens
        self.ids = ids
        padId = ids["[PAD]"]!
        unknownId = ids["[UNK]"]!
        clsId = ids["[CLS]"]!
        sepId = ids["[SEP]"]!
        maskId = ids["[MASK]"]!
        let special = tokens.map(Self.looksSpecial)
        isSpecial = special
        ordinaryIds = special.indices.filter { !special[$0] }.map { Int32($0) }
    }

    /// A token of the form `[NAME]` (letters, digits, `_`), as BERT's specials and its
    /// `[unused0]` reserve are. A single `[` or `]` is punctuation, not special.
    static func looksSpecial(_ token: String) -> Bool {
        guard token.count >= 3, token.first == "[", token.last == "]" else { return false }
        return token.dropFirst().dropLast().allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// How many tokens.
    public var count: Int { tokens.count }

    /// The token string of `id`.
    public subscript(id: Int32) -> String { tokens[Int(id)] }

    /// The id of `token`, or nil when it is not in the vocabulary.
    public func id(of token: String) -> Int32? { ids[token] }

    /// The word a run of WordPiece tokens spells: `["un", "##believ", "##able"]` → "unbelievable".
    public func word(spelledBy tokenIds: some Sequence<Int32>) -> String {
        var word = ""
        for id in tokenIds {
            let token = self[id]
            word += token.hasPrefix("##") ? String(token.dropFirst(2)) : token
        }
        return word
    }

    // MARK: vocab.txt

    /// Reads a standard `vocab.txt`: one token per line, the line number (from 0) its id.
    ///
    /// A final newline is optional; `\r\n` line ends and a leading byte-order mark (as some
    /// Windows editors write) are accepted.
    /// - Throws: `TextError.missingPath`, `.unreadable` (also for a folder or a device, which
    ///   is not a file to read to its end), `.emptyCorpus` (an empty file), `.emptyToken`,
    ///   `.duplicateToken`, `.missingSpecialTokens`.
    public init(contentsOf url: URL) throws {
        let path = url.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw TextError.missingPath(path) }
        if isFolder.boolValue {
            throw TextError.unreadable(path: path, reason: "it is a folder; give the vocab.txt file inside it")
        }
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        guard type == .typeRegular else {
            throw TextError.unreadable(path: path, reason: "it is not a regular file (a device, a pipe or a socket); "
                                           + "give a vocab.txt file")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TextError.unreadable(path: path, reason: TextError.reason(error))
        }
        try self.init(fileContents: data, origin: path)
    }

    /// Parses the bytes of a `vocab.txt` as `init(contentsOf:)` does; `origin` names them in
    /// errors.
    ///
    /// - Throws: `TextError.binaryFile`, `.emptyCorpus`, `.emptyToken`, `.duplicateToken`,
    ///   `.missingSpecialTokens`.
    public init(fileContents data: Data, origin path: String) throws {
        if looksBinary(data) { throw TextError.binaryFile(path) }
        var text = DecodedText(bytes: data).text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // "\r\n" is one Character in Swift, so split on both kinds of line end.
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map(String.init)
        if lines.last == "" { lines.removeLast() }
        if lines.isEmpty { throw TextError.emptyCorpus("The vocabulary file '\(path)'") }
        try self.init(tokens: lines, origin: path)
    }

    /// The `vocab.txt` text: each token followed by a newline.
    public var fileText: String { tokens.map { $0 + "\n" }.joined() }

    /// Writes the standard `vocab.txt`.
    public func write(to url: URL) throws {
        do { try Data(fileText.utf8).write(to: url, options: .atomic) } catch {
            throw TextError.unreadable(path: url.path, reason: "cannot write it (\(TextError.reason(error)))")
        }
    }

    /// The default 8 192-token vocabulary of the embedded corpus (`corpus/vocab.txt`), trained
    /// by `WordPieceTrainer.embeddedDefault` on the training split.
    public static func embedded() throws -> Vocabulary {
        guard let url = Bundle.module.url(forResource: "vocab", withExtension: "txt",
                                          subdirectory: "corpus") else {
            throw TextError.missingResource("corpus/vocab.txt")
        }
        return try Vocabulary(contentsOf: url)
    }
}
