// Sums, means and maxima over one axis or over every element.
//
//     let total = sum(x)                          // [B, T, H] → []
//     let perToken = mean(x, axis: -1)            // [B, T, H] → [B, T]
//     let kept = sum(x, axis: 1, keepingDimension: true)   // [B, T, H] → [B, 1, H]
//     let best = max(logits, axis: -1)            // [N, V] → [N]
//
// The reduced axis is removed by default, as in NumPy; `keepingDimension: true` leaves it
// with size 1. (`+` broadcasts by suffix only: `[B, 1, H]` does not combine with `[B, T, H]`.)
// A negative axis counts from the end. Every output element is summed by one thread in a
// fixed order, so results do not depend on the thread count.
// Introduced in Chapter 1 (Foundation).

/// Σᵢ xᵢ over every element, as a scalar (shape `[]`).
/// Partial sums of fixed blocks of 8192 elements are added in Double, in order: accurate for
/// large tensors and identical whatever the thread count.
/// Backward: ∂ℓ/∂xᵢ = ∂ℓ/∂y.
/// Introduced in Chapter 1 (Foundation).
public func sum(_ x: Tensor) -> Tensor {
    Tensor(Float(blockSums(x, ReductionKernels.rowSum)))
}

/// Σᵢ xᵢ² over every element, in Double, with `sum`'s fixed blocks: the same bits whatever
/// the thread count (the global gradient norm for clipping).
/// Introduced in Chapter 1, for the training step's speed.
public func sumOfSquares(_ x: Tensor) -> Double {
    blockSums(x, ReductionKernels.rowSumOfSquares)
}

/// `kernel` over fixed blocks of 8192 elements on the cores, the block results added in
/// Double and in block order.
func blockSums(_ x: Tensor, _ kernel: (UnsafePointer<Float>, Int) -> Float) -> Double {
    let block = 8192
    let blocks = (x.count + block - 1) / block
    var partials = [Double](repeating: 0, count: blocks)
    let px = x.pointer, n = x.count
    partials.withUnsafeMutableBufferPointer { partial in
        let pp = partial.baseAddress!
        Parallel.forChunks(of: blocks, minimumChunk: 8) { range in
            for b in range {
                let start = b * block
                pp[b] = Double(kernel(px + start, Swift.min(block, n - start)))
            }
        }
    }
    return partials.reduce(0, +)
}

/// (1/N)·Σᵢ xᵢ over all N elements, as a scalar. Backward: ∂ℓ/∂xᵢ = (1/N)·∂ℓ/∂y.
/// Introduced in Chapter 1 (Foundation).
public func mean(_ x: Tensor) -> Tensor {
    Tensor(sum(x).item / Float(Swift.max(x.count, 1)))
}

/// yⱼ = Σₖ x[…, k, …] along `axis`. Shape: `[S…, N, R…]` → `[S…, R…]` (or `[S…, 1, R…]`).
/// Backward: ∂ℓ/∂x[…, k, …] = ∂ℓ/∂y[…] for every k.
/// Introduced in Chapter 1 (Foundation).
public func sum(_ x: Tensor, axis: Int, keepingDimension: Bool = false) -> Tensor {
    let layout = AxisLayout(x.shape, axis: axis)
    var out = Tensor(uninitializedShape: layout.reducedShape(keepingDimension: keepingDimension))
    out.withUnsafeMutableBufferPointer { o in
        ReductionKernels.sum(x.pointer, layout, into: o.baseAddress!, scale: 1)
    }
    return out
}

/// yⱼ = (1/N)·Σₖ x[…, k, …] along `axis` of size N. Shapes as `sum(_:axis:)`.
/// Backward: ∂ℓ/∂x[…, k, …] = (1/N)·∂ℓ/∂y[…].
/// Introduced in Chapter 1 (Foundation).
public func mean(_ x: Tensor, axis: Int, keepingDimension: Bool = false) -> Tensor {
    let layout = AxisLayout(x.shape, axis: axis)
    var out = Tensor(uninitializedShape: layout.reducedShape(keepingDimension: keepingDimension))
    out.withUnsafeMutableBufferPointer { o in
        ReductionKernels.sum(x.pointer, layout, into: o.baseAddress!, scale: 1 / Float(Swift.max(layout.length, 1)))
    }
    return out
}

/// Spreads the gradient of a sum (or, with `scale` = 1/N, a mean) along `axis` back over
/// that axis: `[S…, R…]` (or `[S…, 1, R…]`) → `inputShape` = `[S…, N, R…]`.
/// Introduced in Chapter 1 (Foundation).
public func sumBackward(_ gradient: Tensor, inputShape: [Int], axis: Int, scale: Float = 1) -> Tensor {
    let layout = AxisLayout(inputShape, axis: axis)
    precondition(gradient.count == layout.outer * layout.inner,
                 "sum backward: gradient \(gradient.shape) does not fit input \(inputShape) reduced over axis \(axis)")
    var out = Tensor(uninitializedShape: inputShape)
    let pg = gradient.pointer
    let (n, inner) = (layout.length, layout.inner)
    out.withUnsafeMutableBufferPointer { o in
        let po = o.baseAddress!
        Parallel.forChunks(of: layout.outer * n, minimumChunk: Swift.max(1, 16384 / Swift.max(inner, 1))) { rows in
            for row in rows {
                let g = pg + (row / n) * inner, d = po + row * inner
                for i in 0..<inner { d[i] = scale * g[i] }
            }
        }
    }
    return out
}

/// yⱼ = maxₖ x[…, k, …] along `axis`. Shapes as `sum(_:axis:)`.
/// Backward: the whole gradient goes to the first position k* holding the maximum:
/// ∂ℓ/∂x[…, k, …] = ∂ℓ/∂y[…]·[k = k*].
/// Introduced in Chapter 1 (Foundation).
public func max(_ x: Tensor, axis: Int, keepingDimension: Bool = false) -> Tensor {
    let layout = AxisLayout(x.shape, axis: axis)
    return maxWithArgmax(x, axis: axis).values.reshaped(layout.reducedShape(keepingDimension: keepingDimension))
}

/// The position along `axis` of the first maximum, one per output element of
/// `max(x, axis:)`, in row-major order (predicted tokens, max's backward).
/// Introduced in Chapter 1 (Foundation).
public func argmax(_ x: Tensor, axis: Int) -> [Int] {
    maxWithArgmax(x, axis: axis).argmax.map { Int($0) }
}

/// The maxima along `axis` (axis removed) and the first position holding each.
/// Introduced in Chapter 1 (Foundation).
public func maxWithArgmax(_ x: Tensor, axis: Int) -> (values: Tensor, argmax: [Int32]) {
    let layout = AxisLayout(x.shape, axis: axis)
    precondition(layout.length > 0, "max over an empty axis of \(x.shape)")
    var values = Tensor(uninitializedShape: layout.reducedShape(keepingDimension: false))
    var positions = [Int32](repeating: 0, count: values.count)
    let px = x.pointer
    let (n, inner) = (layout.length, layout.inner)
    values.withUnsafeMutableBufferPointer { v in
        positions.withUnsafeMutableBufferPointer { p in
            let pv = v.baseAddress!, pp = p.baseAddress!
            Parallel.forChunks(of: layout.outer, minimumChunk: Swift.max(1, 16384 / Swift.max(n * inner, 1))) { outers in
                for o in outers {
                    let base = px + o * n * inner
                    if inner == 1 {
                        let best = ReductionKernels.rowMax(base, n)
                        var k = 0
                        while k < n - 1 && !(base[k] == best) { k += 1 }
                        pv[o] = best; pp[o] = Int32(k)
                        continue
                    }
                    let bestValue = pv + o * inner, bestPosition = pp + o * inner
                    for i in 0..<inner { bestValue[i] = base[i]; bestPosition[i] = 0 }
                    for k in 1..<Swift.max(n, 1) {
                        let row = base + k * inner
                        // Strictly greater: ties keep the first position.
                        for i in 0..<inner where row[i] > bestValue[i] {
                            bestValue[i] = row[i]; bestPosition[i] = Int32(k)
                        }
                    }
                }
            }
        }
    }
    return (values, positions)
}

/// Routes the gradient of `max(x, axis:)` to the argmax positions; zero elsewhere.
/// `[S…, R…]` (or `[S…, 1, R…]`) → `inputShape` = `[S…, N, R…]`.
/// Introduced in Chapter 1 (Foundation).
public func maxBackward(_ gradient: Tensor, argmax: [Int32], inputShape: [Int], axis: Int) -> Tensor {
    let layout = AxisLayout(inputShape, axis: axis)
    precondition(gradient.count == argmax.count && argmax.count == layout.outer * layout.inner,
                 "max backward: gradient \(gradient.shape) and \(argmax.count) positions do not fit \(inputShape)")
    var out = Tensor.zeros(inputShape)
    let pg = gradient.pointer
    let (n, inner) = (layout.length, layout.inner)
    out.withUnsafeMutableBufferPointer { o in
        let po = o.baseAddress!
        for j in 0..<argmax.count {
            let (outer, i) = j.quotientAndRemainder(dividingBy: inner)
            po[(outer * n + Int(argmax[j])) * inner + i] = pg[j]
        }
    }
    return out
}

/// A shape seen as `[outer, length, inner]` around one axis.
public struct AxisLayout: Equatable {
    public var shape: [Int]
    public var axis: Int
    public var outer: Int, length: Int, inner: Int

    public init(_ shape: [Int], axis: Int) {
        let resolved = axis < 0 ? axis + shape.count : axis
        precondition(resolved >= 0 && resolved < shape.count, "axis \(axis) out of range for shape \(shape)")
        self.shape = shape
        self.axis = resolved
        outer = Tensor.elementCount(Array(shape[..<resolved]))
        length = shape[resolved]
        inner = Tensor.elementCount(Array(shape[(resolved + 1)...]))
    }

    public func reducedShape(keepingDimension: Bool) -> [Int] {
        var s = shape
        if keepingDimension { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }
}

enum ReductionKernels {
    /// Σ of n contiguous floats: 16 lanes, then the lanes pairwise.
    @inline(__always)
    static func rowSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = Vector.Lanes()
        Vector.forEachBlock(in: 0..<n) { i, count in acc += Vector.load(p + i, count: count) }
        return Vector.sum(acc)
    }

    /// Σ of the squares of n contiguous floats, in the same 16 lanes as `rowSum`.
    @inline(__always)
    static func rowSumOfSquares(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = Vector.Lanes()
        Vector.forEachBlock(in: 0..<n) { i, count in
            let v = Vector.load(p + i, count: count)
            acc += v * v
        }
        return Vector.sum(acc)
    }

    /// max of n ≥ 1 contiguous floats.
    @inline(__always)
    static func rowMax(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = Vector.Lanes(repeating: -.infinity)
        Vector.forEachBlock(in: 0..<n) { i, count in
            acc = Vector.maximum(acc, Vector.load(p + i, count: count, padding: -.infinity))
        }
        return Vector.max(acc)
    }

    /// out[o, i] = scale·Σₖ x[o, k, i].
    static func sum(_ px: UnsafePointer<Float>, _ layout: AxisLayout, into po: UnsafeMutablePointer<Float>, scale: Float) {
        let (outer, n, inner) = (layout.outer, layout.length, layout.inner)
        if outer == 1 && inner > 1 {
            sumRows(px, rows: n, inner: inner, into: po, scale: scale)
            return
        }
        if inner == 1 {
            Parallel.forChunks(of: outer, minimumChunk: Swift.max(1, 16384 / Swift.max(n, 1))) { rows in
                for o in rows { po[o] = scale * rowSum(px + o * n, n) }
            }
            return
        }
        // Work items are (outer index, block of columns), so every core has work when there
        // are several outer indices.
        let columnBlock = 2048
        let blocksPerOuter = (inner + columnBlock - 1) / columnBlock
        let items = outer * blocksPerOuter
        Parallel.forChunks(of: items, minimumChunk: Swift.max(1, 16384 / Swift.max(n * Swift.min(inner, columnBlock), 1))) { range in
            for item in range {
                let (o, block) = item.quotientAndRemainder(dividingBy: blocksPerOuter)
                let start = block * columnBlock, end = Swift.min(inner, start + columnBlock)
                let d = po + o * inner
                let base = px + o * n * inner
                for i in start..<end { d[i] = 0 }
                for k in 0..<n {
                    let row = base + k * inner
                    for i in start..<end { d[i] += row[i] }
                }
                if scale != 1 { for i in start..<end { d[i] *= scale } }
            }
        }
    }

    /// `d[j] = scale·Σₖ x[k·inner + j]` for `j < inner`, over `rows` rows of `inner` floats: the
    /// sum over the leading rows of `[rows, inner]` (a bias gradient, `sum(x, axis: 0)`).
    /// Fixed blocks of about 64 Ki elements (whole rows; how many depends only on the shape)
    /// are each added in order into their own partial row, on whichever core, reading memory
    /// in sequence; then the partial rows are added in block order. Every output element has
    /// one summation order whatever the thread count. (Splitting the columns over the cores
    /// instead makes each core read part of every row: 6 GB/s, against the triad's 20.)
    static func sumRows(_ px: UnsafePointer<Float>, rows: Int, inner: Int, into d: UnsafeMutablePointer<Float>,
                        scale: Float) {
        sumsByRowBlocks(rows: rows, inner: inner, into: d, scale: scale) { first, last, sums in
            sums.update(from: px + first * inner, count: inner)
            for r in (first + 1)..<last {
                let row = px + r * inner
                for j in 0..<inner { sums[j] += row[j] }
            }
        }
    }

    /// `p = a ⊙ b` for `[rows, inner]` operands, and `d[j] = Σₖ p[k·inner + j]` in the same
    /// pass: the blocks and the order of every sum are `sumRows`'s, so `d` has the same bits
    /// as `sumRows` of `p` — one read of the operands instead of a second pass over `p`.
    static func productAndRowSums(_ pa: UnsafePointer<Float>, _ pb: UnsafePointer<Float>, rows: Int, inner: Int,
                                  into pp: UnsafeMutablePointer<Float>, sums d: UnsafeMutablePointer<Float>) {
        sumsByRowBlocks(rows: rows, inner: inner, into: d, scale: 1) { first, last, sums in
            let (a0, b0, p0) = (pa + first * inner, pb + first * inner, pp + first * inner)
            for j in 0..<inner {
                let v = a0[j] * b0[j]
                p0[j] = v
                sums[j] = v
            }
            for r in (first + 1)..<last {
                let (a, b, p) = (pa + r * inner, pb + r * inner, pp + r * inner)
                for j in 0..<inner {
                    let v = a[j] * b[j]
                    p[j] = v
                    sums[j] += v
                }
            }
        }
    }

    /// The frame both row sums share: rows `first..<last` of each fixed block of about
    /// 64 Ki elements go to `block`, on whichever core, which writes their sum into its own
    /// partial row; then `d[j] = scale·Σ_block partial[j]`, the blocks added in order.
    private static func sumsByRowBlocks(rows: Int, inner: Int, into d: UnsafeMutablePointer<Float>, scale: Float,
                                        _ block: (_ first: Int, _ last: Int, _ sums: UnsafeMutablePointer<Float>) -> Void) {
        guard rows > 0 else {
            d.update(repeating: 0, count: inner)
            return
        }
        let blockRows = Swift.max(1, (1 << 16) / inner)
        let blocks = (rows + blockRows - 1) / blockRows
        let partials = TensorStorage(uninitializedCount: blocks * inner)
        let partial = partials.pointer
        Parallel.forChunks(of: blocks, minimumChunk: 1) { range in
            for b in range {
                block(b * blockRows, Swift.min(rows, (b + 1) * blockRows), partial + b * inner)
            }
        }
        Parallel.forChunks(of: inner, minimumChunk: 1024) { columns in
            for j in columns { d[j] = partial[j] }
            for b in 1..<blocks {
                let sums = partial + b * inner
                for j in columns { d[j] += sums[j] }
            }
            if scale != 1 { for j in columns { d[j] *= scale } }
        }
        withExtendedLifetime(partials) {}
    }
}
