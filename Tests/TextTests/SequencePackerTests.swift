import XCTest
@testable import Text

final class SequencePackerTests: XCTestCase {
    let tokenizer = Fixture.tokenizer

    func testPacksWholeSentencesWithinT() throws {
        let packer = try SequencePacker(tokenizer: tokenizer, maxLength: 12)
        let document = Document(source: "s", index: 3, paragraphs: ["God said. It was so. Light.", "There was evening."])
        let sequences = packer.pack(document)
        let vocabulary = tokenizer.vocabulary
        for sequence in sequences {
            XCTAssertLessThanOrEqual(sequence.ids.count, 12)
            XCTAssertEqual(sequence.ids.first, vocabulary.clsId)
            XCTAssertEqual(sequence.ids.last, vocabulary.sepId)
            XCTAssertEqual(sequence.source, "s")
            XCTAssertEqual(sequence.document, 3)
            // Whole sentences: every sequence ends with a sentence end.
            XCTAssertEqual(vocabulary[sequence.ids[sequence.ids.count - 2]], ".", "\(sequence.ids.map { vocabulary[$0] })")
        }
        // All tokens kept, in order.
        let expected = document.paragraphs.flatMap { tokenizer.ids($0) }
        XCTAssertEqual(sequences.flatMap { $0.ids.dropFirst().dropLast() }, expected)
    }

    func testSpansSpellTheWords() throws {
        let packer = try SequencePacker(tokenizer: tokenizer, maxLength: 32)
        let text = "Unbelievable xylophones, said Bierce. Abracadabra!"
        let sequence = try XCTUnwrap(packer.pack(Document(source: "s", index: 0, paragraphs: [text])).first)
        let words = sequence.wordSpans.map { tokenizer.vocabulary.word(spelledBy: sequence.ids[$0.range]) }
        XCTAssertEqual(words, BertPreTokenizer().words(in: text))
        XCTAssertEqual(sequence.wordSpans.first?.start, 1, "word positions count [CLS]")
        XCTAssertEqual(sequence.wordSpans.last?.end, Int32(sequence.ids.count - 1), "…and end before [SEP]")
        // Spans tile the positions between [CLS] and [SEP].
        for (a, b) in zip(sequence.wordSpans, sequence.wordSpans.dropFirst()) { XCTAssertEqual(a.end, b.start) }
    }

    func testLongSentenceIsCutAtWordBoundaries() throws {
        let packer = try SequencePacker(tokenizer: tokenizer, maxLength: 8)
        let text = "the quick brown fox jumps over the lazy dog and keeps running far away"
        let sequences = packer.pack(Document(source: "s", index: 0, paragraphs: [text]))
        XCTAssertGreaterThan(sequences.count, 1)
        var words: [String] = []
        for sequence in sequences {
            XCTAssertLessThanOrEqual(sequence.ids.count, 8)
            words += sequence.wordSpans.map { tokenizer.vocabulary.word(spelledBy: sequence.ids[$0.range]) }
        }
        XCTAssertEqual(words, BertPreTokenizer().words(in: text))
    }

    func testWordLongerThanTIsCutBetweenTokens() throws {
        let packer = try SequencePacker(tokenizer: tokenizer, maxLength: 3)
        let word = "floccinaucinihilipilification"
        let sequences = packer.pack(Document(source: "s", index: 0, paragraphs: [word]))
        XCTAssertEqual(sequences.count, tokenizer.ids(word).count)
        XCTAssertTrue(sequences.allSatisfy { $0.ids.count == 3 && $0.wordSpans == [WordSpan(start: 1, end: 2)] })
    }

    func testSequencesNeverCrossDocuments() throws {
        let packer = try SequencePacker(tokenizer: tokenizer, maxLength: 128)
        let a = packer.pack(Document(source: "a", index: 0, paragraphs: ["One."]))
        let b = packer.pack(Document(source: "b", index: 0, paragraphs: ["Two."]))
        XCTAssertEqual(a.count, 1)
        XCTAssertEqual(b.count, 1)
        XCTAssertEqual(packer.pack(Document(source: "e", index: 0, paragraphs: ["\u{7}"])), [])
    }
}
