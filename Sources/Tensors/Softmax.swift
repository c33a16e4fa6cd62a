import CKernels
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The softmax of every row (last axis), subtracting the row's maximum first.
///
///     let probabilities = softmax(scores)          // [B, A, T, T] → [B, A, T, T]
///
/// yᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m) with m = maxⱼ xⱼ: the same value as e^(xᵢ)/Σⱼ e^(xⱼ), but
/// no exponent exceeds 0, so nothing overflows (scores of 1e30 are fine) and −∞ entries
/// (masked positions) get exactly 0. A row that is entirely −∞ gives zeros rather than NaN.
/// Backward: ∂ℓ/∂xᵢ = yᵢ·(gᵢ − Σⱼ gⱼyⱼ) with g = ∂ℓ/∂y (`softmaxBackward`).
/// Shape: `[…, N]` → `[…, N]`.
/// Introduced in Chapter 1 (Foundation).
public func softmax(_ x: Tensor) -> Tensor {
    var y = Tensor(uninitializedShape: x.shape)
    let px = x.pointer
    y.withUnsafeMutableBufferPointer { out in
        let py = out.baseAddress!
        SoftmaxKernels.forEachRow(of: x.shape) { offset, n in
            softmaxRow(px + offset, into: py + offset, count: n)
        }
    }
    return y
}

/// The softmax of one row of `n ≥ 1` contiguous floats, written to `y` (which may be `x`):
/// yᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m), m = maxⱼ xⱼ, as in `softmax`; an all −∞ row gives zeros.
/// The kernel under `softmax`, public for other modules' row softmaxes (attention over the
/// unpadded keys of each query).
/// Introduced in Chapter 1 (Foundation).
public func softmaxRow(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count n: Int) {
    // The C kernel: the maximum, then e^(x − m) and its sum in one pass (an exponential
    // specialised to x − m ≤ 0), then the normalisation — vectorised with AVX2 when present.
    tenfold_softmax_rows(x, y, 1, n)
}

/// ∂ℓ/∂x of `y = softmax(x)` from g = ∂ℓ/∂y and the output y: yᵢ·(gᵢ − Σⱼ gⱼyⱼ) per row.
/// Shapes: g `[…, N]`, y `[…, N]` → `[…, N]`.
/// Introduced in Chapter 1 (Foundation).
public func softmaxBackward(_ gradient: Tensor, output y: Tensor) -> Tensor {
    precondition(gradient.shape == y.shape, "softmax backward: gradient \(gradient.shape) vs output \(y.shape)")
    var dx = Tensor(uninitializedShape: y.shape)
    let pg = gradient.pointer, py = y.pointer
    dx.withUnsafeMutableBufferPointer { out in
        let pd = out.baseAddress!
        SoftmaxKernels.forEachRow(of: y.shape) { offset, n in
            let g = pg + offset, yRow = py + offset, d = pd + offset
            var dot = Vector.Lanes()
            Vector.forEachBlock(in: 0..<n) { i, count in
                dot += Vector.load(g + i, count: count) * Vector.load(yRow + i, count: count)
            }
            let projection = Vector.sum(dot)
            for i in 0..<n { d[i] = yRow[i] * (g[i] - projection) }
        }
    }
    return dx
}

/// The logarithm of the softmax of every row (last axis), computed without forming it.
///
///     let logProbabilities = logSoftmax(logits)    // [N, V] → [N, V]
///
/// yᵢ = xᵢ − m − ln Σⱼ e^(xⱼ − m) with m = maxⱼ xⱼ: exact where softmax would round to 0
/// (yᵢ = −1000 stays −1000). An entirely −∞ row gives −∞.
/// Backward: ∂ℓ/∂xᵢ = gᵢ − e^(yᵢ)·Σⱼ gⱼ (`logSoftmaxBackward`).
/// Shape: `[…, N]` → `[…, N]`.
/// Introduced in Chapter 1 (Foundation).
public func logSoftmax(_ x: Tensor) -> Tensor {
    var y = Tensor(uninitializedShape: x.shape)
    let px = x.pointer
    y.withUnsafeMutableBufferPointer { out in
        let py = out.baseAddress!
        // The C kernel: m, then ln Σ e^(x − m) with the exponentials parked in the output
        // row, then x − m − ln Σ (same exponential as softmax's).
        SoftmaxKernels.forEachRow(of: x.shape) { offset, n in
            tenfold_log_softmax_rows(px + offset, py + offset, 1, n)
        }
    }
    return y
}

/// ∂ℓ/∂x of `y = logSoftmax(x)` from g = ∂ℓ/∂y and the output y: gᵢ − e^(yᵢ)·Σⱼ gⱼ per row.
/// Shapes: g `[…, N]`, y `[…, N]` → `[…, N]`.
/// Introduced in Chapter 1 (Foundation).
public func logSoftmaxBackward(_ gradient: Tensor, output y: Tensor) -> Tensor {
    precondition(gradient.shape == y.shape, "log-softmax backward: gradient \(gradient.shape) vs output \(y.shape)")
    var dx = Tensor(uninitializedShape: y.shape)
    let pg = gradient.pointer, py = y.pointer
    dx.withUnsafeMutableBufferPointer { out in
        let pd = out.baseAddress!
        // The C kernel: Σ g in 16 fixed partial sums, then g − e^y·Σ g with the exponential
        // for arguments ≤ 0 (a log-probability never exceeds 0).
        SoftmaxKernels.forEachRow(of: y.shape) { offset, n in
            tenfold_log_softmax_backward_rows(pg + offset, py + offset, pd + offset, 1, n)
        }
    }
    return dx
}

enum SoftmaxKernels {
    /// Calls `body(offset, n)` for every row of the last axis, rows split over the cores.
    @inline(__always)
    static func forEachRow(of shape: [Int], _ body: (Int, Int) -> Void) {
        precondition(!shape.isEmpty, "softmax needs at least one axis")
        let n = shape[shape.count - 1]
        guard n > 0 else { return }
        let rows = Tensor.elementCount(shape) / n
        Parallel.forChunks(of: rows, minimumChunk: Swift.max(1, 8192 / n)) { range in
            for r in range { body(r * n, n) }
        }
    }
}
