import XCTest
import Tensors
@testable import Autograd

/// Finite-difference checks of arithmetic, exp/log/sqrt, reductions, softmax, GELU, dropout.
final class ElementwiseGradientTests: XCTestCase {
    func check(_ what: String, _ inputs: [Tensor], epsilon: Float = 1e-2, elements: Int = 200,
               seed: UInt64 = 71, _ f: ([Variable]) -> Variable, line: UInt = #line) {
        var rng = SeededGenerator(seed: seed)
        let report = gradcheck(inputs: inputs, epsilon: epsilon, maxElementsPerInput: elements, using: &rng, f)
        XCTAssert(report.passed, "\(what): \(report)", line: line)
    }

    func testArithmeticWithBroadcasting() {
        var rng = SeededGenerator(seed: 72)
        let shapes: [([Int], [Int])] = [([3, 4], [3, 4]), ([2, 3, 4], [4]), ([2, 3, 4], [3, 4]), ([4], [2, 3, 4]), ([3, 4], [])]
        for (sa, sb) in shapes {
            let a = Tensor.uniform(sa, low: -2, high: 2, using: &rng)
            let b = Tensor.uniform(sb, low: 0.5, high: 2, using: &rng)
            check("\(sa) + \(sb)", [a, b]) { $0[0] + $0[1] }
            check("\(sa) - \(sb)", [a, b]) { $0[0] - $0[1] }
            check("\(sa) * \(sb)", [a, b]) { $0[0] * $0[1] }
            check("\(sa) / \(sb)", [a, b]) { $0[0] / $0[1] }
        }
        // The parallel path: a bias added to 2¹⁷ elements, a few entries checked.
        let x = Tensor.normal([512, 256], using: &rng), bias = Tensor.normal([256], using: &rng)
        check("large bias add", [x, bias], elements: 12) { $0[0] + $0[1] }
        check("large scale", [x, bias], elements: 12) { $0[0] * $0[1] }
    }

    func testScalarsNegationAndUnaryFunctions() {
        var rng = SeededGenerator(seed: 73)
        let x = Tensor.uniform([3, 5], low: 0.5, high: 2, using: &rng)
        check("x + 2", [x]) { $0[0] + 2 }
        check("2 + x", [x]) { 2 + $0[0] }
        check("x - 2", [x]) { $0[0] - 2 }
        check("2 - x", [x]) { 2 - $0[0] }
        check("x * 3", [x]) { $0[0] * 3 }
        check("3 * x", [x]) { 3 * $0[0] }
        check("x / 3", [x]) { $0[0] / 3 }
        check("3 / x", [x]) { 3 / $0[0] }
        check("-x", [x]) { -$0[0] }
        check("exp", [x]) { exp($0[0]) }
        check("log", [x]) { log($0[0]) }
        check("sqrt", [x]) { sqrt($0[0]) }
        check("a value used twice", [x]) { $0[0] * $0[0] + exp($0[0]) }
    }

    func testReductions() {
        var rng = SeededGenerator(seed: 74)
        let x = Tensor.normal([3, 4, 5], using: &rng)
        check("sum", [x]) { sum($0[0]) }
        check("mean", [x]) { mean($0[0]) }
        for axis in [0, 1, 2, -1] {
            for keep in [false, true] {
                check("sum axis \(axis) keep \(keep)", [x]) { sum($0[0], axis: axis, keepingDimension: keep) }
                check("mean axis \(axis) keep \(keep)", [x]) { mean($0[0], axis: axis, keepingDimension: keep) }
            }
        }
        // Distinct, well separated values, so a step of ε never changes which one is largest.
        var order = Array(0..<60).map { Float($0) * 0.1 }
        order.shuffle(using: &rng)
        let separated = Tensor(shape: [3, 4, 5], scalars: order)
        for axis in [0, 1, 2] {
            check("max axis \(axis)", [separated]) { max($0[0], axis: axis) }
        }
        let large = Tensor.normal([300, 300], using: &rng)
        // Sums are linear: a large step costs no truncation error and beats Float rounding.
        check("large sum", [large], epsilon: 0.5, elements: 10) { sum($0[0]) }
        check("large mean axis 0", [large], epsilon: 0.5, elements: 10) { mean($0[0], axis: 0) }
        check("large sum axis 1", [large], epsilon: 0.5, elements: 10) { sum($0[0], axis: 1) }
    }

    func testSoftmaxAndLogSoftmax() {
        var rng = SeededGenerator(seed: 75)
        let x = Tensor.normal([4, 7], std: 2, using: &rng)
        check("softmax", [x]) { softmax($0[0]) }
        check("logSoftmax", [x]) { logSoftmax($0[0]) }
        check("softmax of a sum", [x, Tensor.normal([7], using: &rng)]) { softmax($0[0] + $0[1]) }
        let large = Tensor.normal([128, 1000], using: &rng)
        check("large softmax", [large], elements: 12) { softmax($0[0]) }
        check("large logSoftmax", [large], elements: 12) { logSoftmax($0[0]) }
    }

    func testGELU() {
        var rng = SeededGenerator(seed: 76)
        let x = Tensor.normal([6, 9], std: 2, using: &rng)
        check("gelu", [x]) { gelu($0[0]) }
        check("large gelu", [Tensor.normal([1 << 17], using: &rng)], elements: 12) { gelu($0[0]) }
    }

    func testTanh() {
        var rng = SeededGenerator(seed: 78)
        let x = Tensor.normal([5, 7], std: 1.5, using: &rng)
        check("tanh", [x]) { tanh($0[0]) }
        let y = tanh(Variable(Tensor(shape: [3], scalars: [0, 1, -20]))).value.scalars
        XCTAssertEqual(y[0], 0)
        XCTAssertEqual(y[1], 0.7615942, accuracy: 1e-6)
        XCTAssertEqual(y[2], -1)
    }

    func testDropoutUsesTheSameMaskBackward() {
        var rng = SeededGenerator(seed: 77)
        let x = Tensor.normal([20, 30], using: &rng)
        // The same generator seed inside the closure: every evaluation draws the same mask.
        check("dropout", [x]) { v in
            var local = SeededGenerator(seed: 5)
            return dropout(v[0], probability: 0.3, using: &local)
        }
        check("large dropout", [Tensor.normal([1 << 17], using: &rng)], elements: 12) { v in
            var local = SeededGenerator(seed: 6)
            return dropout(v[0], probability: 0.1, using: &local)
        }
        let leaf = Variable(differentiable: x)
        var local = SeededGenerator(seed: 8)
        XCTAssertTrue(dropout(leaf, probability: 0, using: &local) === leaf, "p = 0 records nothing")
    }

    /// The example in Variable's documentation.
    func testSumOfAProductBackpropagates() {
        let w = Variable(Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]), name: "W", role: .parameter)
        let x = Variable(Tensor.ones([4, 3]), name: "x")
        let loss = sum(matmul(x, w))
        XCTAssertEqual(loss.value.item, 4 * 21)
        loss.backward()
        XCTAssertEqual(w.gradient?.scalars, [4, 4, 4, 4, 4, 4])
    }
}
