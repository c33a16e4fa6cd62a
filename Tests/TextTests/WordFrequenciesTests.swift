import XCTest
@testable import Text

final class WordFrequenciesTests: XCTestCase {
    func testCountsNormalisedWordsBeforeSubwordSplitting() {
        var frequencies = WordFrequencies()
        frequencies.add("The cat saw the other Cat.")
        frequencies.add("Unbelievable!")
        XCTAssertEqual(frequencies["cat"], 2)
        XCTAssertEqual(frequencies["the"], 2)
        XCTAssertEqual(frequencies["unbelievable"], 1)   // one word, however many tokens
        XCTAssertEqual(frequencies["."], 1)
        XCTAssertEqual(frequencies.totalWords, 9)
        XCTAssertEqual(frequencies.distinctWords, 7)
        XCTAssertEqual(frequencies.byDecreasingCount.prefix(2).map(\.word), ["cat", "the"])
    }

    func testMergeAddsCounts() {
        var a = WordFrequencies(texts: ["a b"])
        a.merge(WordFrequencies(texts: ["b c"]))
        XCTAssertEqual(a["b"], 2)
        XCTAssertEqual(a.totalWords, 4)
    }

    func testEmbeddedCorpusHasALongTail() {
        let frequencies = WordFrequencies(texts: Fixture.split.training.paragraphs)
        let rare = frequencies.counts.values.filter { $0 < 100 }.count
        let share = Double(rare) / Double(frequencies.distinctWords)
        XCTAssertGreaterThan(share, 0.85, "TNF needs a long tail of rare words")
    }
}
