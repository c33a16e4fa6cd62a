import Tensors
import Autograd

/// Each row minus its own mean: `y_r = x_r − mean(x_r)` over the last axis.
///
///     let d = centredRows(w + p)        // [B, T, H]: every row now sums to 0
///
/// The map is linear and its matrix `I − 𝟙𝟙ᵀ/H` is symmetric, so the backward pass is the
/// same map applied to the gradient: `∂ℓ/∂x_r = g_r − mean(g_r)`.
/// This is the first half of LayerNorm, kept separate so chapter 2 can centre the word
/// and position parts of `w + p` one at a time.
/// Introduced in Chapter 2.
public func centredRows(_ x: Variable) -> Variable {
    let shape = x.shape
    let H = shape.last ?? 1
    func centre(_ input: Tensor) -> Tensor {
        var output = Tensor(uninitializedShape: shape)
        let source = input.pointer
        output.withUnsafeMutableBufferPointer { out in
            for r in 0..<(input.count / max(H, 1)) {
                let row = source + r * H
                var total: Float = 0
                for h in 0..<H { total += row[h] }
                let mean = total / Float(H)
                for h in 0..<H { out[r * H + h] = row[h] - mean }
            }
        }
        return output
    }
    return .record("centredRows", centre(x.value), inputs: [x]) { g in [centre(g)] }
}

/// Every row of `x [..., H]` multiplied by its own scalar from `s [..., 1]`: `y_rh = x_rh · s_r`.
///
///     let normalised = scaledRows(centredRows(x), by: inverseStd)    // [B, T, H] · [B, T, 1]
///
/// The elementwise `*` of Autograd broadcasts only over leading dimensions; this op
/// broadcasts one scalar along each row. Backward: `∂ℓ/∂x_rh = g_rh · s_r` and
/// `∂ℓ/∂s_r = Σ_h g_rh · x_rh`.
/// Introduced in Chapter 2.
public func scaledRows(_ x: Variable, by s: Variable) -> Variable {
    let shape = x.shape
    let H = shape.last ?? 1
    precondition(s.shape == Array(shape.dropLast()) + [1],
                 "scaledRows needs one scale per row: \(shape) with \(Array(shape.dropLast()) + [1]), not \(s.shape)")
    let X = x.value, S = s.value
    let rows = X.count / max(H, 1)
    var Y = Tensor(uninitializedShape: shape)
    Y.withUnsafeMutableBufferPointer { y in
        for r in 0..<rows {
            let scale = S.pointer[r]
            for h in 0..<H { y[r * H + h] = X.pointer[r * H + h] * scale }
        }
    }
    return .record("scaledRows", Y, inputs: [x, s]) { g in
        var dX = Tensor(uninitializedShape: shape), dS = Tensor(uninitializedShape: S.shape)
        dX.withUnsafeMutableBufferPointer { dx in
            dS.withUnsafeMutableBufferPointer { ds in
                for r in 0..<rows {
                    let scale = S.pointer[r]
                    var dot: Float = 0
                    for h in 0..<H {
                        dx[r * H + h] = g.pointer[r * H + h] * scale
                        dot += g.pointer[r * H + h] * X.pointer[r * H + h]
                    }
                    ds[r] = dot
                }
            }
        }
        return [x.requiresGradient ? dX : nil, s.requiresGradient ? dS : nil]
    }
}
