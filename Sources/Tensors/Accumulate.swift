/// In-place accumulation, the one elementwise kernel the autograd tape itself needs
/// (gradients add up when a value feeds several operations).
extension Tensor {
    /// `self += α·other`, elementwise; the shapes must be equal.
    public mutating func add(_ other: Tensor, scaledBy alpha: Float = 1) {
        precondition(shape == other.shape, "cannot accumulate \(other.shape) into \(shape)")
        let source = other.pointer
        let n = count
        withUnsafeMutableBufferPointer { destination in
            let d = destination.baseAddress!
            Parallel.forChunks(of: n, minimumChunk: 1 << 16) { range in
                if alpha == 1 {
                    for i in range { d[i] += source[i] }
                } else {
                    for i in range { d[i] += alpha * source[i] }
                }
            }
        }
    }

    /// Sums over the leading dimensions so the result has shape `trailing`:
    /// `[S..., R...] → [R...]` (the gradient of a value broadcast over leading dimensions).
    public func sumLeading(to trailing: [Int]) -> Tensor {
        let inner = Tensor.elementCount(trailing)
        precondition(inner > 0 && count % inner == 0 && Array(shape.suffix(trailing.count)) == trailing,
                     "cannot sum \(shape) down to \(trailing)")
        let rows = count / inner
        if rows == 0 { return Tensor.zeros(trailing) }
        // Fixed blocks of about 64 Ki elements (whole rows; how many depends only on the
        // shape): each block's rows are added in order into its own partial row, on whichever
        // core, reading memory in sequence; then the partial rows are added in block order.
        // Every output element has one summation order whatever the thread count.
        let blockRows = Swift.max(1, (1 << 16) / inner)
        let blocks = (rows + blockRows - 1) / blockRows
        let partials = TensorStorage(uninitializedCount: blocks * inner)
        let p = pointer, partial = partials.pointer
        Parallel.forChunks(of: blocks, minimumChunk: 1) { range in
            for block in range {
                let sums = partial + block * inner
                let first = block * blockRows, last = Swift.min(rows, first + blockRows)
                sums.update(from: p + first * inner, count: inner)
                for r in (first + 1)..<last {
                    let row = p + r * inner
                    for j in 0..<inner { sums[j] += row[j] }
                }
            }
        }
        var out = Tensor(uninitializedShape: trailing)
        out.withUnsafeMutableBufferPointer { o in
            let op = o.baseAddress!
            Parallel.forChunks(of: inner, minimumChunk: 1024) { columns in
                for j in columns { op[j] = partial[j] }
                for block in 1..<blocks {
                    let sums = partial + block * inner
                    for j in columns { op[j] += sums[j] }
                }
            }
        }
        withExtendedLifetime(partials) {}
        return out
    }
}
