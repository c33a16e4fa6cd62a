import XCTest
@testable import Text

final class CorpusTests: XCTestCase {
    func testEmbeddedCorpusHasThreeLabelledSources() {
        let corpus = Fixture.corpus
        XCTAssertEqual(corpus.sources, ["devils-dictionary", "sqlite-docs", "web-bible"])
        XCTAssertGreaterThan(corpus.byteCount, 6_000_000)
        XCTAssertTrue(corpus.documents.allSatisfy { !$0.paragraphs.isEmpty && $0.paragraphs.allSatisfy { !$0.isEmpty } })
        let bible = corpus.documents.filter { $0.source == "web-bible" }
        XCTAssertEqual(bible.count, 1189)   // one document per chapter
        XCTAssertTrue(bible[0].paragraphs[0].hasPrefix("In the beginning God created"))
        XCTAssertFalse(bible.contains { $0.paragraphs.contains { $0.contains("`") } }, "backtick apostrophes are normalised")
    }

    func testSplitIsByDocumentDeterministicAndAboutFivePercent() {
        let (training, validation) = Fixture.split
        XCTAssertEqual(training.documents.count + validation.documents.count, Fixture.corpus.documents.count)
        let share = Double(validation.documents.count) / Double(Fixture.corpus.documents.count)
        XCTAssertEqual(share, 0.05, accuracy: 0.015)
        for source in Fixture.corpus.sources {
            XCTAssertTrue(validation.documents.contains { $0.source == source }, "every source is held out a little: \(source)")
        }
        let held = Set(validation.documents.map { "\($0.source)#\($0.index)" })
        XCTAssertFalse(training.documents.contains { held.contains("\($0.source)#\($0.index)") })
        XCTAssertEqual(Fixture.corpus.split().validation, validation)
        XCTAssertNotEqual(Fixture.corpus.split(seed: 99).validation, validation)
    }

    func testReadsBlankLineSeparatedDocuments() throws {
        let folder = Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("notes.txt")
        try "First one.\nStill first.\n\n\n  \nSecond.\n".write(to: file, atomically: true, encoding: .utf8)
        let corpus = try Corpus(file: file.path)
        XCTAssertEqual(corpus.documents, [
            Document(source: "notes", index: 0, paragraphs: ["First one.", "Still first."]),
            Document(source: "notes", index: 1, paragraphs: ["Second."]),
        ])
    }
}
