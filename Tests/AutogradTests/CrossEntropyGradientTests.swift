import XCTest
import Tensors
@testable import Autograd

final class CrossEntropyGradientTests: XCTestCase {
    func testGradientWithIgnoredRows() {
        var rng = SeededGenerator(seed: 101)
        let logits = Tensor.normal([6, 11], std: 2, using: &rng)
        for targets: [Int32] in [[0, 10, 5, 5, 2, 7], [0, -100, 5, -100, -100, 7]] {
            let report = gradcheck(inputs: [logits], using: &rng) { v in crossEntropy(v[0], targets: targets) }
            XCTAssert(report.passed, "crossEntropy targets \(targets): \(report)")
        }
        // Large: rows split over the cores.
        let big = Tensor.normal([64, 600], using: &rng)
        let targets = (0..<64).map { $0 % 7 == 0 ? Int32(-100) : Int32(rng.next() % 600) }
        let large = gradcheck(inputs: [big], using: &rng) { v in crossEntropy(v[0], targets: targets) }
        XCTAssert(large.passed, "crossEntropy [64, 600]: \(large)")
    }

    func testAllIgnoredGivesZeroLossAndZeroGradient() {
        let logits = Variable(differentiable: Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        let loss = crossEntropy(logits, targets: [-100, -100])
        XCTAssertEqual(loss.value.item, 0)
        loss.backward()
        XCTAssertEqual(logits.gradient?.scalars, [Float](repeating: 0, count: 6))
    }

    func testRowLossesAverageToTheLoss() {
        let logits = Variable(differentiable: Tensor(shape: [3, 2], scalars: [0, 0, 2, 0, 0, 3]))
        let (loss, rowLosses) = crossEntropyAndRowLosses(logits, targets: [1, -100, 1])
        XCTAssertEqual(rowLosses.scalars[1], 0)
        XCTAssertEqual(rowLosses.scalars[0], Float(Foundation.log(2.0)), accuracy: 1e-6)
        XCTAssertEqual(loss.value.item, (rowLosses.scalars[0] + rowLosses.scalars[2]) / 2, accuracy: 1e-6)
        XCTAssertEqual(loss.shape, [])
    }
}
