import Autograd
import Foundation

/// Timing for benchmarks: a warm-up run, then repeated runs until a time budget is spent;
/// the median is reported (robust to the other engineers' processes on a shared machine).
enum BenchTiming {
    /// Monotonic seconds (the operation profiler's clock, so both measure alike).
    static func now() -> Double { OperationProfiler.now() }

    /// The median seconds of one call of `body`.
    static func median(budget: Double, minimumRuns: Int = 3, _ body: () -> Void) -> Double {
        alternatingMedians(budget: budget, minimumRuns: minimumRuns, body, reference: {}).body
    }

    /// The median seconds of one call of `body` and of one call of `reference`, the two
    /// called in turn over the same `budget`, so that both see the machine in the same state
    /// (memory bandwidth on a shared virtual machine drifts by ±30% within a minute).
    static func alternatingMedians(budget: Double, minimumRuns: Int = 3, _ body: () -> Void,
                                   reference: () -> Void) -> (body: Double, reference: Double) {
        body()
        reference()
        var times: [Double] = [], referenceTimes: [Double] = []
        let start = now()
        while times.count < minimumRuns || (now() - start < budget && times.count < 1000) {
            let t0 = now()
            body()
            let t1 = now()
            reference()
            times.append(t1 - t0)
            referenceTimes.append(now() - t1)
        }
        times.sort()
        referenceTimes.sort()
        return (times[times.count / 2], referenceTimes[referenceTimes.count / 2])
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
