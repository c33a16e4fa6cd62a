import Foundation
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

/// The differentiable hyperbolic tangent, elementwise: `y = tanh(x)`.
/// Backward: ∂ℓ/∂x = g·(1 − y²), from the saved output. Shape: any → the same.
/// Used by the fine-tuning head's pooling layer (Linear → tanh, as BERT's pooler).
/// Introduced in Chapter 3 (downstream evaluation).
public func tanh(_ x: Variable) -> Variable {
    var y = x.value
    y.withUnsafeMutableBufferPointer { values in
        for i in values.indices { values[i] = Foundation.tanh(values[i]) }
    }
    let Y = y
    return .record("tanh", Y, inputs: [x]) { g in
        var slope = Y
        slope.withUnsafeMutableBufferPointer { s in for i in s.indices { s[i] = 1 - s[i] * s[i] } }
        return [g * slope]
    }
}
