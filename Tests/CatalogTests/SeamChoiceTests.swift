import XCTest
import Transformer
@testable import Catalog

/// Chapter 6's seam choices by name: the parse, its refusals and the canonical spelling.
final class SeamChoiceTests: XCTestCase {
    func testDefaultsAndEverySeamAlone() throws {
        XCTAssertEqual(try SeamChoice(parsing: "bert-a"), SeamChoice())
        XCTAssertEqual(try SeamChoice(parsing: "tupe-r"), SeamChoice(positions: "tupe-r"))
        XCTAssertEqual(try SeamChoice(parsing: "notes"), SeamChoice(input: "notes"))
        XCTAssertEqual(try SeamChoice(parsing: "mc-bert"), SeamChoice(objective: "mc-bert"))
    }

    func testAllThreeInAnyOrderCaseAndSpaces() throws {
        let combined = SeamChoice(positions: "tupe-r", input: "notes", objective: "mc-bert")
        XCTAssertEqual(try SeamChoice(parsing: "tupe-r+notes+mc-bert"), combined)
        XCTAssertEqual(try SeamChoice(parsing: " MC-BERT + tupe-r+Notes "), combined)
        XCTAssertEqual(combined.description, "tupe-r+notes+mc-bert")
        XCTAssertEqual(combined.displayName, "TUPE-R + TNF + MC-BERT")
        XCTAssertEqual(SeamChoice(objective: "mc-bert").description, "mc-bert")
        XCTAssertEqual(SeamChoice(objective: "mc-bert").displayName, "MC-BERT")
        XCTAssertEqual(SeamChoice().description, "bert-a")
        XCTAssertEqual(SeamChoice().displayName, "BERT-A")
        for text in ["bert-a", "tupe-r", "tupe-r+notes", "mc-bert", "tupe-r+notes+mc-bert", "notes+electra", "bert-r+electra"] {
            XCTAssertEqual(try SeamChoice(parsing: text).description, text, "the canonical spelling reads back")
        }
    }

    func testRefusalsNameThePart() {
        func message(_ text: String) -> String {
            do { _ = try SeamChoice(parsing: text); return "accepted" } catch { return "\(error)" }
        }
        XCTAssertEqual(message("tupe-a+tupe-r"), "\"tupe-a+tupe-r\" names two position schemes: tupe-a and tupe-r")
        XCTAssertEqual(message("mlm+electra"), "\"mlm+electra\" names two objectives: mlm and electra")
        XCTAssert(message("tupe-r++mc-bert").contains("has an empty part"))
        XCTAssert(message("").contains("has an empty part"))
        XCTAssert(message("tupe-r+tnf").hasPrefix("\"tnf\" in \"tupe-r+tnf\" names no method; positions: bert-a"))
        XCTAssert(message("none").contains("names no method"), "the input seam's default is not a method")
    }

    func testAppliedConfigurationBuildsTheCombinedModel() throws {
        let configuration = try SeamChoice(parsing: "tupe-r+mc-bert")
            .applied(to: ModelConfiguration.preset("tiny", vocabularySize: 64)!)
        let model = try ModelRegistry.standard.makeModel(configuration, seed: 1)
        XCTAssertEqual(model.config.positions, "tupe-r")
        XCTAssertEqual(model.config.objective, "mc-bert")
    }
}
