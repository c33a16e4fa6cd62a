import Tensors
import Autograd

/// An affine map of row vectors: `y = x·W + b`.
///
///     let query = Linear(store, "encoder.layer.0.attention.query", input: H, output: H, std: 0.02)
///     let q = query(x)          // [B, T, H] → [B, T, H]
///
/// Parameters: `<name>.weight` `[in, out]` ~ N(0, σ²) and `<name>.bias` `[out]` = 0.
/// (Hugging Face stores the weight transposed, `[out, in]`; export transposes it.)
/// Introduced in Chapter 1.
public struct Linear {
    public let weight: Variable   // [in, out]
    public let bias: Variable     // [out]

    public init(_ store: ParameterStore, _ name: String, input: Int, output: Int, std: Float) {
        weight = store.normal("\(name).weight", [input, output], std: std)
        bias = store.zeros("\(name).bias", [output])
    }

    /// A map from given weights (not registered in any store): for gradient checks and
    /// hand-built examples. Introduced in Chapter 2.
    public init(weight: Variable, bias: Variable) {
        self.weight = weight
        self.bias = bias
    }

    /// `[..., in] → [..., out]`: every row is mapped (leading dimensions fold into one product).
    /// One fused operation (`Autograd.linear`): the bias is written first and the product
    /// added onto it, which spares a pass over the output.
    public func callAsFunction(_ x: Variable) -> Variable {
        linear(x, weight: weight, bias: bias)
    }
}

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

/// The position-wise feed-forward block: `FFN(x) = GELU(x·W₁ + b₁)·W₂ + b₂` (METHODS.md §0).
///
/// Parameters: `<name>.intermediate.{weight,bias}` (H→F) and `<name>.output.{weight,bias}` (F→H).
/// Introduced in Chapter 1.
public struct FeedForward {
    public let intermediate: Linear   // H → F
    public let output: Linear         // F → H

    public init(_ store: ParameterStore, _ name: String, hidden: Int, inner: Int, std: Float) {
        intermediate = Linear(store, "\(name).intermediate", input: hidden, output: inner, std: std)
        output = Linear(store, "\(name).output", input: inner, output: hidden, std: std)
    }

    /// `[B, T, H] → [B, T, H]`. The first half is one fused operation, `linearGELU`: the same
    /// numbers as `gelu(intermediate(x))` without keeping the `[B, T, F]` pre-activation.
    public func callAsFunction(_ x: Variable) -> Variable {
        output(linearGELU(x, weight: intermediate.weight, bias: intermediate.bias))
    }
}
