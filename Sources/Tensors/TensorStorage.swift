import Foundation

/// The memory behind a tensor: one contiguous, 64-byte-aligned block of Float32.
///
/// Tensors share a storage until one of them is written to (copy-on-write, see
/// `Tensor.withUnsafeMutableBufferPointer`). Kernels read and write it through raw
/// pointers, never element by element through Swift arrays.
///
/// Large blocks come from `StoragePool`: a training step allocates the same sizes every
/// time, and handing a freed block back out saves the operating system mapping and
/// zeroing fresh pages for each one (that cost ≈15% of a BERT-mini step).
/// Introduced in Chapter 1 (Foundation).
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    /// Allocates `count` floats; the contents are undefined.
    public init(uninitializedCount count: Int) {
        precondition(count >= 0, "a storage cannot have a negative size")
        self.count = count
        pointer = StoragePool.shared.allocate(count: max(count, 1))
    }

    /// Allocates `count` floats, all equal to `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: value, count: count)
    }

    /// A fresh copy of this storage.
    public func copy() -> TensorStorage {
        let new = TensorStorage(uninitializedCount: count)
        new.pointer.update(from: pointer, count: count)
        return new
    }

    deinit { StoragePool.shared.release(pointer, count: max(count, 1)) }
}

/// A cache of freed large blocks, by exact size, so that a repeated computation (a
/// training step) reuses its memory instead of asking the operating system for new pages.
///
/// Blocks under 64 Ki floats (256 KiB) go straight to the allocator, which recycles small
/// blocks well by itself. The cache holds at most `limitBytes` (default 2 GiB;
/// `TENFOLD_POOL_MB` sets it, 0 turns the cache off); beyond that freed blocks are returned
/// to the system. Contents of a reused block are whatever was there: exactly like fresh
/// uninitialised memory, which every kernel overwrites.
/// Introduced with the training-step benchmark.
public final class StoragePool: @unchecked Sendable {
    public static let shared = StoragePool(limitBytes: {
        if let text = ProcessInfo.processInfo.environment["TENFOLD_POOL_MB"], let mb = Int(text), mb >= 0 {
            return mb << 20
        }
        return 2 << 30
    }())

    static let minimumPooledCount = 1 << 16

    public let limitBytes: Int
    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var cachedBytes = 0
    private let lock = NSLock()

    public init(limitBytes: Int) { self.limitBytes = limitBytes }

    /// Bytes held in the cache now (not in use by any tensor).
    public var bytesCached: Int { lock.withLock { cachedBytes } }

    func allocate(count: Int) -> UnsafeMutablePointer<Float> {
        if count >= Self.minimumPooledCount, let reused = take(count) { return reused }
        // 64-byte alignment: one cache line, and whole AVX-512 vectors.
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
        return raw.bindMemory(to: Float.self, capacity: count)
    }

    func release(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        if count >= Self.minimumPooledCount && keep(pointer, count) { return }
        pointer.deallocate()
    }

    /// Returns every cached block to the system.
    public func drain() {
        let blocks: [UnsafeMutablePointer<Float>] = lock.withLock {
            defer { free = [:]; cachedBytes = 0 }
            return free.values.flatMap { $0 }
        }
        for block in blocks { block.deallocate() }
    }

    private func take(_ count: Int) -> UnsafeMutablePointer<Float>? {
        lock.withLock {
            guard let block = free[count]?.popLast() else { return nil }
            cachedBytes -= count * MemoryLayout<Float>.stride
            return block
        }
    }

    private func keep(_ pointer: UnsafeMutablePointer<Float>, _ count: Int) -> Bool {
        let bytes = count * MemoryLayout<Float>.stride
        return lock.withLock {
            guard cachedBytes + bytes <= limitBytes else { return false }
            free[count, default: []].append(pointer)
            cachedBytes += bytes
            return true
        }
    }
}
