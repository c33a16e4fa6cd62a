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
        let inner = leadingSumWidth(to: trailing)
        let rows = count / inner
        var out = Tensor(uninitializedShape: trailing)
        out.withUnsafeMutableBufferPointer { o in
            ReductionKernels.sumRows(pointer, rows: rows, inner: inner, into: o.baseAddress!, scale: 1)
        }
        return out
    }

    /// `self ⊙ other` and its `sumLeading(to: trailing)` in one pass: the same numbers (the
    /// same bits) as the product followed by the sum, with one read of the operands. The
    /// backward pass of a fused `gelu(x·W + b)`: the gradient at the pre-activation and the
    /// bias gradient. Shapes: equal, `[S..., R...]` with `trailing` = `[R...]`.
    public func productAndLeadingSum(_ other: Tensor, to trailing: [Int]) -> (product: Tensor, sum: Tensor) {
        precondition(shape == other.shape, "cannot multiply \(shape) by \(other.shape) elementwise")
        let inner = leadingSumWidth(to: trailing)
        var product = Tensor(uninitializedShape: shape), sum = Tensor(uninitializedShape: trailing)
        let pa = pointer, pb = other.pointer
        product.withUnsafeMutableBufferPointer { p in
            sum.withUnsafeMutableBufferPointer { d in
                ReductionKernels.productAndRowSums(pa, pb, rows: count / inner, inner: inner,
                                                   into: p.baseAddress!, sums: d.baseAddress!)
            }
        }
        return (product, sum)
    }

    /// The element count of `trailing`, checked to be this shape's trailing dimensions.
    private func leadingSumWidth(to trailing: [Int]) -> Int {
        let inner = Tensor.elementCount(trailing)
        precondition(inner > 0 && count % inner == 0 && Array(shape.suffix(trailing.count)) == trailing,
                     "cannot sum \(shape) down to \(trailing)")
        return inner
    }
}
