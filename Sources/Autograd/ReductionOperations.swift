import Tensors

/// Σᵢ xᵢ over every element, as a scalar (shape `[]`): the usual last step before
/// `backward()`. Backward: ∂ℓ/∂xᵢ = g.
/// Introduced in Chapter 1 (Foundation).
public func sum(_ x: Variable) -> Variable {
    let shape = x.shape
    return .record("sum", sum(x.value), inputs: [x]) { g in [Tensor(shape: shape, repeating: g.item)] }
}

/// (1/N)·Σᵢ xᵢ over all N elements, as a scalar. Backward: ∂ℓ/∂xᵢ = g/N.
/// Introduced in Chapter 1 (Foundation).
public func mean(_ x: Variable) -> Variable {
    let shape = x.shape, n = Float(max(x.value.count, 1))
    return .record("mean", mean(x.value), inputs: [x]) { g in [Tensor(shape: shape, repeating: g.item / n)] }
}

/// Σ along `axis`: `[S…, N, R…]` → `[S…, R…]` (or `[S…, 1, R…]` keeping the dimension).
/// Backward: ∂ℓ/∂x[…, k, …] = g[…] for every k.
/// Introduced in Chapter 1 (Foundation).
public func sum(_ x: Variable, axis: Int, keepingDimension: Bool = false) -> Variable {
    let shape = x.shape
    return .record("sum", sum(x.value, axis: axis, keepingDimension: keepingDimension), inputs: [x]) { g in
        [sumBackward(g, inputShape: shape, axis: axis)]
    }
}

/// The mean along `axis` of size N; shapes as `sum(_:axis:)`. Backward: g/N at every k.
/// Introduced in Chapter 1 (Foundation).
public func mean(_ x: Variable, axis: Int, keepingDimension: Bool = false) -> Variable {
    let shape = x.shape
    let n = AxisLayout(shape, axis: axis).length
    return .record("mean", mean(x.value, axis: axis, keepingDimension: keepingDimension), inputs: [x]) { g in
        [sumBackward(g, inputShape: shape, axis: axis, scale: 1 / Float(max(n, 1)))]
    }
}

/// The maximum along `axis`; shapes as `sum(_:axis:)`.
/// Backward: the gradient goes only to the first position holding the maximum.
/// Introduced in Chapter 1 (Foundation).
public func max(_ x: Variable, axis: Int, keepingDimension: Bool = false) -> Variable {
    let shape = x.shape
    let layout = AxisLayout(shape, axis: axis)
    let (values, positions) = maxWithArgmax(x.value, axis: axis)
    let y = values.reshaped(layout.reducedShape(keepingDimension: keepingDimension))
    return .record("max", y, inputs: [x]) { g in
        [maxBackward(g, argmax: positions, inputShape: shape, axis: axis)]
    }
}
