import Tensors

/// The differentiable row softmax (last axis); see `Tensors.softmax`.
/// Backward: ∂ℓ/∂xᵢ = yᵢ·(gᵢ − Σⱼ gⱼyⱼ), from the saved output y. Shape: `[…, N]` → `[…, N]`.
/// Introduced in Chapter 1 (Foundation).
public func softmax(_ x: Variable) -> Variable {
    let Y = softmax(x.value)
    return .record("softmax", Y, inputs: [x]) { g in [softmaxBackward(g, output: Y)] }
}

/// The differentiable row log-softmax (last axis); see `Tensors.logSoftmax`.
/// Backward: ∂ℓ/∂xᵢ = gᵢ − e^(yᵢ)·Σⱼ gⱼ, from the saved output y. Shape: `[…, N]` → `[…, N]`.
/// Introduced in Chapter 1 (Foundation).
public func logSoftmax(_ x: Variable) -> Variable {
    let Y = logSoftmax(x.value)
    return .record("logSoftmax", Y, inputs: [x]) { g in [logSoftmaxBackward(g, output: Y)] }
}
