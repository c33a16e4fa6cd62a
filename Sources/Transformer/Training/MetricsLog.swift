import Foundation

/// Appends one JSON object per update to `metrics.jsonl`.
///
/// Resuming after update k keeps the lines of updates 1…k and drops any later ones (they
/// belonged to the interrupted part of the run and will be recomputed).
/// Introduced in Chapter 1.
public final class MetricsLog {
    public let url: URL
    private let handle: FileHandle

    /// Opens (or creates) the log; with `keepingThrough: k`, earlier lines of updates ≤ k are kept.
    public init(url: URL, keepingThrough step: Int = 0) throws {
        self.url = url
        var kept: [StepMetrics] = []
        if step > 0, let data = try? Data(contentsOf: url) {
            kept = MetricsLog.parse(data).filter { $0.step <= step }
        }
        try Data(try kept.flatMap(MetricsLog.line)).write(to: url, options: .atomic)
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    /// Reads every metrics line of a log (lines that do not parse are skipped).
    public static func read(_ url: URL) -> [StepMetrics] {
        (try? Data(contentsOf: url)).map(parse) ?? []
    }

    static func parse(_ data: Data) -> [StepMetrics] {
        String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONDecoder().decode(StepMetrics.self, from: Data($0.utf8))
        }
    }

    /// Appends one update's line. A failed write (a full disk) is an error, not a trap.
    public func append(_ m: StepMetrics) throws {
        try handle.write(contentsOf: try MetricsLog.line(m))
    }

    /// One metrics record as a JSON line with sorted keys.
    static func line(_ m: StepMetrics) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(m)
        line.append(0x0A)
        return line
    }

    deinit { try? handle.close() }
}
