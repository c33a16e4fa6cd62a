import XCTest
import Foundation
import Tensors
import Autograd
@testable import Transformer
import BertBaseline

/// Tenfold's BERT-A against the same tiny model in PyTorch (scripts/make_bert_a_fixture.py):
/// logits and loss to 1e-4 relative, every parameter gradient to 1e-3.
final class BertAReferenceTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bert_a_reference.safetensors")

    func testLogitsLossAndGradientsMatchPyTorch() throws {
        let file = try SafetensorsFile(contentsOf: Self.fixture)
        let t = file.tensors
        func int(_ key: String) -> Int { Int(file.metadata[key]!)! }
        let (V, H, L, A, F, T, B) = (int("V"), int("H"), int("L"), int("A"), int("F"), int("T"), int("B"))
        let config = ModelConfiguration(vocabularySize: V, hiddenSize: H, layers: L, heads: A,
                                        feedForwardSize: F, maxSequenceLength: T, dropout: 0)
        let model = try PretrainingModel(config: config, seed: 0, positions: AbsolutePositions.factory)
        for p in model.parameters.parameters {
            let value = try XCTUnwrap(t[p.name], "the fixture has no \(p.name)")
            XCTAssertEqual(value.shape, p.variable.shape, p.name)
            p.variable.assign(value)
        }
        XCTAssertEqual(model.parameters.parameters.count * 2 + 6, t.count, "every fixture tensor is used")
        let input = ModelInput(ids: t["input.ids"]!.scalars.map { Int32($0) }, batchSize: B, length: T,
                               lengths: t["input.lengths"]!.scalars.map { Int($0) })
        let targets = MaskedTargets(positions: t["targets.positions"]!.scalars.map { Int32($0) },
                                    labels: t["targets.labels"]!.scalars.map { Int32($0) })
        var noDropout: SeededGenerator? = nil
        let hidden = model.encoder(input, rng: &noDropout).hidden
        let logits = model.maskedLanguageModel!.predictionLogits(hidden, at: targets.positions)
        let loss = crossEntropy(logits, targets: targets.labels)

        let (logitError, logitIndex) = relativeDifference(logits.value, t["output.logits"]!)
        XCTAssertLessThanOrEqual(logitError, 1e-4, "logit \(logitIndex): \(logits.value.pointer[logitIndex]) vs \(t["output.logits"]!.pointer[logitIndex])")
        let expectedLoss = t["output.loss"]!.item
        XCTAssertLessThanOrEqual(abs(loss.value.item - expectedLoss) / abs(expectedLoss), 1e-4,
                                 "loss \(loss.value.item) vs \(expectedLoss)")

        loss.backward()
        var report: [String] = []
        for p in model.parameters.parameters {
            let expected = t["grad.\(p.name)"]!
            let gradient = p.variable.gradient ?? Tensor.zeros(p.variable.shape)
            if p.name.hasSuffix("attention.key.bias") {
                // Adding b^K to every key adds q_i·b^K to a whole row of logits, which softmax
                // ignores: this gradient is 0 in exact arithmetic, and both implementations
                // return rounding noise. Check it is noise-sized in both (other gradients here
                // are 1e-3…1).
                let noise = max(gradient.scalars.map(abs).max()!, expected.scalars.map(abs).max()!)
                if noise > 1e-5 { report.append("\(p.name) should be ~0, is \(noise) at most") }
                continue
            }
            let (error, index) = relativeDifference(gradient, expected)
            if error > 1e-3 {
                report.append("\(p.name)[\(index)]: \(gradient.pointer[index]) vs \(expected.pointer[index]) (relative \(error))")
            }
        }
        XCTAssert(report.isEmpty, "gradients differ from PyTorch:\n" + report.joined(separator: "\n"))
    }
}
