/// Inverted dropout: each element is zeroed with probability p, the survivors are scaled by
/// 1/(1 − p) so the expected value is unchanged and evaluation needs no rescaling.
///
///     var rng = SeededGenerator(seed: 7)
///     let h = dropout(x, probability: 0.1, using: &rng)     // [B, T, H] → [B, T, H]
///
/// yᵢ = xᵢ·mᵢ/(1 − p), mᵢ ∈ {0, 1}, mᵢ = 1 when uᵢ ≥ p, where uᵢ is a 24-bit fraction in
/// [0, 1) cut from h = `SeededGenerator.mix(seed, ⌊i/2⌋)`: bits 40–63 of h for even i,
/// bits 8–31 for odd i (one 64-bit hash serves two elements, halving the multiplies).
/// Because uᵢ depends only on the seed and i, the mask is the same whatever the thread
/// count, and the backward pass
/// regenerates it instead of storing it: ∂ℓ/∂x = g·m/(1 − p) = `dropout(g, probability: p,
/// seed: seed)`. One `rng.next()` is drawn as the seed even when p = 0, so changing p never
/// shifts the later draws of `rng`. With p = 0 the input is returned as is (no copy).
/// Shape: any → the same.
/// Introduced in Chapter 1 (Foundation).
public func dropout(_ x: Tensor, probability p: Float, using rng: inout SeededGenerator) -> Tensor {
    dropout(x, probability: p, seed: rng.next())
}

/// Dropout with an explicit mask seed: the forward pass and, applied to the gradient with the
/// same seed, the backward pass. See `dropout(_:probability:using:)`.
/// Introduced in Chapter 1 (Foundation).
public func dropout(_ x: Tensor, probability p: Float, seed: UInt64) -> Tensor {
    precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
    if p == 0 { return x }
    return dropoutKernel(x, probability: p, seed: seed, scale: 1 / (1 - p))
}

/// The keep mask of `dropout(_:probability:seed:)` as 0/1 floats (for tests and figures).
/// Introduced in Chapter 1 (Foundation).
public func dropoutMask(shape: [Int], probability p: Float, seed: UInt64) -> Tensor {
    dropoutKernel(Tensor.ones(shape), probability: p, seed: seed, scale: 1)
}

func dropoutKernel(_ x: Tensor, probability p: Float, seed: UInt64, scale: Float) -> Tensor {
    // uᵢ ≥ p  ⇔  24-bit integer uᵢ·2²⁴ ≥ ⌈p·2²⁴⌉, compared in integers.
    let threshold = UInt32((Double(p) * 16_777_216).rounded(.up))
    /// x·scale where the 24-bit draw u keeps it, +0 where it drops it. Masking the bits
    /// instead of branching: the branch would mispredict on every dropped element, and the
    /// product is never formed as 0·x (which is NaN for x = ±∞).
    @inline(__always)
    func kept(_ value: Float, _ u: UInt64) -> Float {
        Float(bitPattern: (value * scale).bitPattern & (UInt32(truncatingIfNeeded: u) >= threshold ? ~0 : 0))
    }
    var y = Tensor(uninitializedShape: x.shape)
    let px = x.pointer, n = x.count
    y.withUnsafeMutableBufferPointer { out in
        let py = out.baseAddress!
        // Work is split in pairs (2k, 2k + 1), which share the hash of k.
        Parallel.forChunks(of: (n + 1) / 2, minimumChunk: 1 << 13) { pairs in
            let fullPairs = pairs.lowerBound..<Swift.min(pairs.upperBound, n / 2)
            for k in fullPairs {
                let h = SeededGenerator.mix(seed, UInt64(k))
                py[2 * k] = kept(px[2 * k], h >> 40)
                py[2 * k + 1] = kept(px[2 * k + 1], (h >> 8) & 0xFF_FFFF)
            }
            if pairs.upperBound > n / 2 {                // n odd: the last element is alone
                let k = n / 2
                py[2 * k] = kept(px[2 * k], SeededGenerator.mix(seed, UInt64(k)) >> 40)
            }
        }
    }
    return y
}

/// Dropout of a stretch of a larger tensor: `y[i] = x[i]·m/(1 − p)` for the elements
/// `start ..< start + count` of a tensor whose whole mask is `dropout(_:probability:seed:)`'s
/// for `seed` — element `start + i` gets exactly the draw it would get there. Lets a fused
/// kernel (attention, one (batch, head) block at a time) apply, and in its backward pass
/// regenerate, the same mask without forming the whole tensor. `y` may be `x`.
/// Introduced with the fused attention core (issue 8).
public func dropoutStretch(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int,
                           startingAt start: Int, probability p: Float, seed: UInt64) {
    precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
    if p == 0 {
        if UnsafePointer(y) != x { y.update(from: x, count: count) }
        return
    }
    let threshold = UInt32((Double(p) * 16_777_216).rounded(.up))
    let scale = 1 / (1 - p)
    var i = 0
    while i < count {
        let index = start + i
        let h = SeededGenerator.mix(seed, UInt64(index / 2))
        // Even elements use bits 40–63 of their pair's hash, odd elements bits 8–31.
        let u = index % 2 == 0 ? UInt32(truncatingIfNeeded: h >> 40) : UInt32(truncatingIfNeeded: (h >> 8) & 0xFF_FFFF)
        y[i] = Float(bitPattern: (x[i] * scale).bitPattern & (u >= threshold ? ~0 : 0))
        if index % 2 == 0 && i + 1 < count {
            let v = UInt32(truncatingIfNeeded: (h >> 8) & 0xFF_FFFF)
            y[i + 1] = Float(bitPattern: (x[i + 1] * scale).bitPattern & (v >= threshold ? ~0 : 0))
            i += 2
        } else {
            i += 1
        }
    }
}

/// The multipliers of `dropoutStretch`: `m[i] = 1/(1 − p)` where element `start + i` is
/// kept and 0 where it is dropped, so that `x ⊙ m` is the dropout of x (up to the sign of
/// a dropped zero). A backward pass that needs the mask twice draws it once this way.
/// Introduced with the fused attention core (issue 8).
public func dropoutMultipliers(into m: UnsafeMutablePointer<Float>, count: Int, startingAt start: Int,
                               probability p: Float, seed: UInt64) {
    m.update(repeating: 1, count: count)
    dropoutStretch(UnsafePointer(m), into: m, count: count, startingAt: start, probability: p, seed: seed)
}
