import XCTest
@testable import Tensors

final class ParallelTests: XCTestCase {
    /// The idle meter sees each parallel region and never reports more waiting than the
    /// cores' time offered to the regions.
    func testIdleMeterAccountsForEveryRegion() throws {
        try XCTSkipIf(Parallel.threadCount < 2, "needs two threads")
        let meter = IdleMeter()
        IdleMeter.active = meter
        defer { IdleMeter.active = nil }
        var sums = [Double](repeating: 0, count: 8)
        sums.withUnsafeMutableBufferPointer { buffer in
            let out = buffer.baseAddress!
            for _ in 0..<3 {
                // Uneven items: the last one costs as much as the others together.
                Parallel.forEach(8) { i in
                    var s = 0.0
                    for j in 0..<(i == 7 ? 700_000 : 100_000) { s += Double(j & 7) }
                    out[i] += s
                }
            }
        }
        XCTAssertEqual(meter.regions, 3)
        XCTAssertGreaterThan(meter.wallSeconds, 0)
        XCTAssertEqual(meter.offeredSeconds, Double(min(Parallel.threadCount, 8)) * meter.wallSeconds,
                       accuracy: 1e-6)
        XCTAssertGreaterThanOrEqual(meter.idleSeconds, 0)
        XCTAssertLessThanOrEqual(meter.idleSeconds, meter.offeredSeconds)
        XCTAssertEqual(sums[0], 3 * 350_000)
    }
}
