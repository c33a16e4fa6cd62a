import XCTest
import Tensors
@testable import Autograd

/// The profiler charges each operation's forward and backward time to its name and rank.
final class OperationProfilerTests: XCTestCase {
    func testEveryRecordedOperationIsCounted() {
        var rng = SeededGenerator(seed: 3)
        let w = Variable(Tensor.normal([8, 4], using: &rng), name: "W", role: .parameter)
        let x = Variable(Tensor.normal([2, 5, 8], using: &rng), name: "x")
        let profiler = OperationProfiler()
        OperationProfiler.active = profiler
        defer { OperationProfiler.active = nil }
        profiler.mark()
        let y = matmul(x, w)                  // rank 3
        let z = matmul(y, y, transposeB: true) // [2, 5, 5], uses y twice → gradients accumulate
        sum(z).backward()
        OperationProfiler.active = nil

        let byKey = Dictionary(uniqueKeysWithValues: profiler.entries.map { ("\($0.name)/\($0.rank)", $0) })
        XCTAssertEqual(byKey["matmul/3"]?.calls, 2)
        XCTAssertEqual(byKey["sum/0"]?.calls, 1)
        XCTAssertNotNil(byKey["accumulate/3"], "y feeds the second product twice: its two gradients are summed")
        for entry in profiler.entries {
            XCTAssertGreaterThanOrEqual(entry.forwardSeconds, 0, entry.name)
            XCTAssertGreaterThanOrEqual(entry.backwardSeconds, 0, entry.name)
        }
        XCTAssertGreaterThan(byKey["matmul/3"]!.backwardSeconds, 0)

        // Inactive: nothing more is counted.
        let before = profiler.entries.map(\.calls).reduce(0, +)
        _ = matmul(x, w)
        XCTAssertEqual(profiler.entries.map(\.calls).reduce(0, +), before)
    }
}
