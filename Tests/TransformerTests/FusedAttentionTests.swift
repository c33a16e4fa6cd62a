import XCTest
import Tensors
import Autograd
@testable import Transformer

/// The fused attention core against the step-by-step composition of engine operations it
/// replaces, and against finite differences.
final class FusedAttentionTests: XCTestCase {
    /// The unfused reference: split heads, scaled scores, bias, masked softmax, dropout (same
    /// seed, so the same mask), context, merge heads.
    func stepByStep(_ q: Variable, _ k: Variable, _ v: Variable, heads: Int, scale: Float, bias: Variable?,
                    lengths: [Int], dropout p: Float, seed: UInt64) -> (Variable, Variable) {
        var scores = matmul(splitHeads(q, heads: heads), splitHeads(k, heads: heads), transposeB: true, alpha: scale)
        if let bias { scores = scores + bias }
        let P = attentionSoftmax(scores, keyLengths: lengths)
        let dropped = p > 0 ? Variable.record("dropout", dropout(P.value, probability: p, seed: seed), inputs: [P]) { g in
            [dropout(g, probability: p, seed: seed)]
        } : P
        return (P, mergeHeads(matmul(dropped, splitHeads(v, heads: heads))))
    }

    func testMatchesTheStepByStepComposition() {
        var rng = SeededGenerator(seed: 5)
        let (B, T, H, A) = (3, 6, 8, 2)
        for (biasShape, p) in [(nil, Float(0)), ([A, T, T], Float(0.3)), ([T, T], Float(0.1))] as [([Int]?, Float)] {
            let values = (0..<3).map { _ in Tensor.normal([B, T, H], using: &rng) }
            let biasValue = biasShape.map { Tensor.normal($0, using: &rng) }
            let seedTensor = Tensor.normal([B, T, H], using: &rng)
            let lengths = [6, 4, 1]
            func run(_ fused: Bool) -> [Tensor] {
                let (q, k, v) = (Variable(differentiable: values[0]), Variable(differentiable: values[1]),
                                 Variable(differentiable: values[2]))
                let bias = biasValue.map { Variable(differentiable: $0) }
                let (P, context) = fused
                    ? fusedAttention(concatenate([q, k, v], axis: 2), heads: A, scale: 0.4, bias: bias,
                                     keyLengths: lengths, dropout: p, seed: 77)
                    : stepByStep(q, k, v, heads: A, scale: 0.4, bias: bias, lengths: lengths, dropout: p, seed: 77)
                context.backward(seed: seedTensor)
                return [P.value, context.value, q.gradient!, k.gradient!, v.gradient!] + (bias.map { [$0.gradient!] } ?? [])
            }
            for (index, (fused, plain)) in zip(run(true), run(false)).enumerated() {
                XCTAssertEqual(fused.shape, plain.shape)
                let worst = zip(fused.scalars, plain.scalars).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
                XCTAssertLessThan(worst, 1e-5, "bias \(String(describing: biasShape)), p = \(p), output \(index)")
            }
        }
    }

    func testGradientsAgreeWithFiniteDifferences() {
        var rng = SeededGenerator(seed: 6)
        let (B, T, H, A) = (2, 4, 4, 2)
        let inputs = [Tensor.normal([B, T, 3 * H], using: &rng), Tensor.normal([A, T, T], using: &rng)]
        let report = gradcheck(inputs: inputs, using: &rng) { v in
            fusedAttention(v[0], heads: A, scale: 0.5, bias: v[1], keyLengths: [4, 3], dropout: 0.25, seed: 9).context
        }
        XCTAssert(report.passed, report.description)
    }
}
