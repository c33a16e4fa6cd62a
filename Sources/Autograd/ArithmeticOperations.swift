import Tensors

/// Differentiable elementwise arithmetic, with the broadcasting rule of `Tensors`' operators
/// (one shape a suffix of the other: `[B, T, H] + [H]`).
///
///     let h = matmul(x, w) + b          // [B·T, H]·[H, F] + [F]
///     let scaled = scores * 0.125       // a scalar constant
///
/// With y = a ∘ b and g = ∂ℓ/∂y, each input receives its partial derivative times g,
/// summed over the leading dimensions it was repeated along (`Tensor.reduced(to:)`):
/// a + b: (g, g); a − b: (g, −g); a ⊙ b: (g ⊙ b, g ⊙ a); a ⊘ b: (g ⊘ b, −g ⊙ a ⊘ b²).
/// Scalars are constants: they get no gradient.
/// Introduced in Chapter 1 (Foundation).
extension Variable {
    public static func + (a: Variable, b: Variable) -> Variable {
        let (shapeA, shapeB) = (a.shape, b.shape)
        return record("add", a.value + b.value, inputs: [a, b]) { g in
            [a.requiresGradient ? g.reduced(to: shapeA) : nil,
             b.requiresGradient ? g.reduced(to: shapeB) : nil]
        }
    }

    public static func - (a: Variable, b: Variable) -> Variable {
        let (shapeA, shapeB) = (a.shape, b.shape)
        return record("subtract", a.value - b.value, inputs: [a, b]) { g in
            [a.requiresGradient ? g.reduced(to: shapeA) : nil,
             b.requiresGradient ? (-g).reduced(to: shapeB) : nil]
        }
    }

    public static func * (a: Variable, b: Variable) -> Variable {
        let (A, B) = (a.value, b.value)
        return record("multiply", A * B, inputs: [a, b]) { g in
            [a.requiresGradient ? (g * B).reduced(to: A.shape) : nil,
             b.requiresGradient ? (g * A).reduced(to: B.shape) : nil]
        }
    }

    public static func / (a: Variable, b: Variable) -> Variable {
        let (A, B) = (a.value, b.value)
        let Y = A / B
        return record("divide", Y, inputs: [a, b]) { g in
            // ∂(a/b)/∂b = −a/b² = −y/b, which reuses the output.
            [a.requiresGradient ? (g / B).reduced(to: A.shape) : nil,
             b.requiresGradient ? (-(g * Y) / B).reduced(to: B.shape) : nil]
        }
    }

    public static prefix func - (x: Variable) -> Variable {
        record("negate", -x.value, inputs: [x]) { g in [-g] }
    }

    public static func + (a: Variable, s: Float) -> Variable {
        record("add", a.value + s, inputs: [a]) { g in [g] }
    }
    public static func + (s: Float, a: Variable) -> Variable { a + s }

    public static func - (a: Variable, s: Float) -> Variable {
        record("subtract", a.value - s, inputs: [a]) { g in [g] }
    }
    public static func - (s: Float, a: Variable) -> Variable {
        record("subtract", s - a.value, inputs: [a]) { g in [-g] }
    }

    public static func * (a: Variable, s: Float) -> Variable {
        record("multiply", a.value * s, inputs: [a]) { g in [g * s] }
    }
    public static func * (s: Float, a: Variable) -> Variable { a * s }

    public static func / (a: Variable, s: Float) -> Variable {
        record("divide", a.value / s, inputs: [a]) { g in [g / s] }
    }
    public static func / (s: Float, a: Variable) -> Variable {
        let X = a.value
        let Y = s / X
        // ∂(s/x)/∂x = −s/x² = −y/x.
        return record("divide", Y, inputs: [a]) { g in [-(g * Y) / X] }
    }
}

/// eˣ, elementwise. Backward: ∂ℓ/∂x = g ⊙ y (the output is its own derivative).
/// Shape: any → the same.
/// Introduced in Chapter 1 (Foundation).
public func exp(_ x: Variable) -> Variable {
    let Y = exp(x.value)
    return .record("exp", Y, inputs: [x]) { g in [g * Y] }
}

/// ln x, elementwise. Backward: ∂ℓ/∂x = g ⊘ x. Shape: any → the same.
/// Introduced in Chapter 1 (Foundation).
public func log(_ x: Variable) -> Variable {
    let X = x.value
    return .record("log", log(X), inputs: [x]) { g in [g / X] }
}

/// √x, elementwise. Backward: ∂ℓ/∂x = g ⊘ 2√x. Shape: any → the same.
/// Introduced in Chapter 1 (Foundation).
public func sqrt(_ x: Variable) -> Variable {
    let Y = sqrt(x.value)
    return .record("sqrt", Y, inputs: [x]) { g in [g / (2 * Y)] }
}
