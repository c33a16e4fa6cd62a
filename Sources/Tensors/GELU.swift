/// The Gaussian error linear unit, in the exact erf form BERT uses.
///
///     let h = gelu(matmul(x, w1) + b1)            // [B, T, F] → [B, T, F]
///
/// gelu(x) = x·Φ(x) = x·½(1 + erf(x/√2)), Φ the standard normal CDF (Hendrycks & Gimpel,
/// 2016). Φ is `FastMath.normalCDF` (relative error ≈ 2·10⁻⁷, also in the far negative tail
/// where gelu is tiny), vectorised by the compiler; not the tanh approximation.
/// Backward: ∂ℓ/∂x = g·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π) (`geluBackward`).
/// Shape: any → the same.
/// Introduced in Chapter 1 (Foundation).
public func gelu(_ x: Tensor) -> Tensor {
    x.mapChunks { range, x, y in
        for i in range {
            let v = x[i]
            // Below −13.5 Φ is 0 and so is x·Φ(x) — also at −∞, where the product would be NaN.
            y[i] = v < -FastMath.normalTail ? 0 : v * FastMath.normalCDF(v)
        }
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
            for i in range {
                let v = px[i]
                let (cdf, density) = FastMath.normalCDFAndDensity(v)
                // Beyond the tails φ ≈ 0 and the slope is Φ alone (0 or 1); the select also
                // keeps ±∞·φ out.
                let slope = v.magnitude > FastMath.normalTail ? cdf : cdf + v * density
                pd[i] = pg[i] * slope
            }
        }
    }
    return dx
}
