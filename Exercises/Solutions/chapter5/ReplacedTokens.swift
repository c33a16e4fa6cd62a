import ExerciseChecks

extension Implementation {
    /// Exercise 5.1 — ELECTRA's labels (chapter 5, "The two objectives"; ELECTRA §2, Clark et al. 2020;
    /// Docs/Methods/ELECTRA-MC-BERT.md#electra-corruption and
    /// Docs/Methods/ELECTRA-MC-BERT.md#electra-discriminator; the engine's `ReplacedTokens`). One
    /// sequence x of T tokens, the first n = `length` real and the rest padding. The masking picked
    /// some of its positions, and the generator drew one token for each picked position. The
    /// discriminator reads
    ///
    ///     x̂ᵢ = sample(i)     if i was picked
    ///     x̂ᵢ = xᵢ            otherwise (padding included)
    ///
    /// and is scored at every real position i < n, whether picked or not, with the label
    ///
    ///     replacedᵢ = (x̂ᵢ ≠ xᵢ)
    ///
    /// A picked position whose sample is its original token counts as original, not replaced
    /// (google-research/electra's `_get_fake_data`). Padding is not scored.
    ///
    /// - Parameters:
    ///   - original: the sequence's original ids x `[T]`, padding after position n − 1.
    ///   - length: n, its real tokens (1 ≤ n ≤ T).
    ///   - picked: the picked positions `[N]`, ascending, each below n.
    ///   - samples: the generator's token for each picked position `[N]`, in the order of `picked`.
    /// - Returns: the discriminator's input x̂ `[T]`, and its label at each real position `[n]`.
    public static func replacedTokens(original: [Int32], length: Int, picked: [Int],
                                      samples: [Int32]) throws -> (ids: [Int32], replaced: [Bool]) {
        // BEGIN SOLUTION 5.1
        var ids = original
        for (position, sample) in zip(picked, samples) { ids[position] = sample }
        return (ids, (0..<length).map { ids[$0] != original[$0] })
        // END SOLUTION
    }
}
