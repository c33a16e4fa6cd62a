// Layer normalisation over the last axis (Ba, Kiros and Hinton, 2016), forward and
// backward as fused kernels: one pass over each row's `H` floats per formula, in 16-lane
// vectors, rows split over the cores.
//
// ε: BERT's 1e-12 (the Transformer passes its `ModelConfiguration.layerNormEpsilon`,
// whose default is BERT's, so Hugging Face checkpoints behave identically; PyTorch's own
// default is 1e-5). In Float32, 1e-12 only matters for a row whose variance is below
// ~1e-12 — a constant row. For such a row the kernel gives exactly `β`: the mean is
// computed relative to the row's first element, so a constant row has deviations of
// exactly zero instead of rounding noise that 1/√ε = 10⁶ would magnify.
// Introduced in Chapter 1 (Foundation).

/// What the forward pass returns: the output and the per-row statistics the backward needs.
public struct LayerNormResult {
    /// `y [..., H]`.
    public var output: Tensor
    /// `μ [...]`: the mean of each row.
    public var mean: Tensor
    /// `1/σ [...]` with `σ = √(variance + ε)` (biased variance, divided by `H`).
    public var rstd: Tensor
}

/// The three gradients of layer normalisation.
public struct LayerNormGradients {
    /// `∂ℓ/∂x [..., H]`.
    public var input: Tensor
    /// `∂ℓ/∂γ [H]`.
    public var gamma: Tensor
    /// `∂ℓ/∂β [H]`.
    public var beta: Tensor
}

/// Normalises every row of the last axis to zero mean and unit variance, then scales and
/// shifts it: `x [..., H]`, `γ [H]`, `β [H]` → `y [..., H]`.
///
///     let normed = layerNorm(x, gamma: γ, beta: β, epsilon: 1e-12).output   // [B, T, H]
///
/// Forward, per row: `μ = (1/H) Σⱼ xⱼ`, `σ² = (1/H) Σⱼ (xⱼ − μ)²`, `x̂ = (x − μ)/√(σ² + ε)`,
/// `y = γ ⊙ x̂ + β`. Two passes for the statistics (more accurate than Σx² − (Σx)², and the
/// row is in L1 cache for the second), a third writes `y`.
/// Introduced in Chapter 1 (Foundation).
public func layerNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float) -> LayerNormResult {
    let (H, R) = layerNormRows(x, gamma: gamma, beta: beta)
    var (output, mean, rstd) = layerNormOutputs(x)
    let px = x.pointer, pg = gamma.pointer, pb = beta.pointer
    output.withUnsafeMutableBufferPointer { o in
        mean.withUnsafeMutableBufferPointer { m in
            rstd.withUnsafeMutableBufferPointer { s in
                let po = o.baseAddress!, pm = m.baseAddress!, ps = s.baseAddress!
                Parallel.forChunks(of: R, minimumChunk: layerNormRowsPerChunk(H)) { rows in
                    for r in rows {
                        (pm[r], ps[r]) = normaliseRow(px + r * H, into: po + r * H, count: H,
                                                      gamma: pg, beta: pb, epsilon: epsilon)
                    }
                }
            }
        }
    }
    return LayerNormResult(output: output, mean: mean, rstd: rstd)
}

/// Checks layer norm's shapes (`x [..., H]`, `γ, β [H]`) and returns H and the row count.
func layerNormRows(_ x: Tensor, gamma: Tensor, beta: Tensor) -> (H: Int, rows: Int) {
    precondition(x.rank >= 1, "layerNorm needs at least one axis, not a scalar")
    let H = x.shape[x.rank - 1]
    precondition(gamma.shape == [H] && beta.shape == [H],
                 "layerNorm over H = \(H) needs γ and β of shape [\(H)], not \(gamma.shape) and \(beta.shape)")
    return (H, H == 0 ? 0 : x.count / H)
}

/// Uninitialised `y [..., H]`, `μ [...]` and `1/σ [...]` for `x [..., H]`.
func layerNormOutputs(_ x: Tensor) -> (output: Tensor, mean: Tensor, rstd: Tensor) {
    let rows = Array(x.shape.dropLast())
    return (Tensor(uninitializedShape: x.shape), Tensor(uninitializedShape: rows), Tensor(uninitializedShape: rows))
}

/// One row of `layerNorm`: writes `y = γ ⊙ (x − μ)/σ + β` and returns `(μ, 1/σ)`.
@inline(__always)
func normaliseRow(_ row: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count H: Int,
                  gamma pg: UnsafePointer<Float>, beta pb: UnsafePointer<Float>,
                  epsilon: Float) -> (mean: Float, rstd: Float) {
    // Pass 1: the mean, relative to the first element (exact for constant rows).
    let shift = row[0]
    var sum = Vector.Lanes(repeating: 0)
    Vector.forEachBlock(in: 0..<H) { j, n in
        sum += Vector.load(row + j, count: n, padding: shift) - shift
    }
    let mu = shift + Vector.sum(sum) / Float(H)
    // Pass 2: the variance from deviations.
    var squares = Vector.Lanes(repeating: 0)
    Vector.forEachBlock(in: 0..<H) { j, n in
        let d = Vector.load(row + j, count: n, padding: mu) - mu
        squares += d * d
    }
    let inverse = 1 / (Vector.sum(squares) / Float(H) + epsilon).squareRoot()
    // Pass 3: y = γ ⊙ (x − μ)/σ + β.
    Vector.forEachBlock(in: 0..<H) { j, n in
        let normalised = (Vector.load(row + j, count: n) - mu) * inverse
        let y = normalised * Vector.load(pg + j, count: n) + Vector.load(pb + j, count: n)
        Vector.store(y, to: out + j, count: n)
    }
    return (mu, inverse)
}

/// `layerNorm(x + dropout(z))` in one pass over the rows: the residual connection of a
/// Transformer sub-layer, `LN(x + Dropout(Sublayer(x)))` (Vaswani et al., 2017, §5.4).
///
///     let r = residualLayerNorm(x, plus: attended, probability: 0.1, seed: seed,
///                               gamma: γ, beta: β, epsilon: 1e-12)      // [B, T, H] each
///
/// Each row of the sum `s = x + dropout(z)` is formed and normalised while it is in cache,
/// so z's dropout and the sum never make a pass over memory of their own: reads x and z,
/// writes s (which the backward pass needs as layer norm's input) and y. The same numbers
/// as `layerNorm(x + dropout(z, probability: p, seed: seed), …)`, and the same mask.
/// Shapes: `x, z [..., H]`, `γ, β [H]` → `sum, output [..., H]`, `mean, rstd [...]`.
/// Introduced in Chapter 1, for the training step's speed.
public func residualLayerNorm(_ x: Tensor, plus z: Tensor, probability p: Float, seed: UInt64,
                              gamma: Tensor, beta: Tensor, epsilon: Float) -> (sum: Tensor, result: LayerNormResult) {
    precondition(x.shape == z.shape, "residualLayerNorm: x \(x.shape) and z \(z.shape) must have one shape")
    precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
    let (H, R) = layerNormRows(x, gamma: gamma, beta: beta)
    var sum = Tensor(uninitializedShape: x.shape)
    var (output, mean, rstd) = layerNormOutputs(x)
    let px = x.pointer, pz = z.pointer, pg = gamma.pointer, pb = beta.pointer
    sum.withUnsafeMutableBufferPointer { sBuffer in
        output.withUnsafeMutableBufferPointer { o in
            mean.withUnsafeMutableBufferPointer { m in
                rstd.withUnsafeMutableBufferPointer { r in
                    let psum = sBuffer.baseAddress!, po = o.baseAddress!, pm = m.baseAddress!, pr = r.baseAddress!
                    Parallel.forChunks(of: R, minimumChunk: layerNormRowsPerChunk(H)) { rows in
                        for row in rows {
                            let s = psum + row * H, xr = px + row * H
                            // s = dropout(z) for this row (element row·H + j of the whole mask), then + x.
                            dropoutStretch(pz + row * H, into: s, count: H, startingAt: row * H, probability: p, seed: seed)
                            for j in 0..<H { s[j] += xr[j] }
                            (pm[row], pr[row]) = normaliseRow(s, into: po + row * H, count: H,
                                                              gamma: pg, beta: pb, epsilon: epsilon)
                        }
                    }
                }
            }
        }
    }
    return (sum, LayerNormResult(output: output, mean: mean, rstd: rstd))
}

/// The backward of `layerNorm`, fused: `dx`, `dγ` and `dβ` from one read of each row.
///
/// With `g = ∂ℓ/∂y`, `x̂ = (x − μ)/σ` and `ĝ = g ⊙ γ` (the gradient with respect to `x̂`):
///
///     ∂ℓ/∂x = (1/σ)·(ĝ − mean(ĝ) − x̂ ⊙ mean(ĝ ⊙ x̂))     per row
///     ∂ℓ/∂γ = Σ_rows g ⊙ x̂,   ∂ℓ/∂β = Σ_rows g
///
/// (the two means come from differentiating μ and σ, which every element of the row
/// shares). `dγ` and `dβ` are summed per thread chunk into private rows, then those are
/// added in chunk order: deterministic for a given thread count, and race-free.
/// Shapes: `outputGradient, x [..., H]`, `gamma [H]`, `mean, rstd [...]` from the forward.
/// Introduced in Chapter 1 (Foundation).
public func layerNormBackward(_ outputGradient: Tensor, x: Tensor, gamma: Tensor,
                              mean: Tensor, rstd: Tensor) -> LayerNormGradients {
    precondition(outputGradient.shape == x.shape, "layerNormBackward: gradient \(outputGradient.shape) for x \(x.shape)")
    let H = x.shape[x.rank - 1]
    let R = H == 0 ? 0 : x.count / H
    precondition(gamma.shape == [H] && mean.count == R && rstd.count == R,
                 "layerNormBackward: γ \(gamma.shape), μ \(mean.shape), 1/σ \(rstd.shape) do not fit x \(x.shape)")
    var input = Tensor(uninitializedShape: x.shape)
    let chunks = Parallel.chunkCount(R, minimumChunk: layerNormRowsPerChunk(H))
    // Per chunk: dγ partial sums in [0, H), dβ in [H, 2H).
    var partials = Tensor.zeros([max(chunks, 1), 2 * H])
    let pgrad = outputGradient.pointer, px = x.pointer, pgamma = gamma.pointer
    let pmean = mean.pointer, prstd = rstd.pointer
    input.withUnsafeMutableBufferPointer { dxBuffer in
        partials.withUnsafeMutableBufferPointer { partialBuffer in
            let pdx = dxBuffer.baseAddress!, ppartial = partialBuffer.baseAddress!
            Parallel.forEach(chunks) { c in
                let dgamma = ppartial + c * 2 * H, dbeta = dgamma + H
                for r in Parallel.chunkRange(c, of: chunks, count: R) {
                    let g = pgrad + r * H, row = px + r * H, dx = pdx + r * H
                    let mu = pmean[r], inverse = prstd[r]
                    // Pass 1: the two row means, and this row's share of dγ and dβ.
                    var sumGhat = Vector.Lanes(repeating: 0), sumGhatXhat = Vector.Lanes(repeating: 0)
                    Vector.forEachBlock(in: 0..<H) { j, n in
                        let gj = Vector.load(g + j, count: n)
                        let xhat = (Vector.load(row + j, count: n, padding: mu) - mu) * inverse
                        let ghat = gj * Vector.load(pgamma + j, count: n)
                        sumGhat += ghat
                        sumGhatXhat += ghat * xhat
                        Vector.store(Vector.load(dgamma + j, count: n) + gj * xhat, to: dgamma + j, count: n)
                        Vector.store(Vector.load(dbeta + j, count: n) + gj, to: dbeta + j, count: n)
                    }
                    let meanGhat = Vector.sum(sumGhat) / Float(H)
                    let meanGhatXhat = Vector.sum(sumGhatXhat) / Float(H)
                    // Pass 2: dx = (ĝ − mean(ĝ) − x̂·mean(ĝ⊙x̂))/σ.
                    Vector.forEachBlock(in: 0..<H) { j, n in
                        let xhat = (Vector.load(row + j, count: n) - mu) * inverse
                        let ghat = Vector.load(g + j, count: n) * Vector.load(pgamma + j, count: n)
                        Vector.store((ghat - meanGhat - xhat * meanGhatXhat) * inverse, to: dx + j, count: n)
                    }
                }
            }
        }
    }
    // Sum the chunks' partial rows in chunk order.
    let sums = chunks <= 1 ? partials.reshaped([2 * H]) : partials.reshaped([chunks, 2 * H]).sumLeading(to: [2 * H])
    let halves = split(sums, sizes: [H, H], axis: 0)
    return LayerNormGradients(input: input, gamma: halves[0], beta: halves[1])
}

/// Rows per parallel chunk: about 8 K floats, so small batches stay on one thread.
@inline(__always)
func layerNormRowsPerChunk(_ H: Int) -> Int { max(1, 8192 / max(H, 1)) }
