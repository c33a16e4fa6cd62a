import XCTest
@testable import Text

final class BertPreTokenizerTests: XCTestCase {
    let pre = BertPreTokenizer()

    func testLowerCasesAndSplitsPunctuation() {
        XCTAssertEqual(pre.words(in: "Hello, WORLD! It's 3.14"),
                       ["hello", ",", "world", "!", "it", "'", "s", "3", ".", "14"])
    }

    func testStripsAccents() {
        XCTAssertEqual(pre.words(in: "Café naïve Ångström Straße"), ["cafe", "naive", "angstrom", "straße"])
    }

    func testSplitsCJKOneByOne() {
        XCTAssertEqual(pre.words(in: "abc中文def"), ["abc", "中", "文", "def"])
    }

    func testDropsControlsAndReplacementCharacter() {
        XCTAssertEqual(pre.words(in: "a\u{0}b\u{7}c \u{200B}d\u{FFFD}e\u{1}"), ["abc", "de"])
    }

    func testWhitespaceOfAllKinds() {
        XCTAssertEqual(pre.words(in: " a\tb\nc\r\nd\u{00A0}e\u{3000}f  "), ["a", "b", "c", "d", "e", "f"])
    }

    func testUnicodePunctuationIsAWord() {
        XCTAssertEqual(pre.words(in: "so—called «quote»"), ["so", "—", "called", "«", "quote", "»"])
    }

    func testScalarCountIsReported() {
        var counts: [Int] = []
        pre.forEachWord(in: "Éa 中 abc") { _, scalars in counts.append(scalars) }
        XCTAssertEqual(counts, [2, 1, 3])
    }

    func testEmptyAndBlankTextHaveNoWords() {
        XCTAssertEqual(pre.words(in: ""), [])
        XCTAssertEqual(pre.words(in: " \n\t "), [])
    }
}
