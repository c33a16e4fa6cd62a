import XCTest
@testable import Tensors

/// Compares every matmul path with a naive triple loop in Double.
final class MatMulTests: XCTestCase {
    func naive(_ a: Tensor, _ b: Tensor, _ tA: Bool, _ tB: Bool) -> [Double] {
        let plan = MatMulPlan(a.shape, b.shape, transposeA: tA, transposeB: tB)
        let m = a.shape[a.rank - (tA ? 1 : 2)], k = plan.k, n = plan.n
        let batch = Tensor.elementCount(Array(plan.outputShape.dropLast(2)))
        let aBatched = a.rank > 2, bBatched = b.rank > 2
        var out = [Double](repeating: 0, count: batch * m * n)
        for s in 0..<batch {
            let ao = aBatched ? s * m * k : 0, bo = bBatched ? s * k * n : 0
            for i in 0..<m { for j in 0..<n {
                var t = 0.0
                for p in 0..<k {
                    let av = a.pointer[ao + (tA ? p * m + i : i * k + p)]
                    let bv = b.pointer[bo + (tB ? j * k + p : p * n + j)]
                    t += Double(av) * Double(bv)
                }
                out[s * m * n + i * n + j] = t
            }}
        }
        return out
    }

    func testAllPathsMatchANaiveProduct() {
        var rng = SeededGenerator(seed: 5)
        // Large enough shapes to take the multi-threaded split (rows and columns).
        let cases: [([Int], [Int], Bool, Bool)] = [
            ([3, 4], [4, 5], false, false), ([4, 3], [4, 5], true, false), ([3, 4], [5, 4], false, true),
            ([4, 3], [5, 4], true, true), ([2, 3, 7, 4], [4, 6], false, false),
            ([2, 3, 7, 4], [2, 3, 6, 4], false, true), ([2, 5, 4], [2, 5, 6], true, false),
            ([3, 4], [2, 4, 6], false, false),
            ([300, 200], [200, 150], false, false), ([200, 300], [150, 200], true, true),
            ([40, 200], [200, 400], false, false), ([200, 40], [400, 200], true, true),
            // Long sums into small outputs (weight gradients): split into blocks of the sum.
            ([2600, 24], [2600, 20], true, false), ([24, 2600], [20, 2600], false, true),
            ([24, 2600], [2600, 20], false, false), ([2600, 24], [20, 2600], true, true),
        ]
        for (aShape, bShape, tA, tB) in cases {
            let a = Tensor.normal(aShape, using: &rng), b = Tensor.normal(bShape, using: &rng)
            let c = matmul(a, b, transposeA: tA, transposeB: tB)
            let expected = naive(a, b, tA, tB)
            XCTAssertEqual(c.count, expected.count)
            var worst = 0.0, worstIndex = 0
            for (i, e) in expected.enumerated() {
                let d = abs(Double(c.pointer[i]) - e)
                if d > worst { worst = d; worstIndex = i }
            }
            XCTAssertLessThan(worst, 1e-3, "\(aShape)·\(bShape) tA=\(tA) tB=\(tB): entry \(worstIndex) is \(c.pointer[worstIndex]), expected \(expected[worstIndex])")
        }
    }

    /// `matmul(_:_:bias:)` is the product plus the bias in every row, on every path: whole,
    /// split by rows, by columns (each block its slice of the bias), by blocks of a long sum
    /// (the bias joins the first block only), and batched.
    func testBiasIsAddedToEveryRowOnEveryPath() {
        var rng = SeededGenerator(seed: 6)
        let cases: [([Int], [Int], Bool, Bool)] = [
            ([3, 4], [4, 5], false, false), ([300, 200], [200, 150], false, false),
            ([40, 200], [400, 200], false, true), ([2600, 24], [2600, 20], true, false),
            ([2, 3, 7, 4], [2, 3, 4, 6], false, false),
        ]
        for (aShape, bShape, tA, tB) in cases {
            let a = Tensor.normal(aShape, using: &rng), b = Tensor.normal(bShape, using: &rng)
            let plain = matmul(a, b, transposeA: tA, transposeB: tB)
            let n = plain.shape.last!
            let bias = Tensor.normal([n], using: &rng)
            let withBias = matmul(a, b, transposeA: tA, transposeB: tB, bias: bias)
            XCTAssertEqual(withBias.shape, plain.shape)
            var worst: Float = 0
            for i in 0..<plain.count {
                worst = max(worst, abs(withBias.pointer[i] - (plain.pointer[i] + bias.pointer[i % n])))
            }
            XCTAssertLessThan(worst, 1e-4, "\(aShape)·\(bShape) tA=\(tA) tB=\(tB)")
        }
    }

    func testAccumulatingInto() {
        let a = Tensor(shape: [1, 2], scalars: [1, 2]), b = Tensor(shape: [2, 1], scalars: [3, 4])
        var c = Tensor(shape: [1, 1], scalars: [10])
        matmul(a, b, beta: 1, into: &c)
        XCTAssertEqual(c.scalars, [21])
        // The same through the blocks of a long sum (a product large enough to be split):
        // β·C joins the first block's partial only.
        let ones = Tensor(shape: [16, 4200], scalars: [Float](repeating: 1, count: 16 * 4200))
        var d = Tensor(shape: [16, 16], scalars: [Float](repeating: 10, count: 256))
        matmul(ones, ones, transposeB: true, alpha: 0.5, beta: 2, into: &d)
        XCTAssertEqual(d.scalars, [Float](repeating: 2120, count: 256))
    }

    func testSeededGeneratorIsDeterministicAndRestorable() {
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9)
        XCTAssertEqual((0..<5).map { _ in a.next() }, (0..<5).map { _ in b.next() })
        var c = SeededGenerator(state: a.stateWords)
        XCTAssertEqual(a.next(), c.next())
        var d = SeededGenerator(seed: 1)
        let xs = (0..<20_000).map { _ in Double(d.nextNormal()) }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(variance, 1, accuracy: 0.05)
    }
}
