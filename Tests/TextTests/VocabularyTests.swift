import XCTest
@testable import Text

final class VocabularyTests: XCTestCase {
    func testEmbeddedVocabularyHasSpecialsFirst() throws {
        let vocabulary = try Vocabulary.embedded()
        XCTAssertEqual(vocabulary.count, 8192)
        XCTAssertEqual(Array(vocabulary.tokens.prefix(5)), Vocabulary.requiredSpecialTokens)
        XCTAssertEqual([vocabulary.padId, vocabulary.unknownId, vocabulary.clsId, vocabulary.sepId, vocabulary.maskId], [0, 1, 2, 3, 4])
        XCTAssertEqual(vocabulary[5], "[unused0]")
        XCTAssertTrue(vocabulary.isSpecial[9])
        XCTAssertFalse(vocabulary.isSpecial[10])
        XCTAssertEqual(vocabulary.ordinaryIds.count, 8192 - 10)
    }

    func testRoundTripsThroughVocabTxt() throws {
        let folder = Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = Fixture.vocabulary(["a", "##b", "[", "]", "é"])
        let url = folder.appendingPathComponent("vocab.txt")
        try vocabulary.write(to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\n##b\n[\n]\né\n")
        XCTAssertEqual(try Vocabulary(contentsOf: url), vocabulary)
        XCTAssertFalse(vocabulary.isSpecial[Int(vocabulary.id(of: "[")!)])
    }

    func testReadsCRLFAndMissingFinalNewline() throws {
        let folder = Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("vocab.txt")
        try "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\n[MASK]\r\nx".write(to: url, atomically: true, encoding: .utf8)
        let vocabulary = try Vocabulary(contentsOf: url)
        XCTAssertEqual(vocabulary.tokens.last, "x")
        XCTAssertEqual(vocabulary.count, 6)
    }

    func testAcceptsSpecialsAnywhere() throws {
        let vocabulary = try Vocabulary(tokens: ["a", "[UNK]", "[MASK]", "b", "[SEP]", "[CLS]", "[PAD]"])
        XCTAssertEqual(vocabulary.unknownId, 1)
        XCTAssertEqual(vocabulary.padId, 6)
        XCTAssertEqual(vocabulary.ordinaryIds, [0, 3])
    }

    func testWordSpelledByTokens() {
        let vocabulary = Fixture.vocabulary(["un", "##believ", "##able"])
        XCTAssertEqual(vocabulary.word(spelledBy: [5, 6, 7]), "unbelievable")
    }
}
