import Foundation
import Transformer

/// What a long data-parallel pre-training run costs: the FLOPs of an update, the compute
/// rate of one machine and a ring allreduce of the gradient between N of them (no overlap
/// with the backward pass) — what `tenfold plan` prints and chapter 6 shows.
///
///     let plan = try TrainingPlan(preset: "base", batchSize: 256, length: 512)
///     plan.perRank(16).wallTime(updates: 1_000_000)    // seconds on 16 machines
///
/// Introduced in Chapter 6 (full scale).
public struct TrainingPlan: Sendable {
    public var configuration: ModelConfiguration
    public var batchSize: Int
    public var length: Int
    public var flops: TrainingFLOPs
    public var parameters: Int
    /// Training GFLOP/s one rank sustains.
    public var gflops: Double
    /// Allreduce bus bandwidth between ranks, GB/s, and the latency of one message, µs.
    public var bandwidth: Double
    public var latency: Double

    /// Tenfold's base training step on the project's 2-core machine: 559 GFLOP in 3.18 s (README, Performance, 2026-12-05).
    public static let measuredGFLOPs = 176.0
    /// `mpirun -np 2 tenfold plan --measure` on the project's machine (README, Full-scale training).
    public static let measuredBandwidth = 0.76

    /// - Parameter configuration: the model with its seams; `length` replaces its T.
    public init(_ configuration: ModelConfiguration, batchSize: Int, length: Int, gflops: Double = measuredGFLOPs,
                bandwidth: Double = measuredBandwidth, latency: Double = 50) throws {
        var configuration = configuration
        configuration.maxSequenceLength = length
        self.configuration = configuration
        self.batchSize = batchSize; self.length = length
        self.gflops = gflops; self.bandwidth = bandwidth; self.latency = latency
        let predictions = Int((0.15 * Double(batchSize * length)).rounded())
        flops = try TrainingFLOPs(configuration, batchSize: batchSize, length: length, predictions: predictions)
        parameters = try ModelRegistry.standard.makeModel(configuration, seed: 1, purpose: .inference).parameters.scalarCount
    }

    /// The gradient's bytes (Float32).
    public var gradientBytes: Double { Double(parameters) * 4 }

    /// One update on `ranks` machines: compute, allreduce and their sum, in seconds.
    public func update(ranks: Int) -> (compute: Double, allreduce: Double, total: Double) {
        let compute = flops.total / (gflops * 1e9) / Double(ranks)
        let n = Double(ranks)
        let allreduce = ranks == 1 ? 0 : 2 * (n - 1) / n * gradientBytes / (bandwidth * 1e9) + 2 * (n - 1) * latency * 1e-6
        return (compute, allreduce, compute + allreduce)
    }

    /// 1, 2, 4, … up to `ranks`, with `ranks` itself last.
    public static func rankCounts(upTo ranks: Int) -> [Int] {
        var counts = [1]
        while counts.last! * 2 < ranks { counts.append(counts.last! * 2) }
        if counts.last! != ranks { counts.append(ranks) }
        return counts
    }

    /// `3.2 days`, `1.4 years`, `5.0 hours`.
    public static func duration(_ seconds: Double) -> String {
        let days = seconds / 86_400
        if days >= 365 { return String(format: "%.1f years", days / 365) }
        if days >= 1 { return String(format: "%.1f days", days) }
        return String(format: "%.1f hours", seconds / 3600)
    }
}
