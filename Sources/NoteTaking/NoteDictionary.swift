import Tensors

/// TNF's note dictionary: one vector `Note(w) ∈ ℝ^H` per rare word, a buffer written only by
/// the moving-average update (Docs/Methods/TNF.md, "The note dictionary", "Updating").
///
///     var dictionary = NoteDictionary(words: rare.count, width: H)
///     dictionary.update([7: mean7, 12: mean12], decay: 0.1)   // after a training step
///     dictionary.note(7)                                     // [H], or nil before word 7 is seen
///
/// No gradient reaches it and no optimiser touches it. A word's first note is stored as it
/// is — Tenfold's choice where the paper is silent: a randomly initialised note would feed
/// noise into the word's input until the average forgot it — and no note is used before the
/// word has been seen once. Introduced in Chapter 4.
public struct NoteDictionary: Sendable {
    /// `[W, H]`: the notes, zeros for words not seen yet.
    public private(set) var notes: Tensor
    /// Whether each word has a note.
    public private(set) var seen: [Bool]

    public init(words: Int, width: Int) {
        notes = Tensor.zeros([words, width])
        seen = Array(repeating: false, count: words)
    }

    /// A dictionary restored from its buffers (`notes [W, H]`, `seen [W]` as 0/1).
    public init(notes: Tensor, seen: Tensor) {
        precondition(notes.rank == 2 && seen.shape == [notes.shape[0]], "notes [W, H] and seen [W]")
        self.notes = notes
        self.seen = seen.scalars.map { $0 != 0 }
    }

    /// The note of `word`, or nil before the word has been seen.
    public func note(_ word: Int) -> ArraySlice<Float>? {
        guard seen[word] else { return nil }
        // Its H numbers only: `notes.scalars` would copy all W·H of them at every lookup.
        let H = notes.shape[1]
        return Array(UnsafeBufferPointer(start: notes.pointer + word * H, count: H))[...]
    }

    /// `Note(w) ← (1 − γ)·Note(w) + γ·mean` for each word of `means` (its mean of this batch's
    /// notes); a word seen for the first time takes the mean as it is.
    public mutating func update(_ means: [Int: [Float]], decay γ: Float) {
        let H = notes.shape[1]
        notes.withUnsafeMutableBufferPointer { n in
            for (word, mean) in means {
                precondition(mean.count == H, "a note is [\(H)]")
                let base = word * H
                if seen[word] {
                    for h in 0..<H { n[base + h] = (1 - γ) * n[base + h] + γ * mean[h] }
                } else {
                    for h in 0..<H { n[base + h] = mean[h] }
                }
            }
        }
        for word in means.keys { seen[word] = true }
    }

    /// `seen` as a tensor of 0 and 1, for a checkpoint. [W]
    public var seenTensor: Tensor { Tensor(shape: [seen.count], scalars: seen.map { $0 ? 1 : 0 }) }
}

/// The note of one occurrence: the mean of the final hidden states over the window
/// `[start − k, end − 1 + k]`, clipped to the sequence's real tokens (no padding), averaged
/// over the positions actually summed (Docs/Methods/TNF.md, "Taking a note": the paper's
/// printed normaliser is off by one).
///
/// - Parameters:
///   - hidden: `[B, T, H]`, the step's final-layer outputs.
///   - sequence: b; `start..<end`: the word's tokens; `length`: the sequence's real tokens.
///   - halfWindow: k.
/// - Returns: `[H]`.
/// Introduced in Chapter 4.
public func windowMean(_ hidden: Tensor, sequence b: Int, start: Int, end: Int, length: Int, halfWindow k: Int) -> [Float] {
    let (T, H) = (hidden.shape[1], hidden.shape[2])
    let low = max(0, start - k), high = min(length, end + k)
    var sum = [Float](repeating: 0, count: H)
    let p = hidden.pointer
    for t in low..<high {
        let base = (b * T + t) * H
        for h in 0..<H { sum[h] += p[base + h] }
    }
    let count = Float(high - low)
    return sum.map { $0 / count }
}
