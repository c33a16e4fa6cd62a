import XCTest
import Tensors

/// Asserts `|actual − expected| ≤ tolerance` everywhere (tolerance 0: bit-for-bit copies),
/// and on failure names how many entries disagree, the worst one and the first few.
func assertElementsAgree(_ actual: Tensor, _ expected: [Double], tolerance: Double = 0,
                         _ what: @autoclosure () -> String,
                         file: StaticString = #filePath, line: UInt = #line) {
    guard actual.count == expected.count else {
        XCTFail("\(what()): \(actual.count) elements, expected \(expected.count)", file: file, line: line)
        return
    }
    var bad: [Int] = [], worst = -1, worstError = 0.0
    for (i, e) in expected.enumerated() {
        let a = Double(actual.pointer[i])
        let error = a == e ? 0 : abs(a - e)
        if !(error <= tolerance) {
            bad.append(i)
            if worst < 0 || !(error <= worstError) { worst = i; worstError = error }
        }
    }
    if !bad.isEmpty {
        let first = bad.prefix(5).map { "[\($0)] \(actual.pointer[$0]) vs \(expected[$0])" }
        XCTFail("\(what()): \(bad.count) of \(expected.count) entries disagree (tolerance \(tolerance)); worst [\(worst)] is \(actual.pointer[worst]), expected \(expected[worst]), off by \(worstError); first: \(first.joined(separator: ", "))",
                file: file, line: line)
    }
}

/// The row-major multi-index of a flat position.
func multiIndex(_ flat: Int, _ shape: [Int]) -> [Int] {
    var index = [Int](repeating: 0, count: shape.count), rest = flat
    for k in stride(from: shape.count - 1, through: 0, by: -1) {
        index[k] = rest % shape[k]
        rest /= shape[k]
    }
    return index
}

/// The elements as Doubles, for references.
func asDoubles(_ x: Tensor) -> [Double] { x.scalars.map(Double.init) }
