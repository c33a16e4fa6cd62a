/// The metrics of one GLUE task on one split, and the task's score: the mean of its metrics,
/// as GLUE averages them (MRPC and QQP: F1 and accuracy; STS-B: Pearson and Spearman; every
/// other task has one metric).
///
///     let report = MetricReport(name: "MRPC", values: [.f1: 0.9, .accuracy: 0.85],
///                               order: [.f1, .accuracy])
///     report[.f1]          // 0.9
///     report.score         // 0.875: (0.9 + 0.85) / 2
///     report.glueScore     // 87.5
///     print(report)        // "MRPC: F1 90.0, accuracy 85.0 (score 87.5)"
///
/// Values are kept as fractions — accuracy and F1 from 0 to 1, MCC and the correlations from
/// −1 to 1 — as the metric functions return them. GLUE's leaderboard shows them multiplied by
/// 100; `glueScore` and the description do the same, so only printing uses the ×100 scale.
/// Introduced in Chapter 3.
public struct MetricReport: Sendable, Hashable, CustomStringConvertible {
    /// One named value.
    public struct Entry: Sendable, Hashable {
        public let metric: GLUEMetric
        /// The value as a fraction (not ×100).
        public let value: Double

        public init(metric: GLUEMetric, value: Double) {
            self.metric = metric
            self.value = value
        }
    }

    /// What the results are of: the task's name, or "MNLI-m" / "MNLI-mm".
    public let name: String
    /// The task's metrics, in GLUE's order.
    public let entries: [Entry]

    /// A report of `entries`, in the order given.
    public init(name: String, entries: [Entry]) {
        self.name = name
        self.entries = entries
    }

    /// A report of `values`, listed in `order`.
    ///
    /// - Precondition: `order` names each key of `values` once, and nothing else.
    public init(name: String, values: [GLUEMetric: Double], order: [GLUEMetric]) {
        precondition(Set(order) == Set(values.keys) && order.count == values.count,
                     "MetricReport: order \(order) does not list each metric of \(values) once")
        self.init(name: name, entries: order.map { Entry(metric: $0, value: values[$0] ?? 0) })
    }

    /// The value of `metric`, or nil when the report has none.
    public subscript(metric: GLUEMetric) -> Double? {
        entries.first { $0.metric == metric }?.value
    }

    /// The task's score: the mean of its metrics, as a fraction; 0 for an empty report.
    public var score: Double {
        entries.isEmpty ? 0 : entries.reduce(0) { $0 + $1.value } / Double(entries.count)
    }

    /// The score on GLUE's scale, ×100.
    public var glueScore: Double { score * 100 }

    /// "MRPC: F1 90.0, accuracy 85.0 (score 87.5)", on GLUE's ×100 scale with one decimal;
    /// a single metric is not repeated as the score ("RTE: accuracy 66.4").
    public var description: String {
        let values = entries.map { "\($0.metric.name) \(Self.percent($0.value))" }.joined(separator: ", ")
        return entries.count > 1 ? "\(name): \(values) (score \(Self.percent(score)))" : "\(name): \(values)"
    }

    /// A fraction ×100, rounded to one decimal: 0.8766 → "87.7".
    static func percent(_ value: Double) -> String {
        let tenths = (value * 1000).rounded() / 10
        return tenths == 0 ? "0.0" : String(tenths)
    }
}
