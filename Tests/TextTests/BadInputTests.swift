import XCTest
@testable import Text

/// Every bad input of the text pipeline gets a clear error or a documented behaviour; none crashes.
final class BadInputTests: XCTestCase {
    var folder: URL!

    override func setUp() { folder = Fixture.temporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testMissingPath() {
        let path = folder.appendingPathComponent("nowhere.txt").path
        XCTAssertThrowsError(try TextLineReader(path: path)) { XCTAssertEqual($0 as? TextError, .missingPath(path)) }
        XCTAssertThrowsError(try Corpus(file: path)) { XCTAssertEqual($0 as? TextError, .missingPath(path)) }
        XCTAssertThrowsError(try TextDirectoryStream(path: path)) { XCTAssertEqual($0 as? TextError, .missingPath(path)) }
        XCTAssertThrowsError(try Vocabulary(contentsOf: URL(fileURLWithPath: path))) { XCTAssertEqual($0 as? TextError, .missingPath(path)) }
        XCTAssertTrue(TextError.missingPath(path).description.contains(path))
    }

    func testAFolderWhereAFileIsExpected() {
        XCTAssertThrowsError(try TextLineReader(path: folder.path)) { error in
            guard case .unreadable = error as? TextError else { return XCTFail("\(error)") }
        }
    }

    func testEmptyCorpus() throws {
        let empty = folder.appendingPathComponent("empty.txt")
        Fixture.write([], to: empty)
        XCTAssertThrowsError(try Corpus(file: empty.path)) { XCTAssertEqual($0 as? TextError, .emptyCorpus("'\(empty.path)'")) }
        let blank = folder.appendingPathComponent("blank.txt")
        Fixture.write(Array("\n \n\t\n".utf8), to: blank)
        XCTAssertThrowsError(try Corpus(file: blank.path))
        let emptyFolder = folder.appendingPathComponent("nothing")
        try FileManager.default.createDirectory(at: emptyFolder, withIntermediateDirectories: true)
        XCTAssertThrowsError(try TextDirectoryStream(path: emptyFolder.path)) { error in
            guard case .emptyCorpus = error as? TextError else { return XCTFail("\(error)") }
        }
        // A folder of empty files: the stream finds no document, and batching says so.
        var batches = try StreamingBatches(path: folder.path, packer: SequencePacker(tokenizer: Fixture.tokenizer, maxLength: 16), batchSize: 2, seed: 0)
        XCTAssertThrowsError(try batches.next()) { error in
            guard case .emptyCorpus = error as? TextError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try WordPieceTrainer().train(WordFrequencies()))
    }

    func testBinaryFile() throws {
        let binary = folder.appendingPathComponent("image.png")
        Fixture.write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D], to: binary)
        XCTAssertThrowsError(try TextLineReader(path: binary.path)) { XCTAssertEqual($0 as? TextError, .binaryFile(binary.path)) }
        XCTAssertThrowsError(try Vocabulary(contentsOf: binary)) { XCTAssertEqual($0 as? TextError, .binaryFile(binary.path)) }
        var single = try TextDirectoryStream(path: binary.path)
        XCTAssertThrowsError(try single.next()) { XCTAssertEqual($0 as? TextError, .binaryFile(binary.path)) }
        // Inside a folder, a binary file is skipped and listed; the text files are read.
        try "Some text.\n".write(to: folder.appendingPathComponent("text.txt"), atomically: true, encoding: .utf8)
        var stream = try TextDirectoryStream(path: folder.path)
        var documents: [Document] = []
        while let document = try stream.next() { documents.append(document) }
        XCTAssertEqual(documents, [Document(source: "text.txt", index: 0, paragraphs: ["Some text."])])
        XCTAssertEqual(stream.skippedBinaryFiles, [binary.path])
    }

    func testInvalidUTF8IsReplacedAndCounted() throws {
        let decoded = DecodedText(bytes: [0x61, 0xFF, 0x62, 0xE2, 0x82, 0x63, 0xC3, 0xA9])
        XCTAssertEqual(decoded.text, "a\u{FFFD}b\u{FFFD}cé")
        XCTAssertEqual(decoded.invalidSequences, 2)
        let file = folder.appendingPathComponent("latin1.txt")
        Fixture.write(Array("caf".utf8) + [0xE9] + Array(" au lait\nna".utf8) + [0xEF] + Array("ve\n".utf8), to: file)
        let reader = try TextLineReader(path: file.path)
        XCTAssertEqual(try reader.nextLine(), "caf\u{FFFD} au lait")
        XCTAssertEqual(try reader.nextLine(), "na\u{FFFD}ve")
        XCTAssertNil(try reader.nextLine())
        XCTAssertEqual(reader.invalidSequences, 2)
        // The normaliser drops U+FFFD, as BERT does: the word loses a letter, nothing crashes.
        XCTAssertEqual(BertPreTokenizer().words(in: "caf\u{FFFD} au lait"), ["caf", "au", "lait"])
    }

    func testTenMegabyteSingleLine() throws {
        let file = folder.appendingPathComponent("long.txt")
        let sentence = Array("The quick brown fox jumps over the lazy dog. ".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10_500_000)
        while bytes.count < 10_000_000 { bytes += sentence }
        Fixture.write(bytes, to: file)
        // Read in 64 KiB chunks: the newline search must not restart from the line's beginning.
        let reader = try TextLineReader(path: file.path, chunkSize: 1 << 16)
        let line = try XCTUnwrap(reader.nextLine())
        XCTAssertEqual(line.utf8.count, bytes.count)   // no newline at all: the whole file is the line
        XCTAssertNil(try reader.nextLine())
        let ids = Fixture.tokenizer.ids(line)
        let perSentence = Fixture.tokenizer.ids(String(decoding: sentence, as: UTF8.self)).count
        XCTAssertEqual(ids.count, bytes.count / sentence.count * perSentence)
        // Packed, it becomes many sequences of at most T, each of whole sentences.
        let packer = try SequencePacker(tokenizer: Fixture.tokenizer, maxLength: 128)
        let sequences = packer.pack(Document(source: "long", index: 0, paragraphs: [line]))
        XCTAssertTrue(sequences.allSatisfy { $0.ids.count <= 128 })
        XCTAssertEqual(sequences.reduce(0) { $0 + $1.ids.count - 2 }, ids.count)
        // One 10 MB word: longer than 100 characters, so a single [UNK].
        let word = String(repeating: "a", count: 10_000_000)
        XCTAssertEqual(Fixture.tokenizer.ids(word), [Fixture.tokenizer.vocabulary.unknownId])
    }

    func testVocabularyWithDuplicates() throws {
        let url = folder.appendingPathComponent("vocab.txt")
        try "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nof\nthe\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Vocabulary(contentsOf: url)) { error in
            XCTAssertEqual(error as? TextError, .duplicateToken(path: url.path, token: "the", firstLine: 6, secondLine: 8))
            XCTAssertTrue("\(error)".contains("line 6 and again on line 8"), "\(error)")
        }
    }

    func testVocabularyMissingSpecials() throws {
        let url = folder.appendingPathComponent("vocab.txt")
        try "[PAD]\n[UNK]\nthe\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Vocabulary(contentsOf: url)) { error in
            XCTAssertEqual(error as? TextError, .missingSpecialTokens(path: url.path, missing: ["[CLS]", "[SEP]", "[MASK]"]))
        }
        try "[PAD]\n[UNK]\n\n[CLS]\n[SEP]\n[MASK]\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Vocabulary(contentsOf: url)) { XCTAssertEqual($0 as? TextError, .emptyToken(path: url.path, line: 3)) }
        try "".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Vocabulary(contentsOf: url)) { error in
            guard case .emptyCorpus = error as? TextError else { return XCTFail("\(error)") }
        }
    }

    /// Editors on Windows start UTF-8 files with a byte-order mark; it is not part of [PAD].
    func testVocabularyWithAByteOrderMark() throws {
        let url = folder.appendingPathComponent("vocab.txt")
        try "\u{FEFF}[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Vocabulary(contentsOf: url).tokens.first, "[PAD]")
    }

    /// A device never ends (/dev/zero) or blocks: a vocabulary must be a regular file.
    func testAVocabularyThatIsNotARegularFile() {
        XCTAssertThrowsError(try Vocabulary(contentsOf: URL(fileURLWithPath: "/dev/zero"))) { error in
            XCTAssert("\(error)".contains("/dev/zero") && "\(error)".contains("not a regular file"), "\(error)")
        }
        XCTAssertThrowsError(try Vocabulary(contentsOf: folder)) { error in
            XCTAssert("\(error)".contains(folder.path) && "\(error)".contains("folder"), "\(error)")
        }
    }

    func testInvalidSettings() {
        XCTAssertThrowsError(try SequencePacker(tokenizer: Fixture.tokenizer, maxLength: 2))
        XCTAssertThrowsError(try StreamingBatches(path: folder.path, packer: SequencePacker(tokenizer: Fixture.tokenizer, maxLength: 8), batchSize: 0, seed: 0))
    }
}
