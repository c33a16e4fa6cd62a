/// Inverted dropout: each element is zeroed with probability p, the survivors are scaled by
/// 1/(1 − p) so the expected value is unchanged and evaluation needs no rescaling.
///
///     var rng = SeededGenerator(seed: 7)
///     let h = dropout(x, probability: 0.1, using: &rng)     // [B, T, H] → [B, T, H]
///
/// yᵢ = xᵢ·mᵢ/(1 − p), mᵢ ∈ {0, 1}, mᵢ = 1 when uᵢ ≥ p, where uᵢ is the top 24 bits of
/// `SeededGenerator.mix(seed, i)` as a fraction in [0, 1). Because uᵢ depends only on the
/// seed and i, the mask is the same whatever the thread count, and the backward pass
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
    var y = Tensor(uninitializedShape: x.shape)
    let px = x.pointer
    y.withUnsafeMutableBufferPointer { out in
        let py = out.baseAddress!
        Parallel.forChunks(of: x.count, minimumChunk: 1 << 14) { range in
            for i in range {
                let u = UInt32(truncatingIfNeeded: SeededGenerator.mix(seed, UInt64(i)) >> 40)
                py[i] = u >= threshold ? px[i] * scale : 0
            }
        }
    }
    return y
}
