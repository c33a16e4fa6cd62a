/// Sixteen Float32 lanes at a time: the row reductions (sums, maxima, layer norm's moments).
///
/// A running sum of Floats is one long dependency chain the compiler may not reorder, so
/// reductions keep 16 partial sums in a `SIMD16<Float>` and add them pairwise at the end.
/// Generic SIMD code is kept to lane arithmetic and `maximum`'s one masked select:
/// comparisons and masks in longer chains lower poorly on baseline SSE2, which is why the
/// transcendental kernels (eˣ, Φ, softmax rows) are C loops the compiler vectorises (CKernels).
/// `Vector.forEachBlock` walks a buffer in blocks of 16, padding the last partial block,
/// so every kernel has one code path.
/// Introduced in Chapter 1 (Foundation).
public enum Vector {
    public typealias Lanes = SIMD16<Float>
    public static let width = 16

    /// Loads up to 16 floats from `p`; lanes past `count` get `padding`.
    @inlinable @inline(__always)
    public static func load(_ p: UnsafePointer<Float>, count: Int = width, padding: Float = 0) -> Lanes {
        if count >= width {
            return UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
        }
        var v = Lanes(repeating: padding)
        for i in 0..<count { v[i] = p[i] }
        return v
    }

    /// Stores the first `count` (at most 16) lanes of `v` at `p`.
    @inlinable @inline(__always)
    public static func store(_ v: Lanes, to p: UnsafeMutablePointer<Float>, count: Int = width) {
        if count >= width {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
            return
        }
        for i in 0..<count { p[i] = v[i] }
    }

    /// Calls `body(offset, lanes)` for consecutive blocks of 16 covering `range`; the last
    /// block may be shorter (`lanes` < 16), and `load`/`store` take that count.
    @inlinable @inline(__always)
    public static func forEachBlock(in range: Range<Int>, _ body: (Int, Int) -> Void) {
        var i = range.lowerBound
        while i + width <= range.upperBound {
            body(i, width)
            i += width
        }
        if i < range.upperBound { body(i, range.upperBound - i) }
    }

    /// The sum of the 16 lanes, in a fixed pairwise order.
    @inlinable @inline(__always)
    public static func sum(_ v: Lanes) -> Float {
        let a = v.lowHalf + v.highHalf
        let b = a.lowHalf + a.highHalf
        let c = b.lowHalf + b.highHalf
        return c[0] + c[1]
    }

    /// The largest of the 16 lanes.
    @inlinable @inline(__always)
    public static func max(_ v: Lanes) -> Float { v.max() }

    /// The lane-wise maximum (`pointwiseMax` was measured ~100× slower than this `replace`).
    @inlinable @inline(__always)
    public static func maximum(_ a: Lanes, _ b: Lanes) -> Lanes {
        var m = a
        m.replace(with: b, where: b .> a)
        return m
    }
}
