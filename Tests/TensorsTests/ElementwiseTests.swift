import XCTest
import Foundation
@testable import Tensors

final class ElementwiseTests: XCTestCase {
    /// Naive suffix broadcasting in Double.
    func reference(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Double) -> [Double] {
        let count = max(a.count, b.count)
        return (0..<count).map { i in f(Double(a.pointer[i % a.count]), Double(b.pointer[i % b.count])) }
    }

    func testBroadcastingArithmeticMatchesNaiveDouble() {
        var rng = SeededGenerator(seed: 21)
        // The last pair has 120 000 elements: the parallel path, with runs cut by chunk ends.
        let shapes: [([Int], [Int])] = [
            ([3, 4, 5], [3, 4, 5]), ([3, 4, 5], [5]), ([3, 4, 5], [4, 5]), ([5], [3, 4, 5]),
            ([], [3, 4]), ([3, 4], []), ([2, 3, 1], [1]), ([300, 400], [400]), ([400], [300, 400]),
        ]
        for (sa, sb) in shapes {
            let a = Tensor.uniform(sa, low: -2, high: 2, using: &rng)
            let b = Tensor.uniform(sb, low: 0.5, high: 2, using: &rng)
            XCTAssertEqual((a + b).shape, sa.count >= sb.count ? sa : sb)
            assertMatchesReference(a + b, reference(a, b, +), "\(sa) + \(sb)")
            assertMatchesReference(a - b, reference(a, b, -), "\(sa) - \(sb)")
            assertMatchesReference(a * b, reference(a, b, *), "\(sa) * \(sb)")
            assertMatchesReference(a / b, reference(a, b, /), "\(sa) / \(sb)")
        }
    }

    func testScalarsOnEitherSideAndNegation() {
        var rng = SeededGenerator(seed: 22)
        for shape in [[7, 3], [256, 300]] {
            let x = Tensor.uniform(shape, low: 0.5, high: 2, using: &rng)
            let d = x.doubles
            assertMatchesReference(x + 3, d.map { $0 + 3 }, "x + 3")
            assertMatchesReference(3 + x, d.map { 3 + $0 }, "3 + x")
            assertMatchesReference(x - 3, d.map { $0 - 3 }, "x - 3")
            assertMatchesReference(3 - x, d.map { 3 - $0 }, "3 - x")
            assertMatchesReference(x * 3, d.map { $0 * 3 }, "x * 3")
            assertMatchesReference(3 * x, d.map { 3 * $0 }, "3 * x")
            assertMatchesReference(x / 3, d.map { $0 / 3 }, "x / 3")
            assertMatchesReference(3 / x, d.map { 3 / $0 }, "3 / x")
            assertMatchesReference(-x, d.map { -$0 }, "-x")
        }
    }

    func testReducedSumsOverBroadcastDimensions() {
        let g = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(g.reduced(to: [3]).scalars, [5, 7, 9])
        XCTAssertEqual(g.reduced(to: []).scalars, [21])
        XCTAssertEqual(g.reduced(to: [2, 3]).scalars, g.scalars)
    }

    /// sumLeading adds rows in fixed blocks of about 64 Ki elements, then the blocks' partial
    /// rows: several blocks with a short last one ([1000, 300]: 218 rows per block; 70 rows of
    /// [1000, 3]: 21 per block), and one column over 70 000 rows (65 536 per block), against
    /// sums in Double.
    func testSumLeadingOverSeveralBlocksMatchesDouble() {
        var rng = SeededGenerator(seed: 24)
        for (shape, trailing) in [([1000, 300], [300]), ([7, 10, 1000, 3], [1000, 3]), ([70_000, 1], [1])] {
            let x = Tensor.normal(shape, using: &rng)
            let inner = trailing.reduce(1, *)
            let d = x.doubles
            var expected = [Double](repeating: 0, count: inner)
            for (i, value) in d.enumerated() { expected[i % inner] += value }
            assertMatchesReference(x.sumLeading(to: trailing), expected, absolute: 1e-4, relative: 1e-5,
                                   "sumLeading \(shape) → \(trailing)")
        }
        XCTAssertEqual(Tensor.zeros([0, 4]).sumLeading(to: [4]).scalars, [0, 0, 0, 0])
    }

    /// The fused product and leading sum gives the bits of the product followed by
    /// `sumLeading`, over the same block shapes as above.
    func testProductAndLeadingSumEqualsTheTwoPasses() {
        var rng = SeededGenerator(seed: 25)
        for (shape, trailing) in [([1000, 300], [300]), ([7, 10, 1000, 3], [1000, 3]), ([70_000, 1], [1]), ([0, 4], [4])] {
            let a = Tensor.normal(shape, using: &rng), b = Tensor.normal(shape, using: &rng)
            let (product, sum) = a.productAndLeadingSum(b, to: trailing)
            let expected = a * b
            XCTAssertEqual(product.shape, shape)
            XCTAssertEqual(product.scalars, expected.scalars, "product \(shape)")
            XCTAssertEqual(sum.shape, trailing)
            XCTAssertEqual(sum.scalars, expected.sumLeading(to: trailing).scalars, "sum \(shape) → \(trailing)")
        }
    }

    func testExpLogSqrtMatchDouble() {
        var rng = SeededGenerator(seed: 23)
        // exp over its whole finite range (and large enough for the parallel path).
        let x = Tensor.uniform([100_000], low: -87, high: 88, using: &rng)
        assertMatchesReference(exp(x), x.doubles.map(Foundation.exp), absolute: 0, relative: 3e-7, "exp")
        let small = Tensor.uniform([1000], low: -1, high: 1, using: &rng)
        assertMatchesReference(exp(small), small.doubles.map(Foundation.exp), absolute: 0, relative: 3e-7, "exp near 0")
        let edges = Tensor(shape: [7], scalars: [0, -.infinity, -100, 89, .infinity, 88.7, -87.3])
        assertMatchesReference(exp(edges), [1, 0, 0, .infinity, .infinity, Foundation.exp(Double(Float(88.7))),
                                            Foundation.exp(Double(Float(-87.3)))],
                               absolute: 0, relative: 3e-7, "exp at the edges")
        let positive = Tensor.uniform([70_000], low: 1e-3, high: 50, using: &rng)
        assertMatchesReference(log(positive), positive.doubles.map(Foundation.log), absolute: 1e-7, relative: 2e-7, "log")
        assertMatchesReference(sqrt(positive), positive.doubles.map { $0.squareRoot() }, absolute: 0, relative: 1e-7, "sqrt")
        XCTAssertEqual(log(Tensor(shape: [1], scalars: [0])).item, -.infinity)
    }
}
