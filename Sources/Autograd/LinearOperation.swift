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
/// Introduced in Chapter 1, with the training-step benchmark; `Linear` and the masked-LM head
/// use it.
public func linear(_ x: Variable, weight: Variable, bias: Variable, transposedWeight: Bool = false) -> Variable {
    let W = weight.value
    let (X2, outputs, outputShape) = affineShapes("linear", x.value, W, bias.value, transposedWeight: transposedWeight)
    let X = x.value, rows = X2.shape[0]
    let Y = matmul(X2, W, transposeB: transposedWeight, bias: bias.value)
    return .record("linear", Y.reshaped(outputShape), inputs: [x, weight, bias]) { G in
        let G2 = G.reshaped([rows, outputs])
        let dX = x.requiresGradient ? matmul(G2, W, transposeB: !transposedWeight).reshaped(X.shape) : nil
        let dW = weight.requiresGradient
            ? (transposedWeight ? matmul(G2, X2, transposeA: true) : matmul(X2, G2, transposeA: true)) : nil
        let db = bias.requiresGradient ? G2.sumLeading(to: [outputs]) : nil
        return [dX, dW, db]
    }
}

/// `gelu(x·W + b)` as one operation (the feed-forward block's first half, Docs/Methods/BERT.md):
/// the same numbers, bit for bit, as `gelu(linear(x, weight: W, bias: b))`, with less memory
/// traffic and memory. GELU is written over the product's output in place
/// (`geluWithSlope(inPlace:)`), so the pre-activation is never kept — the slope gelu′ is —
/// and the backward pass makes the gradient at the pre-activation, `D = G ⊙ gelu′`, and the
/// bias gradient `Σ_rows D` in one pass (`productAndLeadingSum`) before the two products
/// `∂ℓ/∂x = D·Wᵀ` and `∂ℓ/∂W = xᵀ·D`.
///
/// Shapes: `x [..., in]`, `W [in, out]`, `b [out]` → `[..., out]`.
/// Introduced in Chapter 1, for the training step's speed; `FeedForward` and the masked-LM head use it.
public func linearGELU(_ x: Variable, weight: Variable, bias: Variable) -> Variable {
    let W = weight.value
    let (X2, outputs, outputShape) = affineShapes("linearGELU", x.value, W, bias.value, transposedWeight: false)
    let X = x.value, rows = X2.shape[0]
    var Y = matmul(X2, W, bias: bias.value)
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

/// The shapes `linear` and `linearGELU` share, checked: the input folded to `[rows, in]`,
/// the output width, and the output's shape `[..., out]`.
private func affineShapes(_ name: String, _ X: Tensor, _ W: Tensor, _ b: Tensor,
                          transposedWeight: Bool) -> (folded: Tensor, outputs: Int, outputShape: [Int]) {
    // Only built when a check fails.
    func mismatch() -> String {
        "\(name): input \(X.shape), weight \(W.shape)\(transposedWeight ? "ᵀ" : "") and bias \(b.shape) do not fit [..., in]·[in, out] + [out]"
    }
    precondition(W.rank == 2, mismatch())
    let (inputs, outputs) = transposedWeight ? (W.shape[1], W.shape[0]) : (W.shape[0], W.shape[1])
    precondition(b.shape == [outputs] && X.rank >= 1 && X.shape[X.rank - 1] == inputs, mismatch())
    let rows = X.count / max(inputs, 1)
    return (X.reshaped([rows, inputs]), outputs, Array(X.shape.dropLast()) + [outputs])
}
