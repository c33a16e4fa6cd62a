import Tensors

/// Differentiable inverted dropout; see `Tensors.dropout(_:probability:using:)`.
/// Only the 64-bit mask seed is saved: the backward pass regenerates the mask,
/// ∂ℓ/∂x = g·m/(1 − p). With p = 0 the input itself is returned (nothing is recorded).
/// Shape: any → the same.
/// Introduced in Chapter 1 (Foundation).
public func dropout(_ x: Variable, probability p: Float, using rng: inout SeededGenerator) -> Variable {
    let seed = rng.next()
    if p == 0 { return x }
    return .record("dropout", dropout(x.value, probability: p, seed: seed), inputs: [x]) { g in
        [dropout(g, probability: p, seed: seed)]
    }
}
