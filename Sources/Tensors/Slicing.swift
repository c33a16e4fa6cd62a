// Selecting rows along the first axis: a contiguous range, or a gathered list of indices
// (the masked-LM head reads only the `N` predicted positions of `[B·T, H]`).
//
// A "row" is everything below the first axis: for `x [R, C...]` it is `C...` flattened,
// so rows are contiguous and every copy here is a block copy.
// Introduced in Chapter 1 (Foundation).

/// The rows `range` of `x`: `[R, C...] → [range.count, C...]`.
///
/// Forward: `y[i] = x[range.lowerBound + i]`.
/// Backward: `∂ℓ/∂x[r] = ∂ℓ/∂y[r − range.lowerBound]` inside the range, 0 outside
/// (`rowsBackward`).
/// Introduced in Chapter 1 (Foundation).
public func rows(_ x: Tensor, _ range: Range<Int>) -> Tensor {
    precondition(x.rank >= 1, "rows needs at least one axis, not a scalar")
    precondition(range.lowerBound >= 0 && range.upperBound <= x.shape[0],
                 "rows \(range) out of range for shape \(x.shape)")
    let rowSize = x.shape[0] == 0 ? 0 : x.count / x.shape[0]
    var out = Tensor(uninitializedShape: [range.count] + x.shape.dropFirst())
    let source = x.pointer + range.lowerBound * rowSize
    out.withUnsafeMutableBufferPointer { o in
        o.baseAddress!.update(from: source, count: o.count)
    }
    return out
}

/// The backward of `rows`: `gradient [n, C...]` placed at rows `range` of a zero tensor
/// `[rowCount, C...]`. Introduced in Chapter 1 (Foundation).
public func rowsBackward(_ gradient: Tensor, range: Range<Int>, rowCount: Int) -> Tensor {
    precondition(gradient.rank >= 1 && gradient.shape[0] == range.count && range.lowerBound >= 0
                 && range.upperBound <= rowCount,
                 "gradient \(gradient.shape) does not fit rows \(range) of \(rowCount)")
    var out = Tensor.zeros([rowCount] + gradient.shape.dropFirst())
    let rowSize = rowCount == 0 ? 0 : out.count / rowCount
    let source = gradient.pointer
    out.withUnsafeMutableBufferPointer { o in
        (o.baseAddress! + range.lowerBound * rowSize).update(from: source, count: gradient.count)
    }
    return out
}

/// Gathers rows by index: `x [R, C...]`, `indices [N]` → `[N, C...]`.
///
///     let h = gatherRows(hidden.reshaped([-1, H]), indices: positions)   // [B·T, H] → [N, H]
///
/// Forward: `y[i] = x[indices[i]]` (an index may repeat).
/// Backward: `∂ℓ/∂x[r] = Σ_{i: indices[i] = r} ∂ℓ/∂y[i]` (`scatterAddRows`).
/// Introduced in Chapter 1 (Foundation).
public func gatherRows(_ x: Tensor, indices: [Int32]) -> Tensor {
    precondition(x.rank >= 1, "gatherRows needs at least one axis, not a scalar")
    let R = x.shape[0]
    for (i, r) in indices.enumerated() where r < 0 || Int(r) >= R {
        preconditionFailure("gatherRows: index \(r) at position \(i) is outside 0..<\(R) (shape \(x.shape))")
    }
    return gatherRowsUnchecked(x, indices: indices)
}

/// Adds rows into a zero tensor by index: `source [N, C...]`, `indices [N]` → `[rowCount, C...]`.
///
/// Forward: `y[r] = Σ_{i: indices[i] = r} source[i]` — the backward of `gatherRows` and of
/// `embedding`. Deterministic: the columns are split over the threads, and every thread
/// adds the rows of its columns in index order, so no two threads ever add to the same
/// element and each sum always has the same order.
/// Introduced in Chapter 1 (Foundation).
public func scatterAddRows(_ source: Tensor, indices: [Int32], rowCount: Int) -> Tensor {
    precondition(source.rank >= 1 && source.shape[0] == indices.count,
                 "scatterAddRows: \(indices.count) indices for rows of shape \(source.shape)")
    for (i, r) in indices.enumerated() where r < 0 || Int(r) >= rowCount {
        preconditionFailure("scatterAddRows: index \(r) at position \(i) is outside 0..<\(rowCount)")
    }
    var out = Tensor.zeros([rowCount] + source.shape.dropFirst())
    let N = indices.count
    let C = N == 0 ? 0 : source.count / N
    guard N > 0 && C > 0 else { return out }
    let from = source.pointer
    out.withUnsafeMutableBufferPointer { o in
        let to = o.baseAddress!
        indices.withUnsafeBufferPointer { index in
            // Small problems stay on one thread; large ones split columns in blocks of 16.
            let minimumColumns = N * C < (1 << 15) ? C : 16
            Parallel.forChunks(of: C, minimumChunk: minimumColumns) { columns in
                for i in 0..<N {
                    let target = to + Int(index[i]) * C, row = from + i * C
                    for j in columns { target[j] += row[j] }
                }
            }
        }
    }
    return out
}

/// `gatherRows` without the range check, for callers that have validated the indices
/// with their own message (`embedding`).
func gatherRowsUnchecked(_ x: Tensor, indices: [Int32]) -> Tensor {
    let R = x.shape[0]
    let C = R == 0 ? 0 : x.count / R
    var out = Tensor(uninitializedShape: [indices.count] + x.shape.dropFirst())
    guard C > 0 && !indices.isEmpty else { return out }
    let from = x.pointer
    out.withUnsafeMutableBufferPointer { o in
        let to = o.baseAddress!
        indices.withUnsafeBufferPointer { index in
            Parallel.forChunks(of: index.count, minimumChunk: max(1, 16384 / C)) { range in
                for i in range { (to + i * C).update(from: from + Int(index[i]) * C, count: C) }
            }
        }
    }
    return out
}
