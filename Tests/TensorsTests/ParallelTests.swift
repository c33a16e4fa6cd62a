import XCTest
@testable import Tensors

final class ParallelTests: XCTestCase {
    /// Guided blocks tile `0..<count` in order, without gaps or overlaps, the first round
    /// holding about ¾ of the items and no block later than the first round larger than it.
    func testGuidedRangesTileTheItemsInShrinkingRounds() {
        for count in [0, 1, 2, 3, 5, 7, 16, 100, 256, 4096 / 16] {
            let ranges = Parallel.guidedRanges(of: count)
            XCTAssertEqual(ranges.first?.lowerBound ?? 0, 0, "count \(count)")
            XCTAssertEqual(ranges.last?.upperBound ?? 0, count, "count \(count)")
            for (earlier, later) in zip(ranges, ranges.dropFirst()) {
                XCTAssertEqual(earlier.upperBound, later.lowerBound, "count \(count): \(ranges)")
            }
            XCTAssertTrue(ranges.allSatisfy { !$0.isEmpty }, "count \(count): \(ranges)")
            XCTAssertEqual(ranges, Parallel.guidedRanges(of: count), "the blocks depend only on the count")
            let threads = Parallel.threadCount
            if threads > 1 && count >= 16 * threads {
                XCTAssertEqual(ranges.count, 3 * threads, "count \(count)")
                let firstRound = ranges.prefix(threads).map(\.count)
                XCTAssertEqual(Double(firstRound.reduce(0, +)) / Double(count), 0.75, accuracy: 0.02)
                XCTAssertLessThanOrEqual(ranges.dropFirst(threads).map(\.count).max()!, firstRound.min()!)
            } else if threads == 1 && count > 0 {
                XCTAssertEqual(ranges, [0..<count])
            }
        }
    }

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
