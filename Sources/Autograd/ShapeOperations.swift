import Tensors

// Differentiable reshapes and axis permutations: the backward of each undoes its forward.

extension Variable {
    /// The same elements viewed with another shape (one dimension may be `-1`); no copy.
    /// Backward: `∂ℓ/∂x = (∂ℓ/∂y).reshaped(x.shape)`.
    /// Introduced in Chapter 1 (Foundation).
    public func reshaped(_ newShape: [Int]) -> Variable {
        let shape = self.shape
        return .record("reshape", value.reshaped(newShape), inputs: [self]) { g in [g.reshaped(shape)] }
    }
}

/// The differentiable axis permutation: output axis `i` is input axis `axes[i]`; see
/// `Tensors.permuted`. Backward: `∂ℓ/∂x = permuted(∂ℓ/∂y, axes⁻¹)`.
/// Introduced in Chapter 1 (Foundation).
public func permuted(_ x: Variable, _ axes: [Int]) -> Variable {
    let inverse = inversePermutation(axes)
    return .record("permute", permuted(x.value, axes), inputs: [x]) { g in [permuted(g, inverse)] }
}

/// The differentiable swap of the last two axes: `[..., M, N] → [..., N, M]`.
/// Backward: `∂ℓ/∂x = transposeLastTwo(∂ℓ/∂y)`.
/// Introduced in Chapter 1 (Foundation).
public func transposeLastTwo(_ x: Variable) -> Variable {
    .record("transpose", transposeLastTwo(x.value), inputs: [x]) { g in [transposeLastTwo(g)] }
}

/// The differentiable head split `[B, T, H] → [B, A, T, D]`; see `Tensors.splitHeads`.
/// Backward: `∂ℓ/∂x = mergeHeads(∂ℓ/∂y)`.
/// Introduced in Chapter 1 (Foundation).
public func splitHeads(_ x: Variable, heads A: Int) -> Variable {
    .record("splitHeads", splitHeads(x.value, heads: A), inputs: [x]) { g in [mergeHeads(g)] }
}

/// The differentiable head merge `[B, A, T, D] → [B, T, H]`; see `Tensors.mergeHeads`.
/// Backward: `∂ℓ/∂x = splitHeads(∂ℓ/∂y, heads: A)`.
/// Introduced in Chapter 1 (Foundation).
public func mergeHeads(_ x: Variable) -> Variable {
    let A = x.shape[1]
    return .record("mergeHeads", mergeHeads(x.value), inputs: [x]) { g in [splitHeads(g, heads: A)] }
}
