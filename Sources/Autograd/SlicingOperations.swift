import Tensors

// Differentiable row selection and concatenation.

/// The differentiable row range `[R, C...] → [range.count, C...]`; see `Tensors.rows`.
/// Backward: the gradient placed at rows `range` of zeros `[R, C...]`.
/// Introduced in Chapter 1 (Foundation).
public func rows(_ x: Variable, _ range: Range<Int>) -> Variable {
    let R = x.shape[0]
    return .record("rows", rows(x.value, range), inputs: [x]) { g in
        [rowsBackward(g, range: range, rowCount: R)]
    }
}

/// The differentiable row gather `x [R, C...]`, `indices [N]` → `[N, C...]`; see
/// `Tensors.gatherRows`. Backward: `∂ℓ/∂x[r] = Σ_{i: indices[i] = r} ∂ℓ/∂y[i]`
/// (a deterministic scatter-add).
/// Introduced in Chapter 1 (Foundation).
public func gatherRows(_ x: Variable, indices: [Int32]) -> Variable {
    let R = x.shape[0]
    return .record("gatherRows", gatherRows(x.value, indices: indices), inputs: [x]) { g in
        [scatterAddRows(g, indices: indices, rowCount: R)]
    }
}

/// The differentiable concatenation along `axis`; see `Tensors.concatenate`.
/// Backward: `∂ℓ/∂xₖ` is the `k`-th piece of `split(∂ℓ/∂y, sizes:, axis:)`.
/// Introduced in Chapter 1 (Foundation).
public func concatenate(_ xs: [Variable], axis: Int) -> Variable {
    let y = concatenate(xs.map(\.value), axis: axis)
    let a = axis < 0 ? axis + y.rank : axis
    let sizes = xs.map { $0.shape[a] }
    return .record("concatenate", y, inputs: xs) { g in
        split(g, sizes: sizes, axis: a).map { Optional($0) }
    }
}
