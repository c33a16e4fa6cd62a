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
}
