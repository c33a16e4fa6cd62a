/// Scalar eˣ and Φ(x) written for the loop vectoriser: the transcendental math of softmax,
/// cross-entropy and GELU.
///
///     for i in 0..<n { y[i] = FastMath.exp(x[i]) }     // compiled with -O: 4 lanes at a time
///
/// libm's `expf` and `erff` are opaque calls, one element at a time. These functions are
/// plain Float arithmetic, integer operations on the bit pattern and selects (`c ? a : b`,
/// `min`, `max`) — no branches, no calls, no traps — so once inlined into a simple loop over
/// raw pointers LLVM turns each operation into one vector instruction: 4 lanes with the
/// baseline x86-64 SSE2 (no `-march` flag needed), 4 with arm64 NEON. Generic `SIMD16<Float>`
/// code does the same work worse on SSE2: its comparisons and `replace(with:where:)` are
/// lowered lane by lane (measured 2–4× slower than these scalar loops).
///
/// Every function is `@inlinable` so that other modules (Transformer's attention softmax)
/// inline and vectorise it too.
/// Introduced in Chapter 1 (Foundation).
public enum FastMath {
    /// eˣ, relative error measured ≤ 9·10⁻⁸ (about 1 ulp) for x ∈ [−87.3, 88.7];
    /// 0 below (including −∞), +∞ above, NaN for NaN.
    ///
    /// Range reduction: x = n·ln 2 + r with n = round(x/ln 2), |r| ≤ ½ln 2, so eˣ = 2ⁿ·eʳ
    /// (see `exp(high:low:)`). The input is clamped first so that n stays in [−126, 128]
    /// and the exponent arithmetic cannot wrap; the selects at the end put back 0 and +∞.
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let low: Float = -87.336_54, high: Float = 88.722_83
        // Written as selects (not Swift.min/max) so a NaN input stays NaN all the way.
        let clamped = x < low ? low : (x > high ? high : x)
        // Adding −0 is exact for every x, so LLVM drops it: the same code as exp(high: x).
        let y = exp(high: clamped, low: -0.0)
        return x < low ? 0 : (x > high ? .infinity : y)
    }

    /// e^(h + l) for a sum kept in two parts: h exactly representable as n·ln 2 plus a
    /// remainder (any h with at most 24 significant bits above 2⁻¹⁷, such as ½xₕ² below),
    /// l small. The caller keeps h + l within [−126·ln 2, 128·ln 2]; there is no clamp.
    ///
    /// n = round((h + l)/ln 2) by adding 1.5·2²³: the sum lands where the spacing of floats
    /// is 1, so it is rounded to an integer, which sits in the low mantissa bits.
    /// r = ((h − n·ln2ₕ) + l) − n·ln2ₗ, with ln 2 = ln2ₕ + ln2ₗ and ln2ₕ = 355/512 having
    /// 9 bits: n·ln2ₕ is exact and so is h − n·ln2ₕ, so r carries no rounding of the large
    /// part. eʳ is its Taylor polynomial of degree 7 (first omitted term |r|⁸/8! ≤ 5·10⁻⁹).
    /// 2ⁿ is written into exponent bits in two halves, 2^⌊n/2⌋·2^(n−⌊n/2⌋), so that n from
    /// −133 to 128 never leaves the normal range of either factor.
    @inlinable @inline(__always)
    public static func exp(high h: Float, low l: Float) -> Float {
        let shifter: Float = 12_582_912                        // 1.5·2²³
        let shifted = (h + l) * 1.442_695_04 + shifter         // 1/ln 2
        let n = shifted - shifter
        let r = ((h - n * 0.693_359_375) + l) - n * -2.121_944_4e-4
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // n as an integer: the shifted float's bits minus the shifter's bits (0x4B40_0000).
        let whole = Int32(bitPattern: shifted.bitPattern &- 0x4B40_0000)
        let half = whole &>> 1
        let scaleA = Float(bitPattern: UInt32(bitPattern: (half &+ 127) &<< 23))
        let scaleB = Float(bitPattern: UInt32(bitPattern: (whole &- half &+ 127) &<< 23))
        return p * scaleA * scaleB
    }

    /// Beyond |x| = 13.5 the tails of the normal distribution are below 10⁻⁴⁰: Φ is taken
    /// as exactly 0 or 1 there and φ as 0.
    /// (A computed literal, not a stored `static let`, whose lazy initialisation would be
    /// a call inside vectorised loops.)
    @inlinable public static var normalTail: Float { 13.5 }

    /// Φ(x) = ½(1 + erf(x/√2)), the standard normal CDF, and the density
    /// φ(x) = e^(−x²/2)/√(2π) that its derivative needs (GELU's backward).
    ///
    /// With z = |x|/√2 and t = 2/(2 + z), erfc(z) = t·e^(−z² + P(t)), where P is the
    /// degree-9 Chebyshev fit published in Numerical Recipes (§6.2, "erfcc"): fractional
    /// error below 1.2·10⁻⁷ for every z ≥ 0. The tail is therefore accurate in relative
    /// terms too, which matters for x ≪ 0 where Φ(x) is tiny: Φ(x) = ½erfc(z) for x < 0
    /// and 1 − ½erfc(z) for x ≥ 0 (no cancellation: ½erfc ≤ ½ there). Relative error of Φ
    /// measured ≤ 4.2·10⁻⁷ over [−12, 8] (GELUTests asserts 10⁻⁶).
    ///
    /// z² = x²/2 reaches 91 at the tail; rounding it would cost up to 4·10⁻⁶ of relative
    /// error, so it is split: x = xₕ + xₗ with xₕ keeping 12 significant bits, so
    /// x²/2 = ½xₕ² + ½(x + xₕ)xₗ with ½xₕ² exact, and both exponentials are taken with
    /// `exp(high:low:)`. x is clamped to ±13.5 first, which keeps ±∞ (where xₗ = ∞ − ∞)
    /// out of the arithmetic; Φ is then set to 0 below −13.5. φ is not zeroed beyond the
    /// tail (it is ≈10⁻⁴⁰ there): callers multiplying it by x must select on `normalTail`.
    /// When only `cdf` is used the optimiser drops the density's exponential.
    @inlinable @inline(__always)
    public static func normalCDFAndDensity(_ x: Float) -> (cdf: Float, density: Float) {
        let a = Swift.min(Swift.max(x, -normalTail), normalTail)
        let t = 2 / (2 + a.magnitude * 0.707_106_781_186_547_5)
        var p: Float = 0.170_872_77
        p = p * t - 0.822_152_23
        p = p * t + 1.488_515_87
        p = p * t - 1.135_203_98
        p = p * t + 0.278_868_07
        p = p * t - 0.186_288_06
        p = p * t + 0.096_784_18
        p = p * t + 0.374_091_96
        p = p * t + 1.000_023_68
        p = p * t - 1.265_512_23
        let aHigh = Float(bitPattern: a.bitPattern & 0xFFFF_F000)
        let aLow = a - aHigh
        let squareHigh = 0.5 * aHigh * aHigh                  // exact
        let squareLow = 0.5 * (a + aHigh) * aLow
        let halfErfc = 0.5 * t * exp(high: -squareHigh, low: p - squareLow)
        let cdf = x < -normalTail ? 0 : (a < 0 ? halfErfc : 1 - halfErfc)
        let density = exp(high: -squareHigh, low: -squareLow) * 0.398_942_280_401_432_7  // 1/√(2π)
        return (cdf, density)
    }

    /// Φ(x), the standard normal CDF (see `normalCDFAndDensity`): exactly 0 below −13.5
    /// (including −∞) and 1 above 13.5.
    @inlinable @inline(__always)
    public static func normalCDF(_ x: Float) -> Float {
        normalCDFAndDensity(x).cdf
    }
}
