import XCTest
@testable import Tensors

final class ReductionTests: XCTestCase {
    /// Naive reduction over one axis in Double.
    func reference(_ x: Tensor, axis: Int, _ start: Double, _ f: (Double, Double) -> Double) -> [Double] {
        let layout = AxisLayout(x.shape, axis: axis)
        var out = [Double](repeating: start, count: layout.outer * layout.inner)
        for o in 0..<layout.outer { for k in 0..<layout.length { for i in 0..<layout.inner {
            let j = o * layout.inner + i
            out[j] = f(out[j], Double(x.pointer[(o * layout.length + k) * layout.inner + i]))
        }}}
        return out
    }

    func testSumMeanMaxOverEveryAxisMatchNaiveDouble() {
        var rng = SeededGenerator(seed: 31)
        // The large shapes take the parallel paths: many short rows, few long columns.
        for shape in [[3, 4, 5], [7], [70_000, 3], [3, 50_000], [4, 300, 100]] {
            let x = Tensor.normal(shape, using: &rng)
            for axis in 0..<shape.count {
                let n = Double(shape[axis])
                let sums = reference(x, axis: axis, 0, +)
                let tolerance = 1e-5 * n.squareRoot()
                assertMatchesReference(sum(x, axis: axis), sums, absolute: tolerance, "sum \(shape) axis \(axis)")
                assertMatchesReference(mean(x, axis: axis), sums.map { $0 / n }, absolute: tolerance / n, "mean \(shape) axis \(axis)")
                assertMatchesReference(max(x, axis: axis), reference(x, axis: axis, -.infinity) { Swift.max($0, $1) },
                                       absolute: 0, relative: 0, "max \(shape) axis \(axis)")
            }
        }
    }

    func testShapesNegativeAxesAndKeptDimensions() {
        let x = Tensor.ones([2, 3, 4])
        XCTAssertEqual(sum(x, axis: 1).shape, [2, 4])
        XCTAssertEqual(sum(x, axis: -1).shape, [2, 3])
        XCTAssertEqual(sum(x, axis: 1, keepingDimension: true).shape, [2, 1, 4])
        XCTAssertEqual(mean(x, axis: 0, keepingDimension: true).shape, [1, 3, 4])
        XCTAssertEqual(max(x, axis: -1, keepingDimension: true).shape, [2, 3, 1])
        XCTAssertEqual(sum(x).shape, [])
        XCTAssertEqual(sum(x).item, 24)
        XCTAssertEqual(mean(x).item, 1)
    }

    func testSumOfEverythingIsAccurate() {
        var rng = SeededGenerator(seed: 32)
        let x = Tensor.uniform([1_000_003], low: 0, high: 1, using: &rng)
        let exact = x.doubles.reduce(0, +)
        XCTAssertEqual(Double(sum(x).item), exact, accuracy: exact * 1e-6, "sum of 10⁶ uniforms")
        XCTAssertEqual(Double(mean(x).item), exact / Double(x.count), accuracy: 1e-6)
    }

    func testArgmaxTakesTheFirstOfTiesAndBackwardRoutesThere() {
        let x = Tensor(shape: [2, 4], scalars: [1, 5, 5, 2, -1, -3, -1, -2])
        XCTAssertEqual(argmax(x, axis: 1), [1, 0])
        XCTAssertEqual(argmax(x, axis: 0), [0, 0, 0, 0])
        let (values, positions) = maxWithArgmax(x, axis: 1)
        XCTAssertEqual(values.scalars, [5, -1])
        let dx = maxBackward(Tensor(shape: [2], scalars: [10, 20]), argmax: positions, inputShape: [2, 4], axis: 1)
        XCTAssertEqual(dx.scalars, [0, 10, 0, 0, 20, 0, 0, 0])
        let columns = Tensor(shape: [3, 2], scalars: [1, 7, 4, 7, 4, 0])
        XCTAssertEqual(argmax(columns, axis: 0), [1, 0])
        let infinite = Tensor(shape: [1, 3], scalars: [-.infinity, -.infinity, -.infinity])
        XCTAssertEqual(argmax(infinite, axis: 1), [0])
    }

    func testSumBackwardSpreadsTheGradient() {
        let g = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        XCTAssertEqual(sumBackward(g, inputShape: [2, 3, 2], axis: 1).scalars, [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4])
        XCTAssertEqual(sumBackward(g, inputShape: [2, 2, 2], axis: 2, scale: 0.5).scalars, [0.5, 0.5, 1, 1, 1.5, 1.5, 2, 2])
    }
}

final class SumOfSquaresTests: XCTestCase {
    /// Σx² over several blocks (and a ragged last one) agrees with a Double loop.
    func testMatchesDouble() {
        var rng = SeededGenerator(seed: 61)
        let x = Tensor.normal([3 * 8192 + 17], std: 2, using: &rng)
        let expected = x.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }
        XCTAssertEqual(sumOfSquares(x), expected, accuracy: expected * 1e-6)
        XCTAssertEqual(sumOfSquares(Tensor.zeros([0])), 0)
    }
}
