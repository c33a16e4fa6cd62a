import Tensors

/// Differentiable layer normalisation over the last axis: `x [..., H]`, `γ [H]`, `β [H]` →
/// `y [..., H]`; see `Tensors.layerNorm` for the kernel.
///
/// Forward: `y = γ ⊙ (x − μ)/√(σ² + ε) + β` per row. Backward (one fused pass, from the
/// saved μ and 1/σ): `∂ℓ/∂x = (1/σ)(ĝ − mean(ĝ) − x̂ ⊙ mean(ĝ ⊙ x̂))` with `ĝ = g ⊙ γ`,
/// `∂ℓ/∂γ = Σ_rows g ⊙ x̂`, `∂ℓ/∂β = Σ_rows g`.
/// ε defaults to BERT's 1e-12 (PyTorch's `nn.LayerNorm` uses 1e-5).
/// Introduced in Chapter 1 (Foundation).
public func layerNorm(_ x: Variable, gamma: Variable, beta: Variable, epsilon: Float = 1e-12) -> Variable {
    let X = x.value, G = gamma.value
    let result = layerNorm(X, gamma: G, beta: beta.value, epsilon: epsilon)
    let (mean, rstd) = (result.mean, result.rstd)
    return .record("layerNorm", result.output, inputs: [x, gamma, beta]) { g in
        let d = layerNormBackward(g, x: X, gamma: G, mean: mean, rstd: rstd)
        return [d.input, d.gamma, d.beta]
    }
}
