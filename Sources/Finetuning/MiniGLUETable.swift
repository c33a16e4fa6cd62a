import Foundation
/// The rows every report of mini-GLUE scores shows: per task its metric, the median over
/// seeds, the range, each seed, the two committed baselines and the best constant answer
/// (chance, `MiniGLUE.constantBaseline`); then the average.
///
///     let (headers, rows) = try MiniGLUETable.rows(report)
///
/// Introduced in Chapter 3.
public enum MiniGLUETable {
    public static let headers = ["task", "metric", "median", "range over seeds", "per seed", "majority", "constant answer", "bag-of-words"]

    public static func rows(_ report: MiniGLUEReport) throws -> [[String]] {
        var rows: [[String]] = []
        var trivial: [Double] = [], constant: [Double] = [], bagOfWords: [Double] = []
        for result in report.tasks {
            let baselines = try MiniGLUE.baselines(result.task)
            trivial.append(baselines.trivial)
            constant.append(try MiniGLUE.constantBaseline(result.task))
            bagOfWords.append(baselines.bagOfWords)
            rows.append([result.task, result.metrics.joined(separator: " & "), format(result.median),
                         report.seeds.count > 1 ? "\(format(result.minimum))–\(format(result.maximum))" : "—",
                         result.scores.map(format).joined(separator: ", "),
                         format(baselines.trivial), format(constant.last!), format(baselines.bagOfWords)])
        }
        let mean = { (values: [Double]) in values.reduce(0, +) / Double(max(values.count, 1)) }
        rows.append(["average (Tenfold score)", "", format(report.average), "", "", format(mean(trivial)), format(mean(constant)), format(mean(bagOfWords))])
        return rows
    }

    /// One decimal, as GLUE's tables.
    public static func format(_ value: Double) -> String {
        value.isNaN ? "—" : String(format: "%.1f", value)
    }
}
