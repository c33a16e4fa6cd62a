// GENERATED exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`
// with your code, then check it with `make exercise N=<id>`.
// Stuck? `make hint N=<id>` prints a nudge, `make hint N=<id> LEVEL=2` the derivation.
// Exercises/README.md explains the workflow.
import ExerciseChecks

extension Implementation {
    /// Exercise 6.1 — the training FLOPs of one masked-LM update (chapter 6, all three together;
    /// Docs/Methods/Comparing.md#counting-flops; the engine's `TrainingFLOPs`, whose count this is).
    /// The rules: only matrix products count, a multiply-add is 2 FLOPs, and the backward pass
    /// costs twice the forward, so a parameter that multiplies n rows costs 6·n FLOPs per update.
    /// Softmax, GELU, dropout, the embedding lookup and the optimizer are not counted.
    ///
    /// The model: BERT with L post-LN layers of width H (A heads of D = H/A) and feed-forward size
    /// F, the masked-LM head `Linear(H→H) → GELU → LN` and the tied projection onto the V words,
    /// on B sequences of T tokens (padding included) with N predicted rows. What one update costs:
    ///
    ///     encoder      every parameter of every layer at each of the B·T tokens: the weights and
    ///                  biases of Q, K, V, the output projection and the two feed-forward Linears,
    ///                  and the two LayerNorms' γ and β (TrainingFLOPs counts them too)
    ///     attention    each layer's two products of T×T logits: the scores Q·Kᵀ and the mixing P·V
    ///     head         the head's H → H weight at the N rows (its bias and LN not counted)
    ///     vocabulary   the V-word projection at the N rows (its bias not counted)
    ///
    /// - Parameters:
    ///   - L, H, A, F, V: the layers, the width, the heads, the feed-forward size, the words.
    ///   - B, T: the batch's sequences and their (padded) length.
    ///   - N: the predicted rows of the batch (its picked positions).
    /// - Returns: the FLOPs of one update, forward and backward.
    public static func flopsPerUpdate(layers L: Int, hidden H: Int, heads A: Int, feedForward F: Int, vocabulary V: Int,
                                      batchSize B: Int, length T: Int, predictions N: Int) throws -> Double {
        throw ExerciseError.notImplemented("6.1")
    }
}
