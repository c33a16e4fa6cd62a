import Tensors

/// The differentiable GELU, x·Φ(x) (erf form); see `Tensors.gelu`.
/// Backward: ∂ℓ/∂x = g·(Φ(x) + x·φ(x)), from the saved input. Shape: any → the same.
/// Introduced in Chapter 1 (Foundation).
public func gelu(_ x: Variable) -> Variable {
    let X = x.value
    return .record("gelu", gelu(X), inputs: [x]) { g in [geluBackward(g, input: X)] }
}
