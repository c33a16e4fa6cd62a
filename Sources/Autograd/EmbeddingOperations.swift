import Tensors

/// The differentiable embedding lookup: `table [V, H]`, `ids [N]` → `[N, H]`, `y[i] = E[idsᵢ]`;
/// see `Tensors.embedding`. Backward: `∂ℓ/∂E[v] = Σ_{i: idsᵢ = v} ∂ℓ/∂y[i]`, a dense
/// `[V, H]` gradient built by a deterministic scatter-add.
/// Introduced in Chapter 1 (Foundation).
public func embedding(_ table: Variable, ids: [Int32]) -> Variable {
    let V = table.shape[0]
    return .record("embedding", embedding(table.value, ids: ids), inputs: [table]) { g in
        [embeddingBackward(g, ids: ids, vocabularySize: V)]
    }
}
