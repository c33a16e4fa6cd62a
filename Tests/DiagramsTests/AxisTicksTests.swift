import Diagrams
import XCTest

final class AxisTicksTests: XCTestCase {
    func testStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        for (lower, upper) in [(0.0, 1.0), (0.3, 9.7), (0, 10_000), (2.05, 2.11), (-3, 7), (1e-5, 3e-5), (0, 123_456_789)] {
            let ticks = AxisTicks(from: lower, to: upper)
            XCTAssertGreaterThanOrEqual(ticks.values.count, 2, "\(lower)…\(upper)")
            XCTAssertLessThanOrEqual(ticks.values.count, 13, "\(lower)…\(upper)")
            let exponent = (log10(ticks.step)).rounded(.down)
            let mantissa = (ticks.step / pow(10, exponent) * 1000).rounded() / 1000
            XCTAssertTrue([1, 2, 5, 10].contains(mantissa), "step \(ticks.step) for \(lower)…\(upper)")
            XCTAssertTrue(ticks.values.allSatisfy { $0 >= lower - 1e-12 && $0 <= upper + 1e-12 })
        }
    }

    func testLabelsHaveJustTheDecimalsTheStepNeeds() {
        XCTAssertEqual(AxisTicks(from: 0.3, to: 9.7).labels, ["2", "4", "6", "8"])
        XCTAssertEqual(AxisTicks(from: 0, to: 1, approximateCount: 5).labels, ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        XCTAssertEqual(AxisTicks(from: 0, to: 1000, approximateCount: 5).labels, ["0", "200", "400", "600", "800", "1000"])
        XCTAssertEqual(AxisTicks(from: -0.3, to: 0.3, approximateCount: 6).labels, ["-0.3", "-0.2", "-0.1", "0", "0.1", "0.2", "0.3"])
        XCTAssertEqual(AxisTicks(from: 0, to: 3e-5, approximateCount: 3).labels.last, "3e-05")
    }

    func testDegenerateRangesNeverCrash() {
        XCTAssertEqual(AxisTicks(from: 5, to: 5).values, [5])
        XCTAssertEqual(AxisTicks(from: .nan, to: 1).values, [])
        XCTAssertEqual(AxisTicks(from: 0, to: .infinity).values, [])
        XCTAssertEqual(AxisTicks(from: 3, to: 1).values, [])
    }

    func testLogarithmicTicks() {
        XCTAssertEqual(AxisTicks.logarithmic(from: 0.001, to: 100).values, [0.001, 0.01, 0.1, 1, 10, 100])
        XCTAssertEqual(AxisTicks.logarithmic(from: 1, to: 100).labels, ["1", "2", "5", "10", "20", "50", "100"])
        let narrow = AxisTicks.logarithmic(from: 2.1, to: 9)
        XCTAssertGreaterThanOrEqual(narrow.values.count, 2, "\(narrow.values)")
        XCTAssertEqual(AxisTicks.logarithmic(from: 0, to: 1).values, [])
    }
}
