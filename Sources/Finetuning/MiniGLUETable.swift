import Foundation
/// The rows every report of mini-GLUE scores shows: per task its metric, the median over
/// seeds, the range, each seed, the two committed baselines and the best constant answer
/// (chance, `MiniGLUE.constantBaseline`); then the average.
///
///     let (headers, rows) = try MiniGLUETable.rows(report)
///
/// Introduced in Chapter 3.
public enum MiniGLUETable {
    public static let headers = ["task", "metric", "median", "range over seeds", "per seed"] + baselineHeaders

    /// The columns every table ends with: what a model is measured against.
    public static let baselineHeaders = ["majority", "constant answer", "bag-of-words"]

    public static func rows(_ report: MiniGLUEReport) throws -> [[String]] {
        let baselines = try baselineColumns(report.tasks.map(\.task))
        var rows = zip(report.tasks, baselines.perTask).map { result, columns in
            [result.task, result.metrics.joined(separator: " & "), format(result.median),
             report.seeds.count > 1 ? "\(format(result.minimum))–\(format(result.maximum))" : "—",
             result.scores.map(format).joined(separator: ", ")] + columns
        }
        rows.append(["average (Tenfold score)", "", format(report.average), "", ""] + baselines.average)
        return rows
    }

    /// `baselineHeaders`' columns for each of `tasks`, formatted — the committed majority-class
    /// and bag-of-words baselines and the best constant answer (`MiniGLUE.constantBaseline`,
    /// one read of the task's test split) — and their averages over the tasks.
    public static func baselineColumns(_ tasks: [String]) throws -> (perTask: [[String]], average: [String]) {
        let baselines = try tasks.map(MiniGLUE.baselines)
        let constants = try tasks.map(MiniGLUE.constantBaseline)
        let columns = zip(baselines, constants).map { [$0.trivial, $1, $0.bagOfWords] }
        let average = (0..<3).map { c in columns.map { $0[c] }.reduce(0, +) / Double(max(columns.count, 1)) }
        return (columns.map { $0.map(format) }, average.map(format))
    }

    /// One decimal, as GLUE's tables.
    public static func format(_ value: Double) -> String {
        value.isNaN ? "—" : String(format: "%.1f", value)
    }
}
