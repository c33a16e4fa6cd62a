import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 4.2 — one occurrence's note (chapter 4, "Notes, step by step"; TNF's note formula;
    /// Docs/Methods/TNF.md#taking-a-note; the engine's `windowMean`). A rare word spans the tokens
    /// `start..<end` (s to t − 1) of a sequence whose first n = `length` rows are real tokens and
    /// the rest padding. Its note is the mean of the final hidden states cⱼ over a window of k
    /// tokens on each side, clipped to the real tokens:
    ///
    ///     J = [s − k, t − 1 + k] ∩ [0, n − 1]
    ///     Note = (1/|J|) · Σ_{j ∈ J} cⱼ
    ///
    /// The normaliser |J| counts the rows actually summed (the paper prints 2k + t − s, which is
    /// off by one and ignores the clipping). Padding never enters a note.
    ///
    /// - Parameters:
    ///   - hidden: the final hidden states of one sequence `[T, H]`, padding after row n − 1.
    ///   - length: n, its real tokens (1 ≤ n ≤ T); start, end: the word's tokens, end ≤ n.
    ///   - k: the half window (≥ 0, possibly larger than T).
    /// - Returns: the note `[H]`.
    public static func occurrenceNote(hidden: Tensor, length: Int, start: Int, end: Int, halfWindow k: Int) throws -> Tensor {
        // BEGIN SOLUTION 4.2
        let H = hidden.shape[1]
        let low = max(0, start - k), high = min(length, end + k)    // the window low..<high
        var note = Tensor.zeros([H])
        for j in low..<high {
            for h in 0..<H { note[h] += hidden[j, h] }
        }
        return note / Float(high - low)
        // END SOLUTION
    }
}
