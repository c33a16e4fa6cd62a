import XCTest
import Foundation
import Tensors
import Autograd
import Transformer
import BertBaseline
@testable import MetaController

/// Tenfold's ELECTRA and MC-BERT against the same tiny models in PyTorch
/// (scripts/make_electra_mcbert_fixture.py), the helper networks' samples injected so that no
/// randomness differs: each loss and its parts to 1e-4 relative, every parameter's gradient to
/// 1e-3 of its largest entry.
final class ReferenceTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/electra_mcbert_reference.safetensors")

    struct Fixture {
        let tensors: [String: Tensor]
        let config: ModelConfiguration
        let K: Int

        init() throws {
            let file = try SafetensorsFile(contentsOf: ReferenceTests.fixture)
            func int(_ key: String) -> Int { Int(file.metadata[key]!)! }
            tensors = file.tensors
            config = ModelConfiguration(vocabularySize: int("V"), hiddenSize: int("H"), layers: int("L"), heads: int("A"),
                                        feedForwardSize: int("F"), maxSequenceLength: int("T"), dropout: 0)
            K = int("K")
        }

        func ints(_ key: String) -> [Int32] { tensors[key]!.scalars.map { Int32($0) } }

        /// The masked batch of one objective.
        func batch(_ tag: String) -> TrainingBatch {
            let positions = ints("targets.positions"), labels = ints("targets.labels")
            let lengths = tensors["input.lengths"]!.scalars.map { Int($0) }
            let input = ModelInput(ids: ints("\(tag):input.ids"), batchSize: lengths.count, length: config.maxSequenceLength,
                                   lengths: lengths, maskedPositions: positions, maskedOriginals: labels)
            return TrainingBatch(input: input, targets: MaskedTargets(positions: positions, labels: labels))
        }

        /// Loads `tag`'s weights into `model`; every fixture parameter must be the model's and back.
        func load(_ tag: String, into model: PretrainingModel) throws {
            let prefix = "\(tag):param:"
            let names = Set(tensors.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) })
            XCTAssertEqual(names, Set(model.parameters.parameters.map(\.name)), "the fixture's parameters are the model's")
            for p in model.parameters.parameters {
                let value = try XCTUnwrap(tensors[prefix + p.name], "the fixture has no \(p.name)")
                XCTAssertEqual(value.shape, p.variable.shape, p.name)
                p.variable.assign(value)
            }
        }

        /// Compares the loss, its parts and every gradient; returns the largest relative differences.
        @discardableResult
        func compare(_ tag: String, _ output: ObjectiveOutput, parts: [String], model: PretrainingModel,
                     file: StaticString = #filePath, line: UInt = #line) -> (loss: Float, gradient: Float) {
            var worstLoss: Float = 0
            for (name, value) in [("loss", output.loss.value.item)] + parts.map({ ($0, output.metrics[$0]!) }) {
                let expected = tensors["\(tag):\(name)"]!.item
                let error = abs(value - expected) / abs(expected)
                worstLoss = max(worstLoss, error)
                XCTAssertLessThanOrEqual(error, 1e-4, "\(tag) \(name): \(value) vs PyTorch's \(expected)", file: file, line: line)
            }
            output.loss.backward()
            var report: [String] = [], worstGradient: Float = 0
            for p in model.parameters.parameters {
                let expected = tensors["\(tag):grad:\(p.name)"]!
                let gradient = p.variable.gradient ?? Tensor.zeros(p.variable.shape)
                if p.name.hasSuffix("attention.key.bias") {
                    // Adding b^K to every key adds q_i·b^K to a whole row of logits, which softmax
                    // ignores: 0 in exact arithmetic, rounding noise in both implementations (about
                    // 1e-5 here, where the other gradients reach 10²).
                    let noise = max(gradient.scalars.map(abs).max()!, expected.scalars.map(abs).max()!)
                    if noise > 1e-3 { report.append("\(p.name) should be ~0, is \(noise) at most") }
                    continue
                }
                let (error, index) = relativeDifference(gradient, expected)
                worstGradient = max(worstGradient, error)
                if error > 1e-3 {
                    report.append("\(p.name)[\(index)]: \(gradient.pointer[index]) vs \(expected.pointer[index]) (relative \(error))")
                }
            }
            XCTAssert(report.isEmpty, "\(tag) gradients differ from PyTorch:\n" + report.joined(separator: "\n"),
                      file: file, line: line)
            print("\(tag): largest relative difference from PyTorch — losses \(worstLoss), gradients \(worstGradient)")
            return (worstLoss, worstGradient)
        }
    }

    func testELECTRALossAndGradientsMatchPyTorch() throws {
        let fixture = try Fixture()
        let model = try PretrainingModel(config: fixture.config, seed: 0, positions: AbsolutePositions.factory,
                                         objective: ELECTRA.factory)
        let electra = try XCTUnwrap(model.objective as? ELECTRA)
        XCTAssertEqual(electra.generator.config.hiddenSize, 12)
        XCTAssertEqual(electra.generator.config.heads, 2)
        try fixture.load("electra", into: model)
        let batch = fixture.batch("electra")
        let samples = fixture.ints("electra:samples")
        var noDropout: SeededGenerator? = nil
        var asked: [Int] = []
        let output = electra.loss(batch, dropout: &noDropout) { logits in
            asked.append(logits.count)
            return samples
        }
        XCTAssertEqual(asked, [batch.targets.positions.count], "one sample per picked position, asked once")
        XCTAssertEqual(output.metrics["replace_rate"], 0.8, "the sample equal to its original counts as original")
        fixture.compare("electra", output, parts: ["generator", "discriminator"], model: model)
    }

    func testMCBERTLossAndGradientsMatchPyTorch() throws {
        let fixture = try Fixture()
        let model = try PretrainingModel(config: fixture.config, seed: 0, positions: AbsolutePositions.factory,
                                         objective: MCBERT.factory)
        let mcbert = try XCTUnwrap(model.objective as? MCBERT)
        XCTAssertEqual(mcbert.settings.candidates, fixture.K)
        XCTAssertEqual(mcbert.controller.config.hiddenSize, 12)
        try fixture.load("mc-bert", into: model)
        let batch = fixture.batch("mc-bert")
        let samples = fixture.ints("mc-bert:samples")
        // The candidates and labels Tenfold builds from the samples are PyTorch's.
        let choice = MultipleChoice(batch, positions: realPositions(batch.input), samples: samples,
                                    candidatesPerPosition: fixture.K, nota: mcbert.notaId)
        XCTAssertEqual(choice.candidates, fixture.ints("mc-bert:candidates"))
        XCTAssertEqual(choice.labels, fixture.ints("mc-bert:labels"))
        var noDropout: SeededGenerator? = nil
        var asked: [Int] = []
        let output = mcbert.loss(batch, dropout: &noDropout) { logits in
            asked.append(logits.count)
            return samples
        }
        XCTAssertEqual(asked, [choice.positions.count], "K samples at every real position, asked once")
        XCTAssertEqual(output.metrics["replace_rate"], 0.8)
        fixture.compare("mc-bert", output, parts: ["controller", "multiple_choice"], model: model)
    }
}
