import Tensors
import Autograd

/// Mixes given vectors into chosen rows: `y = x`, except at each row r of `rows`,
/// `y_r = (1 − λ)·x_r + λ·v_r` — TNF's input, the embedding of a rare word's token averaged
/// with the word's note (Docs/Methods/TNF.md, "Using notes in the input").
///
///     let mixed = mixRows(embeddings, rows: [3, 4], vectors: notes, weight: 0.5)   // [B, T, H]
///
/// The vectors are constants (a note is a buffer, not a parameter). Backward:
/// `∂ℓ/∂x_r = (1 − λ)·g_r` at a mixed row, `g` elsewhere. A row listed twice is mixed twice,
/// in order.
///
/// - Parameters:
///   - x: `[..., H]`, rows counted over the leading axes (`[B, T, H]`: row b·T + t).
///   - rows: the rows to mix. [N]
///   - vectors: `[N, H]`, one per row.
///   - weight: λ in [0, 1].
/// Introduced in Chapter 4.
public func mixRows(_ x: Variable, rows: [Int32], vectors: Tensor, weight λ: Float) -> Variable {
    let H = x.shape.last!
    let rowCount = x.value.count / H
    precondition(vectors.shape == [rows.count, H], "mixRows needs [\(rows.count), \(H)] vectors, not \(vectors.shape)")
    precondition(rows.allSatisfy { (0..<Int32(rowCount)).contains($0) }, "mixRows: a row is outside 0..<\(rowCount)")
    guard !rows.isEmpty else { return x }
    var y = x.value
    y.withUnsafeMutableBufferPointer { out in
        let v = vectors.pointer
        for (k, row) in rows.enumerated() {
            let base = Int(row) * H
            for h in 0..<H { out[base + h] = (1 - λ) * out[base + h] + λ * v[k * H + h] }
        }
    }
    return .record("mixRows", y, inputs: [x]) { g in
        var dx = g
        dx.withUnsafeMutableBufferPointer { d in
            for row in rows {
                let base = Int(row) * H
                for h in 0..<H { d[base + h] *= 1 - λ }
            }
        }
        return [dx]
    }
}
