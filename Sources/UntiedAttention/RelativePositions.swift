import Tensors
import Autograd
import Transformer
import BertBaseline

/// BERT-R: BERT-A plus T5's relative bias (TUPE §4's baseline; Docs/Methods/TUPE.md).
///
/// The input is BERT-A's, `x¹_i = LN(w_i + p_i)`, the content term keeps 1/√D, and every
/// layer adds one learned scalar per head and relative-distance bucket:
///
///     α^h_ij = (x_i W^Q_h)(x_j W^K_h)ᵀ / √D + b^h_{bucket(i − j)}
///
/// with `bucket` = `t5Bucket` (32 buckets, max distance 128). The bias is gathered once per
/// forward pass into `[A, T, T]` and shared by every layer; it is not scaled.
///
/// Parameters: `embeddings.position [T, H]` (as BERT-A) and
/// `positions.relative_bias [A, 32]` (zeros at initialisation, not decayed).
/// Introduced in Chapter 3.
public final class RelativePositions: PositionEncoding {
    /// The name a configuration's `positions` gives it.
    public static let name = "bert-r"
    public static let buckets = 32, maxDistance = 128
    public let absolute: AbsolutePositions
    /// b: `[A, 32]`.
    public let relativeBias: Variable

    public init(_ store: ParameterStore, _ config: ModelConfiguration) {
        absolute = AbsolutePositions(store, config)
        relativeBias = store.zeros("positions.relative_bias", [config.heads, Self.buckets])
    }

    /// `PretrainingModel(config:seed:positions: RelativePositions.factory)`.
    public static let factory: PositionEncodingFactory = { RelativePositions($0, $1) }

    public func inputEmbedding(length: Int) -> Variable? { absolute.inputEmbedding(length: length) }

    /// `[A, T, T]`: `b^h_{bucket(i − j)}`.
    public func attentionBias(length: Int) -> Variable? {
        gatherBias(relativeBias, indices: relativeBucketIndices(length: length, buckets: Self.buckets,
                                                                maxDistance: Self.maxDistance, untiesCLS: false),
                   length: length)
    }

    public func contentScale(headSize: Int) -> Float { 1 / Float(headSize).squareRoot() }
}
