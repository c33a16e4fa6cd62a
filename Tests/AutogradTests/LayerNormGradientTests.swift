import XCTest
import Tensors
@testable import Autograd

final class LayerNormGradientTests: XCTestCase {
    func testGradientsOfInputGainAndShift() {
        var rng = SeededGenerator(seed: 81)
        // The second shape splits rows over the cores, so dγ and dβ are summed over chunks.
        for shape in [[4, 3, 24], [64, 8, 96]] {
            let H = shape.last!
            let inputs = [Tensor.normal(shape, using: &rng), Tensor.normal([H], mean: 1, std: 0.5, using: &rng),
                          Tensor.normal([H], using: &rng)]
            for epsilon in [Float(1e-12), 1e-5] {
                let report = gradcheck(inputs: inputs, epsilon: 1e-2, using: &rng) { v in
                    layerNorm(v[0], gamma: v[1], beta: v[2], epsilon: epsilon)
                }
                XCTAssert(report.passed, "layerNorm \(shape), ε = \(epsilon): \(report)")
            }
        }
    }

    func testDefaultEpsilonIsBERTs() {
        let x = Variable(Tensor(shape: [1, 2], scalars: [0, 2e-4]))
        let y = layerNorm(x, gamma: Variable(Tensor.ones([2])), beta: Variable(Tensor.zeros([2])))
        // σ² = 1e-8 ≫ ε = 1e-12: the row still normalises to ±1 (PyTorch's 1e-5 would give ±0.03).
        XCTAssertEqual(y.value.scalars[0], -1, accuracy: 1e-3)
        XCTAssertEqual(y.value.scalars[1], 1, accuracy: 1e-3)
    }

    /// LN(x + dropout(z)) fused: gradients of x, z, γ and β by finite differences (the same
    /// generator seed in every evaluation, so every evaluation draws the same mask), on a
    /// shape whose rows are split over the cores.
    func testResidualLayerNormGradients() {
        var rng = SeededGenerator(seed: 82)
        for shape in [[4, 3, 24], [64, 8, 96]] {
            let H = shape.last!
            let inputs = [Tensor.normal(shape, using: &rng), Tensor.normal(shape, using: &rng),
                          Tensor.normal([H], mean: 1, std: 0.5, using: &rng), Tensor.normal([H], using: &rng)]
            for p: Float in [0, 0.3] {
                let report = gradcheck(inputs: inputs, epsilon: 1e-2, using: &rng) { v in
                    var local = SeededGenerator(seed: 9)
                    return residualLayerNorm(v[0], plus: v[1], probability: p, using: &local, gamma: v[2], beta: v[3])
                }
                XCTAssert(report.passed, "residualLayerNorm \(shape), p = \(p): \(report)")
            }
        }
    }

    /// The fused operation gives exactly the numbers, mask and generator state of the three
    /// separate ones it replaces in the encoder: layerNorm(x + dropout(z)).
    func testResidualLayerNormEqualsTheSeparateOperations() {
        var rng = SeededGenerator(seed: 83)
        let x = Tensor.normal([5, 7, 48], using: &rng), z = Tensor.normal([5, 7, 48], using: &rng)
        let gamma = Tensor.normal([48], mean: 1, std: 0.2, using: &rng), beta = Tensor.normal([48], using: &rng)
        var fusedRng = SeededGenerator(seed: 10), separateRng = SeededGenerator(seed: 10)
        let vx = Variable(differentiable: x), vz = Variable(differentiable: z)
        let vg = Variable(differentiable: gamma), vb = Variable(differentiable: beta)
        let fused = residualLayerNorm(vx, plus: vz, probability: 0.2, using: &fusedRng, gamma: vg, beta: vb)
        let separate = layerNorm(vx + dropout(vz, probability: 0.2, using: &separateRng), gamma: vg, beta: vb)
        XCTAssertEqual(fused.value.scalars, separate.value.scalars)
        XCTAssertEqual(fusedRng.next(), separateRng.next(), "both draw one seed")
        let g = Tensor.normal(x.shape, using: &rng)
        fused.backward(seed: g)
        let fusedGradients = [vx, vz, vg, vb].map { $0.gradient!.scalars }
        [vx, vz, vg, vb].forEach { $0.zeroGradient() }
        separate.backward(seed: g)
        XCTAssertEqual(fusedGradients, [vx, vz, vg, vb].map { $0.gradient!.scalars })
    }
}
