import XCTest
import Tensors
@testable import Autograd

final class EmbeddingGradientTests: XCTestCase {
    func testTableGradientAddsRepeatedIDs() {
        var rng = SeededGenerator(seed: 91)
        let table = Tensor.normal([10, 6], using: &rng)
        let report = gradcheck(inputs: [table], using: &rng) { v in embedding(v[0], ids: [3, 0, 3, 9, 3, 1]) }
        XCTAssert(report.passed, "embedding: \(report)")
        // Large enough for the threaded scatter-add; [B, T] ids reshaped to [B, T, H].
        let big = Tensor.normal([300, 128], using: &rng)
        let ids = (0..<600).map { _ in Int32(rng.next() % 150) }
        let large = gradcheck(inputs: [big], using: &rng) { v in embedding(v[0], ids: ids).reshaped([20, 30, 128]) }
        XCTAssert(large.passed, "embedding [300, 128] × 600: \(large)")
    }
}
