import Foundation

/// A training progress display: one self-updating line on a terminal, plain log lines
/// otherwise (a file, a pipe, CI).
///
/// On a terminal: `step  120/500 ▕████▌░░░░░▏ loss 5.123 · val 5.402 · 12.3k tok/s · ETA 0:42`
/// redrawn in place. Elsewhere: the same facts as one line every `logInterval` updates and
/// at each validation. Introduced in Chapter 1.
public final class ProgressReporter {
    public let totalSteps: Int
    public let logInterval: Int
    public let isTerminal: Bool
    private let started = Date()
    private let firstStep: Int
    private var lastValidation: Float?
    private var output: (String) -> Void

    /// - Parameters:
    ///   - totalSteps: N.
    ///   - firstStep: the first update this process runs (after a resume, k + 1).
    ///   - isTerminal: defaults to whether standard output is a terminal.
    ///   - write: where the text goes (standard output by default).
    public init(totalSteps: Int, firstStep: Int = 1, logInterval: Int = 50,
                isTerminal: Bool = isatty(STDOUT_FILENO) != 0,
                write: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }) {
        self.totalSteps = totalSteps
        self.firstStep = firstStep
        self.logInterval = max(1, logInterval)
        self.isTerminal = isTerminal
        output = write
    }

    /// Shows one update's metrics.
    public func report(_ m: StepMetrics) {
        if let v = m.validationLoss { lastValidation = v }
        let done = m.step - firstStep + 1
        let elapsed = Date().timeIntervalSince(started)
        let remaining = done > 0 ? elapsed / Double(done) * Double(totalSteps - m.step) : 0
        var facts = String(format: "loss %.3f", m.loss)
        if let v = lastValidation { facts += String(format: " · val %.3f", v) }
        facts += " · " + ProgressReporter.rate(m.tokensPerSecond) + " tok/s · ETA " + ProgressReporter.clock(remaining)
        let width = String(totalSteps).count
        let counter = "step " + String(repeating: " ", count: max(0, width - String(m.step).count)) + "\(m.step)/\(totalSteps)"
        if isTerminal {
            output("\r\u{1B}[2K" + counter + " " + ProgressReporter.bar(Double(m.step) / Double(max(totalSteps, 1))) + " " + facts)
            if m.step == totalSteps { output("\n") }
        } else if m.step % logInterval == 0 || m.validationLoss != nil || m.step == totalSteps || m.step == firstStep {
            output(counter + " " + facts + "\n")
        }
    }

    static func bar(_ fraction: Double, width: Int = 20) -> String {
        let blocks = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        let f = min(max(fraction, 0), 1) * Double(width)
        let full = Int(f)
        let partial = Int((f - Double(full)) * 8)
        var s = String(repeating: "█", count: full)
        if full < width { s += blocks[partial] + String(repeating: " ", count: width - full - 1) }
        return "▕" + s + "▏"
    }

    static func rate(_ x: Double) -> String {
        x >= 10_000 ? String(format: "%.1fk", x / 1000) : String(format: "%.0f", x)
    }

    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                         : String(format: "%d:%02d", s / 60, s % 60)
    }
}

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
        handle.seekToEndOfFile()
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

    public func append(_ m: StepMetrics) throws {
        handle.write(try MetricsLog.line(m))
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
