import Tensors
import Autograd
import Transformer

/// BERT-A^d: all four word/position terms kept, but positions get their own projections
/// (TUPE §3.1 and its ablation, Table 1: GLUE 83.64 against BERT-A's 82.96; METHODS.md §1).
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
/// It uses the positions seam's third duty: `p̂ U^Q + b^{UQ}` and `p̂ U^K + b^{UK}` are
/// computed once per forward pass and added to every layer's queries and keys.
///
/// Parameters: `embeddings.position [T, H]`, `positions.norm.{gamma,beta}`,
/// `positions.query.{weight,bias}`, `positions.key.{weight,bias}` (U^Q, U^K are `[H, H]`
/// Linear layers with bias, as in TUPE's official code).
/// Introduced in Chapter 2.
public final class UntiedFourTermPositions: PositionEncoding {
    /// The name stored in checkpoints.
    public static let architecture = "bert-ad"
    /// p: `[T_max, H]`.
    public let table: Variable
    public let norm: LayerNormalization
    /// U^Q, U^K: `[H, H]` with bias.
    public let query: Linear, key: Linear

    public init(_ store: ParameterStore, _ config: ModelConfiguration) {
        table = store.normal("embeddings.position", [config.maxSequenceLength, config.hiddenSize],
                             std: config.initializerStd)
        norm = LayerNormalization(store, "positions.norm", size: config.hiddenSize, epsilon: config.layerNormEpsilon)
        query = Linear(store, "positions.query", input: config.hiddenSize, output: config.hiddenSize,
                       std: config.initializerStd)
        key = Linear(store, "positions.key", input: config.hiddenSize, output: config.hiddenSize,
                     std: config.initializerStd)
    }

    /// `MaskedLanguageModel(config:seed:positions: UntiedFourTermPositions.factory)`.
    public static let factory: PositionEncodingFactory = { UntiedFourTermPositions($0, $1) }

    /// Nothing: the input is `LN(w)` alone.
    public func inputEmbedding(length: Int) -> Variable? { nil }

    public func attentionBias(length: Int) -> Variable? { nil }

    /// 1/√(4D): four terms of about unit variance each keep the sum at unit scale.
    public func contentScale(headSize: Int) -> Float { 1 / (4 * Float(headSize)).squareRoot() }

    /// `p̂ U^Q + b` and `p̂ U^K + b`, `[T, H]` each, with `p̂ = LN(p_{0..<T})`.
    public func queryKeyOffsets(length: Int) -> QueryKeyOffsets? {
        let normalised = norm(length == table.shape[0] ? table : rows(table, 0..<length))   // [T, H]
        return QueryKeyOffsets(query: query(normalised), key: key(normalised))
    }
}
