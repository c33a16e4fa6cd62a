import XCTest
import Tensors
@testable import Text

final class MaskingPolicyTests: XCTestCase {
    let vocabulary = Fixture.tokenizer.vocabulary

    /// B rows of T = 128: [CLS], 100 ordinary ids, [SEP], padding.
    func batch(rows: Int) -> [Int32] {
        var rng = SeededGenerator(seed: 11)
        var ids: [Int32] = []
        for _ in 0..<rows {
            ids.append(vocabulary.clsId)
            for _ in 0..<100 { ids.append(vocabulary.ordinaryIds.randomElement(using: &rng)!) }
            ids.append(vocabulary.sepId)
            ids += Array(repeating: vocabulary.padId, count: 26)
        }
        return ids
    }

    struct Tally {
        var picked = 0, masked = 0, random = 0, unchanged = 0, candidates = 0
    }

    func tally(_ policy: MaskingPolicy, rows: Int = 400, seed: UInt64 = 1) -> (Tally, MaskedBatch, [Int32]) {
        let ids = batch(rows: rows)
        var rng = SeededGenerator(seed: seed)
        let masked = policy.apply(ids: ids, batchSize: rows, length: 128, vocabulary: vocabulary, using: &rng)
        var tally = Tally()
        tally.candidates = rows * 100
        tally.picked = masked.positions.count
        for (position, label) in zip(masked.positions, masked.labels) {
            XCTAssertEqual(ids[Int(position)], label)
            let now = masked.corruptedIds[Int(position)]
            if now == vocabulary.maskId { tally.masked += 1 } else if now == label { tally.unchanged += 1 } else { tally.random += 1 }
        }
        return (tally, masked, ids)
    }

    /// |observed − p·n| within 4 standard deviations of a binomial(n, p).
    func assertShare(_ count: Int, of n: Int, is p: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let sigma = (Double(n) * p * (1 - p)).squareRoot()
        let expected = Double(n) * p
        XCTAssertLessThanOrEqual(abs(Double(count) - expected), max(4 * sigma, 0.5),
                                 "\(what): \(count) of \(n) (\(Double(count) / Double(n))), expected \(p)", file: file, line: line)
    }

    func testBertProportions() {
        let (t, _, _) = tally(.bert)
        XCTAssertEqual(t.picked, 400 * 15, "15 of every 100 maskable tokens")
        assertShare(t.masked, of: t.picked, is: 0.8, "[MASK]")
        // A random draw equals the original with probability 1/8182: counted as unchanged.
        assertShare(t.random, of: t.picked, is: 0.1 * (1 - 1 / 8182), "random")
        assertShare(t.unchanged, of: t.picked, is: 0.1, "unchanged")
    }

    func testElectraProportions() {
        let (t, _, _) = tally(.electra)
        XCTAssertEqual(t.picked, 400 * 15)
        assertShare(t.masked, of: t.picked, is: 0.85, "[MASK]")
        XCTAssertEqual(t.random, 0)
        assertShare(t.unchanged, of: t.picked, is: 0.15, "unchanged")
    }

    func testAllMask() {
        let (t, masked, ids) = tally(.allMask)
        XCTAssertEqual(t.picked, 400 * 15)
        XCTAssertEqual(t.masked, t.picked)
        // Nothing else changed.
        let picked = Set(masked.positions.map(Int.init))
        for k in ids.indices where !picked.contains(k) { XCTAssertEqual(masked.corruptedIds[k], ids[k]) }
    }

    func testPicksAreUniformOverPositions() {
        let (_, masked, _) = tally(.bert, rows: 2000)
        var perPosition = [Int](repeating: 0, count: 128)
        for position in masked.positions { perPosition[Int(position) % 128] += 1 }
        for t in 1...100 { assertShare(perPosition[t], of: 2000, is: 0.15, "position \(t)") }
    }

    func testSpecialTokensAndPaddingAreNeverPicked() {
        // Rows that are mostly specials: [CLS] [UNK] [MASK] [unused0] words… [SEP] [PAD]…
        let specials: [Int32] = [vocabulary.clsId, vocabulary.unknownId, vocabulary.maskId, 5]
        let row = specials + Array(vocabulary.ordinaryIds.prefix(7)) + [vocabulary.sepId] + Array(repeating: vocabulary.padId, count: 4)
        let ids = Array(Array(repeating: row, count: 50).joined())
        for policy in [MaskingPolicy.bert, .electra, .allMask] {
            var rng = SeededGenerator(seed: 9)
            let masked = policy.apply(ids: ids, batchSize: 50, length: row.count, vocabulary: vocabulary, using: &rng)
            for position in masked.positions {
                XCTAssertFalse(vocabulary.isSpecial[Int(ids[Int(position)])], "\(policy.name) picked special id \(ids[Int(position)]) at \(position)")
            }
            for k in ids.indices where vocabulary.isSpecial[Int(ids[k])] { XCTAssertEqual(masked.corruptedIds[k], ids[k]) }
            XCTAssertEqual(masked.positions.count, 50, "round(0.15 × 7) = 1 per row")
            // Random replacements are ordinary tokens, never specials.
            XCTAssertFalse(masked.corruptedIds.enumerated().contains { $0.element != ids[$0.offset] && $0.element != vocabulary.maskId && vocabulary.isSpecial[Int($0.element)] })
        }
        // A row with nothing maskable gives no prediction and no change.
        var rng = SeededGenerator(seed: 1)
        let none = MaskingPolicy.bert.apply(ids: [2, 3, 0, 0], batchSize: 1, length: 4, vocabulary: vocabulary, using: &rng)
        XCTAssertEqual(none.positions, [])
        XCTAssertEqual(none.corruptedIds, [2, 3, 0, 0])
    }

    func testSeededAndOnBatches() throws {
        let (_, a, _) = tally(.bert, rows: 10, seed: 4)
        let (_, b, _) = tally(.bert, rows: 10, seed: 4)
        let (_, c, _) = tally(.bert, rows: 10, seed: 5)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(a.positions, a.positions.sorted())
        let packer = try SequencePacker(tokenizer: Fixture.tokenizer, maxLength: 64)
        let sequences = Fixture.split.validation.documents.prefix(3).flatMap(packer.pack)
        let batch = Batch(sequences: sequences, length: 64, padId: vocabulary.padId)
        var rng = SeededGenerator(seed: 1)
        let masked = MaskingPolicy.bert.apply(to: batch, vocabulary: vocabulary, using: &rng)
        XCTAssertEqual(masked.corruptedIds.count, batch.ids.count)
        XCTAssertTrue(masked.positions.allSatisfy { batch.attentionMask[Int($0)] == 1 })
    }
}
