import XCTest
import Foundation
import Tensors
import Autograd
import Text
import Transformer
import Catalog
import NoteTaking
import UntiedAttention
@testable import MetaController

/// Chapter 6's model — TUPE-R positions, TNF's notes on the input seam, MC-BERT's objective —
/// built by name, its backward pass checked against finite differences through all three
/// methods at once. (Its checkpoint and resume: `TrainingTests`.)
final class CombinedModelTests: XCTestCase {
    /// Whole words as token ids: "a" = [10] and "bc" = [11, 12] are rare (2 occurrences each in
    /// the training sequences, band 1…2), "d" = [13] and "e" = [14] are not (4 each).
    let a: [Int32] = [10], bc: [Int32] = [11, 12], d: [Int32] = [13], e: [Int32] = [14]

    /// [CLS] (2), the words, [SEP] (3), with one span per word.
    func sequence(_ words: [[Int32]]) -> TokenSequence {
        let bounds = words.reduce(into: [Int32(1)]) { $0.append($0.last! + Int32($1.count)) }
        return TokenSequence(ids: [2] + words.joined() + [3],
                             wordSpans: zip(bounds, bounds.dropFirst()).map { WordSpan(start: $0, end: $1) },
                             source: "toy", document: 0)
    }

    /// Every parameter's gradient, sampled entry by entry, against central differences of the
    /// loss in Double, with the samples of MC-BERT's meta controller injected (a drawn sample
    /// would change under a perturbation, and the loss with it) and notes already taken for
    /// both rare words, so that the mixed input is on the path: in the batch, "a" and "bc" are
    /// intact in the first sequence and "bc" in the second, where "a" has its token picked and
    /// gets no note (the leakage rule).
    func testTheCombinedModelsGradientsMatchFiniteDifferences() throws {
        var config = ModelConfiguration(positions: UntiedPositions.relativeName, input: NoteTaking.name,
                                        objective: MCBERT.name, vocabularySize: 20, hiddenSize: 8, layers: 2, heads: 2,
                                        feedForwardSize: 8, maxSequenceLength: 8, dropout: 0, initializerStd: 0.3)
        var noteSettings = NoteTaking.Settings()
        noteSettings.band = 1...2
        noteSettings.halfWindow = 1
        // λ = 3 rather than 50 keeps the loss small enough for Float's rounding to stay far
        // below what the differences resolve; K = 4 candidates.
        config.options = noteSettings.options.merging(["mc-bert.weight": 3, "mc-bert.candidates": 4]) { $1 }
        let training = [sequence([a, d, d]), sequence([bc, d, e]), sequence([d, e, e]), sequence([a, bc, e])]
        let model = try ModelRegistry.standard.makeModel(config, seed: 6, trainingSequences: training)
        let mcbert = try XCTUnwrap(model.objective as? MCBERT)
        let notes = try XCTUnwrap(model.input as? NoteTaking)
        XCTAssertEqual(notes.rareWords.words, [a, bc])

        // Zero-initialised parameters and TUPE's positions get a random start, so that every
        // path carries gradient.
        var rng = SeededGenerator(seed: 9)
        for p in model.parameters.parameters
        where p.name.hasPrefix("positions.") || p.variable.value.scalars.allSatisfy({ $0 == 0 }) {
            p.variable.assign(p.variable.value + Tensor.normal(p.variable.shape, std: 0.3, using: &rng))
        }

        // [CLS] a bc d e [SEP] and [CLS] bc a d [SEP]: "d" of the first and "a" of the second picked.
        let T = 8
        let sequences = Batch(sequences: [sequence([a, bc, d, e]), sequence([bc, a, d])], length: T, padId: 0)
        let picked: [Int32] = [4, Int32(T + 3)]
        var ids = sequences.ids
        let originals = picked.map { ids[Int($0)] }
        for p in picked { ids[Int(p)] = 4 }
        let input = ModelInput(ids: ids, batchSize: 2, length: T, lengths: sequences.lengths,
                               wordSpans: sequences.wordSpans, maskedPositions: picked, maskedOriginals: originals)
        let batch = TrainingBatch(input: input, targets: MaskedTargets(positions: picked, labels: originals))
        notes.observe(hidden: Tensor.normal([2, T, 8], using: &rng), input: input)
        XCTAssertEqual(notes.dictionary.seen, [true, true], "both rare words have a note")

        // K = 4 samples at each of the 13 real positions. The first picked position's sample 0
        // replaces its token (13 → 17); the second's is its own original (10), kept.
        let positions = realPositions(input), K = 4
        var samples = (0..<(positions.count * K)).map { _ in Int32.random(in: 5..<20, using: &rng) }
        samples[positions.firstIndex(of: picked[0])! * K] = 17
        samples[positions.firstIndex(of: picked[1])! * K] = 10
        func loss() -> ObjectiveOutput {
            // A dropout stream means training (notes are mixed in); with dropout 0 it draws nothing.
            var training: SeededGenerator? = SeededGenerator(seed: 1)
            return mcbert.loss(batch, dropout: &training) { _ in samples }
        }
        let mixedBefore = notes.mixedOccurrences
        model.parameters.zeroGradients()
        let output = loss()
        XCTAssertEqual(notes.mixedOccurrences - mixedBefore, 3, "a and bc in the first sequence, bc in the second")
        XCTAssertEqual(output.metrics["replace_rate"], 0.5)
        output.loss.backward()

        // A few entries of every parameter of each part: the word table (the rare words' rows
        // among them), a main-encoder layer, TUPE's positions, MC-BERT's head and the controller.
        let parts = ["embeddings.word", "encoder.layer.0.", "positions.", "embeddings.position", "mcbert.", "controller."]
        let checked = model.parameters.parameters.filter { p in parts.contains { p.name.hasPrefix($0) } }
        for part in parts { XCTAssert(checked.contains { $0.name.hasPrefix(part) }, "no parameter \(part)…") }
        let epsilon: Float = 1e-2
        var perturbed = 0
        for parameter in checked {
            let (name, variable) = (parameter.name, parameter.variable)
            let analytic = try XCTUnwrap(variable.gradient, "\(name) got no gradient")
            var indices = Array(stride(from: 0, to: variable.value.count, by: max(1, variable.value.count / 4)))
            if name == "embeddings.word" { indices += (a + bc).flatMap { row in (0..<8).map { Int(row) * 8 + $0 } } }
            for index in indices {
                let original = variable.value.pointer[index]
                func evaluate(_ value: Float) -> Double {
                    variable.updateValue { $0.withUnsafeMutableBufferPointer { $0[index] = value } }
                    return Double(Gradients.withoutRecording { loss() }.loss.value.item)
                }
                let numeric = Float((evaluate(original + epsilon) - evaluate(original - epsilon)) / (2 * Double(epsilon)))
                variable.updateValue { $0.withUnsafeMutableBufferPointer { $0[index] = original } }
                perturbed += 1
                XCTAssertLessThanOrEqual(abs(analytic.pointer[index] - numeric), 1e-3 + 2e-2 * abs(numeric),
                                         "\(name)[\(index)]: backward \(analytic.pointer[index]), finite differences \(numeric)")
            }
        }
        XCTAssertGreaterThan(perturbed, 100)
    }
}
