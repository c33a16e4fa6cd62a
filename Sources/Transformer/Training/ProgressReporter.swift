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
    private var lastStep = 0
    private var lastDrawn = Date.distantPast
    private var output: (String) -> Void

    /// - Parameters:
    ///   - totalSteps: N.
    ///   - firstStep: the first update this process runs (after a resume, k + 1).
    ///   - isTerminal: defaults to whether standard output is a terminal.
    ///   - write: where the text goes (standard output by default; a display that cannot be
    ///     written, such as a closed pipe, is skipped — the run's files are its record).
    public init(totalSteps: Int, firstStep: Int = 1, logInterval: Int = 50,
                isTerminal: Bool = isatty(STDOUT_FILENO) != 0,
                write: @escaping (String) -> Void = { try? FileHandle.standardOutput.write(contentsOf: Data($0.utf8)) }) {
        self.totalSteps = totalSteps
        self.firstStep = firstStep
        self.logInterval = max(1, logInterval)
        self.isTerminal = isTerminal
        output = write
    }

    /// Shows one update's metrics. The line is formatted only when it is shown: plain lines
    /// at their interval, and a terminal's line at most ten times a second (and at the first,
    /// last and validated updates). Formatting took about 80 µs an update.
    public func report(_ m: StepMetrics) {
        if let v = m.validationLoss { lastValidation = v }
        lastStep = m.step
        let milestone = m.validationLoss != nil || m.step == totalSteps || m.step == firstStep
        if isTerminal {
            let now = Date()
            guard milestone || now.timeIntervalSince(lastDrawn) >= 0.1 else { return }
            lastDrawn = now
        } else {
            guard milestone || m.step % logInterval == 0 else { return }
        }
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
        } else {
            output(counter + " " + facts + "\n")
        }
    }

    /// Ends the display with where the run's time went (`RunTiming.summary`), on a line of its own.
    public func finish(_ timing: RunTiming) {
        if isTerminal && lastStep != totalSteps { output("\n") }
        output(timing.summary + "\n")
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

    /// "0:42", "5:01:01"; "?" for no estimate, "> 9999 h" beyond what is worth spelling out.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        guard seconds < 9999 * 3600 else { return "> 9999 h" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                         : String(format: "%d:%02d", s / 60, s % 60)
    }
}
