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

    /// eˣ in every lane, relative error measured ≤ 9·10⁻⁸ (about 1 ulp) for x ∈ [−87.3, 88.7];
    /// 0 below (including −∞), +∞ above.
    ///
    /// Range reduction: x = n·ln 2 + r with n = round(x/ln 2), |r| ≤ ½ln 2, so
    /// eˣ = 2ⁿ·eʳ. ln 2 is split in a high part (exact in Float32 times any n ≤ 2⁸) and a
    /// low part, so r is computed without cancellation. eʳ is its Taylor polynomial of
    /// degree 7: the first omitted term is |r|⁸/8! ≤ 5·10⁻⁹. 2ⁿ is built from exponent bits,
    /// in two halves so that n from −126 to 128 never leaves the normal range.
    @inlinable @inline(__always)
    public static func exp(_ x: Lanes) -> Lanes {
        // Every constant is spelled as a whole vector and clamps use `replace`: Swift's
        // scalar-broadcasting SIMD operators and `clamped` were measured ~10× slower here.
        let low = Lanes(repeating: -87.33654), high = Lanes(repeating: 88.72283)
        var clamped = x
        clamped.replace(with: low, where: x .< low)
        clamped.replace(with: high, where: x .> high)
        // Adding 1.5·2²³ rounds to an integer and leaves it in the low mantissa bits.
        let shifter = Lanes(repeating: 12_582_912)
        let shifted = clamped * Lanes(repeating: 1.442_695_04) + shifter
        let n = shifted - shifter
        let r = (clamped - n * Lanes(repeating: 0.693_359_375)) - n * Lanes(repeating: -2.121_944_4e-4)
        var p = Lanes(repeating: 1.0 / 5040)
        p = p * r + Lanes(repeating: 1.0 / 720)
        p = p * r + Lanes(repeating: 1.0 / 120)
        p = p * r + Lanes(repeating: 1.0 / 24)
        p = p * r + Lanes(repeating: 1.0 / 6)
        p = p * r + Lanes(repeating: 0.5)
        p = p * r + Lanes(repeating: 1)
        p = p * r + Lanes(repeating: 1)
        typealias Integers = SIMD16<Int32>
        let whole = unsafeBitCast(shifted, to: Integers.self)
            &- Integers(repeating: Int32(bitPattern: Float(12_582_912).bitPattern))
        let half = whole &>> Integers(repeating: 1)
        let bias = Integers(repeating: 127), exponentShift = Integers(repeating: 23)
        let scaleA = unsafeBitCast((half &+ bias) &<< exponentShift, to: Lanes.self)
        let scaleB = unsafeBitCast((whole &- half &+ bias) &<< exponentShift, to: Lanes.self)
        var result = p * scaleA * scaleB
        result.replace(with: Lanes(repeating: 0), where: x .< low)
        result.replace(with: Lanes(repeating: .infinity), where: x .> high)
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
    /// measured ≤ 4.2·10⁻⁷ over [−12, 8] (GELUTests asserts 10⁻⁶). The density's
    /// exponential is dead code when only Φ is used, and the optimiser drops it.
    @inlinable @inline(__always)
    public static func normalCDF(_ x: Lanes) -> (cdf: Lanes, density: Lanes) {
        let z = magnitude(x) * Lanes(repeating: 0.707_106_781_186_547_5)
        let two = Lanes(repeating: 2)
        let t = two / (two + z)
        var p = Lanes(repeating: 0.170_872_77)
        p = p * t + Lanes(repeating: -0.822_152_23)
        p = p * t + Lanes(repeating: 1.488_515_87)
        p = p * t + Lanes(repeating: -1.135_203_98)
        p = p * t + Lanes(repeating: 0.278_868_07)
        p = p * t + Lanes(repeating: -0.186_288_06)
        p = p * t + Lanes(repeating: 0.096_784_18)
        p = p * t + Lanes(repeating: 0.374_091_96)
        p = p * t + Lanes(repeating: 1.000_023_68)
        p = p * t + Lanes(repeating: -1.265_512_23)
        // x²/2 split as hi + lo with hi exact: x = xₕ + xₗ, xₕ keeping 12 significant bits,
        // so xₕ² is exact in Float32. Rounding x²/2 ≈ 70 (x ≈ −12) would otherwise cost
        // 4·10⁻⁶ in the exponent, and as much relative error in the tail.
        let xHigh = unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & SIMD16<UInt32>(repeating: 0xFFFF_F000),
                                  to: Lanes.self)
        let xLow = x - xHigh
        let half = Lanes(repeating: 0.5)
        let high = half * xHigh * xHigh
        let low = half * (x + xHigh) * xLow
        let gaussianHigh = exp(-high)
        let halfErfc = half * t * gaussianHigh * exp(p - low)
        let gaussian = gaussianHigh * exp(-low)                 // e^(−x²/2)
        var cdf = Lanes(repeating: 1) - halfErfc
        cdf.replace(with: halfErfc, where: x .< Lanes(repeating: 0))
        var density = gaussian * Lanes(repeating: 0.398_942_280_401_432_7)
        // Beyond |x| = 13.5, e^(−x²/2) has underflowed anyway; setting the limits here also
        // keeps ±∞ (where xₗ = ∞ − ∞ is NaN) from poisoning the result.
        let far = Lanes(repeating: 13.5)
        cdf.replace(with: Lanes(repeating: 0), where: x .< -far)
        cdf.replace(with: Lanes(repeating: 1), where: x .> far)
        density.replace(with: Lanes(repeating: 0), where: magnitude(x) .> far)
        return (cdf, density)
    }

    /// |x| in every lane (clears the sign bits).
    @inlinable @inline(__always)
    public static func magnitude(_ x: Lanes) -> Lanes {
        unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & SIMD16<UInt32>(repeating: 0x7FFF_FFFF), to: Lanes.self)
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
    public static func max(_ v: Lanes) -> Float { v.max() }

    /// The lane-wise maximum (`pointwiseMax` was measured ~100× slower than this `replace`).
    @inlinable @inline(__always)
    public static func maximum(_ a: Lanes, _ b: Lanes) -> Lanes {
        var m = a
        m.replace(with: b, where: b .> a)
        return m
    }
}
