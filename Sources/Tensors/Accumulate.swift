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
        var out = Tensor(uninitializedShape: trailing)
        out.withUnsafeMutableBufferPointer { o in
            ReductionKernels.sumRows(pointer, rows: rows, inner: inner, into: o.baseAddress!, scale: 1)
        }
        return out
    }
}
