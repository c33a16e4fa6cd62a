import Tensors
import Autograd

/// Rows of logits to sample from, made a block of rows at a time — so that sampling from
/// the meta controller's softmax at every position of a batch never holds all `N × V`
/// logits at once.
///
///     let rows = LogitRows(count: N) { range in logits[range] }    // each block [range.count, V]
///
/// Introduced in Chapter 5.
public struct LogitRows {
    /// N: how many rows there are.
    public let count: Int
    /// The logits of the rows in `range`: `[range.count, V]`.
    public let block: (Range<Int>) -> Tensor

    public init(count: Int, block: @escaping (Range<Int>) -> Tensor) {
        self.count = count
        self.block = block
    }

    /// Rows of a logits tensor `[N, V]` that is already at hand.
    public init(_ logits: Tensor) {
        precondition(logits.rank == 2, "LogitRows needs logits [N, V], not \(logits.shape)")
        count = logits.shape[0]
        block = { range in range == 0..<logits.shape[0] ? logits : rows(logits, range) }
    }
}

/// Draws `K` tokens per row from `softmax(row)` (temperature 1), with replacement — the
/// generator's and the meta controller's samples (Docs/Methods/ELECTRA-MC-BERT.md, "ELECTRA
/// corruption" and "Candidate sampling"). Values only: nothing here is differentiated
/// (the stop-gradient of both methods).
///
///     let samples = sampleFromSoftmax(LogitRows(logits), perRow: 1, using: &sampling)   // [N·K]
///
/// Every uniform number is drawn first, in order, `u[n·K + k]` the (n·K + k)-th draw of
/// `rng` (53 random bits), and sample (n, k) is the smallest `j` with
/// `Σ_{i ≤ j} pᵢ > u·Σᵢ pᵢ` (inverse transform, the sums in Double; `drawFromRow`). The rows are then
/// worked on in parallel, blocks of `blockRows` rows at a time, so the samples depend only on
/// the logits and the generator's state — not on the thread count. Inverse-transform
/// sampling draws from the same distribution as the official codes' Gumbel-max
/// (ELECTRA) and `torch.multinomial` (MC-BERT); the individual samples differ.
///
/// - Returns: `[N, K]` row-major token ids.
/// Introduced in Chapter 5.
public func sampleFromSoftmax(_ logits: LogitRows, perRow K: Int, using rng: inout SeededGenerator,
                              blockRows: Int = 256) -> [Int32] {
    precondition(K >= 1 && blockRows >= 1, "sampleFromSoftmax: K and the block size must be positive")
    let N = logits.count
    let uniforms = (0..<(N * K)).map { _ in Double(rng.next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }
    var samples = [Int32](repeating: 0, count: N * K)
    var start = 0
    while start < N {
        let range = start..<min(N, start + blockRows)
        let block = Gradients.withoutRecording { logits.block(range) }
        precondition(block.rank == 2 && block.shape[0] == range.count,
                     "sampleFromSoftmax: a block of \(range.count) rows came back as \(block.shape)")
        let V = block.shape[1]
        let pz = block.pointer
        samples.withUnsafeMutableBufferPointer { out in
            uniforms.withUnsafeBufferPointer { u in
                Parallel.forChunks(of: range.count, minimumChunk: max(1, 16384 / max(V, 1))) { rows in
                    let probabilities = UnsafeMutablePointer<Float>.allocate(capacity: V)
                    defer { probabilities.deallocate() }
                    var order = [Int](repeating: 0, count: K)
                    for r in rows {
                        let n = range.lowerBound + r
                        softmaxRow(pz + r * V, into: probabilities, count: V)
                        drawFromRow(probabilities, count: V, uniforms: u.baseAddress! + n * K, samples: K,
                                    order: &order, into: out.baseAddress! + n * K)
                    }
                }
            }
        }
        start = range.upperBound
    }
    return samples
}

/// Draws `K` tokens from one row of probabilities `p [V]` (not necessarily summing to exactly 1):
/// token `k` is the smallest `j` with `Σ_{i ≤ j} pᵢ > u[k]·Σᵢ pᵢ`, the sums in Double and in
/// index order — or, when rounding leaves no such `j`, the last token with a positive
/// probability. The targets are visited in increasing order during one pass over the row.
func drawFromRow(_ p: UnsafePointer<Float>, count V: Int, uniforms u: UnsafePointer<Double>, samples K: Int,
                 order: inout [Int], into out: UnsafeMutablePointer<Int32>) {
    var total = 0.0, lastPositive = 0
    for j in 0..<V {
        total += Double(p[j])
        if p[j] > 0 { lastPositive = j }
    }
    for k in 0..<K { order[k] = k }
    order.sort { u[$0] < u[$1] || (u[$0] == u[$1] && $0 < $1) }
    var next = 0, running = 0.0
    for j in 0..<V where next < K {
        running += Double(p[j])
        while next < K && u[order[next]] * total < running {
            out[order[next]] = Int32(j)
            next += 1
        }
    }
    while next < K {
        out[order[next]] = Int32(lastPositive)
        next += 1
    }
}
