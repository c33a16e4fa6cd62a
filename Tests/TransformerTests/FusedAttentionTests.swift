import XCTest
import Tensors
import Autograd
@testable import Transformer

/// The fused attention core against the reference path (`referenceAttention`, one engine
/// operation per step of the formula), and against finite differences.
final class FusedAttentionTests: XCTestCase {
    func testMatchesTheReferenceAttention() {
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
                // The same generator on both sides: the same dropout mask.
                var rng: SeededGenerator? = SeededGenerator(seed: 77)
                let (P, context): (Tensor, Variable)
                if fused {
                    (P, context) = fusedAttention(concatenate([q, k, v], axis: 2), heads: A, scale: 0.4, bias: bias,
                                                  keyLengths: lengths, dropout: p, seed: rng!.next())
                } else {
                    (P, context) = referenceAttention(query: q, key: k, value: v, heads: A, scale: 0.4, bias: bias,
                                                      keyLengths: lengths, dropout: p, rng: &rng)
                }
                context.backward(seed: seedTensor)
                return [P, context.value, q.gradient!, k.gradient!, v.gradient!] + (bias.map { [$0.gradient!] } ?? [])
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
