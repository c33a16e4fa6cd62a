import XCTest
@testable import Text

final class WordPieceTrainerTests: XCTestCase {
    func testRetrainingReproducesTheCommittedVocabulary() throws {
        let frequencies = WordFrequencies(texts: Fixture.split.training.paragraphs)
        let trained = try WordPieceTrainer.embeddedDefault.train(frequencies)
        let committed = try Vocabulary.embedded()
        XCTAssertEqual(trained.count, committed.count)
        let differences = zip(trained.tokens, committed.tokens).enumerated().filter { $0.element.0 != $0.element.1 }
        XCTAssertTrue(differences.isEmpty, "\(differences.count) ids differ; first: " +
            differences.prefix(5).map { "id \($0.offset): trained '\($0.element.0)' vs committed '\($0.element.1)'" }.joined(separator: ", ") +
            ". If the corpus or trainer changed on purpose, run tenfold tokenize --train-vocab Sources/Text/Resources/corpus/vocab.txt")
    }

    func testSmallCorpusMergesFrequentPairsFirst() throws {
        let frequencies = WordFrequencies(texts: Array(repeating: "low lower lowest newer wider", count: 3))
        let trainer = WordPieceTrainer(vocabularySize: 40, reservedTokens: 2)
        let vocabulary = try trainer.train(frequencies)
        XCTAssertEqual(Array(vocabulary.tokens.prefix(7)), Vocabulary.requiredSpecialTokens + ["[unused0]", "[unused1]"])
        // Every character is there as a word start and as a continuation.
        for character in "lowerndsti" {
            XCTAssertNotNil(vocabulary.id(of: String(character)), "\(character)")
            XCTAssertNotNil(vocabulary.id(of: "##" + String(character)), "##\(character)")
        }
        XCTAssertNotNil(vocabulary.id(of: "low"))
        XCTAssertNotNil(vocabulary.id(of: "##er"))
        let tokenizer = WordPieceTokenizer(vocabulary: vocabulary)
        XCTAssertEqual(tokenizer.vocabulary.word(spelledBy: tokenizer.ids("lowest")), "lowest")
        XCTAssertFalse(tokenizer.ids("lowest wider").contains(vocabulary.unknownId))
    }

    func testTrainingIsDeterministic() throws {
        let frequencies = WordFrequencies(texts: Fixture.split.validation.paragraphs)
        let trainer = WordPieceTrainer(vocabularySize: 1000)
        XCTAssertEqual(try trainer.train(frequencies), try trainer.train(frequencies))
    }

    func testStopsWhenNoPairIsFrequentEnough() throws {
        let vocabulary = try WordPieceTrainer(vocabularySize: 1000).train(WordFrequencies(texts: ["ab cd"]))
        XCTAssertEqual(vocabulary.count, 10 + 8)   // specials, reserve, a b c d ##a ##b ##c ##d
    }

    func testRejectsEmptyTextAndImpossibleSizes() {
        XCTAssertThrowsError(try WordPieceTrainer().train(WordFrequencies(texts: ["", "  "]))) { error in
            XCTAssertEqual(error as? TextError, .emptyCorpus("The training text"))
        }
        XCTAssertThrowsError(try WordPieceTrainer(vocabularySize: 12).train(WordFrequencies(texts: ["abc"])))
        XCTAssertThrowsError(try WordPieceTrainer(specialTokens: ["[CLS]"]).train(WordFrequencies(texts: ["abc"])))
    }
}
