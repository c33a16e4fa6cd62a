import Tensors
import Autograd

/// The position-wise feed-forward block: `FFN(x) = GELU(x·W₁ + b₁)·W₂ + b₂` (Docs/Methods/BERT.md).
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
