// GENERATED exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`
// with your code, then check it with `make exercise N=<id>`.
// Stuck? `make hint N=<id>` prints a nudge, `make hint N=<id> LEVEL=2` the derivation.
// Exercises/README.md explains the workflow.
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 4.4 — the input with notes mixed in (chapter 4, "Notes, step by step"; TNF's Figure 2;
    /// Docs/Methods/TNF.md#using-notes-in-the-input and Docs/Methods/TNF.md#the-leakage-rule; the
    /// engine's `NoteTaking.augment`). Row i of `embeddings` is xᵢ = wᵢ + pᵢ, before the embedding
    /// LayerNorm. For an occurrence of rare word w at tokens `start..<end`:
    ///
    ///     inputᵢ = (1 − λ) · xᵢ + λ · Note(w)     for every i in start..<end,
    ///                                            if seen(w) and no token of start..<end is picked
    ///     inputᵢ = xᵢ                            for every other token
    ///
    /// Picked tokens are those the objective predicts (masked, replaced or kept): a note names the
    /// word, so mixing it into any token of a word with a picked token would reveal the answer, and
    /// the whole occurrence stays plain. A word without a note stays plain too.
    ///
    /// - Parameters:
    ///   - embeddings: x `[T, H]`, one sequence's input embeddings.
    ///   - occurrences: the rare-word occurrences (start, end exclusive, word index), left to right.
    ///   - picked: the positions the objective picked `[N]`, ascending.
    ///   - notes: the dictionary `[W, H]`; seen: whether each word has a note `[W]`.
    ///   - λ: the note's weight, in [0, 1].
    /// - Returns: the mixed input `[T, H]`.
    public static func mixedInput(embeddings: Tensor, occurrences: [(start: Int, end: Int, word: Int)], picked: [Int],
                                  notes: Tensor, seen: [Bool], weight λ: Float) throws -> Tensor {
        throw ExerciseError.notImplemented("4.4")
    }
}
