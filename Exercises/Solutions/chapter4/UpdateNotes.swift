import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 4.3 — the moving average of the note dictionary (chapter 4, "Notes, step by step";
    /// TNF's Figure 2; Docs/Methods/TNF.md#updating-the-dictionary; the engine's `NoteDictionary`).
    /// After a training step, each occurrence of a rare word in the batch has taken a note (its
    /// window mean, exercise 4.2); a word may occur several times. For each word w of the batch,
    /// with m(w) the mean of the batch's notes of w (so the order of the occurrences does not
    /// matter):
    ///
    ///     Note′(w) = (1 − γ) · Note(w) + γ · m(w)      if seen(w)
    ///     Note′(w) = m(w)                              if not: a first note is stored as it is
    ///     seen′(w) = true
    ///
    /// A word the batch does not hold keeps its note and its flag.
    ///
    /// - Parameters:
    ///   - notes: the dictionary `[W, H]`, one row per rare word (zeros for a word not seen yet).
    ///   - seen: whether each word has a note `[W]`.
    ///   - occurrences: this batch's notes, one per occurrence: a word index and its mean `[H]`.
    ///   - γ: the moving average's rate, in [0, 1].
    /// - Returns: the dictionary after the batch, `notes [W, H]` and `seen [W]`.
    public static func updateNotes(notes: Tensor, seen: [Bool], occurrences: [(word: Int, mean: Tensor)],
                                   decay γ: Float) throws -> (notes: Tensor, seen: [Bool]) {
        // BEGIN SOLUTION 4.3
        let H = notes.shape[1]
        var sums: [Int: Tensor] = [:], counts: [Int: Int] = [:]
        for (word, mean) in occurrences {
            sums[word] = (sums[word] ?? Tensor.zeros([H])) + mean
            counts[word, default: 0] += 1
        }
        var (updated, nowSeen) = (notes, seen)
        for (word, sum) in sums {
            let m = sum / Float(counts[word]!)
            for h in 0..<H {
                updated[word, h] = seen[word] ? (1 - γ) * notes[word, h] + γ * m[h] : m[h]
            }
            nowSeen[word] = true
        }
        return (updated, nowSeen)
        // END SOLUTION
    }
}
