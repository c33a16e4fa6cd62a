import Tensors
import Autograd

/// Scores a few candidate tokens per row against the word table — MC-BERT's multiple choice
/// (Docs/Methods/ELECTRA-MC-BERT.md, "Main model head"): `K` logits per position, never a
/// full-vocabulary softmax.
///
///     let logits = candidateScores(h, candidates: ids, perRow: 10, table: E, bias: b,
///                                  extraRows: nota, extraBias: notaBias)        // [N, H] → [N, K]
///     let loss = crossEntropy(logits, targets: labels)
///
/// Candidate ids index the table's `V` rows followed by the `X` extra rows (MC-BERT's
/// [NOTA] is extra row 0, id `V`): with `R = [E; extraRows]`, `c = [b; extraBias]`,
///
///     yₙₖ = hₙ · R[cₙₖ] + c[cₙₖ]
///
/// Backward, with `G = ∂ℓ/∂y`:
/// - `∂ℓ/∂hₙ = Σₖ Gₙₖ R[cₙₖ]` (rows in parallel);
/// - `∂ℓ/∂R[v] = Σ_{(n,k): cₙₖ = v} Gₙₖ hₙ` — a dense `[V, H]` gradient (and `[X, H]`), the
///   columns split over the threads and every column's sum taken in (n, k) order, so the
///   bits never depend on the thread count;
/// - `∂ℓ/∂c[v] = Σ_{(n,k): cₙₖ = v} Gₙₖ`.
/// A candidate repeated in a row gets the same score each time and collects the gradient of
/// every copy.
///
/// Cost: `2·N·K·H` multiply-adds forward, twice that backward — for K = 10 about a
/// thousandth of the `2·N·V·H` a vocabulary softmax would take at V = 8192.
///
/// - Parameters:
///   - hidden: `[N, H]`.
///   - candidates: `[N, K]` row-major ids in `0..<V + X`.
///   - table: `[V, H]`; `bias`: `[V]`.
///   - extraRows: `[X, H]` rows that follow the table (nil: none); `extraBias`: `[X]`.
/// Introduced in Chapter 5.
public func candidateScores(_ hidden: Variable, candidates: [Int32], perRow K: Int,
                            table: Variable, bias: Variable,
                            extraRows: Variable? = nil, extraBias: Variable? = nil) -> Variable {
    let (h, E, b) = (hidden.value, table.value, bias.value)
    precondition(h.rank == 2 && E.rank == 2 && h.shape[1] == E.shape[1] && b.shape == [E.shape[0]],
                 "candidateScores: hidden \(h.shape), table \(E.shape) and bias \(b.shape) do not fit [N, H], [V, H], [V]")
    let (N, H, V) = (h.shape[0], h.shape[1], E.shape[0])
    precondition((extraRows == nil) == (extraBias == nil), "candidateScores: extra rows need their biases and back")
    let X = extraRows?.shape[0] ?? 0
    let extra = extraRows?.value ?? Tensor.zeros([0, H]), extraB = extraBias?.value ?? Tensor.zeros([0])
    precondition(extra.shape == [X, H] && extraB.shape == [X],
                 "candidateScores: extra rows \(extra.shape) and biases \(extraB.shape) do not fit [X, \(H)], [X]")
    precondition(K >= 1 && candidates.count == N * K, "candidateScores: \(candidates.count) candidates for \(N) rows of \(K)")
    for (i, c) in candidates.enumerated() where c < 0 || Int(c) >= V + X {
        preconditionFailure("candidateScores: candidate \(c) at \(i) is outside 0..<\(V + X) (V = \(V), \(X) extra rows)")
    }

    var y = Tensor(uninitializedShape: [N, K])
    let rowsOf = CandidateRows(table: E, bias: b, extra: extra, extraBias: extraB)
    let ph = h.pointer
    y.withUnsafeMutableBufferPointer { out in
        let py = out.baseAddress!
        candidates.withUnsafeBufferPointer { cs in
            Parallel.forChunks(of: N, minimumChunk: max(1, 8192 / max(K * H, 1))) { rows in
                for n in rows {
                    let hn = ph + n * H
                    for k in 0..<K {
                        let c = Int(cs[n * K + k])
                        py[n * K + k] = dot(hn, rowsOf.row(c), H) + rowsOf.bias(c)
                    }
                }
            }
        }
    }

    var inputs = [hidden, table, bias]
    if let extraRows, let extraBias { inputs += [extraRows, extraBias] }
    return .record("candidateScores", y, inputs: inputs) { G in
        // The tensors, not pointers, are what the closure keeps alive.
        let rowsOf = CandidateRows(table: E, bias: b, extra: extra, extraBias: extraB)
        let ph = h.pointer, pg = G.pointer
        var dh: Tensor? = nil
        if hidden.requiresGradient {
            var d = Tensor.zeros([N, H])
            d.withUnsafeMutableBufferPointer { out in
                let pd = out.baseAddress!
                candidates.withUnsafeBufferPointer { cs in
                    Parallel.forChunks(of: N, minimumChunk: max(1, 8192 / max(K * H, 1))) { rows in
                        for n in rows {
                            for k in 0..<K {
                                axpy(pg[n * K + k], rowsOf.row(Int(cs[n * K + k])), pd + n * H, H)
                            }
                        }
                    }
                }
            }
            dh = d
        }
        // The rows' gradients: ∂ℓ/∂R[c] += Gₙₖ·hₙ, a column block per thread, (n, k) in order.
        let wantsRows = table.requiresGradient || (extraRows?.requiresGradient ?? false)
        var dE = Tensor.zeros([V, H]), dX = Tensor.zeros([X, H])
        if wantsRows {
            dE.withUnsafeMutableBufferPointer { outE in
                dX.withUnsafeMutableBufferPointer { outX in
                    let pdE = outE.baseAddress!, pdX = outX.baseAddress
                    candidates.withUnsafeBufferPointer { cs in
                        let minimumColumns = N * K * H < (1 << 15) ? H : 16
                        Parallel.forChunks(of: H, minimumChunk: minimumColumns) { columns in
                            for n in 0..<N {
                                let hn = ph + n * H
                                for k in 0..<K {
                                    let c = Int(cs[n * K + k]), g = pg[n * K + k]
                                    let target = c < V ? pdE + c * H : pdX! + (c - V) * H
                                    for j in columns { target[j] += g * hn[j] }
                                }
                            }
                        }
                    }
                }
            }
        }
        var db = Tensor.zeros([V]), dXb = Tensor.zeros([X])
        db.withUnsafeMutableBufferPointer { outB in
            dXb.withUnsafeMutableBufferPointer { outXb in
                for (i, c) in candidates.enumerated() {
                    let c = Int(c)
                    if c < V { outB[c] += pg[i] } else { outXb[c - V] += pg[i] }
                }
            }
        }
        var gradients: [Tensor?] = [dh, table.requiresGradient ? dE : nil, bias.requiresGradient ? db : nil]
        if let extraRows, let extraBias {
            gradients += [extraRows.requiresGradient ? dX : nil, extraBias.requiresGradient ? dXb : nil]
        }
        return gradients
    }
}

/// The candidate rows `[E; extra]` and their biases `[b; extraBias]`, by id.
private struct CandidateRows {
    let table: Tensor, tableBias: Tensor, extra: Tensor, extraBias: Tensor
    let V: Int, H: Int

    init(table: Tensor, bias: Tensor, extra: Tensor, extraBias: Tensor) {
        self.table = table; tableBias = bias; self.extra = extra; self.extraBias = extraBias
        V = table.shape[0]; H = table.shape[1]
    }

    /// Valid while this value is alive.
    @inline(__always) func row(_ c: Int) -> UnsafePointer<Float> {
        c < V ? table.pointer + c * H : extra.pointer + (c - V) * H
    }

    @inline(__always) func bias(_ c: Int) -> Float { c < V ? tableBias.pointer[c] : extraBias.pointer[c - V] }
}

/// `Σⱼ aⱼbⱼ` over `n` floats, in 16-lane blocks.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var lanes = Vector.Lanes()
    Vector.forEachBlock(in: 0..<n) { i, count in
        lanes += Vector.load(a + i, count: count) * Vector.load(b + i, count: count)
    }
    return Vector.sum(lanes)
}

/// `y += α·x` over `n` floats.
@inline(__always)
func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    for j in 0..<n { y[j] += alpha * x[j] }
}
