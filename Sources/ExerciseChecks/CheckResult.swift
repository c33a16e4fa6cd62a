import Foundation
import Tensors

/// The outcome of one exercise's checks, with a diagnosis a learner can act on.
public struct CheckResult: Sendable {
    public enum Status: String, Sendable {
        case passed = "solved"
        case notImplemented = "not implemented"
        case failed = "failing"
    }

    public var id: String
    public var status: Status
    /// What was checked and passed, one line each.
    public var passedChecks: [String]
    /// What disagreed: values, by how much, what was expected. Empty when passed.
    public var diagnosis: [String]

    public var passed: Bool { status == .passed }

    /// The report `tenfold check` prints.
    public var report: String {
        switch status {
        case .passed:
            return (["exercise \(id) passes:"] + passedChecks.map { "  ✓ " + $0 }).joined(separator: "\n")
        case .notImplemented:
            return diagnosis.joined(separator: "\n")
        case .failed:
            var lines = ["exercise \(id) fails:"]
            lines += passedChecks.map { "  ✓ " + $0 }
            lines += diagnosis.map { "  ✗ " + $0.replacingOccurrences(of: "\n", with: "\n    ") }
            return lines.joined(separator: "\n")
        }
    }
}

/// Why a check stopped early (a disagreement already reported).
struct CheckStopped: Error {}

/// Collects what an exercise's checks find. Every comparison validates shapes first, so a
/// learner's wrong shape becomes a diagnosis, never a trap.
final class Checker {
    let id: String
    private(set) var passes: [String] = []
    private(set) var failures: [String] = []

    init(id: String) { self.id = id }

    /// Runs the checks; an unsolved exercise reports itself, any other error is a failure.
    static func run(_ id: String, _ body: (Checker) throws -> Void) -> CheckResult {
        let checker = Checker(id: id)
        do {
            try body(checker)
        } catch ExerciseError.notImplemented(let which) where which == id {
            return CheckResult(id: id, status: .notImplemented, passedChecks: [],
                               diagnosis: [ExerciseError.notImplemented(id).description])
        } catch ExerciseError.notImplemented(let which) {
            checker.failures.append("exercise \(id) calls exercise \(which), which is not implemented yet")
        } catch is CheckStopped {
        } catch {
            checker.failures.append("your code threw an error: \(error)")
        }
        return CheckResult(id: id, status: checker.failures.isEmpty ? .passed : .failed,
                           passedChecks: checker.passes, diagnosis: checker.failures)
    }

    /// Records `what` as passed or, with `detail`, as failed; a failure stops the checks.
    func require(_ condition: Bool, _ what: String, _ detail: @autoclosure () -> String) throws {
        if condition {
            passes.append(what)
        } else {
            failures.append(what + ": " + detail())
            throw CheckStopped()
        }
    }

    /// Compares `actual` with `expected` entry by entry: |a − e| ≤ absolute + relative·|e|.
    /// A failure names the worst entries by index, with both values and the gap.
    func compare(_ what: String, _ actual: Tensor, expected: Tensor,
                 absolute: Float = 1e-4, relative: Float = 1e-3) throws {
        guard actual.shape == expected.shape else {
            try require(false, what, "your result has shape \(actual.shape), expected \(expected.shape)")
            return
        }
        let a = actual.scalars, e = expected.scalars
        var bad: [(index: Int, gap: Float)] = []
        var maxAbsolute: Float = 0, maxRelative: Float = 0
        for k in a.indices where a[k] != e[k] {   // equal covers matching infinities
            let gap = abs(a[k] - e[k])
            let size = gap.isNaN ? .infinity : gap
            maxAbsolute = max(maxAbsolute, size)
            maxRelative = max(maxRelative, size / max(abs(e[k]), 1e-6))
            if !(gap <= absolute + relative * abs(e[k])) { bad.append((k, gap)) }
        }
        guard !bad.isEmpty else {
            passes.append(what)
            return
        }
        bad.sort { ($0.gap.isNaN ? .infinity : $0.gap) > ($1.gap.isNaN ? .infinity : $1.gap) }
        var lines = ["\(bad.count) of \(a.count) entries disagree (max abs error \(format(maxAbsolute)), "
                     + "max rel error \(format(maxRelative)); tolerance \(format(absolute)) + \(format(relative))·|expected|)"]
        let nan = a.filter(\.isNaN).count, infinite = a.filter(\.isInfinite).count - e.filter(\.isInfinite).count
        if nan > 0 || infinite > 0 {
            lines.append("your result holds \(nan) NaN and \(max(infinite, 0)) unexpected infinite entries: "
                         + "an overflow (e^x for large x) or 0/0 somewhere?")
        }
        lines.append("worst entries:" + pad("index", 12) + pad("expected", 17) + pad("yours", 17) + pad("difference", 17))
        for (k, gap) in bad.prefix(5) {
            let index = "[" + multiIndex(k, shape: expected.shape).map(String.init).joined(separator: ", ") + "]"
            lines.append(pad(index, 26) + pad(format(e[k]), 17) + pad(format(a[k]), 17) + pad(format(gap), 17))
        }
        try require(false, what, lines.joined(separator: "\n"))
    }

    /// Compares two numbers.
    func compare(_ what: String, _ actual: Double, expected: Double, absolute: Double = 1e-6) throws {
        try require(abs(actual - expected) <= absolute, what,
                    "yours \(actual), expected \(expected) (difference \(abs(actual - expected)), tolerance \(absolute))")
    }

    /// Checks a shape before using a result in further computations.
    func shape(_ what: String, _ actual: Tensor, _ expected: [Int]) throws {
        guard actual.shape != expected else { return }
        try require(false, what, "your result has shape \(actual.shape), expected \(expected)")
    }
}

func format(_ x: Float) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    return String(format: "%.6g", Double(x))
}

func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s + " " : String(repeating: " ", count: width - s.count) + s
}

func multiIndex(_ flat: Int, shape: [Int]) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for axis in shape.indices.reversed() {
        index[axis] = rest % max(shape[axis], 1)
        rest /= max(shape[axis], 1)
    }
    return index
}
