import XCTest
@testable import Tensors

final class EmbeddingTests: XCTestCase {
    func testLookupAndScatterAddMatchNaiveLoops() {
        var rng = SeededGenerator(seed: 51)
        // The second case is large enough for the threaded scatter-add.
        for (V, H, N) in [(10, 6, 15), (500, 128, 1000)] {
            let table = Tensor.normal([V, H], using: &rng)
            // Repeats on purpose: frequent tokens appear many times in a batch.
            let ids = (0..<N).map { _ in Int32(rng.next() % UInt64(V / 2 + 1)) }
            let y = embedding(table, ids: ids)
            XCTAssertEqual(y.shape, [N, H])
            assertElementsAgree(y, (0..<N * H).map { Double(table.pointer[Int(ids[$0 / H]) * H + $0 % H]) },
                                "embedding V=\(V) H=\(H)")
            let g = Tensor.normal([N, H], using: &rng)
            var expected = [Double](repeating: 0, count: V * H)
            for i in 0..<N { for j in 0..<H { expected[Int(ids[i]) * H + j] += Double(g.pointer[i * H + j]) } }
            let dE = embeddingBackward(g, ids: ids, vocabularySize: V)
            XCTAssertEqual(dE.shape, [V, H])
            assertElementsAgree(dE, expected, tolerance: 1e-4, "embeddingBackward V=\(V) H=\(H)")
            // Deterministic: the same bits again.
            XCTAssertEqual(embeddingBackward(g, ids: ids, vocabularySize: V).scalars, dE.scalars)
        }
    }
}
