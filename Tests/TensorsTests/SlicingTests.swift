import XCTest
@testable import Tensors

/// Row ranges, gathers, scatter-adds, concatenation and splitting against naive loops.
final class SlicingTests: XCTestCase {
    func testRowsAndTheirBackward() {
        var rng = SeededGenerator(seed: 31)
        let x = Tensor.normal([5, 3, 2], using: &rng)
        let y = rows(x, 1..<4)
        XCTAssertEqual(y.shape, [3, 3, 2])
        assertElementsAgree(y, Array(asDoubles(x)[6..<24]), "rows 1..<4")
        XCTAssertEqual(rows(x, 2..<2).shape, [0, 3, 2])
        let back = rowsBackward(y, range: 1..<4, rowCount: 5)
        let expected = (0..<30).map { $0 >= 6 && $0 < 24 ? Double(x.pointer[$0]) : 0 }
        assertElementsAgree(back, expected, "rowsBackward")
    }

    func testGatherRowsWithRepeats() {
        var rng = SeededGenerator(seed: 32)
        for (R, C, N) in [(7, 3, 10), (1000, 64, 3000)] {
            let x = Tensor.normal([R, C], using: &rng)
            let indices = (0..<N).map { _ in Int32(rng.next() % UInt64(R)) }
            let y = gatherRows(x, indices: indices)
            XCTAssertEqual(y.shape, [N, C])
            let expected = (0..<N * C).map { Double(x.pointer[Int(indices[$0 / C]) * C + $0 % C]) }
            assertElementsAgree(y, expected, "gatherRows R=\(R) C=\(C) N=\(N)")
        }
        // Higher rank: a "row" is everything below the first axis.
        let cube = Tensor(shape: [3, 2, 2], scalars: (0..<12).map(Float.init))
        XCTAssertEqual(gatherRows(cube, indices: [2, 0]).scalars, [8, 9, 10, 11, 0, 1, 2, 3])
    }

    func testScatterAddRowsSumsRepeatedIndices() {
        var rng = SeededGenerator(seed: 33)
        // The second case is large enough to split columns over the threads.
        for (R, C, N) in [(5, 3, 12), (300, 64, 2000)] {
            let source = Tensor.normal([N, C], using: &rng)
            let indices = (0..<N).map { _ in Int32(rng.next() % UInt64(R)) }
            var expected = [Double](repeating: 0, count: R * C)
            for i in 0..<N { for j in 0..<C { expected[Int(indices[i]) * C + j] += Double(source.pointer[i * C + j]) } }
            let y = scatterAddRows(source, indices: indices, rowCount: R)
            XCTAssertEqual(y.shape, [R, C])
            assertElementsAgree(y, expected, tolerance: 1e-4, "scatterAddRows R=\(R) C=\(C) N=\(N)")
        }
        XCTAssertEqual(scatterAddRows(Tensor.zeros([0, 4]), indices: [], rowCount: 2).scalars, [Float](repeating: 0, count: 8))
    }

    func naiveConcatenate(_ xs: [Tensor], axis: Int) -> [Double] {
        var shape = xs[0].shape
        shape[axis] = xs.map { $0.shape[axis] }.reduce(0, +)
        return (0..<Tensor.elementCount(shape)).map { flat in
            var index = multiIndex(flat, shape)
            for x in xs {
                if index[axis] < x.shape[axis] { return Double(x.pointer[x.offset(index)]) }
                index[axis] -= x.shape[axis]
            }
            fatalError("unreachable")
        }
    }

    func testConcatenateAndSplitAlongEveryAxis() {
        var rng = SeededGenerator(seed: 34)
        let base = [3, 4, 5]
        for axis in 0..<3 {
            let sizes = [2, 0, 3, 1]
            let xs = sizes.map { n -> Tensor in
                var s = base
                s[axis] = n
                return Tensor.normal(s, using: &rng)
            }
            let y = concatenate(xs, axis: axis)
            var shape = base
            shape[axis] = 6
            XCTAssertEqual(y.shape, shape)
            assertElementsAgree(y, naiveConcatenate(xs, axis: axis), "concatenate along \(axis)")
            // Negative axes count from the end.
            assertElementsAgree(concatenate(xs, axis: axis - 3), naiveConcatenate(xs, axis: axis), "axis \(axis - 3)")
            let pieces = split(y, sizes: sizes, axis: axis)
            for (k, piece) in pieces.enumerated() {
                XCTAssertEqual(piece.shape, xs[k].shape)
                assertElementsAgree(piece, asDoubles(xs[k]), "split piece \(k) along \(axis)")
            }
        }
        // Large: many outer blocks, split over the cores.
        let a = Tensor.normal([64, 40, 32], using: &rng), b = Tensor.normal([64, 24, 32], using: &rng)
        let joined = concatenate([a, b], axis: 1)
        assertElementsAgree(joined, naiveConcatenate([a, b], axis: 1), "large concatenate")
        let parts = split(joined, sizes: [40, 24], axis: 1)
        assertElementsAgree(parts[0], asDoubles(a), "large split, first")
        assertElementsAgree(parts[1], asDoubles(b), "large split, second")
    }
}
