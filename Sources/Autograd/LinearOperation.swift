import Tensors

/// The affine map of row vectors `y = x·W + b` as one operation: the bias is written into
/// the output first and the product added onto it (`β = 1`), so the result is made in one
/// pass instead of a product and then a separate broadcast addition.
///
/// Shapes: `x [..., in]`, `W [in, out]`, `b [out]` → `[..., out]`.
/// With `G = ∂ℓ/∂y` folded to `[N, out]` rows: `∂ℓ/∂x = G·Wᵀ`, `∂ℓ/∂W = xᵀ·G`,
/// `∂ℓ/∂b = Σ_rows G` — the same numbers as `matmul(x, W) + b`, up to the rounding of where the bias is added.
/// Introduced with the training-step benchmark (issue 8); `Linear` uses it.
public func linear(_ x: Variable, weight: Variable, bias: Variable) -> Variable {
    let X = x.value, W = weight.value, b = bias.value
    precondition(W.rank == 2 && b.shape == [W.shape[1]] && X.rank >= 1 && X.shape[X.rank - 1] == W.shape[0],
                 "linear: input \(X.shape), weight \(W.shape) and bias \(b.shape) do not fit [..., in]·[in, out] + [out]")
    let (inputs, outputs) = (W.shape[0], W.shape[1])
    let rows = X.count / max(inputs, 1)
    let X2 = X.reshaped([rows, inputs])
    var Y = Tensor(uninitializedShape: [rows, outputs])
    let pb = b.pointer
    Y.withUnsafeMutableBufferPointer { buffer in
        let py = buffer.baseAddress!
        Parallel.forChunks(of: rows, minimumChunk: max(1, 8192 / max(outputs, 1))) { range in
            for r in range { (py + r * outputs).update(from: pb, count: outputs) }
        }
    }
    matmul(X2, W, beta: 1, into: &Y)
    let outputShape = Array(X.shape.dropLast()) + [outputs]
    return .record("linear", Y.reshaped(outputShape), inputs: [x, weight, bias]) { G in
        let G2 = G.reshaped([rows, outputs])
        let dX = x.requiresGradient ? matmul(G2, W, transposeB: true).reshaped(X.shape) : nil
        let dW = weight.requiresGradient ? matmul(X2, G2, transposeA: true) : nil
        let db = bias.requiresGradient ? G2.sumLeading(to: [outputs]) : nil
        return [dX, dW, db]
    }
}
