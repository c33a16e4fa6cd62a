import Tensors
import Autograd
import Transformer

/// BERT-A's position scheme: a learned absolute position embedding added to the words.
///
/// `x¹_i = LN(w_i + p_i)` with `p_i` row i of a learned table `P [T, H]`
/// (Devlin et al., 2019, §3.2; Docs/Methods/BERT.md). Nothing is added to the attention logits,
/// and the content term is scaled by 1/√D: every layer computes
/// `α_ij = (x_i W^Q)(x_j W^K)ᵀ / √D` from inputs in which word and position are already mixed.
///
/// Parameter: `embeddings.position [T, H]` ~ N(0, 0.02²).
/// Introduced in Chapter 1.
public final class AbsolutePositions: PositionEncoding {
    /// The name a configuration's `positions` gives it.
    public static let name = "bert-a"
    /// P: `[T_max, H]`.
    public let table: Variable

    public init(_ store: ParameterStore, _ config: ModelConfiguration) {
        table = store.normal("embeddings.position", [config.maxSequenceLength, config.hiddenSize],
                             std: config.initializerStd)
    }

    /// Builds the scheme for a model: `PretrainingModel(config:seed:positions: AbsolutePositions.factory)`.
    public static let factory: PositionEncodingFactory = { AbsolutePositions($0, $1) }

    /// The first `length` rows of P: `[T, H]`.
    public func inputEmbedding(length: Int) -> Variable? {
        length == table.shape[0] ? table : rows(table, 0..<length)
    }

    public func attentionBias(length: Int) -> Variable? { nil }

    public func contentScale(headSize: Int) -> Float { 1 / Float(headSize).squareRoot() }
}
