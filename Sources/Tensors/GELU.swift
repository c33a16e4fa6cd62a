import CKernels

/// The Gaussian error linear unit, in the exact erf form BERT uses.
///
///     let h = gelu(matmul(x, w1) + b1)            // [B, T, F] → [B, T, F]
///
/// gelu(x) = x·Φ(x) = x·½(1 + erf(x/√2)), Φ the standard normal CDF (Hendrycks & Gimpel,
/// 2016), not the tanh approximation. The loop runs in the C kernel `tenfold_gelu`, which
/// uses AVX2+FMA when the CPU has them; its Φ has a relative error below 5·10⁻⁷, also in
/// the far negative tail where gelu is tiny (Numerical Recipes' erfc, §6.2, refitted so
/// that Φ and φ share one exponential: see kernels.c).
/// Backward: ∂ℓ/∂x = g·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π) (`geluBackward`).
/// Shape: any → the same.
/// Introduced in Chapter 1 (Foundation).
public func gelu(_ x: Tensor) -> Tensor {
    // Below −13.5 Φ is 0 and so is x·Φ(x) — also at −∞, where the product would be NaN.
    x.mapChunks { range, x, y in
        tenfold_gelu(x + range.lowerBound, y + range.lowerBound, range.count)
    }
}

/// ∂ℓ/∂x of `gelu(x)` from g = ∂ℓ/∂y and the input x: g·(Φ(x) + x·φ(x)).
/// Shapes: g and x equal, → the same.
/// Introduced in Chapter 1 (Foundation).
public func geluBackward(_ gradient: Tensor, input x: Tensor) -> Tensor {
    precondition(gradient.shape == x.shape, "gelu backward: gradient \(gradient.shape) vs input \(x.shape)")
    var dx = Tensor(uninitializedShape: x.shape)
    let pg = gradient.pointer, px = x.pointer
    dx.withUnsafeMutableBufferPointer { out in
        let pd = out.baseAddress!
        Parallel.forChunks(of: x.count, minimumChunk: 1 << 14) { range in
            // Beyond the tails φ ≈ 0 and the slope is Φ alone (0 or 1), which also keeps
            // ±∞·φ out (`tenfold_gelu_backward`).
            tenfold_gelu_backward(pg + range.lowerBound, px + range.lowerBound, pd + range.lowerBound, range.count)
        }
    }
    return dx
}

/// GELU and its slope in one pass: `(gelu(x), gelu′(x))` with gelu′(x) = Φ(x) + x·φ(x), the
/// same numbers as `gelu` and `geluBackward(1, input: x)`. A training step saves the slope,
/// so the backward pass is a single product g ⊙ gelu′(x) instead of evaluating Φ and φ
/// again: one more tensor of memory per GELU (BERT-mini: 64 MB, peak 610 → 674 MiB) for
/// ≈15 ms less per step.
/// Shape: any → two of the same.
/// Introduced in Chapter 1, for the training step's speed.
public func geluWithSlope(_ x: Tensor) -> (output: Tensor, slope: Tensor) {
    var y = Tensor(uninitializedShape: x.shape), slope = Tensor(uninitializedShape: x.shape)
    let px = x.pointer
    y.withUnsafeMutableBufferPointer { yBuffer in
        slope.withUnsafeMutableBufferPointer { sBuffer in
            let py = yBuffer.baseAddress!, ps = sBuffer.baseAddress!
            Parallel.forChunks(of: x.count, minimumChunk: 1 << 14) { range in
                tenfold_gelu_and_slope(px + range.lowerBound, py + range.lowerBound, ps + range.lowerBound, range.count)
            }
        }
    }
    return (y, slope)
}

/// `geluWithSlope` with the output written over its input: `x ← gelu(x)`, returning the slope
/// gelu′(x) — the same numbers, without a second tensor of the input's size. For an input
/// nothing else reads afterwards: a fused layer's pre-activation (`linearGELU`).
/// Shape: any → the slope, of the same shape.
/// Introduced in Chapter 1, for the training step's speed.
public func geluWithSlope(inPlace x: inout Tensor) -> Tensor {
    var slope = Tensor(uninitializedShape: x.shape)
    let n = x.count
    x.withUnsafeMutableBufferPointer { xBuffer in
        slope.withUnsafeMutableBufferPointer { sBuffer in
            let px = xBuffer.baseAddress!, ps = sBuffer.baseAddress!
            Parallel.forChunks(of: n, minimumChunk: 1 << 14) { range in
                tenfold_gelu_and_slope_in_place(px + range.lowerBound, ps + range.lowerBound, range.count)
            }
        }
    }
    return slope
}
