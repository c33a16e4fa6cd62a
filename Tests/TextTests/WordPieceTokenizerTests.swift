import XCTest
@testable import Text

final class WordPieceTokenizerTests: XCTestCase {
    let tokenizer = WordPieceTokenizer(vocabulary: Fixture.vocabulary(
        ["un", "##bel", "##believ", "##able", "##a", "##b", "##l", "##e", "a", "b", "play", "##ing", "!", "中"]),
        maxWordCharacters: 12)

    func testGreedyLongestMatchFirst() {
        XCTAssertEqual(tokenizer.tokens("Unbelievable playing!"), ["un", "##believ", "##able", "play", "##ing", "!"])
    }

    func testGreedyDoesNotBacktrack() {
        // With "unb" in the vocabulary, greedy takes it and then cannot spell "##elievable".
        let greedy = WordPieceTokenizer(vocabulary: Fixture.vocabulary(["un", "unb", "##believ", "##able"]))
        XCTAssertEqual(greedy.tokens("unbelievable"), ["[UNK]"])
    }

    func testContinuationsUseHashes() {
        XCTAssertEqual(tokenizer.tokens("able"), ["a", "##b", "##l", "##e"])
        XCTAssertEqual(tokenizer.tokens("Abba"), ["a", "##b", "##b", "##a"])
    }

    func testUnmatchableWordIsOneUnknown() {
        // "playz": no token for "##z", so the whole word is [UNK], not "play [UNK]".
        XCTAssertEqual(tokenizer.tokens("playz play"), ["[UNK]", "play"])
    }

    func testOverlongWordIsUnknown() {
        XCTAssertEqual(tokenizer.tokens("ababababababa ab"), ["[UNK]", "a", "##b"])   // 13 > 12 scalars
        XCTAssertEqual(tokenizer.tokens("abababababab"), ["a"] + Array(repeating: ["##b", "##a"], count: 6).flatMap { $0 }.dropLast())
    }

    func testWordSpansCoverEveryToken() {
        let encoding = tokenizer.encode("Able play! zz 中")
        XCTAssertEqual(encoding.wordSpans.map(\.range), [0..<4, 4..<5, 5..<6, 6..<7, 7..<8])
        XCTAssertEqual(encoding.wordIndex, [0, 0, 0, 0, 1, 2, 3, 4])
        XCTAssertEqual(encoding.ids.count, 8)
    }

    func testEncodeIntoAppendsWithOffsets() {
        var encoding = tokenizer.encode("play")
        tokenizer.encode("playing", into: &encoding)
        XCTAssertEqual(encoding.wordSpans.map(\.range), [0..<1, 1..<3])
    }

    func testEmbeddedTokenizerSplitsRareWords() {
        let tokens = Fixture.tokenizer.tokens("The database was vacuumed.")
        XCTAssertEqual(tokens.first, "the")
        XCTAssertEqual(tokens.last, ".")
        XCTAssertTrue(tokens.contains("database"), "tokens: \(tokens)")
        XCTAssertEqual(Fixture.tokenizer.vocabulary.word(spelledBy: Fixture.tokenizer.ids("vacuumed")), "vacuumed")
    }
}
