import Tensors
import Autograd
import Transformer
import ExpandedAttention

/// TUPE: Transformer with Untied Positional Encoding (Ke, He and Liu, ICLR 2021, §3;
/// Docs/Methods/TUPE.md). Two variants: TUPE-A (absolute positions only) and TUPE-R (plus T5's
/// relative bias).
///
/// Positions leave the input (`x¹_i = LN(w_i)`). Every layer computes
///
///     α^h_ij = (x_i W^Q_h)(x_j W^K_h)ᵀ / √(2D) + P^h_ij
///     P^h_ij = (p̂_i U^Q_h + c^Q_h)(p̂_j U^K_h + c^K_h)ᵀ / √(2D)  [+ b^h_{bucket(i−j)} in TUPE-R],
///     p̂ = LN(p)
///
/// where `U^Q, U^K` are `[H, H]` projections with biases `c^Q, c^K` (as in the official
/// code), split into heads: chapter 2's `PositionProjections`, whose product TUPE keeps as
/// the position → position term while dropping the two cross terms. `P` does not depend on the input: it is computed once per
/// forward pass and added in every layer, so `U^Q, U^K` are shared by all layers. Both
/// terms carry 1/√(2D), so their sum keeps unit scale.
///
/// **[CLS] untying** (§3.2). Position 0 holds [CLS], whose job is to summarise the whole
/// sentence, not to look at its neighbours. After computing the absolute term, its column 0
/// (everyone → [CLS], i ≠ 0) is overwritten by θ₂ and then its row 0 ([CLS] → everyone,
/// [CLS] → [CLS] included) by θ₁ (`resetCLS`). *Our parameterisation*: θ₁, θ₂ are free
/// per-head scalars, initialised to 0 (the official code derives them from two dedicated
/// position rows through the same projections; the two are equivalent up to
/// parameterisation). Note that θ₁ fills the whole [CLS] row with one number, which softmax
/// cannot see: its gradient is 0 and its value never matters. What matters is that the row
/// is constant — [CLS]'s positional term prefers no position — while θ₂ sets how much every
/// token's positional term favours looking at [CLS]. In TUPE-R the relative bias has two
/// extra buckets, one for the [CLS] row and one for the [CLS] column, added *after* the
/// reset as in the official code. They add nothing the reset does not give: the row bucket
/// is constant along its row (zero gradient, like θ₁), the column bucket lands on exactly
/// θ₂'s logits (θ₂'s gradient; only the sum matters) — Docs/Methods/TUPE.md#the-cls-buckets.
///
/// Parameters: `embeddings.position [T, H]` (p), `positions.norm.{gamma,beta}` (the
/// LayerNorm of p), `positions.query.{weight,bias}` and `positions.key.{weight,bias}`
/// (U^Q, U^K: `[H, H]` and `[H]`), `positions.cls_to_others [A]` (θ₁),
/// `positions.others_to_cls [A]` (θ₂), and in TUPE-R `positions.relative_bias [A, 34]`
/// (32 T5 buckets + the [CLS] row + the [CLS] column; zeros at initialisation).
/// Compared with BERT-A, TUPE-A adds 2H² + 2H (U^Q, U^K) + 2H (LayerNorm) + 2A (θ).
/// Introduced in Chapter 3.
public final class UntiedPositions: PositionEncoding {
    /// Whether T5's relative bias is added (TUPE-R) or not (TUPE-A).
    public let isRelative: Bool
    /// p, LN(p), U^Q and U^K.
    public let projections: PositionProjections
    /// p: `[T_max, H]`.
    public var table: Variable { projections.table }
    public var norm: LayerNormalization { projections.norm }
    /// U^Q, U^K: `[H, H]` with bias.
    public var query: Linear { projections.query }
    public var key: Linear { projections.key }
    /// θ₁ ([CLS] → everyone) and θ₂ (everyone → [CLS]): `[A]` each.
    public let clsToOthers: Variable, othersToCLS: Variable
    /// b: `[A, 34]` in TUPE-R, nil in TUPE-A.
    public let relativeBias: Variable?
    public let heads: Int

    public static let buckets = 32, maxDistance = 128

    public init(_ store: ParameterStore, _ config: ModelConfiguration, relative: Bool) {
        isRelative = relative
        heads = config.heads
        projections = PositionProjections(store, config)
        clsToOthers = store.zeros("positions.cls_to_others", [config.heads])
        othersToCLS = store.zeros("positions.others_to_cls", [config.heads])
        relativeBias = relative ? store.zeros("positions.relative_bias", [config.heads, Self.buckets + 2]) : nil
    }

    /// TUPE-A: `PretrainingModel(config:seed:positions: UntiedPositions.absoluteFactory)`.
    public static let absoluteFactory: PositionEncodingFactory = { UntiedPositions($0, $1, relative: false) }
    /// TUPE-R.
    public static let relativeFactory: PositionEncodingFactory = { UntiedPositions($0, $1, relative: true) }
    /// The names a configuration's `positions` gives TUPE-A and TUPE-R.
    public static let absoluteName = "tupe-a", relativeName = "tupe-r"

    /// Nothing: the input is `LN(w)` alone.
    public func inputEmbedding(length: Int) -> Variable? { nil }

    /// 1/√(2D): the content term is one of two unit-size terms.
    public func contentScale(headSize: Int) -> Float { 1 / (2 * Float(headSize)).squareRoot() }

    /// The absolute positional term before the [CLS] reset: `[A, T, T]`,
    /// `(p̂U^Q + c^Q)(p̂U^K + c^K)ᵀ/√(2D)` per head.
    public func positionToPosition(length T: Int) -> Variable {
        let offsets = projections(length: T)                                  // [T, H] each
        let q = splitHeads(offsets.query.reshaped([1, T, -1]), heads: heads)  // [1, A, T, D]
        let k = splitHeads(offsets.key.reshaped([1, T, -1]), heads: heads)    // [1, A, T, D]
        let D = q.shape[3]
        return matmul(q, k, transposeB: true, alpha: contentScale(headSize: D)).reshaped([heads, T, T])
    }

    /// `[A, T, T]`: the positional term with [CLS] untied, plus the relative bias in TUPE-R.
    public func attentionBias(length T: Int) -> Variable? {
        var bias = resetCLS(positionToPosition(length: T), clsToOthers: clsToOthers, othersToCLS: othersToCLS)
        if let relativeBias {
            bias = bias + gatherBias(relativeBias, indices: relativeBucketIndices(
                length: T, buckets: Self.buckets, maxDistance: Self.maxDistance, untiesCLS: true), length: T)
        }
        return bias
    }
}
