import Tensors
import Autograd

/// Attention probabilities: a softmax over the keys of each query that ignores padding.
///
/// For scores `s [B, A, T, T]` and the true length `n_b` of each sequence,
/// `P_bhij = exp(s_bhij) / Σ_{j'<n_b} exp(s_bhij')` for `j < n_b` and 0 for padded keys
/// `j ≥ n_b` — the same as adding −∞ to padded keys, without ever forming an infinity.
/// Backward (per row, over the unpadded keys): `∂ℓ/∂s_j = P_j (g_j − Σ_k P_k g_k)`;
/// padded keys get 0.
///
/// - Parameters:
///   - scores: `[B, A, T, T]` attention logits.
///   - keyLengths: `B` lengths, each in `1…T`.
/// Introduced in Chapter 1.
public func attentionSoftmax(_ scores: Variable, keyLengths: [Int]) -> Variable {
    let shape = scores.shape
    precondition(shape.count == 4 && shape[2] == shape[3],
                 "attention scores must be [B, A, T, T], not \(shape)")
    let (B, A, T) = (shape[0], shape[1], shape[2])
    precondition(keyLengths.count == B && keyLengths.allSatisfy { (1...T).contains($0) },
                 "need \(B) key lengths in 1…\(T), got \(keyLengths)")
    var probabilities = Tensor(uninitializedShape: shape)
    let s = scores.value.pointer
    let rows = B * A * T
    probabilities.withUnsafeMutableBufferPointer { out in
        let p = out.baseAddress!
        Parallel.forChunks(of: rows, minimumChunk: 64) { range in
            for r in range {
                let n = keyLengths[r / (A * T)]
                let y = p + r * T
                softmaxRow(s + r * T, into: y, count: n)      // the C softmax kernel
                (y + n).update(repeating: 0, count: T - n)
            }
        }
    }
    let P = probabilities
    return .record("attentionSoftmax", P, inputs: [scores]) { g in
        var dS = Tensor(uninitializedShape: shape)
        let gp = g.pointer, pp = P.pointer
        dS.withUnsafeMutableBufferPointer { out in
            let d = out.baseAddress!
            Parallel.forChunks(of: rows, minimumChunk: 64) { range in
                for r in range {
                    let o = r * T
                    var dot: Float = 0
                    for j in 0..<T { dot += pp[o + j] * gp[o + j] }
                    // Padded keys have P = 0, so they get 0 here too.
                    for j in 0..<T { d[o + j] = pp[o + j] * (gp[o + j] - dot) }
                }
            }
        }
        return [dS]
    }
}
