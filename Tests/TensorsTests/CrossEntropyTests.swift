import XCTest
@testable import Tensors

/// The fused cross-entropy against log-softmax written out in Double.
final class CrossEntropyTests: XCTestCase {
    struct Reference { var loss: Double, rowLosses: [Double], gradient: [Double] }

    func reference(_ z: Tensor, _ targets: [Int32], ignoreIndex: Int32, lossGradient: Double) -> Reference {
        let (N, V) = (z.shape[0], z.shape[1])
        let n = targets.filter { $0 != ignoreIndex }.count
        var r = Reference(loss: 0, rowLosses: [], gradient: [])
        for i in 0..<N {
            let row = (0..<V).map { Double(z.pointer[i * V + $0]) }
            guard targets[i] != ignoreIndex else {
                r.rowLosses.append(0)
                r.gradient += [Double](repeating: 0, count: V)
                continue
            }
            let m = row.max()!
            let lse = m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +))
            let t = Int(targets[i])
            r.rowLosses.append(lse - row[t])
            r.loss += (lse - row[t]) / Double(n)
            r.gradient += (0..<V).map { j in lossGradient * (Foundation.exp(row[j] - lse) - (j == t ? 1 : 0)) / Double(n) }
        }
        return r
    }

    func check(_ z: Tensor, _ targets: [Int32], ignoreIndex: Int32 = -100, lossGradient: Float = 1,
               _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let result = crossEntropy(z, targets: targets, ignoreIndex: ignoreIndex)
        let ref = reference(z, targets, ignoreIndex: ignoreIndex, lossGradient: Double(lossGradient))
        XCTAssertEqual(Double(result.loss), ref.loss, accuracy: 1e-5 * max(1, abs(ref.loss)), "loss, \(what)", file: file, line: line)
        XCTAssertEqual(result.count, targets.filter { $0 != ignoreIndex }.count, file: file, line: line)
        let scale = ref.rowLosses.map(abs).max() ?? 0
        assertElementsAgree(result.rowLosses, ref.rowLosses, tolerance: 1e-5 * max(1, scale), "row losses, \(what)",
                            file: file, line: line)
        let g = crossEntropyBackward(lossGradient, logits: z, targets: targets, ignoreIndex: ignoreIndex,
                                     forward: result)
        assertElementsAgree(g, ref.gradient, tolerance: 1e-6, "gradient, \(what)", file: file, line: line)
    }

    func testMatchesDoubleWithAndWithoutIgnoredRows() {
        var rng = SeededGenerator(seed: 61)
        let z = Tensor.normal([7, 37], std: 3, using: &rng)
        check(z, [0, 5, 36, 12, 12, 3, 30], "no ignored rows")
        check(z, [0, -100, 36, -100, 12, 3, -100], lossGradient: 2.5, "three ignored rows, g = 2.5")
        check(z, [-1, 4, -1, 0, 1, 2, 3], ignoreIndex: -1, "ignore index −1")
        // Large: rows split over the cores.
        let big = Tensor.normal([64, 1000], std: 2, using: &rng)
        check(big, (0..<64).map { $0 % 9 == 0 ? -100 : Int32(rng.next() % 1000) }, "64 × 1000")
    }

    func testAllIgnoredIsZeroLossAndZeroGradient() {
        let z = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let result = crossEntropy(z, targets: [-100, -100])
        XCTAssertEqual(result.loss, 0)
        XCTAssertEqual(result.count, 0)
        XCTAssertEqual(result.rowLosses.scalars, [0, 0])
        let g = crossEntropyBackward(1, logits: z, targets: [-100, -100], forward: result)
        XCTAssertEqual(g.scalars, [Float](repeating: 0, count: 6))
        XCTAssertEqual(crossEntropy(Tensor.zeros([0, 5]), targets: []).loss, 0)
    }

    func testHugeLogitsStayFinite() {
        // e^(1e4) overflows Float and Double alike; subtracting the row maximum avoids it.
        let z = Tensor(shape: [3, 4], scalars: [1e4, 0, -1e4, 1e4 - 1,
                                                1e30, 0, -1e30, 5,
                                                -1e30, -1e30, -1e30, -1e30])
        let result = crossEntropy(z, targets: [3, 1, 2])
        XCTAssertEqual(result.rowLosses.scalars[0], 1 + Float(Foundation.log(1 + Foundation.exp(-1.0))), accuracy: 1e-4)
        XCTAssertEqual(result.rowLosses.scalars[1], 1e30, accuracy: 1e24)
        XCTAssertEqual(result.rowLosses.scalars[2], Float(Foundation.log(4.0)), accuracy: 1e-5, "equal logits: uniform")
        let g = crossEntropyBackward(1, logits: z, targets: [3, 1, 2], forward: result)
        XCTAssertTrue(g.scalars.allSatisfy(\.isFinite), "gradient must be finite: \(g)")
        XCTAssertEqual(g[1, 0], 1 / 3, accuracy: 1e-6)
        XCTAssertEqual(g[1, 1], -1 / 3, accuracy: 1e-6)
        check(Tensor(shape: [1, 3], scalars: [1e4, 1e4 - 2, 1e4 - 3]), [1], "logits near 10⁴")
    }
}
