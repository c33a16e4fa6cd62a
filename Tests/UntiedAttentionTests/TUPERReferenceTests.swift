import XCTest
import Foundation
import Tensors
import Autograd
@testable import Transformer
@testable import UntiedAttention

/// Tenfold's TUPE-R with [CLS] untying against the same tiny model written independently in
/// PyTorch (scripts/make_tupe_r_fixture.py): logits and loss to 1e-4 relative, every
/// parameter gradient to 1e-3 relative. T = 20 so the logarithmic buckets are exercised.
final class TUPERReferenceTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tupe_r_reference.safetensors")

    func testLogitsLossAndGradientsMatchPyTorch() throws {
        let file = try SafetensorsFile(contentsOf: Self.fixture)
        let t = file.tensors
        func int(_ key: String) -> Int { Int(file.metadata[key]!)! }
        let (V, H, L, A, F, T, B) = (int("V"), int("H"), int("L"), int("A"), int("F"), int("T"), int("B"))
        let config = ModelConfiguration(positions: UntiedPositions.relativeName, vocabularySize: V,
                                        hiddenSize: H, layers: L, heads: A, feedForwardSize: F,
                                        maxSequenceLength: T, dropout: 0)
        let model = try PretrainingModel(config: config, seed: 0, positions: UntiedPositions.relativeFactory)
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
        print("TUPE-R vs PyTorch: logits max relative error \(logitError)")
        XCTAssertLessThanOrEqual(logitError, 1e-4, "logit \(logitIndex): \(logits.value.pointer[logitIndex]) vs \(t["output.logits"]!.pointer[logitIndex])")
        let expectedLoss = t["output.loss"]!.item
        let lossError = abs(loss.value.item - expectedLoss) / abs(expectedLoss)
        print("TUPE-R vs PyTorch: loss \(loss.value.item) vs \(expectedLoss), relative error \(lossError)")
        XCTAssertLessThanOrEqual(lossError, 1e-4, "loss \(loss.value.item) vs \(expectedLoss)")

        loss.backward()
        var report: [String] = []
        var worst: (Float, String) = (0, "")
        for p in model.parameters.parameters {
            let expected = t["grad.\(p.name)"]!
            let gradient = p.variable.gradient ?? Tensor.zeros(p.variable.shape)
            if p.name.hasSuffix("attention.key.bias") || p.name == "positions.cls_to_others" {
                // b^K adds a constant to a whole row of logits, and so does θ₁ (it fills the
                // [CLS] row): softmax ignores both, so their gradients are 0 in exact
                // arithmetic and rounding noise in both implementations.
                let noise = max(gradient.scalars.map(abs).max()!, expected.scalars.map(abs).max()!)
                if noise > 1e-5 { report.append("\(p.name) should be ~0, is \(noise) at most") }
                continue
            }
            let (error, index) = relativeDifference(gradient, expected)
            if error > worst.0 { worst = (error, p.name) }
            if error > 1e-3 {
                report.append("\(p.name)[\(index)]: \(gradient.pointer[index]) vs \(expected.pointer[index]) (relative \(error))")
            }
        }
        print("TUPE-R vs PyTorch: worst gradient relative error \(worst.0) (\(worst.1))")
        XCTAssert(report.isEmpty, "gradients differ from PyTorch:\n" + report.joined(separator: "\n"))
    }
}
