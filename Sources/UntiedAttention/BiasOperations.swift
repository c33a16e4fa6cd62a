import Tensors
import Autograd

/// The differentiable gather of a per-head bias table by bucket: `table [A, K]`,
/// `indices [T·T]` (values in `0..<K`) → `[A, T, T]`, `y[h, i, j] = table[h, indices[i·T + j]]`.
///
///     let bias = gatherBias(relativeTable, indices: relativeBucketIndices(length: T, untiesCLS: false), length: T)
///
/// Backward (a deterministic scatter-add): `∂ℓ/∂table[h, k] = Σ_{(i,j): bucket(i,j) = k} g[h, i, j]`.
/// Introduced in Chapter 3.
public func gatherBias(_ table: Variable, indices: [Int32], length T: Int) -> Variable {
    precondition(table.shape.count == 2, "gatherBias needs a [A, K] table, not \(table.shape)")
    precondition(indices.count == T * T, "gatherBias needs T·T = \(T * T) bucket indices, not \(indices.count)")
    let (A, K) = (table.shape[0], table.shape[1])
    let source = table.value
    var output = Tensor(uninitializedShape: [A, T, T])
    output.withUnsafeMutableBufferPointer { y in
        for h in 0..<A {
            let row = source.pointer + h * K
            for p in 0..<(T * T) { y[h * T * T + p] = row[Int(indices[p])] }
        }
    }
    return .record("gatherBias", output, inputs: [table]) { g in
        var gradient = Tensor.zeros([A, K])
        gradient.withUnsafeMutableBufferPointer { d in
            for h in 0..<A {
                for p in 0..<(T * T) { d[h * K + Int(indices[p])] += g.pointer[h * T * T + p] }
            }
        }
        return [gradient]
    }
}

/// TUPE's [CLS] reset (§3.2; Docs/Methods/TUPE.md): `P [A, T, T]`, `θ₁ [A]`, `θ₂ [A]` → `[A, T, T]`.
///
///     y[h, i, 0] = θ₂[h]      for i ≠ 0    (everyone → [CLS])
///     y[h, 0, j] = θ₁[h]      for every j  ([CLS] → everyone, [CLS] → [CLS] included)
///     y[h, i, j] = P[h, i, j] otherwise
///
/// so the [CLS] token's positional logits no longer depend on its position index: it can
/// gather from the whole sentence instead of from its neighbours.
///
/// Backward: `∂ℓ/∂P` is g with row 0 and column 0 zeroed; `∂ℓ/∂θ₁[h] = Σ_j g[h, 0, j]`;
/// `∂ℓ/∂θ₂[h] = Σ_{i≠0} g[h, i, 0]`.
/// Introduced in Chapter 3.
public func resetCLS(_ positional: Variable, clsToOthers theta1: Variable, othersToCLS theta2: Variable) -> Variable {
    let shape = positional.shape
    precondition(shape.count == 3 && shape[1] == shape[2], "resetCLS needs [A, T, T], not \(shape)")
    let (A, T) = (shape[0], shape[1])
    precondition(theta1.shape == [A] && theta2.shape == [A], "resetCLS needs θ₁, θ₂ of shape [\(A)]")
    var output = positional.value
    let (t1, t2) = (theta1.value, theta2.value)
    output.withUnsafeMutableBufferPointer { y in
        for h in 0..<A {
            let base = h * T * T
            for i in 1..<T { y[base + i * T] = t2.pointer[h] }
            for j in 0..<T { y[base + j] = t1.pointer[h] }
        }
    }
    return .record("resetCLS", output, inputs: [positional, theta1, theta2]) { g in
        var dP = g, d1 = Tensor.zeros([A]), d2 = Tensor.zeros([A])
        dP.withUnsafeMutableBufferPointer { dp in
            d1.withUnsafeMutableBufferPointer { d1 in
                d2.withUnsafeMutableBufferPointer { d2 in
                    for h in 0..<A {
                        let base = h * T * T
                        for j in 0..<T { d1[h] += dp[base + j]; dp[base + j] = 0 }
                        for i in 1..<T { d2[h] += dp[base + i * T]; dp[base + i * T] = 0 }
                    }
                }
            }
        }
        return [dP, d1, d2]
    }
}
