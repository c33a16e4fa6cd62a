/// Sixteen Float32 lanes at a time: the vector arithmetic the elementwise kernels share.
///
/// `Vector.exp` and `Vector.normalCDF` are written with SIMD16<Float> so that one call
/// works on a whole AVX-512 register (or four SSE/two AVX registers): libm's scalar `expf`
/// and `erff` cannot be vectorised by the compiler, and they dominate softmax and GELU.
/// `Vector.forEachBlock` walks a buffer in blocks of 16, padding the last partial block,
/// so every kernel has one code path.
/// Introduced in Chapter 1 (Foundation).
public enum Vector {
    public typealias Lanes = SIMD16<Float>
    public static let width = 16

    /// eˣ in every lane, relative error ≤ 2·10⁻⁷ (about 2 ulp) for x ∈ [−87.3, 88.7];
    /// 0 below (including −∞), +∞ above.
    ///
    /// Range reduction: x = n·ln 2 + r with n = round(x/ln 2), |r| ≤ ½ln 2, so
    /// eˣ = 2ⁿ·eʳ. ln 2 is split in a high part (exact in Float32 times any n ≤ 2⁸) and a
    /// low part, so r is computed without cancellation. eʳ is its Taylor polynomial of
    /// degree 7: the first omitted term is |r|⁸/8! ≤ 5·10⁻⁹. 2ⁿ is built from exponent bits,
    /// in two halves so that n from −126 to 128 never leaves the normal range.
    @inlinable @inline(__always)
    public static func exp(_ x: Lanes) -> Lanes {
        let low: Float = -87.33654, high: Float = 88.72283
        let clamped = x.clamped(lowerBound: Lanes(repeating: low), upperBound: Lanes(repeating: high))
        // Adding 1.5·2²³ rounds to an integer and leaves it in the low mantissa bits.
        let shifter: Float = 12_582_912
        let shifted = clamped * 1.442_695_04 + shifter
        let n = shifted - shifter
        let r = (clamped - n * 0.693_359_375) - n * -2.121_944_4e-4
        var p = Lanes(repeating: 1.0 / 5040)
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let whole = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- Int32(bitPattern: shifter.bitPattern)
        let half = whole &>> 1
        let scaleA = unsafeBitCast((half &+ 127) &<< 23, to: Lanes.self)
        let scaleB = unsafeBitCast((whole &- half &+ 127) &<< 23, to: Lanes.self)
        var result = p * scaleA * scaleB
        result.replace(with: 0, where: x .< low)
        result.replace(with: .infinity, where: x .> high)
        return result
    }

    /// Φ(x) = ½(1 + erf(x/√2)), the standard normal CDF, in every lane, together with the
    /// density φ(x) = e^(−x²/2)/√(2π) that its derivative needs (GELU's backward).
    ///
    /// With z = |x|/√2 and t = 2/(2 + z), erfc(z) = t·exp(−z² + P(t)), where P is the
    /// degree-9 Chebyshev fit published in Numerical Recipes (§6.2, "erfcc"): fractional
    /// error below 1.2·10⁻⁷ for every z ≥ 0. The tail is therefore accurate in relative
    /// terms too, which matters for x ≪ 0 where Φ(x) is tiny: Φ(x) = ½erfc(z) for x < 0
    /// and 1 − ½erfc(z) for x ≥ 0 (no cancellation: ½erfc ≤ ½ there). Relative error of Φ
    /// below 10⁻⁶ over [−12, 8] (checked in GELUTests). The density's exponential is dead code
    /// when only Φ is used, and the optimiser drops it.
    @inlinable @inline(__always)
    public static func normalCDF(_ x: Lanes) -> (cdf: Lanes, density: Lanes) {
        let z = magnitude(x) * 0.707_106_781_186_547_5
        let t = 2 / (2 + z)
        var p = Lanes(repeating: 0.170_872_77)
        p = p * t - 0.822_152_23
        p = p * t + 1.488_515_87
        p = p * t - 1.135_203_98
        p = p * t + 0.278_868_07
        p = p * t - 0.186_288_06
        p = p * t + 0.096_784_18
        p = p * t + 0.374_091_96
        p = p * t + 1.000_023_68
        p = p * t - 1.265_512_23
        // x²/2 split as hi + lo with hi exact: x = xₕ + xₗ, xₕ keeping 12 significant bits,
        // so xₕ² is exact in Float32. Rounding x²/2 ≈ 70 (x ≈ −12) would otherwise cost
        // 4·10⁻⁶ in the exponent, and as much relative error in the tail.
        let xHigh = unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0xFFFF_F000, to: Lanes.self)
        let xLow = x - xHigh
        let high = 0.5 * xHigh * xHigh
        let low = 0.5 * (x + xHigh) * xLow
        let gaussianHigh = exp(-high)
        let halfErfc = 0.5 * t * gaussianHigh * exp(p - low)
        let gaussian = gaussianHigh * exp(-low)                 // e^(−x²/2)
        var cdf = 1 - halfErfc
        cdf.replace(with: halfErfc, where: x .< 0)
        return (cdf, gaussian * 0.398_942_280_401_432_7)
    }

    /// |x| in every lane (clears the sign bits).
    @inlinable @inline(__always)
    public static func magnitude(_ x: Lanes) -> Lanes {
        unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: Lanes.self)
    }

    /// Loads up to 16 floats from `p`; lanes past `count` get `padding`.
    @inlinable @inline(__always)
    public static func load(_ p: UnsafePointer<Float>, count: Int = width, padding: Float = 0) -> Lanes {
        if count >= width {
            return UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
        }
        var v = Lanes(repeating: padding)
        for i in 0..<count { v[i] = p[i] }
        return v
    }

    /// Stores the first `count` (at most 16) lanes of `v` at `p`.
    @inlinable @inline(__always)
    public static func store(_ v: Lanes, to p: UnsafeMutablePointer<Float>, count: Int = width) {
        if count >= width {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
            return
        }
        for i in 0..<count { p[i] = v[i] }
    }

    /// Calls `body(offset, lanes)` for consecutive blocks of 16 covering `range`; the last
    /// block may be shorter (`lanes` < 16), and `load`/`store` take that count.
    @inlinable @inline(__always)
    public static func forEachBlock(in range: Range<Int>, _ body: (Int, Int) -> Void) {
        var i = range.lowerBound
        while i + width <= range.upperBound {
            body(i, width)
            i += width
        }
        if i < range.upperBound { body(i, range.upperBound - i) }
    }

    /// The sum of the 16 lanes, in a fixed pairwise order.
    @inlinable @inline(__always)
    public static func sum(_ v: Lanes) -> Float {
        let a = v.lowHalf + v.highHalf
        let b = a.lowHalf + a.highHalf
        let c = b.lowHalf + b.highHalf
        return c[0] + c[1]
    }

    /// The largest of the 16 lanes.
    @inlinable @inline(__always)
    public static func max(_ v: Lanes) -> Float {
        let a = pointwiseMax(v.lowHalf, v.highHalf)
        let b = pointwiseMax(a.lowHalf, a.highHalf)
        let c = pointwiseMax(b.lowHalf, b.highHalf)
        return Swift.max(c[0], c[1])
    }
}
