// Reordering axes: the general permutation, and the attention head split and merge.
//
// Storage is contiguous and row-major, so a permutation that changes the order of elements
// in memory has to copy. Every kernel here copies in the order that keeps at least one side
// contiguous: whole runs when the last axis stays last (the head split/merge moves runs of
// `D` floats), a tiled 2-D transpose when it does not.
//
// Performance note (Sources/README.md, engine principles): "no copies for head split/merge" is a later goal —
// strided GEMMs could read Q, K, V straight out of `[B, T, H]`. Until then the split and
// merge are one pass of contiguous `D`-float copies each: about 0.2 ms for BERT-mini's
// [32, 128, 256] on two cores, eight of them per layer and step, ≈1.5% of a 0.44 s step.
// Introduced in Chapter 1 (Foundation).

/// Reorders the axes of `x`: output axis `i` is input axis `axes[i]`.
///
///     let y = permuted(x, [0, 2, 1, 3])        // [B, T, A, D] → [B, A, T, D]
///
/// Shapes: `x [n₀, …, n_{r−1}]` → `[n_{axes[0]}, …, n_{axes[r−1]}]`.
/// Forward: `y[i₀, …, i_{r−1}] = x[j]` with `j_{axes[k]} = i_k`.
/// Backward: `∂ℓ/∂x = permuted(∂ℓ/∂y, axes⁻¹)` (the inverse permutation).
/// An identity permutation shares the storage (no copy).
/// Introduced in Chapter 1 (Foundation).
public func permuted(_ x: Tensor, _ axes: [Int]) -> Tensor {
    precondition(axes.count == x.rank && Set(axes) == Set(0..<x.rank),
                 "permutation \(axes) is not a reordering of the \(x.rank) axes of \(x.shape)")
    let outputShape = axes.map { x.shape[$0] }
    let layout = PermutationLayout(inputShape: x.shape, axes: axes)
    if layout.isIdentity || x.count == 0 { return x.reshaped(outputShape) }
    var out = Tensor(uninitializedShape: outputShape)
    let source = x.pointer
    out.withUnsafeMutableBufferPointer { o in
        if layout.sourceStrides.last == 1 {
            layout.copyRuns(from: source, to: o.baseAddress!)
        } else {
            layout.copyTiles(from: source, to: o.baseAddress!)
        }
    }
    return out
}

/// The inverse of a permutation: `permuted(permuted(x, axes), inversePermutation(axes)) == x`.
/// Introduced in Chapter 1 (Foundation).
public func inversePermutation(_ axes: [Int]) -> [Int] {
    var inverse = [Int](repeating: 0, count: axes.count)
    for (i, a) in axes.enumerated() { inverse[a] = i }
    return inverse
}

/// Swaps the last two axes: `[..., M, N] → [..., N, M]` (a batch of matrix transposes).
///
/// Forward: `y[…, j, i] = x[…, i, j]`. Backward: `∂ℓ/∂x = transposeLastTwo(∂ℓ/∂y)`.
/// Prefer `matmul`'s transpose flags where the result only feeds a product.
/// Introduced in Chapter 1 (Foundation).
public func transposeLastTwo(_ x: Tensor) -> Tensor {
    precondition(x.rank >= 2, "transposeLastTwo needs at least two axes, not shape \(x.shape)")
    var axes = Array(0..<x.rank)
    axes.swapAt(x.rank - 1, x.rank - 2)
    return permuted(x, axes)
}

/// Splits the hidden axis into attention heads: `[B, T, H] → [B, A, T, D]`, `D = H/A`.
///
/// Forward: `y[b, a, t, d] = x[b, t, a·D + d]` — head `a` owns columns `a·D ..< (a+1)·D`.
/// Backward: `∂ℓ/∂x = mergeHeads(∂ℓ/∂y)`.
/// Each token's row is read once and written as `A` contiguous runs of `D` floats.
/// Introduced in Chapter 1 (Foundation).
public func splitHeads(_ x: Tensor, heads A: Int) -> Tensor {
    precondition(x.rank == 3, "splitHeads expects [B, T, H], not \(x.shape)")
    let (B, T, H) = (x.shape[0], x.shape[1], x.shape[2])
    precondition(A > 0 && H % A == 0, "hidden size \(H) does not split into \(A) heads")
    let D = H / A
    var out = Tensor(uninitializedShape: [B, A, T, D])
    let source = x.pointer
    out.withUnsafeMutableBufferPointer { o in
        let target = o.baseAddress!
        Parallel.forChunks(of: B * T, minimumChunk: max(1, 8192 / max(H, 1))) { tokens in
            for token in tokens {
                let (b, t) = token.quotientAndRemainder(dividingBy: T)
                let row = source + token * H
                for a in 0..<A {
                    (target + ((b * A + a) * T + t) * D).update(from: row + a * D, count: D)
                }
            }
        }
    }
    return out
}

/// Merges attention heads back into the hidden axis: `[B, A, T, D] → [B, T, H]`, `H = A·D`.
///
/// Forward: `y[b, t, a·D + d] = x[b, a, t, d]` (the heads side by side, as "concatenate the
/// heads" in Vaswani et al. §3.2.2). Backward: `∂ℓ/∂x = splitHeads(∂ℓ/∂y, heads: A)`.
/// Introduced in Chapter 1 (Foundation).
public func mergeHeads(_ x: Tensor) -> Tensor {
    precondition(x.rank == 4, "mergeHeads expects [B, A, T, D], not \(x.shape)")
    let (B, A, T, D) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let H = A * D
    var out = Tensor(uninitializedShape: [B, T, H])
    let source = x.pointer
    out.withUnsafeMutableBufferPointer { o in
        let target = o.baseAddress!
        Parallel.forChunks(of: B * T, minimumChunk: max(1, 8192 / max(H, 1))) { tokens in
            for token in tokens {
                let (b, t) = token.quotientAndRemainder(dividingBy: T)
                let row = target + token * H
                for a in 0..<A {
                    (row + a * D).update(from: source + ((b * A + a) * T + t) * D, count: D)
                }
            }
        }
    }
    return out
}

/// A permutation reduced to its essentials: output dimensions with their strides in the
/// input, after dropping axes of size 1 and merging output axes that are already adjacent
/// and in order in the input (so `[0, 2, 1, 3]` on `[B, T, A, D]` stays four axes, but
/// `[0, 1, 3, 2]` on `[S, R, M, N]` becomes a batch `S·R` of `M×N` transposes).
struct PermutationLayout {
    /// Output dimensions, outermost first (at least one).
    var sizes: [Int]
    /// For each output dimension, the input stride of one step along it.
    var sourceStrides: [Int]

    init(inputShape: [Int], axes: [Int]) {
        var inputStrides = [Int](repeating: 1, count: inputShape.count)
        for k in stride(from: inputShape.count - 2, through: 0, by: -1) {
            inputStrides[k] = inputStrides[k + 1] * inputShape[k + 1]
        }
        sizes = []
        sourceStrides = []
        for a in axes where inputShape[a] != 1 {
            let (n, s) = (inputShape[a], inputStrides[a])
            // Merge with the previous output axis when stepping it equals n steps of this one.
            if let last = sourceStrides.last, last == s * n {
                sizes[sizes.count - 1] *= n
                sourceStrides[sourceStrides.count - 1] = s
            } else {
                sizes.append(n)
                sourceStrides.append(s)
            }
        }
        if sizes.isEmpty { sizes = [1]; sourceStrides = [1] }
    }

    var isIdentity: Bool { sizes.count == 1 && sourceStrides[0] == 1 }
    var count: Int { sizes.reduce(1, *) }

    /// The last axis stays innermost: copy contiguous runs, walking the outer axes with an
    /// odometer so no division happens per run.
    func copyRuns(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>) {
        let run = sizes[sizes.count - 1]
        let outer = Array(sizes.dropLast()), strides = Array(sourceStrides.dropLast())
        let runs = count / run
        Parallel.forChunks(of: runs, minimumChunk: max(1, 16384 / run)) { range in
            var index = PermutationLayout.decompose(range.lowerBound, outer)
            var offset = zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 }
            for r in range {
                (target + r * run).update(from: source + offset, count: run)
                // Advance the odometer over the outer axes, innermost first.
                var k = outer.count - 1
                while k >= 0 {
                    index[k] += 1
                    offset += strides[k]
                    if index[k] < outer[k] { break }
                    offset -= strides[k] * outer[k]
                    index[k] = 0
                    k -= 1
                }
            }
        }
    }

    /// The input's contiguous axis is some output axis `m` before the last: transpose the
    /// (m, last) planes in 16 × 16 tiles, so both the strided reads and the contiguous
    /// writes of a tile stay in cache.
    func copyTiles(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>) {
        let last = sizes.count - 1
        let m = sourceStrides.firstIndex(of: 1)!
        let (rowsInPlane, columnsInPlane) = (sizes[m], sizes[last])
        let columnStride = sourceStrides[last]
        var outputStrides = [Int](repeating: 1, count: sizes.count)
        for k in stride(from: sizes.count - 2, through: 0, by: -1) {
            outputStrides[k] = outputStrides[k + 1] * sizes[k + 1]
        }
        let rowOutputStride = outputStrides[m]
        // The other axes enumerate the planes.
        let planeAxes = (0..<last).filter { $0 != m }
        let planeSizes = planeAxes.map { sizes[$0] }
        let planes = planeSizes.reduce(1, *)
        let tile = 16
        let rowTiles = (rowsInPlane + tile - 1) / tile
        Parallel.forChunks(of: planes * rowTiles, minimumChunk: max(1, 16384 / (tile * columnsInPlane))) { range in
            for item in range {
                let (plane, rowTile) = item.quotientAndRemainder(dividingBy: rowTiles)
                let index = PermutationLayout.decompose(plane, planeSizes)
                var input = 0, output = 0
                for (k, axis) in planeAxes.enumerated() {
                    input += index[k] * sourceStrides[axis]
                    output += index[k] * outputStrides[axis]
                }
                let rowStart = rowTile * tile, rowEnd = min(rowStart + tile, rowsInPlane)
                var columnStart = 0
                while columnStart < columnsInPlane {
                    let columnEnd = min(columnStart + tile, columnsInPlane)
                    for i in rowStart..<rowEnd {
                        let to = target + output + i * rowOutputStride
                        let from = source + input + i
                        for j in columnStart..<columnEnd { to[j] = from[j * columnStride] }
                    }
                    columnStart = columnEnd
                }
            }
        }
    }

    /// The multi-index of flat position `flat` in a row-major array of `sizes`.
    static func decompose(_ flat: Int, _ sizes: [Int]) -> [Int] {
        var index = [Int](repeating: 0, count: sizes.count)
        var rest = flat
        for k in stride(from: sizes.count - 1, through: 0, by: -1) {
            index[k] = rest % sizes[k]
            rest /= sizes[k]
        }
        return index
    }
}
