import XCTest
import Tensors
import Autograd
import Transformer
@testable import UntiedAttention

/// Finite-difference checks of every operation chapter 3 adds, and of the TUPE models end
/// to end.
final class UntiedGradientTests: XCTestCase {
    func testGatherBias() {
        var rng = SeededGenerator(seed: 1)
        let indices = relativeBucketIndices(length: 5, buckets: 8, maxDistance: 4, untiesCLS: true)
        let report = gradcheck(inputs: [Tensor.normal([3, 10], using: &rng)], using: &rng) {
            gatherBias($0[0], indices: indices, length: 5)
        }
        XCTAssert(report.passed, report.description)
    }

    func testResetCLS() {
        var rng = SeededGenerator(seed: 2)
        let inputs = [Tensor.normal([2, 4, 4], using: &rng), Tensor.normal([2], using: &rng), Tensor.normal([2], using: &rng)]
        let report = gradcheck(inputs: inputs, using: &rng) { resetCLS($0[0], clsToOthers: $0[1], othersToCLS: $0[2]) }
        XCTAssert(report.passed, report.description)
    }

    func testResetCLSOverwritesRowThenColumn() {
        let P = Variable(Tensor(shape: [1, 3, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9]))
        let y = resetCLS(P, clsToOthers: Variable(Tensor(shape: [1], scalars: [-1])),
                         othersToCLS: Variable(Tensor(shape: [1], scalars: [-2])))
        XCTAssertEqual(y.value.scalars, [-1, -1, -1, -2, 5, 6, -2, 8, 9])
    }

    /// Every new parameter of each model, by perturbing it in a small model.
    func checkWholeModel(_ factory: @escaping PositionEncodingFactory, architecture: String, names: [String]) throws {
        let config = ModelConfiguration(positions: architecture, vocabularySize: 20, hiddenSize: 8, layers: 2,
                                        heads: 2, feedForwardSize: 8, maxSequenceLength: 5, dropout: 0,
                                        initializerStd: 0.3)
        let model = try PretrainingModel(config: config, seed: 6, positions: factory)
        // Zero-initialised parameters get a random start so every path carries gradient.
        var rng = SeededGenerator(seed: 9)
        for p in model.parameters.parameters where p.name.hasPrefix("positions.") {
            p.variable.assign(p.variable.value + Tensor.normal(p.variable.shape, std: 0.3, using: &rng))
        }
        let input = ModelInput(ids: [1, 7, 8, 9, 2, 1, 10, 11, 2, 0], batchSize: 2, length: 5, lengths: [5, 4])
        let targets = MaskedTargets(positions: [0, 1, 3, 7], labels: [7, 7, 9, 11])
        func loss() -> Variable {
            var noDropout: SeededGenerator? = nil
            return model.loss(TrainingBatch(input: input, targets: targets), dropout: &noDropout).loss
        }
        model.parameters.zeroGradients()
        loss().backward()
        let epsilon: Float = 1e-2
        for name in names {
            let variable = try XCTUnwrap(model.parameters[name]?.variable, "\(architecture) has no \(name)")
            let analytic = try XCTUnwrap(variable.gradient, "\(name) got no gradient")
            for index in stride(from: 0, to: variable.value.count, by: max(1, variable.value.count / 12)) {
                let original = variable.value.pointer[index]
                func evaluate(_ value: Float) -> Double {
                    variable.updateValue { $0.withUnsafeMutableBufferPointer { $0[index] = value } }
                    return Double(Gradients.withoutRecording { loss() }.value.item)
                }
                let numeric = Float((evaluate(original + epsilon) - evaluate(original - epsilon)) / (2 * Double(epsilon)))
                variable.updateValue { $0.withUnsafeMutableBufferPointer { $0[index] = original } }
                XCTAssertLessThanOrEqual(abs(analytic.pointer[index] - numeric), 1e-3 + 2e-2 * abs(numeric),
                                         "\(architecture) \(name)[\(index)]: backward \(analytic.pointer[index]), finite differences \(numeric)")
            }
        }
    }

    func testTUPERThroughTheWholeModel() throws {
        try checkWholeModel(UntiedPositions.relativeFactory, architecture: "tupe-r",
                            names: ["embeddings.position", "positions.norm.gamma", "positions.query.weight",
                                    "positions.query.bias", "positions.key.weight", "positions.cls_to_others",
                                    "positions.others_to_cls", "positions.relative_bias"])
    }

    func testTUPEAAndBERTRThroughTheWholeModel() throws {
        try checkWholeModel(UntiedPositions.absoluteFactory, architecture: "tupe-a",
                            names: ["positions.key.bias", "positions.norm.beta", "positions.cls_to_others"])
        try checkWholeModel(RelativePositions.factory, architecture: "bert-r",
                            names: ["embeddings.position", "positions.relative_bias"])
    }
}
