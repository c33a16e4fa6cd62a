import XCTest
import Tensors
@testable import Autograd

final class LinearGradientTests: XCTestCase {
    /// The fused `linear` (and `linearGELU`) against finite differences, for a matrix and a
    /// batch of sequences.
    func testLinearGradientsAgreeWithFiniteDifferences() {
        var rng = SeededGenerator(seed: 21)
        for xShape in [[3, 4], [2, 3, 4]] {
            let inputs = [Tensor.normal(xShape, using: &rng), Tensor.normal([4, 5], using: &rng),
                          Tensor.normal([5], using: &rng)]
            let report = gradcheck(inputs: inputs, using: &rng) { v in linear(v[0], weight: v[1], bias: v[2]) }
            XCTAssert(report.passed, "\(xShape): \(report)")
            let withGELU = gradcheck(inputs: inputs, using: &rng) { v in linearGELU(v[0], weight: v[1], bias: v[2]) }
            XCTAssert(withGELU.passed, "\(xShape), linearGELU: \(withGELU)")
            // The weight stored [out, in], as the tied decoder reads the embeddings.
            let transposed = [inputs[0], Tensor.normal([5, 4], using: &rng), inputs[2]]
            let tied = gradcheck(inputs: transposed, using: &rng) { v in
                linear(v[0], weight: v[1], bias: v[2], transposedWeight: true)
            }
            XCTAssert(tied.passed, "\(xShape), transposed weight: \(tied)")
        }
    }

    /// The same values and gradients as the unfused `matmul(x, W) + b` (up to where the bias
    /// is rounded in), on a size where the product is split over the cores.
    /// The second case has more outputs than rows (a decoder over the vocabulary), so the
    /// product is split by columns and each block takes its own slice of the bias.
    func testLinearMatchesMatmulPlusBias() {
        var rng = SeededGenerator(seed: 22)
        for (xShape, outputs, transposed) in [([4, 64, 96], 80, false), ([40, 96], 600, true)] {
            let inputs = xShape.last!
            let X = Tensor.normal(xShape, using: &rng)
            let W = Tensor.normal(transposed ? [outputs, inputs] : [inputs, outputs], using: &rng)
            let b = Tensor.normal([outputs], using: &rng)
            let seed = Tensor.normal(Array(xShape.dropLast()) + [outputs], using: &rng)
            func run(_ fused: Bool) -> [Tensor] {
                let x = Variable(differentiable: X), w = Variable(differentiable: W), bias = Variable(differentiable: b)
                let y = fused ? linear(x, weight: w, bias: bias, transposedWeight: transposed)
                              : matmul(x, w, transposeB: transposed) + bias
                y.backward(seed: seed)
                return [y.value, x.gradient!, w.gradient!, bias.gradient!]
            }
            for (fused, plain) in zip(run(true), run(false)) {
                XCTAssertEqual(fused.shape, plain.shape)
                let worst = zip(fused.scalars, plain.scalars).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
                XCTAssertLessThan(worst, 1e-5, "x \(xShape), \(outputs) outputs")
            }
        }
    }

    /// `linearGELU` gives the bits of `gelu(linear(…))`, value and every gradient, on a size
    /// where the product and the bias-gradient sum are split into blocks; without a gradient
    /// to record, the value alone, the same bits.
    func testLinearGELUEqualsGELUOfLinear() {
        var rng = SeededGenerator(seed: 24)
        let (X, W, b) = (Tensor.normal([4, 64, 96], using: &rng), Tensor.normal([96, 700], std: 0.1, using: &rng),
                         Tensor.normal([700], using: &rng))
        let seed = Tensor.normal([4, 64, 700], using: &rng)
        func run(_ fused: Bool) -> [Tensor] {
            let x = Variable(differentiable: X), w = Variable(differentiable: W), bias = Variable(differentiable: b)
            let y = fused ? linearGELU(x, weight: w, bias: bias) : gelu(linear(x, weight: w, bias: bias))
            y.backward(seed: seed)
            return [y.value, x.gradient!, w.gradient!, bias.gradient!]
        }
        for (index, (fused, plain)) in zip(run(true), run(false)).enumerated() {
            XCTAssertEqual(fused.shape, plain.shape)
            XCTAssertEqual(fused.scalars, plain.scalars, "output and gradients, #\(index)")
        }
        let evaluated = Gradients.withoutRecording {
            linearGELU(Variable(differentiable: X), weight: Variable(differentiable: W), bias: Variable(differentiable: b))
        }
        XCTAssertEqual(evaluated.value.scalars, run(true)[0].scalars)
    }
}
