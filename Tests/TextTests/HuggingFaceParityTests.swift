import XCTest
@testable import Text

/// Tenfold's WordPiece equals Hugging Face's, token for token, on every paragraph of the
/// validation split. The fixture is written by scripts/make_hf_parity_fixture.py with
/// `tokenizers` BertWordPiece (lowercase, strip accents) on the committed vocab.txt.
final class HuggingFaceParityTests: XCTestCase {
    struct Expected {
        var textHash: UInt64
        var ids: [Int32]
    }

    func readFixture() throws -> [Expected] {
        let data = try Data(contentsOf: Fixture.folder.appendingPathComponent("hf-parity-validation.bin"))
        let bytes = [UInt8](data)
        XCTAssertEqual(String(decoding: bytes[0..<8], as: UTF8.self), "TFHFPAR1")
        var offset = 8
        func read(_ width: Int) -> UInt64 {
            var value: UInt64 = 0
            for k in 0..<width { value |= UInt64(bytes[offset + k]) << (8 * k) }
            offset += width
            return value
        }
        let count = Int(read(4))
        return (0..<count).map { _ in
            let hash = read(8)
            let n = Int(read(4))
            return Expected(textHash: hash, ids: (0..<n).map { _ in Int32(read(2)) })
        }
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }

    func testMatchesHuggingFaceOnEveryValidationParagraph() throws {
        let expected = try readFixture()
        let paragraphs = Fixture.split.validation.paragraphs
        XCTAssertEqual(paragraphs.count, expected.count, "the fixture was made from another split or corpus: rerun scripts/make_hf_parity_fixture.py")
        var mismatches: [String] = []
        var tokens = 0
        for (k, (paragraph, reference)) in zip(paragraphs, expected).enumerated() {
            XCTAssertEqual(Self.fnv1a(paragraph), reference.textHash, "paragraph \(k) is not the text the fixture encoded")
            let ids = Fixture.tokenizer.ids(paragraph)
            tokens += ids.count
            if ids != reference.ids {
                let first = zip(ids, reference.ids).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ids.count, reference.ids.count)
                let vocabulary = Fixture.tokenizer.vocabulary
                mismatches.append("paragraph \(k), first difference at token \(first): tenfold \(ids.dropFirst(first).prefix(5).map { vocabulary[$0] }) vs HF \(reference.ids.dropFirst(first).prefix(5).map { vocabulary[$0] }) — \(paragraph.prefix(80))")
            }
        }
        let matched = expected.count - mismatches.count
        print("HF parity: \(matched)/\(expected.count) validation paragraphs identical (\(tokens) tokens)")
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) paragraphs differ:\n" + mismatches.prefix(10).joined(separator: "\n"))
    }
}
