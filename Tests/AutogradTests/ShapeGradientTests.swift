import XCTest
import Tensors
@testable import Autograd

/// Finite-difference checks of the reshaping, permuting, slicing and joining operations.
/// Each output feeds a fixed random projection, so every routed element is exercised;
/// the large cases take the threaded paths, with up to 200 checked elements per input.
final class ShapeGradientTests: XCTestCase {
    func testReshapeAndPermutations() {
        var rng = SeededGenerator(seed: 71)
        let x = Tensor.normal([2, 3, 4], using: &rng)
        let reshape = gradcheck(inputs: [x], using: &rng) { v in v[0].reshaped([4, -1]) }
        XCTAssert(reshape.passed, "reshaped: \(reshape)")
        for axes in [[2, 0, 1], [1, 0, 2], [0, 2, 1], [2, 1, 0]] {
            let report = gradcheck(inputs: [x], using: &rng) { v in permuted(v[0], axes) }
            XCTAssert(report.passed, "permuted \(axes): \(report)")
        }
        let large = Tensor.normal([4, 130, 70], using: &rng)
        let tiles = gradcheck(inputs: [large], using: &rng) { v in transposeLastTwo(v[0]) }
        XCTAssert(tiles.passed, "transposeLastTwo [4, 130, 70]: \(tiles)")
        // Square the result so the check is not of a purely linear map.
        let squared = gradcheck(inputs: [x], using: &rng) { v in
            let y = permuted(v[0], [1, 2, 0])
            return y * y
        }
        XCTAssert(squared.passed, "permuted then squared: \(squared)")
    }

    func testHeadSplitAndMerge() {
        var rng = SeededGenerator(seed: 72)
        for (B, T, H, A) in [(2, 3, 8, 2), (8, 64, 128, 4)] {
            let x = Tensor.normal([B, T, H], using: &rng)
            let split = gradcheck(inputs: [x], using: &rng) { v in splitHeads(v[0], heads: A) }
            XCTAssert(split.passed, "splitHeads [\(B), \(T), \(H)] / \(A): \(split)")
            let heads = Tensor.normal([B, A, T, H / A], using: &rng)
            let merge = gradcheck(inputs: [heads], using: &rng) { v in mergeHeads(v[0]) }
            XCTAssert(merge.passed, "mergeHeads [\(B), \(A), \(T), \(H / A)]: \(merge)")
        }
    }

    func testRowsGatherAndConcatenate() {
        var rng = SeededGenerator(seed: 73)
        let x = Tensor.normal([6, 5], using: &rng)
        let range = gradcheck(inputs: [x], using: &rng) { v in rows(v[0], 2..<5) }
        XCTAssert(range.passed, "rows: \(range)")
        // Repeated indices: their gradients add up.
        let gather = gradcheck(inputs: [x], using: &rng) { v in gatherRows(v[0], indices: [4, 0, 4, 2, 4]) }
        XCTAssert(gather.passed, "gatherRows: \(gather)")
        let big = Tensor.normal([400, 96], using: &rng)
        let indices = (0..<800).map { _ in Int32(rng.next() % 400) }
        let largeGather = gradcheck(inputs: [big], using: &rng) { v in gatherRows(v[0], indices: indices) }
        XCTAssert(largeGather.passed, "gatherRows [400, 96] × 800: \(largeGather)")
        let parts = [Tensor.normal([2, 3, 4], using: &rng), Tensor.normal([2, 1, 4], using: &rng),
                     Tensor.normal([2, 5, 4], using: &rng)]
        let join = gradcheck(inputs: parts, using: &rng) { v in concatenate(v, axis: 1) }
        XCTAssert(join.passed, "concatenate: \(join)")
        let wide = [Tensor.normal([64, 40, 16], using: &rng), Tensor.normal([64, 40, 8], using: &rng)]
        let largeJoin = gradcheck(inputs: wide, using: &rng) { v in concatenate(v, axis: -1) }
        XCTAssert(largeJoin.passed, "concatenate along −1, large: \(largeJoin)")
    }

    func testOnlyInputsThatNeedGradientsGetThem() {
        let a = Variable(differentiable: Tensor.ones([2, 2]), name: "a")
        let b = Variable(Tensor.ones([1, 2]), name: "b")
        let y = concatenate([a, b], axis: 0)
        y.backward(seed: Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(a.gradient?.scalars, [1, 2, 3, 4])
        XCTAssertNil(b.gradient)
    }
}
