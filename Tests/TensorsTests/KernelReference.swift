import XCTest
import Tensors

/// Compares a kernel's output with a reference computed in Double, reporting the worst
/// entry: `|actual − expected| ≤ absolute + relative·|expected|` must hold everywhere.
/// Infinities and NaN must match exactly.
func assertMatchesReference(_ actual: Tensor, _ expected: [Double], absolute: Double = 1e-6,
                            relative: Double = 1e-5, _ what: @autoclosure () -> String,
                            file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(what()): element count", file: file, line: line)
    guard actual.count == expected.count else { return }
    var failures = 0, worst = 0.0, worstIndex = -1, firstBad: [String] = []
    for (i, e) in expected.enumerated() {
        let a = Double(actual.pointer[i])
        let bad: Bool
        var excess = 0.0
        if e.isNaN || e.isInfinite || a.isNaN || a.isInfinite {
            bad = !(a == e || (a.isNaN && e.isNaN))
            excess = bad ? .infinity : 0
        } else {
            excess = abs(a - e) - (absolute + relative * abs(e))
            bad = excess > 0
        }
        if bad {
            failures += 1
            if firstBad.count < 5 { firstBad.append("[\(i)] \(a) vs \(e)") }
            if excess > worst || worstIndex < 0 { worst = excess; worstIndex = i }
        }
    }
    if failures > 0 {
        XCTFail("\(what()): \(failures) of \(expected.count) entries disagree; worst [\(worstIndex)] is \(actual.pointer[worstIndex]), expected \(expected[worstIndex]) (tolerance \(absolute) + \(relative)·|expected|); first: \(firstBad.joined(separator: ", "))",
                file: file, line: line)
    }
}

extension Tensor {
    /// The elements as Doubles, for references.
    var doubles: [Double] { scalars.map(Double.init) }
}
