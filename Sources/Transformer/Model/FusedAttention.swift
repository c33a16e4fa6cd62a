import Tensors
import Autograd

/// Multi-head attention from packed projections, one (sequence, head) block at a time.
///
///     let qkv = linear(x, weight: [W^Q | W^K | W^V], bias: [b^Q | b^K | b^V])   // [B, T, 3H]
///     let (P, context) = fusedAttention(qkv, heads: A, scale: 1/√D, bias: nil,
///                                       keyLengths: lengths, dropout: 0.1, seed: rng.next())
///
/// The same function as `referenceAttention` (Vaswani et al., 2017, §3.2.2), with the same
/// dropout mask for the same seed, but computed per (b, h) pair on
/// the cores: the queries, keys and values are read in place from the packed `[B, T, 3H]`
/// projections (row stride 3H), the context is written in place into `[B, T, H]`, and the
/// T×T scores never leave the thread's cache. Only P is stored; the backward pass
/// regenerates the dropout mask from its seed. The six block products go through
/// `SmallProduct`, which at these sizes is faster than OpenBLAS and writes C without zeroing it.
/// Blocks go four at a time to whichever core is free; each block's numbers do not depend on
/// the core, so the result is the same bits however they are shared out.
///
/// Backward, per block, with G = ∂ℓ/∂context, P̃ = P ⊙ m/(1 − p):
/// `dV = P̃ᵀG`, `dP̃ = G·Vᵀ`, `dP = dP̃ ⊙ m/(1 − p)`, `dS = P ⊙ (dP − rowsum(P ⊙ dP))`,
/// `dQ = c·dS·K`, `dK = c·dSᵀ·Q`; the bias receives `dS` summed over the sequences (and the
/// heads, for a `[T, T]` bias) in a fixed order.
///
/// - Parameters:
///   - qkv: `[B, T, 3H]`: queries, keys and values side by side.
///   - scale: the content scale c; bias: `[A, T, T]`, `[T, T]` or nil.
///   - keyLengths: the B true lengths; keys at or beyond a sequence's length get P = 0.
///   - dropout: p, applied to P; seed: its mask (ignored when p = 0).
/// - Returns: `probabilities [B, A, T, T]` (values only: no gradient flows through them)
///   and `context [B, T, H]`.
/// Introduced in Chapter 1, as `MultiHeadAttention`'s fast path.
public func fusedAttention(_ qkv: Variable, heads A: Int, scale c: Float, bias: Variable?, keyLengths: [Int],
                           dropout p: Float, seed: UInt64) -> (probabilities: Tensor, context: Variable) {
    let shape = qkv.shape
    precondition(shape.count == 3 && shape[2] % 3 == 0 && (shape[2] / 3) % A == 0,
                 "packed projections must be [B, T, 3H] with H a multiple of \(A) heads, not \(shape)")
    let (B, T, H) = (shape[0], shape[1], shape[2] / 3)
    let D = H / A, row = 3 * H
    precondition(keyLengths.count == B && keyLengths.allSatisfy { (1...T).contains($0) },
                 "need \(B) key lengths in 1…\(T), got \(keyLengths)")
    if let bias {
        precondition(bias.shape == [A, T, T] || bias.shape == [T, T],
                     "attention bias must be [A, T, T] = [\(A), \(T), \(T)] or [T, T], not \(bias.shape)")
    }
    let biasPerHead = bias?.shape.count == 3
    // Every block product is [T, D]·[D, T] or [T, T]·[T, D]; one scratch size serves them all.
    let scratchCount = max(SmallProduct.scratchCount(m: T, n: T, k: D), SmallProduct.scratchCount(m: T, n: D, k: T))
    let Q = qkv.value
    var probabilities = Tensor(uninitializedShape: [B, A, T, T])
    var context = Tensor(uninitializedShape: [B, T, H])
    let pq = Q.pointer, pBias = bias?.value.pointer
    probabilities.withUnsafeMutableBufferPointer { pBuffer in
        context.withUnsafeMutableBufferPointer { cBuffer in
            let pp = pBuffer.baseAddress!, pc = cBuffer.baseAddress!
            Parallel.forRangesDynamically(of: B * A, size: 4) { pairs in
                let dropped = UnsafeMutablePointer<Float>.allocate(capacity: T * T)
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
                defer { dropped.deallocate(); scratch.deallocate() }
                for pair in pairs {
                    let (b, h) = (pair / A, pair % A)
                    let n = keyLengths[b]
                    let q = pq + b * T * row + h * D, k = q + H, v = q + 2 * H
                    let P = pp + pair * T * T
                    // S = c·Q·Kᵀ (+ bias), into P's block.
                    SmallProduct.multiply(m: T, n: T, k: D, alpha: c, StridedMatrix(q, rowStride: row),
                                          StridedMatrix(k, rowStride: row).transposed, into: P, ldc: T, scratch: scratch)
                    if let pBias {
                        let block = pBias + (biasPerHead ? h * T * T : 0)
                        for i in 0..<T { for j in 0..<n { P[i * T + j] += block[i * T + j] } }
                    }
                    for i in 0..<T {
                        let r = P + i * T
                        softmaxRow(r, into: r, count: n)
                        (r + n).update(repeating: 0, count: T - n)
                    }
                    // context block = P̃·V, written into columns h·D… of [B, T, H].
                    let weights: UnsafePointer<Float>
                    if p > 0 {
                        dropoutStretch(P, into: dropped, count: T * T, startingAt: pair * T * T, probability: p, seed: seed)
                        weights = UnsafePointer(dropped)
                    } else {
                        weights = UnsafePointer(P)
                    }
                    SmallProduct.multiply(m: T, n: D, k: T, StridedMatrix(weights, rowStride: T),
                                          StridedMatrix(v, rowStride: row), into: pc + b * T * H + h * D, ldc: H,
                                          scratch: scratch)
                }
            }
        }
    }
    let P = probabilities
    let biasShape = bias?.shape
    let inputs = bias.map { [qkv, $0] } ?? [qkv]
    let output = Variable.record("fusedAttention", context, inputs: inputs) { G in
        var dQKV = Tensor(uninitializedShape: shape)
        let wantsBias = bias?.requiresGradient ?? false
        // dS for every block, kept only when the bias wants its gradient (summed below).
        let dScores = wantsBias ? TensorStorage(uninitializedCount: B * A * T * T) : nil
        let pg = G.pointer, pP = P.pointer
        dQKV.withUnsafeMutableBufferPointer { dBuffer in
            let pd = dBuffer.baseAddress!
            let pS = dScores?.pointer
            Parallel.forRangesDynamically(of: B * A, size: 4) { pairs in
                let dropped = UnsafeMutablePointer<Float>.allocate(capacity: T * T)
                let multipliers = UnsafeMutablePointer<Float>.allocate(capacity: T * T)
                let local = UnsafeMutablePointer<Float>.allocate(capacity: T * T)
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
                defer { dropped.deallocate(); multipliers.deallocate(); local.deallocate(); scratch.deallocate() }
                for pair in pairs {
                    let (b, h) = (pair / A, pair % A)
                    let q = pq + b * T * row + h * D, k = q + H, v = q + 2 * H
                    let dq = pd + b * T * row + h * D, dk = dq + H, dv = dq + 2 * H
                    let g = pg + b * T * H + h * D
                    let Pb = pP + pair * T * T
                    let dS = pS.map { $0 + pair * T * T } ?? local
                    let weights: UnsafePointer<Float>
                    if p > 0 {
                        // The mask is drawn once and used twice: for P̃ here and for dP below.
                        dropoutMultipliers(into: multipliers, count: T * T, startingAt: pair * T * T,
                                           probability: p, seed: seed)
                        for i in 0..<(T * T) { dropped[i] = Pb[i] * multipliers[i] }
                        weights = UnsafePointer(dropped)
                    } else {
                        weights = Pb
                    }
                    // dV = P̃ᵀ·G and dP̃ = G·Vᵀ.
                    SmallProduct.multiply(m: T, n: D, k: T, StridedMatrix(weights, rowStride: T).transposed,
                                          StridedMatrix(g, rowStride: H), into: dv, ldc: row, scratch: scratch)
                    SmallProduct.multiply(m: T, n: T, k: D, StridedMatrix(g, rowStride: H),
                                          StridedMatrix(v, rowStride: row).transposed, into: dS, ldc: T, scratch: scratch)
                    if p > 0 {
                        for i in 0..<(T * T) { dS[i] *= multipliers[i] }
                    }
                    // dS = P ⊙ (dP − Σⱼ Pⱼ dPⱼ), row by row; padded keys have P = 0.
                    for i in 0..<T {
                        let r = dS + i * T, pr = Pb + i * T
                        // Σⱼ Pⱼ dPⱼ in 16 lanes: a scalar Float sum would not vectorise.
                        var lanes = Vector.Lanes()
                        Vector.forEachBlock(in: 0..<T) { j, count in
                            lanes += Vector.load(pr + j, count: count) * Vector.load(r + j, count: count)
                        }
                        let dot = Vector.sum(lanes)
                        for j in 0..<T { r[j] = pr[j] * (r[j] - dot) }
                    }
                    // dQ = c·dS·K and dK = c·dSᵀ·Q.
                    SmallProduct.multiply(m: T, n: D, k: T, alpha: c, StridedMatrix(dS, rowStride: T),
                                          StridedMatrix(k, rowStride: row), into: dq, ldc: row, scratch: scratch)
                    SmallProduct.multiply(m: T, n: D, k: T, alpha: c, StridedMatrix(dS, rowStride: T).transposed,
                                          StridedMatrix(q, rowStride: row), into: dk, ldc: row, scratch: scratch)
                }
            }
        }
        let dBias = dScores.map { Tensor(shape: [B, A, T, T], storage: $0).reduced(to: biasShape!) }
        return wantsBias ? [dQKV, dBias] : (bias == nil ? [dQKV] : [dQKV, nil])
    }
    return (P, output)
}
