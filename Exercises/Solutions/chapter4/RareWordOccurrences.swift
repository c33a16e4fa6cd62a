import ExerciseChecks

extension Implementation {
    /// Exercise 4.1 — the occurrences of rare words in one sequence (chapter 4, "The long tail of our
    /// corpus"; TNF, Wu et al. 2021; Docs/Methods/TNF.md#rare-words; the engine's `RareWords`). A word
    /// is a whole word before sub-word splitting: the span (s, t) of the sequence spells the word
    /// `ids[s..<t]`, one token or several (`un ##believ ##able`). With c(w) the count of word w in the
    /// training sequences (`counts`; a word the table does not hold was never counted) and the band
    /// [low, high]:
    ///
    ///     occurrences = every word span (s, t) of the sequence, left to right,
    ///                   whose word w = ids[s..<t] has low ≤ c(w) ≤ high
    ///
    /// A word is rare or not as a whole: what its first token would count as a word of its own does
    /// not matter. Both ends of the band are included.
    ///
    /// - Parameters:
    ///   - ids: one sequence's token ids `[n]`.
    ///   - wordSpans: its words' spans (end exclusive), left to right; a token outside every span
    ///     ([CLS], [SEP]) belongs to no word.
    ///   - counts: each counted word (its token ids) → its count.
    ///   - band: the counts that make a word rare, [low, high].
    /// - Returns: the rare words' spans `[R]`, left to right.
    public static func rareWordOccurrences(ids: [Int32], wordSpans: [(start: Int, end: Int)], counts: [[Int32]: Int],
                                           band: ClosedRange<Int>) throws -> [(start: Int, end: Int)] {
        // BEGIN SOLUTION 4.1
        wordSpans.filter { span in
            guard let count = counts[Array(ids[span.start..<span.end])] else { return false }
            return band.contains(count)
        }
        // END SOLUTION
    }
}
