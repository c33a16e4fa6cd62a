// Joining tensors along an axis, and its inverse, splitting one.
//
// With `outer` the product of the dimensions before the axis, each input contributes one
// contiguous block of `sizeₖ · inner` floats per outer index, so both directions are
// block copies, split over the cores by outer index.
// Introduced in Chapter 1 (Foundation).

/// Joins tensors along `axis` (negative counts from the end).
///
///     let x = concatenate([cls, tokens], axis: 1)      // [B, 1, H] ++ [B, T, H] → [B, T+1, H]
///
/// Shapes: every input has the same shape except along `axis`; the result's `axis` is the
/// sum of theirs. Forward: `y[…, o₍ₖ₎ + i, …] = xₖ[…, i, …]` with `o₍ₖ₎ = Σ_{m<k} nₘ`.
/// Backward: `∂ℓ/∂xₖ` is the `k`-th block of `split(∂ℓ/∂y, sizes: n, axis:)`.
/// Introduced in Chapter 1 (Foundation).
public func concatenate(_ xs: [Tensor], axis: Int) -> Tensor {
    precondition(!xs.isEmpty, "concatenate needs at least one tensor")
    let first = xs[0].shape
    let a = normalisedAxis(axis, rank: first.count)
    var shape = first
    shape[a] = 0
    for x in xs {
        precondition(x.rank == first.count && (0..<first.count).allSatisfy { $0 == a || x.shape[$0] == first[$0] },
                     "concatenate along axis \(a): shape \(x.shape) does not match \(first)")
        shape[a] += x.shape[a]
    }
    var out = Tensor(uninitializedShape: shape)
    let blocks = AxisBlocks(shape: shape, axis: a, sizes: xs.map { $0.shape[a] })
    let sources = xs.map { $0.pointer }
    out.withUnsafeMutableBufferPointer { o in
        let target = o.baseAddress!
        blocks.forEachBlock { k, wholeOffset, pieceOffset, count in
            (target + wholeOffset).update(from: sources[k] + pieceOffset, count: count)
        }
    }
    return withExtendedLifetime(xs) { out }
}

/// Splits `x` along `axis` into consecutive pieces of the given `sizes` (which must add up
/// to that dimension): the inverse of `concatenate`, and its backward.
/// Introduced in Chapter 1 (Foundation).
public func split(_ x: Tensor, sizes: [Int], axis: Int) -> [Tensor] {
    let a = normalisedAxis(axis, rank: x.rank)
    precondition(sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == x.shape[a],
                 "split sizes \(sizes) do not add up to axis \(a) of \(x.shape)")
    let shapes = sizes.map { n -> [Int] in
        var s = x.shape
        s[a] = n
        return s
    }
    // Fresh storages, written through their pointers before any tensor shares them.
    let storages = shapes.map { TensorStorage(uninitializedCount: Tensor.elementCount($0)) }
    let targets = storages.map(\.pointer)
    let source = x.pointer
    AxisBlocks(shape: x.shape, axis: a, sizes: sizes).forEachBlock { k, wholeOffset, pieceOffset, count in
        (targets[k] + pieceOffset).update(from: source + wholeOffset, count: count)
    }
    return zip(shapes, storages).map { Tensor(shape: $0, storage: $1) }
}

/// `axis` in `0..<rank`, accepting `−rank..<0` as counted from the end.
func normalisedAxis(_ axis: Int, rank: Int) -> Int {
    let a = axis < 0 ? axis + rank : axis
    precondition(a >= 0 && a < rank, "axis \(axis) out of range for rank \(rank)")
    return a
}

/// How a tensor whose `axis` is made of consecutive pieces of `sizes` lines up with the
/// pieces themselves, block by block.
struct AxisBlocks {
    let outer: Int, inner: Int, sizes: [Int], total: Int

    init(shape: [Int], axis: Int, sizes: [Int]) {
        outer = shape[..<axis].reduce(1, *)
        inner = shape[(axis + 1)...].reduce(1, *)
        self.sizes = sizes
        total = sizes.reduce(0, +)
    }

    /// Calls `body(piece, offset in the whole, offset in the piece, count)` for every
    /// contiguous block, in parallel over outer indices.
    func forEachBlock(_ body: (Int, Int, Int, Int) -> Void) {
        let wholeRow = total * inner
        guard wholeRow > 0 else { return }
        Parallel.forChunks(of: outer, minimumChunk: max(1, 16384 / wholeRow)) { range in
            for o in range {
                var start = o * wholeRow
                for (k, n) in sizes.enumerated() {
                    let count = n * inner
                    if count > 0 { body(k, start, o * count, count) }
                    start += count
                }
            }
        }
    }
}
