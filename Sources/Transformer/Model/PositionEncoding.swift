import Tensors
import Autograd

/// The *positions* seam (Sources/README.md): how word order enters the model.
///
/// A scheme has two duties, both computed once per forward pass:
/// 1. what to add to the word embeddings before the embedding LayerNorm
///    (BERT-A: a learned absolute position embedding `p_i`; TUPE: nothing);
/// 2. what bias to add to every layer's attention logits
///    (BERT-A: nothing; BERT-R: a relative bias; TUPE: the untied positional term),
/// and it fixes the scale of the content term `(x_i W^Q)(x_j W^K)ᵀ` — 1/√D for BERT,
/// 1/√(2D) for TUPE (Docs/Methods/BERT.md, TUPE.md).
///
/// A third, optional duty (added in Chapter 2, default: none): what to add to every layer's
/// queries and keys, `q_i = x_i W^Q + b^Q + o^Q_i`, `k_j = x_j W^K + b^K + o^K_j`. With
/// `o^Q_i = p_i U^Q`, `o^K_j = p_j U^K` the layer's product `q_i k_jᵀ` holds all four
/// word/position terms with positions projected by their own matrices (BERT-A^d, the
/// bridge from BERT-A to TUPE).
///
/// A scheme registers its parameters in the model's `ParameterStore` when it is built.
/// Introduced in Chapter 1.
public protocol PositionEncoding: AnyObject {
    /// `[T, H]` added to the word embeddings of every sequence, or nil.
    func inputEmbedding(length: Int) -> Variable?
    /// `[A, T, T]` (or `[T, T]`) added to the attention logits of every layer, or nil.
    func attentionBias(length: Int) -> Variable?
    /// The factor multiplying `QKᵀ` in every layer.
    func contentScale(headSize: Int) -> Float
    /// `[T, H]` offsets added to every layer's query and key projections, or nil (the default).
    func queryKeyOffsets(length: Int) -> QueryKeyOffsets?
}

extension PositionEncoding {
    /// Most schemes leave the queries and keys alone.
    public func queryKeyOffsets(length: Int) -> QueryKeyOffsets? { nil }
}

/// What a position scheme adds to the queries and keys of every layer (computed once per
/// forward pass, shared by all layers). Introduced in Chapter 2.
public struct QueryKeyOffsets {
    /// `[T, H]` added to `x W^Q + b^Q` before the heads are split.
    public var query: Variable
    /// `[T, H]` added to `x W^K + b^K`.
    public var key: Variable
    public init(query: Variable, key: Variable) { self.query = query; self.key = key }
}

/// Builds a position scheme for a model: registers its parameters in `store`.
public typealias PositionEncodingFactory = (_ store: ParameterStore, _ config: ModelConfiguration) -> PositionEncoding
