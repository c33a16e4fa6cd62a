/// The memory behind a tensor: one contiguous, 64-byte-aligned block of Float32.
///
/// Tensors share a storage until one of them is written to (copy-on-write, see
/// `Tensor.withUnsafeMutableBufferPointer`). Kernels read and write it through raw
/// pointers, never element by element through Swift arrays.
/// Introduced in Chapter 1 (Foundation).
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    /// Allocates `count` floats; the contents are undefined.
    public init(uninitializedCount count: Int) {
        precondition(count >= 0, "a storage cannot have a negative size")
        self.count = count
        // 64-byte alignment: one cache line, and whole AVX-512 vectors.
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
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

    deinit { pointer.deallocate() }
}
