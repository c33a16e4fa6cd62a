import XCTest
import Tensors
@testable import Autograd

final class MatMulGradientTests: XCTestCase {
    /// Every combination of transpose flags, for plain, folded, batched and shared shapes.
    func testMatMulGradientsAgreeWithFiniteDifferences() {
        var rng = SeededGenerator(seed: 11)
        // (a shape, b shape) before transposition flags are applied to the last two dims.
        let cases: [([Int], [Int])] = [([3, 4], [4, 5]), ([2, 3, 4], [4, 5]), ([2, 3, 4], [2, 4, 5]), ([3, 4], [2, 4, 5])]
        for (aShape, bShape) in cases {
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    if aShape.count > 2 && bShape.count == 2 && transposeA { continue }  // batched transposed a with shared b: covered below
                    func stored(_ s: [Int], _ t: Bool) -> [Int] { t ? Array(s.dropLast(2)) + [s[s.count - 1], s[s.count - 2]] : s }
                    let a = Tensor.normal(stored(aShape, transposeA), using: &rng)
                    let b = Tensor.normal(stored(bShape, transposeB), using: &rng)
                    let report = gradcheck(inputs: [a, b], using: &rng) { x in
                        matmul(x[0], x[1], transposeA: transposeA, transposeB: transposeB)
                    }
                    XCTAssert(report.passed, "\(aShape)·\(bShape) tA=\(transposeA) tB=\(transposeB): \(report)")
                }
            }
        }
        // A batch of transposed a with a shared b runs as separate products.
        let a = Tensor.normal([2, 4, 3], using: &rng), b = Tensor.normal([4, 5], using: &rng)
        let report = gradcheck(inputs: [a, b], using: &rng) { x in matmul(x[0], x[1], transposeA: true) }
        XCTAssert(report.passed, report.description)
        // A scale α folded into the product (attention's 1/√D).
        let scaled = gradcheck(inputs: [Tensor.normal([2, 3, 4], using: &rng), Tensor.normal([2, 5, 4], using: &rng)], using: &rng) { x in
            matmul(x[0], x[1], transposeB: true, alpha: 0.5)
        }
        XCTAssert(scaled.passed, scaled.description)
        // A batch of exactly one product, [1, 1, T, D]·[1, 1, T, D]ᵀ (one sequence, one head):
        // not folded, so b's gradient keeps its leading ones.
        let single = gradcheck(inputs: [Tensor.normal([1, 1, 3, 4], using: &rng), Tensor.normal([1, 1, 3, 4], using: &rng)],
                               using: &rng) { x in matmul(x[0], x[1], transposeB: true) }
        XCTAssert(single.passed, single.description)
        let singleTransposedA = gradcheck(inputs: [Tensor.normal([1, 4, 3], using: &rng), Tensor.normal([4, 5], using: &rng)],
                                          using: &rng) { x in matmul(x[0], x[1], transposeA: true) }
        XCTAssert(singleTransposedA.passed, singleTransposedA.description)
    }

    func testGradientsAccumulateAndTheTapeIsReleased() {
        let w = Variable(differentiable: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), name: "W")
        let x = Variable(Tensor(shape: [1, 2], scalars: [1, 1]))
        let y = matmul(x, w)
        y.backward(seed: Tensor(shape: [1, 2], scalars: [1, 1]))
        XCTAssertEqual(w.gradient?.scalars, [1, 1, 1, 1])
        XCTAssertTrue(y.inputs.isEmpty, "the recorded operation is released after backward")
        matmul(x, w).backward(seed: Tensor(shape: [1, 2], scalars: [1, 0]))
        XCTAssertEqual(w.gradient?.scalars, [2, 1, 2, 1], "gradients add up until zeroGradient()")
        w.zeroGradient()
        XCTAssertNil(w.gradient)
    }

    func testNothingIsRecordedWithoutRecording() {
        let w = Variable(differentiable: Tensor.ones([2, 2]))
        let y = Gradients.withoutRecording { matmul(w, w) }
        XCTAssertFalse(y.requiresGradient)
        XCTAssertTrue(y.inputs.isEmpty)
        XCTAssertEqual(y.value.scalars, [2, 2, 2, 2])
    }

    func testComputationGraphSnapshot() {
        let w = Variable(differentiable: Tensor.ones([2, 2]), name: "W")
        let x = Variable(Tensor.ones([1, 2]), name: "x")
        let y = matmul(x, w)
        let graph = y.computationGraph(valuesUpTo: 4)
        XCTAssertEqual(graph.nodes.map(\.op), ["W", "x", "matmul"])
        XCTAssertEqual(graph.nodes[2].inputs, [1, 0])
        XCTAssertEqual(graph.nodes[2].shape, [1, 2])
        XCTAssertEqual(graph.nodes[0].role, .parameter)
        XCTAssertEqual(graph.nodes[2].values, [2, 2])
    }
}
