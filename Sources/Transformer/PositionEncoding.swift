import Tensors
import Autograd

/// The *positions* seam (ARCHITECTURE.md): how word order enters the model.
///
/// A scheme has two duties, both computed once per forward pass:
/// 1. what to add to the word embeddings before the embedding LayerNorm
///    (BERT-A: a learned absolute position embedding `p_i`; TUPE: nothing);
/// 2. what bias to add to every layer's attention logits
///    (BERT-A: nothing; BERT-R: a relative bias; TUPE: the untied positional term),
/// and it fixes the scale of the content term `(x_i W^Q)(x_j W^K)ᵀ` — 1/√D for BERT,
/// 1/√(2D) for TUPE (METHODS.md §0, §2).
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
}

/// Builds a position scheme for a model: registers its parameters in `store`.
public typealias PositionEncodingFactory = (_ store: ParameterStore, _ config: ModelConfiguration) -> PositionEncoding
