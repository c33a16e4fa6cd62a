import Foundation

/// Where a training step's time goes, operation by operation.
///
///     let profiler = OperationProfiler()
///     OperationProfiler.active = profiler
///     profiler.mark()                       // the forward pass starts now
///     let loss = model.loss(…); loss.backward()
///     OperationProfiler.active = nil
///     for entry in profiler.entries { print(entry.name, entry.forwardSeconds, entry.backwardSeconds) }
///
/// Forward: an operation's value is computed just before it is recorded, so the time from
/// the previous record (or `mark()`) to this one is charged to it — its kernel plus the
/// little Swift around it. Backward: each backward function is timed exactly; summing the
/// gradients of a value used twice is charged to `"accumulate"`.
/// Entries are keyed by name and the rank of the output, so that a batched attention
/// product (`matmul`, rank 4) is told apart from a linear layer's (`matmul`, rank 2 or 3).
/// Only the thread that records operations may use a profiler; kernels may still run on
/// many threads inside one operation. Package-internal: the benchmark is its only user; when
/// no profiler is active, the tape pays one load of `active` per operation.
/// Introduced in Chapter 1 (the training-step benchmark).
package final class OperationProfiler {
    /// Time spent in one kind of operation.
    package struct Entry: Sendable {
        package var name: String
        /// The rank of the operation's output.
        package var rank: Int
        package var calls = 0
        package var forwardSeconds = 0.0
        package var backwardSeconds = 0.0
    }

    /// The profiler that `Variable.record` and `backward()` report to; nil (the default)
    /// costs one load per operation.
    nonisolated(unsafe) package static var active: OperationProfiler?

    private var table: [String: Entry] = [:]
    private var last = 0.0

    package init() {}

    /// Every operation seen so far, slowest first.
    package var entries: [Entry] {
        table.values.sorted { $0.forwardSeconds + $0.backwardSeconds > $1.forwardSeconds + $1.backwardSeconds }
    }

    /// Starts the forward clock (call right before a forward pass).
    package func mark() { last = OperationProfiler.now() }

    /// Forgets everything measured.
    package func reset() { table = [:] }

    func recordForward(_ name: String, rank: Int) {
        let now = OperationProfiler.now()
        update(name, rank: rank) { $0.forwardSeconds += now - last; $0.calls += 1 }
        last = now
    }

    func recordBackward(_ name: String, rank: Int, seconds: Double) {
        update(name, rank: rank) { $0.backwardSeconds += seconds }
    }

    private func update(_ name: String, rank: Int, _ body: (inout Entry) -> Void) {
        let key = "\(name)/\(rank)"
        var entry = table[key] ?? Entry(name: name, rank: rank)
        body(&entry)
        table[key] = entry
    }

    /// Monotonic seconds.
    package static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
