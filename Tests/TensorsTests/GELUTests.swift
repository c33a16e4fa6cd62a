import XCTest
import Foundation
@testable import Tensors

final class GELUTests: XCTestCase {
    // Φ(x) = ½erfc(−x/√2): no cancellation for x ≪ 0, unlike ½(1 + erf(x/√2)).
    func geluReference(_ x: Double) -> Double { x * 0.5 * Foundation.erfc(-x / 2.0.squareRoot()) }
    func geluDerivative(_ x: Double) -> Double {
        0.5 * Foundation.erfc(-x / 2.0.squareRoot()) + x * Foundation.exp(-x * x / 2) / (2 * Double.pi).squareRoot()
    }

    /// gelu(x) = x·Φ(x) is accurate relative to itself everywhere, including the far negative
    /// tail where Φ is tiny (Φ(−12) ≈ 2·10⁻³³), through both the vector loop and its
    /// scalar remainder (the grid's length is odd).
    func testGELUIsAccurateInRelativeTermsIntoTheTail() {
        let grid = (0...20_000).map { Float(-12 + Double($0) * 0.001) }.filter { $0 != 0 }
        let y = gelu(Tensor(shape: [grid.count], scalars: grid)).scalars
        var worst = 0.0, worstAt = 0.0
        for (x, value) in zip(grid, y) {
            let exact = geluReference(Double(x))
            let error = abs(Double(value) - exact) / abs(exact)
            if error > worst { worst = error; worstAt = Double(x) }
        }
        print("gelu(x) over [−12, 8]: worst relative error \(worst) at x = \(worstAt)")
        XCTAssertLessThan(worst, 1e-6, "gelu(x): worst relative error \(worst) at x = \(worstAt)")
    }

    func testForwardAndBackwardMatchDouble() {
        // A dense grid over [−10, 10] plus the parallel path (2¹⁷ elements).
        let grid = Tensor(shape: [20_001], scalars: (0...20_000).map { Float(-10 + Double($0) * 0.001) })
        var rng = SeededGenerator(seed: 51)
        let large = Tensor.normal([1 << 17], std: 3, using: &rng)
        for x in [grid, large] {
            let d = x.doubles
            // Relative to the value itself: gelu(x) ≈ x for x ≫ 0 and tiny for x ≪ 0.
            assertMatchesReference(gelu(x), d.map(geluReference), absolute: 1e-30, relative: 1e-6, "gelu")
            let g = Tensor.uniform(x.shape, low: -1, high: 1, using: &rng)
            let expected = zip(d, g.doubles).map { $1 * geluDerivative($0) }
            assertMatchesReference(geluBackward(g, input: x), expected, absolute: 1e-7, relative: 1e-6, "gelu backward")
        }
        let extremes = Tensor(shape: [4], scalars: [0, -.infinity, 100, .infinity])
        XCTAssertEqual(gelu(extremes).scalars, [0, 0, 100, .infinity])
        XCTAssertEqual(geluBackward(Tensor.ones([4]), input: extremes).scalars, [0.5, 0, 1, 1])
    }
}

final class GELUSlopeTests: XCTestCase {
    /// The fused kernel gives exactly the numbers of the two separate ones.
    func testOutputAndSlopeEqualTheSeparateKernels() {
        var rng = SeededGenerator(seed: 52)
        let x = Tensor(shape: [7 + (1 << 15)], scalars: [0, -.infinity, .infinity, -14, 14, -13.5, 13.5]
                       + Tensor.normal([1 << 15], std: 4, using: &rng).scalars)
        let (y, slope) = geluWithSlope(x)
        XCTAssertEqual(y.scalars, gelu(x).scalars)
        XCTAssertEqual(slope.scalars, geluBackward(Tensor.ones(x.shape), input: x).scalars)
        // Written over the input: the same output and slope.
        var overwritten = x
        let inPlaceSlope = geluWithSlope(inPlace: &overwritten)
        XCTAssertEqual(overwritten.scalars, y.scalars)
        XCTAssertEqual(inPlaceSlope.scalars, slope.scalars)
        XCTAssertEqual(x.scalars[3], -14, "the input's other copies are not overwritten")
    }
}
