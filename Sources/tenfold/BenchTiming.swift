import Autograd
import Foundation

/// Timing for benchmarks: a warm-up run, then repeated runs until a time budget is spent;
/// the median is reported (robust to the other engineers' processes on a shared machine).
enum BenchTiming {
    /// Monotonic seconds (the operation profiler's clock, so both measure alike).
    static func now() -> Double { OperationProfiler.now() }

    /// The median seconds of one call of `body`.
    static func median(budget: Double, minimumRuns: Int = 3, _ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        let start = now()
        while times.count < minimumRuns || (now() - start < budget && times.count < 1000) {
            let t0 = now()
            body()
            times.append(now() - t0)
        }
        times.sort()
        return times[times.count / 2]
    }
}

/// One measurement, as printed in a table row or a JSON line.
struct BenchRecord: Codable {
    var group: String
    var name: String
    var shape: String
    var milliseconds: Double
    /// Billions of floating-point operations per second (matrix products).
    var gflops: Double?
    /// Gigabytes read plus written per second (bandwidth-bound kernels).
    var gigabytesPerSecond: Double?
    var note: String?
    /// GB/s as a fraction of the memory triad measured in the same run (bandwidth kernels).
    var fractionOfTriad: Double?
}
