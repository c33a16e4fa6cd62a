import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 5.3 — scoring K candidates against the embedding table (chapter 5, "The two
    /// objectives"; Docs/Methods/ELECTRA-MC-BERT.md#main-model-head; the engine's `candidateScores`).
    /// MC-BERT's head gives one vector hₘ `[H]` per scored position m. Each of the position's K
    /// candidates c is scored against the main model's word table E and its per-token bias b, and
    /// [NOTA] (id V) against a row and a bias of its own:
    ///
    ///     yₘₖ = hₘ · R[cₘₖ] + β[cₘₖ],      R = [E; nota]  [V + 1, H],   β = [b; notaBias]  [V + 1]
    ///
    /// K logits per position, for the K-way cross-entropy; a position never gets V of them. A
    /// candidate repeated in a row gets the same score at each of its slots.
    ///
    /// - Parameters:
    ///   - hidden: h `[M, H]`, the head's vectors.
    ///   - candidates: M rows of K ids each, every id in 0…V (V is [NOTA]).
    ///   - table: the word table E `[V, H]`; bias: b `[V]`.
    ///   - notaRow: [NOTA]'s row `[H]`; notaBias: its bias.
    /// - Returns: the logits y `[M, K]`.
    public static func scoreCandidates(hidden: Tensor, candidates: [[Int32]], table: Tensor, bias: Tensor,
                                       notaRow: Tensor, notaBias: Float) throws -> Tensor {
        // BEGIN SOLUTION 5.3
        let (M, H, V) = (hidden.shape[0], hidden.shape[1], table.shape[0])
        let K = candidates.first?.count ?? 0
        var logits = Tensor.zeros([M, K])
        for m in 0..<M {
            for k in 0..<K {
                let c = Int(candidates[m][k])
                var score: Float = 0
                for j in 0..<H { score += hidden[m, j] * (c == V ? notaRow[j] : table[c, j]) }
                logits[m, k] = score + (c == V ? notaBias : bias[c])
            }
        }
        return logits
        // END SOLUTION
    }
}
