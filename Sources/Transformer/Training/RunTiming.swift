import Foundation

/// Where a training run's time went: the updates' own rate beside the whole run's, and the
/// share of the whole run that validation, checkpoint writes, batch assembly, slow updates and
/// everything else (metrics, progress) took. `tenfold train` and every chapter run print its
/// `summary` at the end (`PretrainingRun.train(progress:)`).
///
///     let timing = RunTiming(run.trainer)
///     print(timing.summary)
///     // Timing: median update 0.049 s over 300 updates; 32436 tokens/s in the updates alone,
///     // 31074 over the whole run (95.8%): validation 1.5% (1 pass), checkpoints 0.3% (1 write),
///     // batch assembly 0.0% (inside the updates), updates beyond the median's time 2.3%,
///     // metrics, progress and the rest 0.1%.
///
/// The updates' rate uses the median update (batch and step), as the benchmark does, so a
/// few slow updates on a shared machine count against the whole run, not for it.
/// Introduced in Chapter 1.
public struct RunTiming: Sendable, Equatable {
    /// Updates this process ran.
    public var updates: Int
    /// The median wall time of one update (its batch and its step), and the sum over all
    /// updates, in seconds.
    public var medianUpdateSeconds: Double, totalUpdateSeconds: Double
    /// Tokens trained on over all ranks, and the wall time of the whole run (`Trainer.run`).
    public var tokens: Int, runSeconds: Double
    /// Seconds spent on the validation set, checkpoint writes and batch assembly, with counts.
    public var validationSeconds: Double, validationPasses: Int
    public var checkpointSeconds: Double, checkpointWrites: Int
    public var batchSeconds: Double
    /// The median time of the gradient sums over the ranks (nil for one process).
    public var medianAllreduceSeconds: Double?

    /// Tokens per second at the median update's pace (NaN before any update).
    public var updateRate: Double { Double(tokens) / Double(updates) / medianUpdateSeconds }

    /// Tokens per second over the whole run (NaN before any update).
    public var runRate: Double { runSeconds > 0 ? Double(tokens) / runSeconds : .nan }

    /// The whole run's rate as a share of the updates' own: 1 when nothing but updates ran.
    public var share: Double { runRate / updateRate }

    /// One line: the rates, their ratio, and the shares of the whole run.
    public var summary: String {
        guard updates > 0 else { return "Timing: no updates were run." }
        var line = String(format: "Timing: median update %.3f s over %d updates; %.0f tokens/s in the updates alone",
                          medianUpdateSeconds, updates, updateRate)
        if runSeconds > 0 {
            func percent(_ seconds: Double) -> String { String(format: "%.1f%%", 100 * seconds / runSeconds) }
            let aboveMedian = max(0, totalUpdateSeconds - medianUpdateSeconds * Double(updates))
            let rest = max(0, runSeconds - totalUpdateSeconds - validationSeconds - checkpointSeconds)
            line += String(format: ", %.0f over the whole run (%.1f%%)", runRate, 100 * share)
            line += ": validation \(percent(validationSeconds)) (\(validationPasses) pass\(validationPasses == 1 ? "" : "es"))"
            line += ", checkpoints \(percent(checkpointSeconds)) (\(checkpointWrites) write\(checkpointWrites == 1 ? "" : "s"))"
            line += ", batch assembly \(percent(batchSeconds)) (inside the updates)"
            line += ", updates beyond the median's time \(percent(aboveMedian))"
            line += ", metrics, progress and the rest \(percent(rest))"
        }
        if let medianAllreduceSeconds {
            line += String(format: "; gradient allreduce %.3f s per update (median)", medianAllreduceSeconds)
        }
        return line + "."
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    }
}

extension RunTiming {
    /// The timing of `trainer`'s runs so far (declared here so that tests keep the memberwise initialiser).
    public init(_ trainer: Trainer) {
        updates = trainer.updateSeconds.count
        medianUpdateSeconds = Self.median(trainer.updateSeconds)
        totalUpdateSeconds = trainer.updateSeconds.reduce(0, +)
        tokens = trainer.runTokens
        runSeconds = trainer.runSeconds
        validationSeconds = trainer.validationSeconds
        validationPasses = trainer.validationPasses
        checkpointSeconds = trainer.checkpointWriteSeconds
        checkpointWrites = trainer.checkpointWrites
        batchSeconds = trainer.batchSeconds
        medianAllreduceSeconds = trainer.allreduceSeconds.isEmpty ? nil : Self.median(trainer.allreduceSeconds)
    }
}
