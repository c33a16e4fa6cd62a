import XCTest
import Tensors
import Transformer
@testable import MetaController

/// What each objective makes of a masked batch and the helper network's samples.
final class CorruptionTests: XCTestCase {
    /// Two sequences, T = 6: `[2 10 11 12 13 3]` and `[2 14 15 3 | pad pad]`; picked positions
    /// 1 and 3 of the first, 2 of the second (flat 1, 3, 8), masked with [MASK] = 4.
    func batch() -> TrainingBatch {
        let original: [Int32] = [2, 10, 11, 12, 13, 3, 2, 14, 15, 3, 0, 0]
        let picked: [Int32] = [1, 3, 8]
        var ids = original
        for p in picked { ids[Int(p)] = 4 }
        let input = ModelInput(ids: ids, batchSize: 2, length: 6, lengths: [6, 4], maskedPositions: picked,
                               maskedOriginals: picked.map { original[Int($0)] })
        return TrainingBatch(input: input, targets: MaskedTargets(positions: picked, labels: picked.map { original[Int($0)] }))
    }

    func testELECTRACountsASampleEqualToTheOriginalAsOriginal() {
        // Position 1 is sampled as its own original (10); 3 and 8 get other tokens.
        let corrupted = ReplacedTokens(batch(), samples: [10, 20, 21])
        XCTAssertEqual(corrupted.input.ids, [2, 10, 11, 20, 13, 3, 2, 14, 21, 3, 0, 0])
        XCTAssertEqual(corrupted.positions, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "every real position, no padding")
        XCTAssertEqual(corrupted.replaced, [false, false, false, true, false, false, false, false, true, false])
        XCTAssertEqual(corrupted.replacedCount, 2)
        // The input seam is told every picked position, the one sampled as itself included.
        XCTAssertEqual(corrupted.input.maskedPositions, [1, 3, 8])
        XCTAssertEqual(corrupted.input.maskedOriginals, [10, 12, 15])
        XCTAssertEqual(corrupted.input.originalIds, [2, 10, 11, 12, 13, 3, 2, 14, 15, 3, 0, 0])
    }

    func testMCBERTCandidatesSlotsAndLabels() {
        let K = 4, nota: Int32 = 99
        let positions = realPositions(batch().input)
        XCTAssertEqual(positions, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        // Samples per position, [M, K]; sample 0 corrupts the picked positions 1, 3, 8.
        var samples: [Int32] = []
        for m in 0..<positions.count { samples += [Int32(40 + m), Int32(50 + m), Int32(60 + m), Int32(60 + m)] }
        samples[1 * K] = 10          // position 1: sample 0 is the original → kept
        samples[3 * K] = 33          // position 3: replaced by 33
        samples[8 * K] = 15          // position 8: the original again → kept
        samples[3 * K + 2] = 12      // …and position 3's distractors include its original too
        let choice = MultipleChoice(batch(), positions: positions, samples: samples, candidatesPerPosition: K, nota: nota)

        XCTAssertEqual(choice.input.ids, [2, 10, 11, 33, 13, 3, 2, 14, 15, 3, 0, 0],
                       "sample 0 at the picked positions, every other token its own")
        XCTAssertEqual(choice.replaced, [false, false, false, true, false, false, false, false, false, false])
        XCTAssertEqual(choice.replacedCount, 1)
        XCTAssertEqual(choice.labels, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0], "slot 1 where replaced, [NOTA] elsewhere")
        func row(_ m: Int) -> [Int32] { Array(choice.candidates[(m * K)..<((m + 1) * K)]) }
        XCTAssertEqual(row(3), [nota, 12, 12, 63], "replaced: [NOTA], the original, samples 2… (a duplicate of the original allowed)")
        XCTAssertEqual(row(1), [nota, 51, 61, 61], "kept (sample 0 = original): [NOTA], samples 1…, duplicates allowed")
        XCTAssertEqual(row(0), [nota, 50, 60, 60], "an unpicked position: samples 1…")
        XCTAssert((0..<positions.count).allSatisfy { row($0)[0] == nota }, "slot 0 is always [NOTA]")
        XCTAssertEqual(choice.input.maskedPositions, [1, 3, 8])
        XCTAssertEqual(choice.input.maskedOriginals, [10, 12, 15])
    }

    func testHelperSizes() throws {
        func size(_ preset: String) throws -> (Int, Int, Int, Int) {
            let main = ModelConfiguration.preset(preset, vocabularySize: 8192)!
            let c = try SmallMaskedLanguageModel.configuration(for: main)
            XCTAssertEqual(c.layers, main.layers, "the same depth")
            return (c.hiddenSize, c.heads, c.headSize, c.feedForwardSize)
        }
        XCTAssert(try size("tiny") == (16, 1, 16, 64))
        XCTAssert(try size("chapter") == (64, 1, 64, 256))
        XCTAssert(try size("mini") == (64, 1, 64, 256))
        XCTAssert(try size("small") == (128, 2, 64, 512))
        XCTAssert(try size("base") == (256, 4, 64, 1024), "MC-BERT's base controller")
        let mini = ModelConfiguration.preset("mini", vocabularySize: 8192)!
        XCTAssertEqual(try SmallMaskedLanguageModel.configuration(for: mini, width: 128).heads, 2)
        XCTAssertThrowsError(try SmallMaskedLanguageModel.configuration(for: mini, width: 100))
    }
}
