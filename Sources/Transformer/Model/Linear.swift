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
