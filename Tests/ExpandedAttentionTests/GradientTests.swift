import XCTest
import Tensors
import Autograd
import Transformer
import BertBaseline
@testable import ExpandedAttention

/// Finite-difference checks of every operation chapter 2 adds.
final class GradientTests: XCTestCase {
    func testCentredRows() {
        var rng = SeededGenerator(seed: 1)
        let report = gradcheck(inputs: [Tensor.normal([3, 4, 6], using: &rng)], using: &rng) { centredRows($0[0]) }
        XCTAssert(report.passed, report.description)
    }

    func testScaledRows() {
        var rng = SeededGenerator(seed: 2)
        let report = gradcheck(inputs: [Tensor.normal([3, 4, 6], using: &rng), Tensor.normal([3, 4, 1], using: &rng)],
                               using: &rng) { scaledRows($0[0], by: $0[1]) }
        XCTAssert(report.passed, report.description)
    }

    func testSplitLayerNormBothParts() {
        var rng = SeededGenerator(seed: 3)
        let inputs = [Tensor.normal([2, 3, 5], using: &rng), Tensor.normal([3, 5], using: &rng),
                      Tensor.normal([5], mean: 1, std: 0.3, using: &rng), Tensor.normal([5], std: 0.3, using: &rng)]
        for part in 0..<2 {
            let report = gradcheck(inputs: inputs, epsilon: 1e-3, using: &rng) { x in
                let parts = splitLayerNorm(words: x[0], positions: x[1], gamma: x[2], beta: x[3], epsilon: 1e-5)
                return part == 0 ? parts.word : parts.position
            }
            XCTAssert(report.passed, "part \(part): \(report)")
        }
    }

    func testFourTermsThroughTheProjections() {
        // Each term's gradient with respect to ω, π and the attention's W^Q, W^K, b^Q, b^K.
        var rng = SeededGenerator(seed: 4)
        let (B, T, H, A) = (2, 3, 4, 2)
        let inputs = [Tensor.normal([B, T, H], using: &rng), Tensor.normal([B, T, H], using: &rng),
                      Tensor.normal([H, H], std: 0.5, using: &rng), Tensor.normal([H], std: 0.5, using: &rng),
                      Tensor.normal([H, H], std: 0.5, using: &rng), Tensor.normal([H], std: 0.5, using: &rng)]
        for term in 0..<4 {
            let report = gradcheck(inputs: inputs, using: &rng) { x in
                let query = Linear(weight: x[2], bias: x[3]), key = Linear(weight: x[4], bias: x[5])
                let terms = fourTerms(word: x[0], position: x[1], query: query, key: key, heads: A, scale: 0.5)
                return terms.named[term].value
            }
            XCTAssert(report.passed, "term \(term): \(report)")
        }
    }

    func testUntiedPositionsThroughTheWholeModel() throws {
        // BERT-A^d's new parameters (p, LN(p)'s γ, U^Q, U^K and their biases) and the layer
        // that receives the offsets, checked by perturbing each parameter of a small model.
        let config = ModelConfiguration(positions: UntiedFourTermPositions.name, vocabularySize: 20,
                                        hiddenSize: 8, layers: 2, heads: 2, feedForwardSize: 8,
                                        maxSequenceLength: 5, dropout: 0, initializerStd: 0.3)
        let model = try PretrainingModel(config: config, seed: 6, positions: UntiedFourTermPositions.factory)
        let input = ModelInput(ids: [1, 7, 8, 9, 2, 1, 10, 11, 2, 0], batchSize: 2, length: 5, lengths: [5, 4])
        let targets = MaskedTargets(positions: [1, 3, 7], labels: [7, 9, 11])
        func loss() -> Variable {
            var noDropout: SeededGenerator? = nil
            return model.loss(TrainingBatch(input: input, targets: targets), dropout: &noDropout).loss
        }
        model.parameters.zeroGradients()
        loss().backward()
        let names = ["embeddings.position", "positions.norm.gamma", "positions.norm.beta", "positions.query.weight",
                     "positions.query.bias", "positions.key.weight", "positions.key.bias",
                     "encoder.layer.1.attention.query.weight"]
        let epsilon: Float = 1e-2
        var worst: Float = 0
        for name in names {
            let variable = model.parameters[name]!.variable
            let analytic = variable.gradient!
            for index in stride(from: 0, to: variable.value.count, by: max(1, variable.value.count / 12)) {
                let original = variable.value.pointer[index]
                func evaluate(_ value: Float) -> Double {
                    variable.updateValue { $0.withUnsafeMutableBufferPointer { $0[index] = value } }
                    return Double(Gradients.withoutRecording { loss() }.value.item)
                }
                let numeric = Float((evaluate(original + epsilon) - evaluate(original - epsilon)) / (2 * Double(epsilon)))
                variable.updateValue { $0.withUnsafeMutableBufferPointer { $0[index] = original } }
                let error = abs(analytic.pointer[index] - numeric)
                worst = max(worst, error)
                XCTAssertLessThanOrEqual(error, 1e-3 + 2e-2 * abs(numeric),
                                         "\(name)[\(index)]: backward \(analytic.pointer[index]), finite differences \(numeric)")
            }
        }
        XCTAssertLessThan(worst, 1e-2)
    }

    func testUntiedPositionsModelTrainsAndKeepsPositionsOutOfTheInput() throws {
        let config = ModelConfiguration(positions: UntiedFourTermPositions.name, vocabularySize: 30,
                                        hiddenSize: 8, layers: 2, heads: 2, feedForwardSize: 16, maxSequenceLength: 6)
        let model = try PretrainingModel(config: config, seed: 1, positions: UntiedFourTermPositions.factory)
        XCTAssertNil(model.encoder.positions.inputEmbedding(length: 6))
        XCTAssertEqual(model.encoder.positions.contentScale(headSize: 4), 0.25, accuracy: 1e-7)   // 1/√(4·4)
        XCTAssertNotNil(model.parameters["positions.query.weight"])
        let input = ModelInput(ids: [1, 7, 8, 9, 2, 0], batchSize: 1, length: 6, lengths: [5])
        var rng: SeededGenerator? = SeededGenerator(seed: 2)
        let loss = model.loss(TrainingBatch(input: input, targets: MaskedTargets(positions: [2], labels: [8])), dropout: &rng).loss
        loss.backward()
        XCTAssertNotNil(model.parameters["positions.key.weight"]!.variable.gradient, "U^K must get a gradient")
        XCTAssertNotNil(model.parameters["embeddings.position"]!.variable.gradient)
    }
}
