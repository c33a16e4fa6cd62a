import XCTest
@testable import Tensors

/// Every permutation path (identity, contiguous runs, tiled transposes) against an
/// element-by-element reference; head split/merge against the permutation they stand for.
final class PermuteTests: XCTestCase {
    func naivePermuted(_ x: Tensor, _ axes: [Int]) -> [Double] {
        let outputShape = axes.map { x.shape[$0] }
        var inputStrides = [Int](repeating: 1, count: x.rank)
        for k in stride(from: x.rank - 2, through: 0, by: -1) { inputStrides[k] = inputStrides[k + 1] * x.shape[k + 1] }
        // Output axis k steps through the input by the stride of input axis axes[k].
        let strides = axes.map { inputStrides[$0] }
        var out = [Double](), index = [Int](repeating: 0, count: x.rank), source = 0
        out.reserveCapacity(x.count)
        for _ in 0..<x.count {
            out.append(Double(x.pointer[source]))
            var k = x.rank - 1
            while k >= 0 {
                index[k] += 1
                source += strides[k]
                if index[k] < outputShape[k] { break }
                source -= strides[k] * outputShape[k]
                index[k] = 0
                k -= 1
            }
        }
        return out
    }

    func permutations(_ n: Int) -> [[Int]] {
        if n == 0 { return [[]] }
        return permutations(n - 1).flatMap { p in (0...p.count).map { i in
            var q = p
            q.insert(n - 1, at: i)
            return q
        } }
    }

    func testEveryPermutationMatchesTheReference() {
        var rng = SeededGenerator(seed: 21)
        let shapes: [[Int]] = [[2, 3, 4], [2, 3, 4, 5], [1, 4, 1, 3], [3, 1, 17, 19]]
        for shape in shapes {
            let x = Tensor.normal(shape, using: &rng)
            for axes in permutations(shape.count) {
                let y = permuted(x, axes)
                XCTAssertEqual(y.shape, axes.map { shape[$0] })
                assertElementsAgree(y, naivePermuted(x, axes), "permuted \(shape) by \(axes)")
                let back = permuted(y, inversePermutation(axes))
                assertElementsAgree(back, asDoubles(x), "round trip \(shape) by \(axes)")
            }
        }
    }

    func testLargeSizesTakeTheParallelRunAndTilePaths() {
        var rng = SeededGenerator(seed: 22)
        // Runs of 64 floats (the head split), 2048 runs: several chunks.
        let runs = Tensor.normal([8, 64, 4, 64], using: &rng)
        assertElementsAgree(permuted(runs, [0, 2, 1, 3]), naivePermuted(runs, [0, 2, 1, 3]), "runs path")
        // A batch of transposes with sides that are not multiples of the 16-element tile.
        let tiles = Tensor.normal([4, 130, 200], using: &rng)
        assertElementsAgree(permuted(tiles, [0, 2, 1]), naivePermuted(tiles, [0, 2, 1]), "tile path")
        assertElementsAgree(transposeLastTwo(tiles), naivePermuted(tiles, [0, 2, 1]), "transposeLastTwo")
        // The last axis moves and a middle axis stays outside the plane.
        let mixed = Tensor.normal([5, 6, 40, 33], using: &rng)
        assertElementsAgree(permuted(mixed, [3, 1, 0, 2]), naivePermuted(mixed, [3, 1, 0, 2]), "general tiles")
    }

    func testHeadSplitAndMergeAreThePermutationOfTheHeadAxis() {
        var rng = SeededGenerator(seed: 23)
        for (B, T, H, A) in [(2, 3, 8, 2), (1, 5, 12, 3), (4, 128, 256, 4), (3, 7, 10, 1)] {
            let x = Tensor.normal([B, T, H], using: &rng)
            let heads = splitHeads(x, heads: A)
            XCTAssertEqual(heads.shape, [B, A, T, H / A])
            let expected = naivePermuted(x.reshaped([B, T, A, H / A]), [0, 2, 1, 3])
            assertElementsAgree(heads, expected, "splitHeads [\(B), \(T), \(H)] into \(A)")
            let merged = mergeHeads(heads)
            XCTAssertEqual(merged.shape, [B, T, H])
            assertElementsAgree(merged, asDoubles(x), "mergeHeads ∘ splitHeads [\(B), \(T), \(H)]")
        }
    }

    func testSmallCasesByHand() {
        let m = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(permuted(m, [1, 0]).scalars, [0, 3, 1, 4, 2, 5])
        // y[k, i, j] = x[i, j, k] for x [2, 2, 2] holding 0…7.
        let cube = Tensor(shape: [2, 2, 2], scalars: (0..<8).map(Float.init))
        XCTAssertEqual(permuted(cube, [2, 0, 1]).scalars, [0, 2, 4, 6, 1, 3, 5, 7])
        XCTAssertEqual(naivePermuted(cube, [2, 0, 1]), [0, 2, 4, 6, 1, 3, 5, 7], "the reference itself")
    }

    func testIdentityAndEmptyShareOrCopyNothing() {
        let x = Tensor(shape: [2, 1, 3], scalars: [1, 2, 3, 4, 5, 6])
        // Moving only a size-1 axis does not reorder memory.
        XCTAssertEqual(permuted(x, [1, 0, 2]).scalars, x.scalars)
        XCTAssertEqual(permuted(x, [1, 0, 2]).shape, [1, 2, 3])
        XCTAssertEqual(permuted(Tensor.zeros([0, 3]), [1, 0]).shape, [3, 0])
        XCTAssertEqual(inversePermutation([2, 0, 1]), [1, 2, 0])
    }
}
