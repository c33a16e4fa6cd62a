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

/// `gelu(x·W + b)` as one operation (the feed-forward block's first half, METHODS.md §0):
/// the same numbers, bit for bit, as `gelu(linear(x, weight: W, bias: b))`, with less memory
/// traffic and memory. GELU is written over the product's output in place
/// (`geluWithSlope(inPlace:)`), so the pre-activation is never kept — the slope gelu′ is —
/// and the backward pass makes the gradient at the pre-activation, `D = G ⊙ gelu′`, and the
/// bias gradient `Σ_rows D` in one pass (`productAndLeadingSum`) before the two products
/// `∂ℓ/∂x = D·Wᵀ` and `∂ℓ/∂W = xᵀ·D`.
///
/// Shapes: `x [..., in]`, `W [in, out]`, `b [out]` → `[..., out]`.
/// Introduced with the performance work (issue 8); `FeedForward` and the masked-LM head use it.
public func linearGELU(_ x: Variable, weight: Variable, bias: Variable) -> Variable {
    let X = x.value, W = weight.value, b = bias.value
    precondition(W.rank == 2 && b.shape == [W.shape[1]] && X.rank >= 1 && X.shape[X.rank - 1] == W.shape[0],
                 "linearGELU: input \(X.shape), weight \(W.shape) and bias \(b.shape) do not fit [..., in]·[in, out] + [out]")
    let (inputs, outputs) = (W.shape[0], W.shape[1])
    let rows = X.count / max(inputs, 1)
    let X2 = X.reshaped([rows, inputs])
    let outputShape = Array(X.shape.dropLast()) + [outputs]
    var Y = matmul(X2, W, bias: b)
    let wantsGradient = Gradients.isRecording && (x.requiresGradient || weight.requiresGradient || bias.requiresGradient)
    guard wantsGradient else {
        // Nothing will be differentiated: the output alone (record keeps no backward here).
        return .record("linearGELU", gelu(Y).reshaped(outputShape), inputs: [x, weight, bias]) { _ in [nil, nil, nil] }
    }
    let slope = geluWithSlope(inPlace: &Y)
    return .record("linearGELU", Y.reshaped(outputShape), inputs: [x, weight, bias]) { G in
        let (D, db) = G.reshaped([rows, outputs]).productAndLeadingSum(slope, to: [outputs])
        let dX = x.requiresGradient ? matmul(D, W, transposeB: true).reshaped(X.shape) : nil
        let dW = weight.requiresGradient ? matmul(X2, D, transposeA: true) : nil
        return [dX, dW, bias.requiresGradient ? db : nil]
    }
}
