import CKernels

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
    let threshold = dropoutThreshold(p)
    var y = Tensor(uninitializedShape: x.shape)
    let px = x.pointer, n = x.count
    y.withUnsafeMutableBufferPointer { out in
        let py = out.baseAddress!
        // The C kernel `tenfold_dropout` (SplitMix64 vectorised with AVX2 where present);
        // each chunk knows where it starts, so the mask ignores how the work was split.
        Parallel.forChunks(of: n, minimumChunk: 1 << 14) { range in
            tenfold_dropout(px + range.lowerBound, py + range.lowerBound, range.count, range.lowerBound,
                            threshold, scale, seed)
        }
    }
    return y
}

/// uᵢ ≥ p  ⇔  the 24-bit integer uᵢ·2²⁴ ≥ ⌈p·2²⁴⌉, compared in integers.
func dropoutThreshold(_ p: Float) -> UInt32 {
    UInt32((Double(p) * 16_777_216).rounded(.up))
}

/// Dropout of a stretch of a larger tensor: `y[i] = x[i]·m/(1 − p)` for the elements
/// `start ..< start + count` of a tensor whose whole mask is `dropout(_:probability:seed:)`'s
/// for `seed` — element `start + i` gets exactly the draw it would get there. Lets a fused
/// kernel (attention, one (batch, head) block at a time) apply, and in its backward pass
/// regenerate, the same mask without forming the whole tensor. `y` may be `x`.
/// Introduced in Chapter 1, with the fused attention core.
public func dropoutStretch(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int,
                           startingAt start: Int, probability p: Float, seed: UInt64) {
    precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
    if p == 0 {
        if UnsafePointer(y) != x { y.update(from: x, count: count) }
        return
    }
    tenfold_dropout(x, y, count, start, dropoutThreshold(p), 1 / (1 - p), seed)
}

/// The multipliers of `dropoutStretch`: `m[i] = 1/(1 − p)` where element `start + i` is
/// kept and 0 where it is dropped, so that `x ⊙ m` is the dropout of x (up to the sign of
/// a dropped zero). A backward pass that needs the mask twice draws it once this way.
/// Introduced in Chapter 1, with the fused attention core.
public func dropoutMultipliers(into m: UnsafeMutablePointer<Float>, count: Int, startingAt start: Int,
                               probability p: Float, seed: UInt64) {
    precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
    if p == 0 {
        m.update(repeating: 1, count: count)
        return
    }
    tenfold_dropout_multipliers(m, count, start, dropoutThreshold(p), 1 / (1 - p), seed)
}
