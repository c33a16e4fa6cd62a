/// A Float32 tensor: a shape and contiguous, row-major, copy-on-write storage.
///
///     var rng = SeededGenerator(seed: 1)
///     let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])   // [2, 3]
///     let w = Tensor.normal([3, 4], std: 0.02, using: &rng)         // [3, 4]
///     let y = matmul(x, w)                                          // [2, 4]
///
/// Tensors are values: assigning one shares its storage, and the first write to a shared
/// storage copies it. Shapes use the book-wide letters (Docs/Methods/README.md) in doc comments
/// (`[B, T, H]`, `[B, A, T, D]`, …). A tensor of shape `[]` holds one scalar.
/// Introduced in Chapter 1 (Foundation).
public struct Tensor: @unchecked Sendable {
    /// The size of each dimension, outermost first.
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorStorage

    // MARK: Creation

    /// A tensor whose contents are undefined: for kernels that overwrite every element.
    public init(uninitializedShape shape: [Int]) {
        self.shape = shape
        storage = TensorStorage(uninitializedCount: Tensor.elementCount(shape))
    }

    /// A tensor filled with `value`.
    public init(shape: [Int], repeating value: Float) {
        self.shape = shape
        storage = TensorStorage(count: Tensor.elementCount(shape), repeating: value)
    }

    /// A tensor holding `scalars` in row-major order. `scalars.count` must equal the product
    /// of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        let count = Tensor.elementCount(shape)
        precondition(scalars.count == count,
                     "shape \(shape) holds \(count) elements, but \(scalars.count) were given")
        self.shape = shape
        storage = TensorStorage(uninitializedCount: count)
        scalars.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: count) }
    }

    /// A scalar (shape `[]`).
    public init(_ value: Float) { self.init(shape: [], repeating: value) }

    /// Wraps an existing storage (shared, not copied).
    public init(shape: [Int], storage: TensorStorage) {
        precondition(Tensor.elementCount(shape) == storage.count,
                     "shape \(shape) does not match a storage of \(storage.count) elements")
        self.shape = shape
        self.storage = storage
    }

    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    /// Independent draws from N(mean, std²), in row-major order, from `rng`.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                              using rng: inout SeededGenerator) -> Tensor {
        let t = Tensor(uninitializedShape: shape)
        let p = t.storage.pointer
        for i in 0..<t.count { p[i] = mean + std * rng.nextNormal() }
        return t
    }

    /// Independent draws from the uniform distribution on [low, high), from `rng`.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                               using rng: inout SeededGenerator) -> Tensor {
        let t = Tensor(uninitializedShape: shape)
        let p = t.storage.pointer
        for i in 0..<t.count { p[i] = low + (high - low) * rng.nextFloat() }
        return t
    }

    // MARK: Shape

    /// The number of elements.
    @inlinable public var count: Int { storage.count }
    /// The number of dimensions.
    @inlinable public var rank: Int { shape.count }

    /// The product of `shape` (1 for a scalar).
    public static func elementCount(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape {
            precondition(d >= 0, "negative dimension in shape \(shape)")
            n *= d
        }
        return n
    }

    /// The same elements viewed with another shape (no copy). One dimension may be `-1`,
    /// inferred from the others.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let hole = newShape.firstIndex(of: -1) {
            var known = 1
            for (i, d) in newShape.enumerated() where i != hole { known *= d }
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            resolved[hole] = count / known
        }
        precondition(Tensor.elementCount(resolved) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(shape: resolved, storage: storage)
    }

    // MARK: Access

    /// The elements in row-major order, copied into an array.
    public var scalars: [Float] {
        Array(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// The single element of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item needs a one-element tensor, not shape \(shape)")
        return storage.pointer[0]
    }

    /// Reads the elements without copying.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// Writes the elements in place, copying the storage first if another tensor shares it.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// The read-only base address, for kernels (valid while `self` is alive).
    @inlinable public var pointer: UnsafePointer<Float> { UnsafePointer(storage.pointer) }

    /// The row-major offset of a multi-index.
    public func offset(_ index: [Int]) -> Int {
        precondition(index.count == rank, "index \(index) does not fit shape \(shape)")
        var offset = 0
        for (i, d) in zip(index, shape) {
            precondition(i >= 0 && i < d, "index \(index) out of range for shape \(shape)")
            offset = offset * d + i
        }
        return offset
    }

    /// One element by multi-index (slow: for tests and small examples).
    public subscript(index: Int...) -> Float {
        get { storage.pointer[offset(index)] }
        set {
            let o = offset(index)
            withUnsafeMutableBufferPointer { $0[o] = newValue }
        }
    }
}

extension Tensor: CustomStringConvertible {
    /// A legible rendering: the shape, then the values (rows of the last dimension), with
    /// long dimensions elided.
    public var description: String {
        var out = "Tensor\(shape)"
        if rank == 0 { return out + " " + Tensor.format(storage.pointer[0]) }
        out += "\n"
        let columns = shape[rank - 1]
        let rows = count / max(columns, 1)
        let shownRows = rows <= 12 ? Array(0..<rows) : Array(0..<5) + [-1] + Array((rows - 5)..<rows)
        for r in shownRows {
            if r < 0 { out += "  ⋮\n"; continue }
            let cols = columns <= 10 ? Array(0..<columns) : Array(0..<4) + [-1] + Array((columns - 4)..<columns)
            let cells = cols.map { c in c < 0 ? "…" : Tensor.format(storage.pointer[r * columns + c]) }
            out += "  " + cells.joined(separator: " ") + "\n"
        }
        return out
    }

    static func format(_ x: Float) -> String {
        if x.isNaN { return "    nan" }
        let s = String(format4: x)
        return String(repeating: " ", count: max(0, 8 - s.count)) + s
    }
}

extension String {
    /// Four significant decimals without Foundation: `0.1235`, `-12.5000`, `1.2e-07`.
    init(format4 x: Float) {
        if x.isInfinite { self = x > 0 ? "inf" : "-inf"; return }
        let a = abs(x)
        if a != 0 && (a < 1e-3 || a >= 1e5) {
            self = "\(x)"
            return
        }
        let scaled = (Double(x) * 10_000).rounded()
        let sign = scaled < 0 ? "-" : ""
        let v = Int(abs(scaled))
        let frac = String(v % 10_000)
        self = sign + String(v / 10_000) + "." + String(repeating: "0", count: 4 - frac.count) + frac
    }
}
