// GENERATED exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`
// with your code, then check it with `make exercise N=<id>`.
// Stuck? `make hint N=<id>` prints a nudge, `make hint N=<id> LEVEL=2` the derivation.
// Exercises/README.md explains the workflow.
import ExerciseChecks

extension Implementation {
    /// Exercise 5.2 — MC-BERT's candidate set and label at one position (chapter 5, "The two
    /// objectives"; MC-BERT, Xu et al. 2020; Docs/Methods/ELECTRA-MC-BERT.md#candidate-sampling and
    /// Docs/Methods/ELECTRA-MC-BERT.md#candidate-slots-and-labels; the engine's `MultipleChoice`).
    /// The meta controller drew K samples s₀, s₁, …, s_{K−1} at this position, with replacement: they
    /// may repeat, and any of them may be the original token x. The main model reads
    ///
    ///     x̂ = s₀ if the masking picked the position, else x;      replaced = (x̂ ≠ x)
    ///
    /// and chooses among K candidates, the right one's slot being the label:
    ///
    ///     slot 0          [NOTA], "none of the above": the token you see is the original
    ///     slot 1          x if replaced, else s₁
    ///     slots 2…K−1     s₂, …, s_{K−1}, repeats kept as they are
    ///     label           1 if replaced, else 0
    ///
    /// - Parameters:
    ///   - original: x, the position's original token.
    ///   - picked: whether the masking picked the position.
    ///   - samples: the controller's K samples `[K]` (K ≥ 2), s₀ first.
    ///   - nota: [NOTA]'s candidate id (V, the row after the word table's).
    /// - Returns: the candidates `[K]` and the label, 0 or 1.
    public static func candidateSet(original: Int32, picked: Bool, samples: [Int32],
                                    nota: Int32) throws -> (candidates: [Int32], label: Int) {
        throw ExerciseError.notImplemented("5.2")
    }
}
