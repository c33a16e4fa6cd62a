import Tensors
import Autograd

/// Layer normalisation over the last axis with a learned gain γ and shift β (Ba et al., 2016):
/// `y = γ ⊙ (x − μ)/√(σ² + ε) + β`.
///
/// Parameters: `<name>.gamma` `[H]` = 1 and `<name>.beta` `[H]` = 0, not decayed.
/// Introduced in Chapter 1.
public struct LayerNormalization {
    public let gamma: Variable   // [H]
    public let beta: Variable    // [H]
    public let epsilon: Float

    public init(_ store: ParameterStore, _ name: String, size: Int, epsilon: Float) {
        gamma = store.ones("\(name).gamma", [size])
        beta = store.zeros("\(name).beta", [size])
        self.epsilon = epsilon
    }

    /// `[..., H] → [..., H]`.
    public func callAsFunction(_ x: Variable) -> Variable {
        layerNorm(x, gamma: gamma, beta: beta, epsilon: epsilon)
    }
}
