import CKernels
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// Cross-entropy fused with log-softmax, the masked-LM loss.
//
// The log-softmax of a row is never materialised: the forward needs only each row's
// maximum and log-sum-exp, and the backward recomputes the probabilities `e^(z − lse)`
// from the logits instead of saving them — `N × V` floats of memory (20 MB for BERT-mini's
// 614 × 8192) traded for one vectorised exponential pass.
// Introduced in Chapter 1 (Foundation).

/// The forward result: the mean loss and what the backward and the statistics need.
///
/// Each row's log-sum-exp is kept in two parts, `lseᵢ = maximumᵢ + logSumᵢ`: with logits
/// near 10⁴ (or 10³⁰) the sum would round away the small part, and both the loss
/// `logSumᵢ − (zᵢₜ − maximumᵢ)` and the backward's `e^((z − maximum) − logSum)` are accurate
/// only when it is never formed.
public struct CrossEntropyResult {
    /// The mean of `rowLosses` over the counted rows; 0 when every row is ignored.
    public var loss: Float
    /// `[N]`: `−log softmax(zᵢ)[tᵢ]` per row, 0 for ignored rows (per-token statistics).
    public var rowLosses: Tensor
    /// `[N]`: `maxⱼ zᵢⱼ` per counted row (0 for ignored rows).
    public var maximum: Tensor
    /// `[N]`: `log Σⱼ e^(zᵢⱼ − maximumᵢ)` per counted row (0 for ignored rows).
    public var logSum: Tensor
    /// How many rows were counted (targets not equal to the ignore index).
    public var count: Int
}

/// The mean cross-entropy of rows of logits against target classes.
///
///     let result = crossEntropy(logits, targets: labels)    // [N, V], [N] → scalar
///     print(result.loss, result.rowLosses)
///
/// Forward, per row `i` with `tᵢ ≠ ignoreIndex`: `m = maxⱼ zᵢⱼ`,
/// `lseᵢ = m + log Σⱼ e^(zᵢⱼ − m)` (no exponent exceeds 0, so logits of 1e30 are fine),
/// `ℓᵢ = lseᵢ − zᵢₜᵢ`, evaluated as `log Σⱼ e^(zᵢⱼ − m) − (zᵢₜᵢ − m)`; the loss is
/// `(1/n) Σᵢ ℓᵢ` over the `n` counted rows.
/// Rows whose target is `ignoreIndex` (PyTorch's −100 by default) contribute nothing.
/// When all rows are ignored the loss is defined as 0 (not 0/0 = NaN) and its gradient is
/// 0, so a batch without predictions leaves the model unchanged.
/// Backward (`crossEntropyBackward`): `∂ℓ/∂zᵢ = (softmax(zᵢ) − onehot(tᵢ))/n`.
/// A target outside `0..<V` (other than the ignore index) is a programmer error.
/// Introduced in Chapter 1 (Foundation).
public func crossEntropy(_ logits: Tensor, targets: [Int32], ignoreIndex: Int32 = -100) -> CrossEntropyResult {
    let (N, V) = crossEntropyShape(logits, targets, ignoreIndex)
    var rowLosses = Tensor(uninitializedShape: [N])
    var maximum = Tensor(uninitializedShape: [N])
    var logSum = Tensor(uninitializedShape: [N])
    let pz = logits.pointer
    rowLosses.withUnsafeMutableBufferPointer { lossBuffer in
        maximum.withUnsafeMutableBufferPointer { maximumBuffer in
            logSum.withUnsafeMutableBufferPointer { logSumBuffer in
                let losses = lossBuffer.baseAddress!
                let maxima = maximumBuffer.baseAddress!, logSums = logSumBuffer.baseAddress!
                targets.withUnsafeBufferPointer { t in
                    Parallel.forChunks(of: N, minimumChunk: max(1, 16384 / max(V, 1))) { rows in
                        for i in rows {
                            if t[i] == ignoreIndex { losses[i] = 0; maxima[i] = 0; logSums[i] = 0; continue }
                            let (m, l) = rowLogSumExp(pz + i * V, V)
                            maxima[i] = m
                            logSums[i] = l
                            losses[i] = l - (pz[i * V + Int(t[i])] - m)
                        }
                    }
                }
            }
        }
    }
    let count = targets.reduce(0) { $0 + ($1 == ignoreIndex ? 0 : 1) }
    // Summed in Double and in row order: the same bits for any thread count.
    var total = 0.0
    rowLosses.withUnsafeBufferPointer { for l in $0 { total += Double(l) } }
    let loss = count == 0 ? 0 : Float(total / Double(count))
    return CrossEntropyResult(loss: loss, rowLosses: rowLosses, maximum: maximum, logSum: logSum, count: count)
}

/// The gradient of `g · crossEntropy(logits, targets).loss` with respect to the logits:
///
///     ∂ℓ/∂zᵢⱼ = (g/n)·(e^(zᵢⱼ − lseᵢ) − [j = tᵢ])     for counted rows, 0 for ignored rows
///
/// Shapes: `logits [N, V]`, `targets [N]` → `[N, V]`; `forward` is the result of
/// `crossEntropy` on the same logits and targets (its `count` is `n`; when it is 0 the
/// gradient is all zeros).
/// Introduced in Chapter 1 (Foundation).
public func crossEntropyBackward(_ lossGradient: Float, logits: Tensor, targets: [Int32],
                                 ignoreIndex: Int32 = -100, forward: CrossEntropyResult) -> Tensor {
    let (N, V) = crossEntropyShape(logits, targets, ignoreIndex)
    precondition(forward.maximum.count == N && forward.logSum.count == N,
                 "crossEntropyBackward: a forward result for \(forward.maximum.count) rows, not \(N)")
    var gradient = Tensor(uninitializedShape: [N, V])
    let scale = forward.count == 0 ? 0 : lossGradient / Float(forward.count)
    let pz = logits.pointer, pmax = forward.maximum.pointer, plog = forward.logSum.pointer
    gradient.withUnsafeMutableBufferPointer { out in
        let pg = out.baseAddress!
        targets.withUnsafeBufferPointer { t in
            Parallel.forChunks(of: N, minimumChunk: max(1, 16384 / max(V, 1))) { rows in
                for i in rows {
                    let z = pz + i * V, g = pg + i * V
                    if t[i] == ignoreIndex || scale == 0 {
                        g.update(repeating: 0, count: V)
                        continue
                    }
                    // e^((z − m) − l)·scale in the C kernel; the argument is never above 0.
                    tenfold_exp_from_log_sum(z, pmax[i], plog[i], scale, g, V)
                    g[Int(t[i])] -= scale
                }
            }
        }
    }
    return gradient
}

/// One row's `(m, log Σⱼ e^(zⱼ − m))` with `m = maxⱼ zⱼ`.
@inline(__always)
func rowLogSumExp(_ z: UnsafePointer<Float>, _ V: Int) -> (maximum: Float, logSum: Float) {
    // The C kernel: the maximum, then ln Σ e^(z − m) a 1024-float block at a time. Every logit
    // −∞ (or +∞ somewhere) makes the sum degenerate: (m, 0), and the loss is ±∞ or NaN.
    var m: Float = 0, l: Float = 0
    tenfold_log_sum_exp(z, V, &m, &l)
    return (m, l)
}

/// Validates shapes and targets; returns `(N, V)`.
func crossEntropyShape(_ logits: Tensor, _ targets: [Int32], _ ignoreIndex: Int32) -> (Int, Int) {
    precondition(logits.rank == 2, "crossEntropy expects logits [N, V], not \(logits.shape)")
    let (N, V) = (logits.shape[0], logits.shape[1])
    precondition(targets.count == N, "crossEntropy: \(targets.count) targets for \(N) rows of logits")
    for (i, t) in targets.enumerated() where t != ignoreIndex && (t < 0 || Int(t) >= V) {
        preconditionFailure("crossEntropy: target \(t) of row \(i) is outside the classes 0..<\(V) (ignore index \(ignoreIndex))")
    }
    return (N, V)
}
