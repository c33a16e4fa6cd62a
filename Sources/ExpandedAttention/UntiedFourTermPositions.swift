import Tensors
import Autograd
import Transformer

/// BERT-A^d: all four word/position terms kept, but positions get their own projections
/// (TUPE §3.1 and its ablation, Table 1: GLUE 83.64 against BERT-A's 82.96;
/// Docs/Methods/FourTerms.md).
///
/// Positions are no longer added to the input (`x¹_i = LN(w_i)`). Instead every layer ℓ
/// computes
///
///     α_ij = (x_i W^Q + p̂_i U^Q)(x_j W^K + p̂_j U^K)ᵀ / √(4D),     p̂ = LN(p)
///          = [(x_i W^Q)(x_j W^K)ᵀ + (x_i W^Q)(p̂_j U^K)ᵀ + (p̂_i U^Q)(x_j W^K)ᵀ + (p̂_i U^Q)(p̂_j U^K)ᵀ] / √(4D)
///
/// (biases omitted above): the same four terms as BERT-A's layer 1, but in every layer and
/// with `U^Q, U^K` — shared by all layers, as TUPE shares them — projecting positions
/// instead of the words' `W^Q, W^K`. Four terms of roughly unit variance each, hence
/// 1/√(4D). Dropping the two cross terms and using 1/√(2D) gives TUPE-A (chapter 3).
///
/// It uses the positions seam's third duty: `PositionProjections` are computed once per
/// forward pass and added to every layer's queries and keys.
///
/// Parameters: those of `PositionProjections`. Introduced in Chapter 2.
public final class UntiedFourTermPositions: PositionEncoding {
    /// The name a configuration's `positions` gives it.
    public static let name = "bert-ad"
    public let projections: PositionProjections

    public init(_ store: ParameterStore, _ config: ModelConfiguration) {
        projections = PositionProjections(store, config)
    }

    /// `PretrainingModel(config:seed:positions: UntiedFourTermPositions.factory)`.
    public static let factory: PositionEncodingFactory = { UntiedFourTermPositions($0, $1) }

    /// Nothing: the input is `LN(w)` alone.
    public func inputEmbedding(length: Int) -> Variable? { nil }

    public func attentionBias(length: Int) -> Variable? { nil }

    /// 1/√(4D): four terms of about unit variance each keep the sum at unit scale.
    public func contentScale(headSize: Int) -> Float { 1 / (4 * Float(headSize)).squareRoot() }

    /// `p̂ U^Q + b` and `p̂ U^K + b`, `[T, H]` each, with `p̂ = LN(p_{0..<T})`.
    public func queryKeyOffsets(length: Int) -> QueryKeyOffsets? { projections(length: length) }
}
