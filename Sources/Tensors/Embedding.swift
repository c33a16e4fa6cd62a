/// Embedding lookup: token ids become rows of a table.
///
///     let e = embedding(table, ids: batch.ids).reshaped([B, T, H])   // [V, H], [B·T] → [B, T, H]
///
/// Shapes: `table [V, H]`, `ids [N]` → `[N, H]`.
/// Forward: `y[i] = E[idsᵢ]`.
/// Backward (`embeddingBackward`): `∂ℓ/∂E[v] = Σ_{i: idsᵢ = v} ∂ℓ/∂y[i]`, a scatter-add
/// that is deterministic (columns are split over the threads, each adds in id order).
/// An id outside `0..<V` is a programmer error (the tokenizer and the model disagree about
/// the vocabulary) and stops with a message naming it.
/// Introduced in Chapter 1 (Foundation).
public func embedding(_ table: Tensor, ids: [Int32]) -> Tensor {
    precondition(table.rank == 2, "embedding table must be [V, H], not \(table.shape)")
    validateTokenIDs(ids, vocabularySize: table.shape[0])
    return gatherRowsUnchecked(table, indices: ids)
}

/// The gradient of the embedding table: `outputGradient [N, H]`, `ids [N]` → `[V, H]`,
/// with `∂ℓ/∂E[v] = Σ_{i: idsᵢ = v} ∂ℓ/∂y[i]` (rows never looked up get 0).
/// Introduced in Chapter 1 (Foundation).
public func embeddingBackward(_ outputGradient: Tensor, ids: [Int32], vocabularySize V: Int) -> Tensor {
    precondition(outputGradient.rank == 2 && outputGradient.shape[0] == ids.count,
                 "embeddingBackward: gradient \(outputGradient.shape) for \(ids.count) ids")
    validateTokenIDs(ids, vocabularySize: V)
    return scatterAddRows(outputGradient, indices: ids, rowCount: V)
}

func validateTokenIDs(_ ids: [Int32], vocabularySize V: Int) {
    for (i, id) in ids.enumerated() where id < 0 || Int(id) >= V {
        preconditionFailure("embedding: token id \(id) at position \(i) is outside the vocabulary 0..<\(V)")
    }
}
