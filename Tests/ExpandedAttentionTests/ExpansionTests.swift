import XCTest
import Tensors
import Autograd
import Transformer
import BertBaseline
@testable import ExpandedAttention

/// The four terms are the logits: on a random BERT-A they sum to the model's own layer-1
/// logits, and every new operation's backward agrees with finite differences.
final class ExpansionTests: XCTestCase {
    /// A random BERT-A whose LayerNorm and biases are not at their initial 1 and 0, so the
    /// check exercises γ, β, b^Q and b^K too.
    func randomModel(seed: UInt64 = 3) throws -> PretrainingModel {
        let config = ModelConfiguration(vocabularySize: 40, hiddenSize: 16, layers: 1, heads: 4,
                                        feedForwardSize: 32, maxSequenceLength: 12, initializerStd: 0.5)
        let model = try PretrainingModel(config: config, seed: seed, positions: AbsolutePositions.factory)
        var rng = SeededGenerator(seed: seed &+ 100)
        for parameter in model.parameters.parameters where parameter.name.contains("norm") || parameter.name.hasSuffix("bias") {
            parameter.variable.assign(Tensor.normal(parameter.variable.shape, mean: parameter.name.hasSuffix("gamma") ? 1 : 0,
                                                    std: 0.3, using: &rng))
        }
        return model
    }

    func testFourTermsSumToTheModelsLogits() throws {
        let model = try randomModel()
        var rng = SeededGenerator(seed: 9)
        let (B, T) = (3, 10)
        let ids = (0..<(B * T)).map { _ in Int32.random(in: 5..<40, using: &rng) }
        let input = ModelInput(ids: ids, batchSize: B, length: T, lengths: [10, 7, 4])
        let expansion = try expandLayerOne(model.encoder, input)
        XCTAssertEqual(expansion.logits.shape, [B, 4, T, T])
        XCTAssertLessThanOrEqual(expansion.relativeError, 1e-5,
                                 "Σ terms − logits: max abs \(expansion.maxAbsoluteError), relative \(expansion.relativeError)")
        // The idealised terms (no LayerNorm) are a different thing: they must not sum to the logits.
        let ideal = expansion.idealised
        let idealTotal = ideal.wordToWord + ideal.wordToPosition + ideal.positionToWord + ideal.positionToPosition
        let gap = zip(idealTotal.scalars, expansion.logits.scalars).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(gap, 1e-2, "the LayerNorm should matter on this random model")
    }

    func testTheModelsOwnAttentionMatchesTheSoftmaxOfTheSum() throws {
        let model = try randomModel(seed: 5)
        let input = ModelInput(ids: [7, 8, 9, 10, 11, 12], batchSize: 1, length: 6, lengths: [6])
        let expansion = try expandLayerOne(model.encoder, input)
        var noDropout: SeededGenerator? = nil
        let probabilities = Gradients.withoutRecording { model.encoder(input, rng: &noDropout).attention[0] }
        let terms = expansion.terms
        let total = terms.wordToWord + terms.wordToPosition + terms.positionToWord + terms.positionToPosition
        let softmaxOfSum = softmax(total)     // over the last axis: [1, A, T, T]
        let gap = zip(probabilities.scalars, softmaxOfSum.scalars).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(gap, 1e-5, "softmax(Σ terms) differs from the model's attention by \(gap)")
    }

    func testSplitLayerNormSumsToLayerNorm() {
        var rng = SeededGenerator(seed: 4)
        let w = Variable(Tensor.normal([2, 5, 8], using: &rng)), p = Variable(Tensor.normal([5, 8], using: &rng))
        let gamma = Variable(Tensor.normal([8], mean: 1, std: 0.3, using: &rng))
        let beta = Variable(Tensor.normal([8], std: 0.3, using: &rng))
        let (word, position) = splitLayerNorm(words: w, positions: p, gamma: gamma, beta: beta, epsilon: 1e-12)
        let reference = layerNorm((w + p).value, gamma: gamma.value, beta: beta.value, epsilon: 1e-12).output
        let gap = zip((word + position).value.scalars, reference.scalars).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(gap, 1e-5, "ω + π differs from LN(w + p) by \(gap)")
    }

    func testStatisticsSeparatePositionFromWord() throws {
        // A term that depends only on (i, j) is all position; one that is i.i.d. noise is all word.
        let (B, A, T) = (40, 1, 4)
        var rng = SeededGenerator(seed: 2)
        let positional = Tensor(shape: [B, A, T, T], scalars: (0..<(B * T * T)).map { Float($0 % (T * T)) })
        let noise = Tensor.normal([B, A, T, T], using: &rng)
        let zero = Tensor.zeros([B, A, T, T])
        let expansion = LayerOneExpansion(terms: FourTerms(wordToWord: noise, wordToPosition: zero, positionToWord: zero,
                                                           positionToPosition: positional),
                                          logits: noise + positional, idealised: FourTerms(wordToWord: zero, wordToPosition: zero,
                                                                                            positionToWord: zero, positionToPosition: zero))
        var statistics = FourTermStatistics(heads: A, length: T)
        statistics.add(expansion, lengths: Array(repeating: T, count: B))
        let summaries = statistics.summaries
        XCTAssertEqual(summaries[3].positionShare, 1, accuracy: 1e-9)
        XCTAssertLessThan(summaries[0].positionShare, 0.15)    // about T²/N = 16/640 plus noise
        XCTAssertEqual(statistics.fewestSequencesPerCell, B)
        XCTAssertEqual(summaries[3].meanMap[5], 5)
    }
}

final class DiagonalBandTests: XCTestCase {
    func summary(_ map: [Float]) -> TermSummary {
        TermSummary(name: "t", meanMap: map, positionShare: 0, rms: 0, rowCentredRMS: 0)
    }

    func testABandIsPositiveAndAFlatOrRowConstantMapIsZero() {
        let T = 8
        let band = (0..<(T * T)).map { k -> Float in abs(k / T - k % T) <= 1 ? 1 : 0 }
        XCTAssertGreaterThan(summary(band).diagonalContrast(heads: 1, length: T, width: 1), 1)
        let rows = (0..<(T * T)).map { Float($0 / T) }        // constant along each row: softmax cannot see it
        XCTAssertEqual(summary(rows).diagonalContrast(heads: 1, length: T), 0)
        let antiBand = band.map { 1 - $0 }
        XCTAssertLessThan(summary(antiBand).diagonalContrast(heads: 1, length: T, width: 1), -1)
    }
}
