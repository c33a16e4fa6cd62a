import Tensors
import Autograd
import Transformer

/// Positions with projections of their own: `p̂ U^Q + c^Q` and `p̂ U^K + c^K` with
/// `p̂ = LN(p)`, `[T, H]` each — the positional branch that chapter 2's BERT-A^d adds to
/// every layer's queries and keys, and that chapter 3's TUPE multiplies into its positional
/// term. It depends on the positions only, so a model computes it once per forward pass.
///
///     let projections = PositionProjections(store, config)
///     let offsets = projections(length: T)       // query, key: [T, H]
///
/// Parameters, created in this order: `embeddings.position [T, H]` (p),
/// `positions.norm.{gamma,beta}` (LN of p), `positions.query.{weight,bias}` and
/// `positions.key.{weight,bias}` (U^Q, U^K: `[H, H]` Linear layers with bias, as in TUPE's
/// official code). Introduced in Chapter 2.
public struct PositionProjections {
    /// p: `[T_max, H]`.
    public let table: Variable
    public let norm: LayerNormalization
    /// U^Q, U^K: `[H, H]` with bias.
    public let query: Linear, key: Linear

    public init(_ store: ParameterStore, _ config: ModelConfiguration) {
        let (H, std) = (config.hiddenSize, config.initializerStd)
        table = store.normal("embeddings.position", [config.maxSequenceLength, H], std: std)
        norm = LayerNormalization(store, "positions.norm", size: H, epsilon: config.layerNormEpsilon)
        query = Linear(store, "positions.query", input: H, output: H, std: std)
        key = Linear(store, "positions.key", input: H, output: H, std: std)
    }

    /// `p̂ U^Q + c^Q` and `p̂ U^K + c^K` for positions `0..<length`: `[T, H]` each.
    public func callAsFunction(length: Int) -> QueryKeyOffsets {
        let normalised = norm(length == table.shape[0] ? table : rows(table, 0..<length))   // [T, H]
        return QueryKeyOffsets(query: query(normalised), key: key(normalised))
    }
}
