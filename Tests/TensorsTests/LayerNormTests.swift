import XCTest
@testable import Tensors

/// Layer norm's forward and fused backward against the formulas evaluated in Double.
final class LayerNormTests: XCTestCase {
    struct Reference { var y, mean, rstd, dx, dgamma, dbeta: [Double] }

    func reference(_ x: Tensor, _ gamma: Tensor, _ beta: Tensor, _ g: Tensor, epsilon: Double) -> Reference {
        let H = x.shape[x.rank - 1], R = x.count / H
        var r = Reference(y: [], mean: [], rstd: [], dx: [], dgamma: Array(repeating: 0, count: H),
                          dbeta: Array(repeating: 0, count: H))
        for row in 0..<R {
            let xs = (0..<H).map { Double(x.pointer[row * H + $0]) }
            let gs = (0..<H).map { Double(g.pointer[row * H + $0]) }
            let mu = xs.reduce(0, +) / Double(H)
            let variance = xs.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(H)
            let s = 1 / (variance + epsilon).squareRoot()
            let xhat = xs.map { ($0 - mu) * s }
            let ghat = (0..<H).map { gs[$0] * Double(gamma.pointer[$0]) }
            let a = ghat.reduce(0, +) / Double(H)
            let b = zip(ghat, xhat).map(*).reduce(0, +) / Double(H)
            r.mean.append(mu)
            r.rstd.append(s)
            for j in 0..<H {
                r.y.append(Double(gamma.pointer[j]) * xhat[j] + Double(beta.pointer[j]))
                r.dx.append(s * (ghat[j] - a - xhat[j] * b))
                r.dgamma[j] += gs[j] * xhat[j]
                r.dbeta[j] += gs[j]
            }
        }
        return r
    }

    func testForwardAndBackwardMatchDouble() {
        var rng = SeededGenerator(seed: 41)
        // H not a multiple of 16; a large case split over cores; rows far from zero mean.
        let cases: [([Int], Float)] = [([6, 37], 0), ([3, 2, 16], 0), ([64, 8, 256], 0), ([40, 96], 100)]
        for (shape, offset) in cases {
            let H = shape.last!
            let x = Tensor.normal(shape, using: &rng) + offset
            let gamma = Tensor.normal([H], mean: 1, std: 0.5, using: &rng)
            let beta = Tensor.normal([H], using: &rng)
            let g = Tensor.normal(shape, using: &rng)
            for epsilon in [Float(1e-12), 1e-5] {
                let result = layerNorm(x, gamma: gamma, beta: beta, epsilon: epsilon)
                let ref = reference(x, gamma, beta, g, epsilon: Double(epsilon))
                let what = "\(shape) + \(offset), ε = \(epsilon)"
                XCTAssertEqual(result.mean.shape, Array(shape.dropLast()))
                // Rows at 100 have Float32 inputs with ulp 8e-6: x̂ carries that over σ ≈ 1.
                let tolerance = offset == 0 ? 2e-5 : 3e-4
                assertElementsAgree(result.output, ref.y, tolerance: tolerance, "y, \(what)")
                assertElementsAgree(result.mean, ref.mean, tolerance: 1e-5 * Double(1 + offset), "μ, \(what)")
                assertElementsAgree(result.rstd, ref.rstd, tolerance: tolerance, "1/σ, \(what)")
                let d = layerNormBackward(g, x: x, gamma: gamma, mean: result.mean, rstd: result.rstd)
                assertElementsAgree(d.input, ref.dx, tolerance: 10 * tolerance, "dx, \(what)")
                let rows = Double(x.count / H)
                assertElementsAgree(d.gamma, ref.dgamma, tolerance: tolerance * rows, "dγ, \(what)")
                assertElementsAgree(d.beta, ref.dbeta, tolerance: 1e-5 * rows, "dβ, \(what)")
            }
        }
    }

    func testAConstantRowGivesExactlyBeta() {
        // 0.1 is not representable: a plain mean would leave rounding noise that 1/√ε = 10⁶ magnifies.
        let H = 7
        let x = Tensor(shape: [2, H], scalars: [Float](repeating: 0.1, count: H) + (0..<H).map(Float.init))
        let gamma = Tensor(shape: [H], scalars: (0..<H).map { Float($0) + 0.5 })
        let beta = Tensor(shape: [H], scalars: (0..<H).map { Float($0) * -0.25 })
        let result = layerNorm(x, gamma: gamma, beta: beta, epsilon: 1e-12)
        XCTAssertEqual(Array(result.output.scalars[0..<H]), beta.scalars)
        XCTAssertEqual(result.mean.scalars[0], 0.1)
        XCTAssertEqual(result.rstd.scalars[0], 1e6, accuracy: 1)
        let g = Tensor(shape: [2, H], scalars: (0..<2 * H).map { Float($0 % 5) - 2 })
        let d = layerNormBackward(g, x: x, gamma: gamma, mean: result.mean, rstd: result.rstd)
        XCTAssertTrue(d.input.scalars.allSatisfy(\.isFinite), "dx must be finite: \(d.input)")
        // The constant row has x̂ = 0: it adds nothing to dγ, and g to dβ.
        let ref = reference(Tensor(shape: [1, H], scalars: (0..<H).map(Float.init)), gamma, beta,
                            Tensor(shape: [1, H], scalars: Array(g.scalars[H...])), epsilon: 1e-12)
        assertElementsAgree(d.gamma, ref.dgamma, tolerance: 1e-5, "dγ with a constant row")
        let expectedBeta = (0..<H).map { Double(g.pointer[$0]) + Double(g.pointer[H + $0]) }
        assertElementsAgree(d.beta, expectedBeta, tolerance: 1e-6, "dβ with a constant row")
    }
}
