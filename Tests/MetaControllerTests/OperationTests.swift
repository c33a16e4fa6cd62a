import XCTest
import Foundation
import Tensors
import Autograd
@testable import MetaController

/// The two new differentiable operations against finite differences, and the sampler.
final class OperationTests: XCTestCase {
    func testBinaryCrossEntropyMatchesItsDefinitionAndItsGradient() {
        let logits: [Float] = [-3, -0.5, 0, 0.25, 2, 40, -40]
        let targets: [Float] = [0, 1, 1, 0, 1, 1, 0]
        let loss = binaryCrossEntropyWithLogits(Variable(Tensor(shape: [7], scalars: logits)), targets: targets)
        let expected = zip(logits, targets).map { z, y -> Double in
            let p = 1 / (1 + Foundation.exp(-Double(z)))
            return -(Double(y) * Foundation.log(max(p, 1e-300)) + (1 - Double(y)) * Foundation.log(max(1 - p, 1e-300)))
        }.reduce(0, +) / 7
        XCTAssertEqual(Double(loss.value.item), expected, accuracy: 1e-6, "large logits neither overflow nor lose the small term")
        XCTAssertEqual(binaryCrossEntropyWithLogits(Variable(Tensor.zeros([0])), targets: []).value.item, 0)

        var rng = SeededGenerator(seed: 5)
        let y: [Float] = (0..<24).map { $0 % 3 == 0 ? 1 : 0 }
        let report = gradcheck(inputs: [Tensor.normal([4, 6], std: 2, using: &rng)], using: &rng) { x in
            binaryCrossEntropyWithLogits(x[0], targets: y) * 3
        }
        XCTAssert(report.passed, report.verdict() + "\n" + report.description)
    }

    func testCandidateScoresAreDotProductsWithTheirRowsAndBiases() {
        var rng = SeededGenerator(seed: 6)
        let (N, K, V, H) = (3, 4, 5, 6)
        let h = Tensor.normal([N, H], using: &rng), E = Tensor.normal([V, H], using: &rng)
        let b = Tensor.normal([V], using: &rng), extra = Tensor.normal([1, H], using: &rng), extraB = Tensor(shape: [1], scalars: [0.3])
        // [NOTA] (id V) in slot 0, a repeated candidate in row 1.
        let candidates: [Int32] = [5, 2, 0, 4, 5, 3, 3, 1, 5, 4, 2, 2]
        let y = candidateScores(Variable(h), candidates: candidates, perRow: K, table: Variable(E), bias: Variable(b),
                                extraRows: Variable(extra), extraBias: Variable(extraB)).value
        XCTAssertEqual(y.shape, [N, K])
        for n in 0..<N {
            for k in 0..<K {
                let c = Int(candidates[n * K + k])
                let row = c < V ? (0..<H).map { E[c, $0] } : extra.scalars
                let expected = zip((0..<H).map { h[n, $0] }, row).map(*).reduce(0, +) + (c < V ? b[c] : extraB[0])
                XCTAssertEqual(y[n, k], expected, accuracy: 1e-5, "row \(n) slot \(k)")
            }
        }
        XCTAssertEqual(y[1, 1], y[1, 2], "a repeated candidate scores the same")
    }

    func testCandidateScoresGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 7)
        let (N, K, V, H) = (5, 4, 7, 6)
        var candidates: [Int32] = []
        for n in 0..<N {
            candidates.append(Int32(V))                                   // [NOTA]
            for k in 1..<K { candidates.append(Int32((n * 3 + k * (n % 2 == 0 ? 2 : 0)) % V)) }   // duplicates on odd rows
        }
        let inputs = [Tensor.normal([N, H], using: &rng), Tensor.normal([V, H], using: &rng),
                      Tensor.normal([V], using: &rng), Tensor.normal([1, H], using: &rng), Tensor.normal([1], using: &rng)]
        let report = gradcheck(inputs: inputs, using: &rng) { x in
            candidateScores(x[0], candidates: candidates, perRow: K, table: x[1], bias: x[2],
                            extraRows: x[3], extraBias: x[4])
        }
        XCTAssert(report.passed, report.verdict() + "\n" + report.description)
        // And followed by the K-way cross-entropy it feeds.
        let labels: [Int32] = [0, 1, 0, 1, 1]
        let chained = gradcheck(inputs: inputs, using: &rng) { x in
            crossEntropy(candidateScores(x[0], candidates: candidates, perRow: K, table: x[1], bias: x[2],
                                         extraRows: x[3], extraBias: x[4]), targets: labels)
        }
        XCTAssert(chained.passed, chained.verdict() + "\n" + chained.description)
    }

    func testCandidateScoresWithoutExtraRows() {
        var rng = SeededGenerator(seed: 8)
        let candidates: [Int32] = [0, 3, 3, 1, 2, 0]
        let report = gradcheck(inputs: [Tensor.normal([3, 4], using: &rng), Tensor.normal([4, 4], using: &rng),
                                        Tensor.normal([4], using: &rng)], using: &rng) { x in
            candidateScores(x[0], candidates: candidates, perRow: 2, table: x[1], bias: x[2])
        }
        XCTAssert(report.passed, report.verdict() + "\n" + report.description)
    }

    func testSamplingIsAFunctionOfTheGeneratorStateAndFollowsTheSoftmax() {
        var rng = SeededGenerator(seed: 9)
        let logits = Tensor.normal([40, 30], std: 2, using: &rng)
        var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 1), c = SeededGenerator(seed: 2)
        let first = sampleFromSoftmax(LogitRows(logits), perRow: 3, using: &a)
        XCTAssertEqual(first.count, 120)
        XCTAssertEqual(sampleFromSoftmax(LogitRows(logits), perRow: 3, using: &b, blockRows: 7), first,
                       "the same stream gives the same samples, whatever the block size")
        XCTAssertEqual(a, b, "and leaves the stream in the same state")
        XCTAssertNotEqual(sampleFromSoftmax(LogitRows(logits), perRow: 3, using: &c), first)

        // A row with one overwhelming logit always gives it; −∞ entries are never drawn.
        var peaked = [Float](repeating: -.infinity, count: 10)
        peaked[3] = 0; peaked[7] = 30
        var s = SeededGenerator(seed: 4)
        let drawn = sampleFromSoftmax(LogitRows(Tensor(shape: [1, 10], scalars: peaked)), perRow: 200, using: &s)
        XCTAssert(drawn.allSatisfy { $0 == 7 })

        // Frequencies follow the softmax: p = (0.1, 0.2, 0.3, 0.4).
        let p: [Float] = [0.1, 0.2, 0.3, 0.4]
        let many = sampleFromSoftmax(LogitRows(Tensor(shape: [1, 4], scalars: p.map { Foundation.log($0) })),
                                     perRow: 20_000, using: &s)
        for j in 0..<4 {
            let frequency = Float(many.filter { $0 == Int32(j) }.count) / 20_000
            XCTAssertEqual(frequency, p[j], accuracy: 0.015, "token \(j)")
        }
    }

    func testInverseTransformSkipsTokensWithoutProbability() {
        let p: [Float] = [0, 0.5, 0, 0.5, 0]
        let u: [Double] = [0.75, 0, 0.5, 0.9999999999999999, 0.25]
        var order = [Int](repeating: 0, count: u.count)
        var out = [Int32](repeating: -1, count: u.count)
        p.withUnsafeBufferPointer { pp in
            u.withUnsafeBufferPointer { uu in
                out.withUnsafeMutableBufferPointer { o in
                    drawFromRow(pp.baseAddress!, count: 5, uniforms: uu.baseAddress!, samples: 5, order: &order,
                                into: o.baseAddress!)
                }
            }
        }
        XCTAssertEqual(out, [3, 1, 3, 3, 1], "tokens without probability are never drawn; samples keep their order")
        // When rounding leaves u·total at the total, the last token with any probability.
        let q: [Float] = [0.5, 0.5, 0]
        var o2: [Int32] = [-1]
        var order1 = [0]
        q.withUnsafeBufferPointer { qq in
            [1.0].withUnsafeBufferPointer { uu in
                o2.withUnsafeMutableBufferPointer { o in
                    drawFromRow(qq.baseAddress!, count: 3, uniforms: uu.baseAddress!, samples: 1, order: &order1,
                                into: o.baseAddress!)
                }
            }
        }
        XCTAssertEqual(o2, [1])
    }
}
