import Tensors

/// The affine map of row vectors `y = x·W + b` as one operation: the bias is written into
/// each block of the output just before the product is added onto it (`matmul(_:_:bias:)`),
/// so the result is made in one pass instead of a product and then a broadcast addition.
///
/// Shapes: `x [..., in]`, `W [in, out]` (or `[out, in]` with `transposedWeight`, as a tied
/// decoder reads the `[V, H]` embeddings), `b [out]` → `[..., out]`.
/// With `G = ∂ℓ/∂y` folded to `[N, out]` rows: `∂ℓ/∂x = G·Wᵀ`, `∂ℓ/∂W = xᵀ·G` (`Gᵀ·x`
/// for the transposed weight), `∂ℓ/∂b = Σ_rows G` — the same numbers as `matmul(x, W) + b`,
/// up to the rounding of where the bias is added.
/// Introduced with the training-step benchmark (issue 8); `Linear` and the masked-LM head
/// use it.
public func linear(_ x: Variable, weight: Variable, bias: Variable, transposedWeight: Bool = false) -> Variable {
    let X = x.value, W = weight.value, b = bias.value
    let mismatch = "linear: input \(X.shape), weight \(W.shape)\(transposedWeight ? "ᵀ" : "") and bias \(b.shape) do not fit [..., in]·[in, out] + [out]"
    precondition(W.rank == 2, mismatch)
    let (inputs, outputs) = transposedWeight ? (W.shape[1], W.shape[0]) : (W.shape[0], W.shape[1])
    precondition(b.shape == [outputs] && X.rank >= 1 && X.shape[X.rank - 1] == inputs, mismatch)
    let rows = X.count / max(inputs, 1)
    let X2 = X.reshaped([rows, inputs])
    let Y = matmul(X2, W, transposeB: transposedWeight, bias: b)
    let outputShape = Array(X.shape.dropLast()) + [outputs]
    return .record("linear", Y.reshaped(outputShape), inputs: [x, weight, bias]) { G in
        let G2 = G.reshaped([rows, outputs])
        let dX = x.requiresGradient ? matmul(G2, W, transposeB: !transposedWeight).reshaped(X.shape) : nil
        let dW = weight.requiresGradient
            ? (transposedWeight ? matmul(G2, X2, transposeA: true) : matmul(X2, G2, transposeA: true)) : nil
        let db = bias.requiresGradient ? G2.sumLeading(to: [outputs]) : nil
        return [dX, dW, db]
    }
}
