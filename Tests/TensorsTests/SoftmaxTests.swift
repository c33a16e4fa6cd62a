import XCTest
import Foundation
@testable import Tensors

final class SoftmaxTests: XCTestCase {
    /// Row softmax and log-softmax in Double, the textbook way (with the max shift).
    func reference(_ x: Tensor) -> (softmax: [Double], logSoftmax: [Double]) {
        let n = x.shape.last!
        var p = [Double](), l = [Double]()
        for r in 0..<(x.count / n) {
            let row = (0..<n).map { Double(x.pointer[r * n + $0]) }
            let m = row.max()!
            if m == -.infinity {
                p += Array(repeating: 0, count: n); l += Array(repeating: -.infinity, count: n)
                continue
            }
            let total = row.map { Foundation.exp($0 - m) }.reduce(0, +)
            p += row.map { Foundation.exp($0 - m) / total }
            l += row.map { $0 - m - Foundation.log(total) }
        }
        return (p, l)
    }

    func testRowsMatchNaiveDouble() {
        var rng = SeededGenerator(seed: 41)
        // 64×1030: parallel rows whose length is not a multiple of 16.
        for shape in [[7, 13], [2, 3, 16], [64, 1030], [5, 1]] {
            let x = Tensor.normal(shape, std: 3, using: &rng)
            let (p, l) = reference(x)
            assertMatchesReference(softmax(x), p, absolute: 1e-7, relative: 1e-5, "softmax \(shape)")
            assertMatchesReference(logSoftmax(x), l, absolute: 1e-5, relative: 1e-6, "logSoftmax \(shape)")
        }
    }

    func testMaskedAndHugeEntries() {
        let x = Tensor(shape: [4, 3], scalars: [
            1e30, 0, -.infinity,               // a huge score does not overflow
            -.infinity, 5, 5,                  // masked entries get exactly 0
            -.infinity, -.infinity, -.infinity, // a fully masked row: zeros, not NaN
            -1000, 0, 1000,
        ])
        let y = softmax(x)
        XCTAssertEqual(y.scalars, [1, 0, 0, 0, 0.5, 0.5, 0, 0, 0, 0, 0, 1])
        let l = logSoftmax(x)
        XCTAssertEqual(l.scalars[0], 0)
        XCTAssertEqual(l.scalars[1], -1e30)
        XCTAssertEqual(l.scalars[2], -.infinity)
        XCTAssertEqual(l.scalars[4], -Float(Foundation.log(2.0)), accuracy: 1e-6)
        XCTAssertEqual(Array(l.scalars[6..<9]), [-.infinity, -.infinity, -.infinity])
        XCTAssertEqual(l.scalars[9], -2000)
        XCTAssertFalse(y.scalars.contains { $0.isNaN })
    }

    func testBackwardKernelsMatchTheirFormulasInDouble() {
        var rng = SeededGenerator(seed: 42)
        for shape in [[5, 9], [40, 2000]] {
            let x = Tensor.normal(shape, using: &rng), g = Tensor.normal(shape, using: &rng)
            let n = shape[1]
            let (p, l) = reference(x)
            var softmaxGradient = [Double](), logSoftmaxGradient = [Double]()
            for r in 0..<shape[0] {
                let rows = (r * n)..<(r * n + n)
                let dot = rows.map { Double(g.pointer[$0]) * p[$0] }.reduce(0, +)
                let total = rows.map { Double(g.pointer[$0]) }.reduce(0, +)
                softmaxGradient += rows.map { p[$0] * (Double(g.pointer[$0]) - dot) }
                logSoftmaxGradient += rows.map { Double(g.pointer[$0]) - Foundation.exp(l[$0]) * total }
            }
            assertMatchesReference(softmaxBackward(g, output: softmax(x)), softmaxGradient, absolute: 1e-6, relative: 1e-4, "softmax backward \(shape)")
            assertMatchesReference(logSoftmaxBackward(g, output: logSoftmax(x)), logSoftmaxGradient, absolute: 1e-5, relative: 1e-4, "logSoftmax backward \(shape)")
        }
    }
}
