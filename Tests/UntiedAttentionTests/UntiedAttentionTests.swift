import XCTest
import Tensors
import Autograd
import Transformer
import BertBaseline
@testable import UntiedAttention

/// A position scheme with no positions at all and TUPE's content scale 1/√(2D): what TUPE
/// must reduce to when its positional branch is switched off.
final class NoPositions: PositionEncoding {
    func inputEmbedding(length: Int) -> Variable? { nil }
    func attentionBias(length: Int) -> Variable? { nil }
    func contentScale(headSize: Int) -> Float { 1 / (2 * Float(headSize)).squareRoot() }
}

final class UntiedAttentionTests: XCTestCase {
    let config = ModelConfiguration(positions: "tupe-a", vocabularySize: 30, hiddenSize: 16, layers: 2, heads: 4,
                                    feedForwardSize: 32, maxSequenceLength: 8, dropout: 0, initializerStd: 0.3)
    let input = ModelInput(ids: [1, 7, 8, 9, 12, 2, 0, 0, 1, 10, 11, 13, 14, 15, 16, 2], batchSize: 2, length: 8,
                           lengths: [6, 8])
    let positions: [Int32] = [1, 3, 9, 12]

    func logits(_ model: PretrainingModel) -> Tensor {
        var noDropout: SeededGenerator? = nil
        return model.maskedLanguageModel!.predictionLogits(model.encoder(input, rng: &noDropout).hidden, at: positions).value
    }

    func testZeroedPositionalProjectionsEqualPositionFreeAttention() throws {
        let tupe = try PretrainingModel(config: config, seed: 3, positions: UntiedPositions.absoluteFactory)
        let free = try PretrainingModel(config: config, seed: 4, positions: { _, _ in NoPositions() })
        // The same shared weights in both; U^Q, U^K, their biases and θ all zero.
        for p in free.parameters.parameters { p.variable.assign(tupe.parameters[p.name]!.variable.value) }
        for name in ["positions.query.weight", "positions.query.bias", "positions.key.weight", "positions.key.bias",
                     "positions.cls_to_others", "positions.others_to_cls"] {
            let v = tupe.parameters[name]!.variable
            v.assign(Tensor.zeros(v.shape))
        }
        let (a, b) = (logits(tupe), logits(free))
        let gap = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max()!
        XCTAssertLessThanOrEqual(gap, 1e-6, "TUPE with its positional branch off differs by \(gap)")

        // And with U^Q switched back on, positions do change the output.
        let uq = tupe.parameters["positions.query.weight"]!.variable
        var rng = SeededGenerator(seed: 5)
        uq.assign(Tensor.normal(uq.shape, using: &rng))
        let uk = tupe.parameters["positions.key.weight"]!.variable
        uk.assign(Tensor.normal(uk.shape, using: &rng))
        XCTAssertGreaterThan(zip(logits(tupe).scalars, b.scalars).map { abs($0 - $1) }.max()!, 1e-3)
    }

    func testTUPEScaleAndNoPositionsInTheInput() throws {
        let model = try PretrainingModel(config: config, seed: 1, positions: UntiedPositions.relativeFactory)
        XCTAssertNil(model.encoder.positions.inputEmbedding(length: 8))
        XCTAssertEqual(model.encoder.positions.contentScale(headSize: 4), 1 / Float(8).squareRoot(), accuracy: 1e-7)
        XCTAssertEqual(model.encoder.positions.attentionBias(length: 8)?.shape, [4, 8, 8])
        XCTAssertEqual(model.parameters["positions.relative_bias"]?.variable.shape, [4, 34])
    }

    func testParameterCountsAgainstThePapers() throws {
        // TUPE-A − BERT-A = 2H² (U^Q, U^K) + 2H (their biases) + 2H (LayerNorm) + 2A (θ₁, θ₂).
        for (H, A) in [(16, 4), (64, 2)] {
            var c = config
            c.hiddenSize = H; c.heads = A; c.feedForwardSize = 2 * H
            let bertA = try PretrainingModel(config: c, seed: 1, positions: AbsolutePositions.factory)
            let tupeA = try PretrainingModel(config: c, seed: 1, positions: UntiedPositions.absoluteFactory)
            let tupeR = try PretrainingModel(config: c, seed: 1, positions: UntiedPositions.relativeFactory)
            let bertR = try PretrainingModel(config: c, seed: 1, positions: RelativePositions.factory)
            XCTAssertEqual(tupeA.parameters.scalarCount - bertA.parameters.scalarCount, 2 * H * H + 4 * H + 2 * A)
            XCTAssertEqual(tupeR.parameters.scalarCount - tupeA.parameters.scalarCount, A * 34)
            XCTAssertEqual(bertR.parameters.scalarCount - bertA.parameters.scalarCount, A * 32)
        }
        XCTAssertEqual(2 * 768 * 768, 1_179_648)   // the paper's ≈1.18M at BERT-base
    }
}
