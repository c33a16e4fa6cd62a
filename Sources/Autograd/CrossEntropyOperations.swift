import Tensors

/// The differentiable mean cross-entropy of `logits [N, V]` against `targets [N]`, as a
/// scalar; see `Tensors.crossEntropy` for the fused kernel.
///
///     let loss = crossEntropy(logits, targets: labels)    // [N, V] → []
///     loss.backward()
///
/// Forward: `(1/n) Σᵢ (lseᵢ − zᵢₜᵢ)` over the `n` rows whose target is not `ignoreIndex`;
/// 0 when all rows are ignored. Backward: `∂ℓ/∂zᵢ = g·(softmax(zᵢ) − onehot(tᵢ))/n`,
/// 0 for ignored rows (and everywhere when n = 0).
/// Introduced in Chapter 1 (Foundation).
public func crossEntropy(_ logits: Variable, targets: [Int32], ignoreIndex: Int32 = -100) -> Variable {
    crossEntropyAndRowLosses(logits, targets: targets, ignoreIndex: ignoreIndex).loss
}

/// `crossEntropy`, also returning the per-row losses `[N]` (0 for ignored rows) that the
/// forward computes anyway: for per-token statistics, not differentiated.
/// Introduced in Chapter 1 (Foundation).
public func crossEntropyAndRowLosses(_ logits: Variable, targets: [Int32],
                                     ignoreIndex: Int32 = -100) -> (loss: Variable, rowLosses: Tensor) {
    let Z = logits.value
    let result = crossEntropy(Z, targets: targets, ignoreIndex: ignoreIndex)
    let loss = Variable.record("crossEntropy", Tensor(result.loss), inputs: [logits]) { g in
        [crossEntropyBackward(g.item, logits: Z, targets: targets, ignoreIndex: ignoreIndex,
                              forward: result)]
    }
    return (loss, result.rowLosses)
}
