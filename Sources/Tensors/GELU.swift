/// The Gaussian error linear unit, in the exact erf form BERT uses.
///
///     let h = gelu(matmul(x, w1) + b1)            // [B, T, F] → [B, T, F]
///
/// gelu(x) = x·Φ(x) = x·½(1 + erf(x/√2)), Φ the standard normal CDF (Hendrycks & Gimpel,
/// 2016). Φ is computed in 16 lanes at once (`Vector.normalCDF`, relative error ≈ 2·10⁻⁷,
/// also in the far negative tail where gelu is tiny), not with the tanh approximation.
/// Backward: ∂ℓ/∂x = g·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π) (`geluBackward`).
/// Shape: any → the same.
/// Introduced in Chapter 1 (Foundation).
public func gelu(_ x: Tensor) -> Tensor {
    x.mapLanes { v in
        let cdf = Vector.normalCDF(v).cdf
        // Φ underflows to 0 below x ≈ −13, where x·Φ(x) is 0 too (not −∞·0 = NaN).
        return (v * cdf).replacing(with: Vector.Lanes(repeating: 0), where: cdf .== Vector.Lanes(repeating: 0))
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
            Vector.forEachBlock(in: range) { i, n in
                let v = Vector.load(px + i, count: n)
                let (cdf, density) = Vector.normalCDF(v)
                // Where φ underflows (|x| ≳ 13) the slope is Φ alone; this also keeps ±∞·0 out.
                let slope = (cdf + v * density).replacing(with: cdf, where: density .== Vector.Lanes(repeating: 0))
                Vector.store(Vector.load(pg + i, count: n) * slope, to: pd + i, count: n)
            }
        }
    }
    return dx
}
