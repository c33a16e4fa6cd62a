import Tensors

/// The differentiable GELU, x·Φ(x) (erf form); see `Tensors.gelu`.
/// Backward: ∂ℓ/∂x = g·(Φ(x) + x·φ(x)). When a gradient is wanted the forward pass computes
/// that slope alongside the output and saves it instead of the input (`geluWithSlope`), so
/// the backward pass is one product. Shape: any → the same.
/// Introduced in Chapter 1 (Foundation).
public func gelu(_ x: Variable) -> Variable {
    guard Gradients.isRecording && x.requiresGradient else {
        // Nothing will be differentiated: the output alone (record keeps no backward here).
        let X = x.value
        return .record("gelu", gelu(X), inputs: [x]) { g in [geluBackward(g, input: X)] }
    }
    let (y, slope) = geluWithSlope(x.value)
    return .record("gelu", y, inputs: [x]) { g in [g * slope] }
}
