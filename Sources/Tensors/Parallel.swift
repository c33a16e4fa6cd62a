import Dispatch
import Foundation

/// Splitting a loop over the machine's cores.
///
///     Parallel.forChunks(of: n, minimumChunk: 4096) { range in
///         for i in range { y[i] = x[i] * 2 }
///     }
///
/// The chunks depend only on `count`, `minimumChunk` and `threadCount`, never on timing
/// (only which thread runs which chunk does),
/// so a kernel that reduces per chunk gives the same bits on every run with the same
/// thread count. `TENFOLD_THREADS` overrides the core count.
/// Introduced in Chapter 1 (Foundation).
public enum Parallel {
    /// The number of worker threads: `TENFOLD_THREADS` if set, otherwise the active cores.
    public static let threadCount: Int = {
        if let text = ProcessInfo.processInfo.environment["TENFOLD_THREADS"],
           let n = Int(text), n >= 1 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Calls `body` on disjoint, contiguous ranges covering `0..<count`, in parallel when the
    /// work is large enough (each chunk at least `minimumChunk` items), the chunks handed out
    /// to the threads as they come free. Returns when all are done.
    @inlinable
    public static func forChunks(of count: Int, minimumChunk: Int = 1,
                                 _ body: (Range<Int>) -> Void) {
        let chunks = chunkCount(count, minimumChunk: minimumChunk)
        if chunks <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        forEachDynamically(chunks) { c in
            body(chunkRange(c, of: chunks, count: count))
        }
    }

    /// Calls `body(i)` for every `i` in `0..<count`, spreading whole items over the threads
    /// (for example one (batch, head) pair of attention per item).
    @inlinable
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        forChunks(of: count, minimumChunk: 1) { range in
            for i in range { body(i) }
        }
    }

    /// Calls `body(i)` for every `i` in `0..<count`, the items handed out one at a time to
    /// whichever of the `threadCount` threads is free. For items of uneven cost, or on a
    /// shared machine whose cores are not equally fast for long; what each item computes must
    /// not depend on the thread that runs it.
    @usableFromInline
    static func forEachDynamically(_ count: Int, _ body: (Int) -> Void) {
        let threads = min(threadCount, count)
        if threads <= 1 {
            for i in 0..<count { body(i) }
            return
        }
        let lock = NSLock()
        var next = 0
        let meter = IdleMeter.active
        let start = meter == nil ? 0 : DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let begin = meter == nil ? 0 : DispatchTime.now().uptimeNanoseconds
            while true {
                lock.lock()
                let i = next
                next += 1
                lock.unlock()
                if i >= count { break }
                body(i)
            }
            meter?.addBusy(DispatchTime.now().uptimeNanoseconds - begin)
        }
        meter?.addRegion(threads: threads, nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
    }

    /// Calls `body` on the ranges `0..<size`, `size..<2·size`, … covering `0..<count`,
    /// handed out as `forEachDynamically` hands out items: for a loop whose items are too
    /// small to hand out one at a time.
    public static func forRangesDynamically(of count: Int, size: Int, _ body: (Range<Int>) -> Void) {
        let size = max(size, 1)
        forEachDynamically((count + size - 1) / size) { r in
            body((r * size)..<min(count, (r + 1) * size))
        }
    }

    /// How many chunks `forChunks` uses for `count` items: up to `chunksPerThread` per
    /// thread, each at least `minimumChunk` items.
    @inlinable
    public static func chunkCount(_ count: Int, minimumChunk: Int) -> Int {
        guard count > 0 else { return 0 }
        let most = threadCount == 1 ? 1 : threadCount * chunksPerThread
        return max(1, min(most, count / max(minimumChunk, 1)))
    }

    /// Chunks per thread when there are several threads. One each is the least overhead on
    /// an idle machine; on a shared one a core often runs slower for a while, and with
    /// several smaller chunks handed out as threads come free (`forEachDynamically`) the
    /// faster core takes over the slower one's share instead of waiting for it.
    public static let chunksPerThread = 4

    /// `0..<count` cut into blocks of decreasing size for `threadCount` cores that take them
    /// as they come free: `threadCount` blocks holding ¾ of the items, `threadCount` holding
    /// ¾ of the rest, and `threadCount` for the last sixteenth. The first round is large, so
    /// that whatever each block costs again (a copy of an operand it shares with the others)
    /// is paid few times; the last is small, so that a core that ran slower for a while
    /// leaves the other at most a small block's time to wait. The blocks depend only on
    /// `count` and `threadCount`.
    public static func guidedRanges(of count: Int) -> [Range<Int>] {
        guard threadCount > 1, count > 1 else { return count > 0 ? [0..<count] : [] }
        var ranges: [Range<Int>] = []
        var start = 0
        for level in 0..<3 {
            let remaining = count - start
            let share = level == 2 ? remaining : remaining * 3 / 4
            for block in 0..<threadCount {
                let r = chunkRange(block, of: threadCount, count: share)
                if !r.isEmpty { ranges.append((start + r.lowerBound)..<(start + r.upperBound)) }
            }
            start += share
        }
        return ranges
    }

    /// The `c`-th of `chunks` balanced contiguous ranges of `0..<count`.
    @inlinable
    public static func chunkRange(_ c: Int, of chunks: Int, count: Int) -> Range<Int> {
        let base = count / chunks, extra = count % chunks
        let start = c * base + min(c, extra)
        return start..<(start + base + (c < extra ? 1 : 0))
    }
}

/// How long cores wait inside parallel regions: for each region, its threads times its wall
/// time, less the time they spent in work. `tenfold bench` measures one profiled step with it.
///
///     IdleMeter.active = IdleMeter()
///     step()
///     print(IdleMeter.active!.idleSeconds)
///
/// Package-internal: the benchmark is its only user, so it is not part of Tensors' public
/// surface. Introduced in Chapter 1 (the training-step benchmark).
package final class IdleMeter: @unchecked Sendable {
    /// The meter that `Parallel` reports to; nil (the default) costs one load per region.
    nonisolated(unsafe) package static var active: IdleMeter?

    private let lock = NSLock()
    private var busy: UInt64 = 0, offered: UInt64 = 0, wall: UInt64 = 0
    /// Parallel regions seen.
    package private(set) var regions = 0

    package init() {}

    /// The cores' time offered to parallel regions (threads × wall time), in seconds.
    package var offeredSeconds: Double { lock.withLock { Double(offered) / 1e9 } }
    /// The wall time spent in parallel regions, in seconds.
    package var wallSeconds: Double { lock.withLock { Double(wall) / 1e9 } }
    /// The part of `offeredSeconds` that threads spent waiting, for work or for each other.
    package var idleSeconds: Double { lock.withLock { Double(offered - min(busy, offered)) / 1e9 } }

    func addBusy(_ nanoseconds: UInt64) { lock.withLock { busy += nanoseconds } }

    func addRegion(threads: Int, nanoseconds: UInt64) {
        lock.withLock {
            regions += 1
            wall += nanoseconds
            offered += UInt64(threads) * nanoseconds
        }
    }
}
