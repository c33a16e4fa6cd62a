import Tensors
import Autograd
import Transformer

/// The small masked language model that works beside the main encoder in chapter 5: ELECTRA's
/// generator and MC-BERT's meta controller (Docs/Methods/ELECTRA-MC-BERT.md, "ELECTRA
/// generator", "Meta controller"). It reads the masked batch, predicts the original tokens,
/// and the objective samples its softmax to corrupt the main encoder's input.
///
///     let helper = try SmallMaskedLanguageModel(context.seam.store.scoped("generator"), context: context,
///                                               width: nil, output: .mainTable)
///     let hidden = helper.encoder(batch.input, rng: &dropout).hidden            // [B, T, w]
///     let logits = helper.logits(hidden, at: batch.targets.positions)          // [N, V]
///
/// **Size.** The main model's depth L, width
///
///     w = ⌊H/3 / 64⌋·64 heads of 64       when H ≥ 192
///     w = ⌊H/3 / D⌋·D   heads of D        otherwise (D = the main model's head size)
///
/// and at least one head; feed-forward size 4w; its own dropout = the main model's. That is
/// the official codes' divider 3 (and its 64-wide heads) where the width allows, and a whole
/// head of the main model's size in the miniatures: tiny (H = 32, D = 16) → w = 16, 1 head;
/// chapter (H = 128, D = 64) → 64, 1 head; mini (H = 256) → 64, 1 head; small (512) → 128,
/// 2 heads; base (768) → 256, 4 heads (MC-BERT's controller at base size). A width given in
/// the options (`electra.generator_width`, `mc-bert.controller_width`) replaces the rule; it
/// must be a multiple of 64 or of D.
///
/// **Sharing.** Its encoder reads the main model's word table `E [V, H]` through its own
/// projection `H → w` (`embeddings.projection`, with bias) right after the lookup; its
/// position scheme is its own, built by the same factory at width w, and so are its
/// embedding LayerNorm and layers. Both networks' losses train `E`.
///
/// **Output**, at the asked positions only:
/// - `.mainTable` (ELECTRA, as google-research/electra): `h = LN_H(GELU(x W_t + b_t))`,
///   `W_t: w×H`, then `h·Eᵀ + b` with its own per-token bias `b [V]`;
/// - `.projectedTable` (MC-BERT, as its official code): `h = LN_w(GELU(x W_t + b_t))`,
///   `W_t: w×w`, then `h·(E W_p + c_p)ᵀ + b` — the table through the same projection its
///   input uses, and the per-token bias `b` the main model's head's (shared).
///
/// Parameters, under the scope it is built in (`generator.`, `controller.`): the encoder's
/// (`embeddings.projection.*`, the scheme's, `embeddings.norm.*`, `encoder.layer.<l>.*`), then
/// `mlm.transform.{weight,bias}`, `mlm.norm.{gamma,beta}`, and for `.mainTable` `mlm.bias [V]`.
/// Introduced in Chapter 5.
public final class SmallMaskedLanguageModel {
    /// What the logits are taken against.
    public enum Output {
        /// The main model's table at width H, with a bias of its own (ELECTRA's generator).
        case mainTable
        /// The table projected to width w by the input projection, with the main head's
        /// per-token bias (MC-BERT's meta controller).
        case projectedTable(sharedBias: Variable)
    }

    /// Its sizes (depth, width w, heads, 4w, …).
    public let config: ModelConfiguration
    public let encoder: Encoder
    public let transform: Linear                 // w → H (main table) or w → w (projected)
    public let norm: LayerNormalization
    /// `[V]`: its own (`.mainTable`) or the main head's (`.projectedTable`).
    public let outputBias: Variable
    /// Whether the logits are against the projected table.
    public let projectsTable: Bool

    /// - Parameters:
    ///   - store: a scoped store (`generator`, `controller`).
    ///   - context: the main encoder (its table is shared) and the position scheme's factory.
    ///   - width: w, or nil for the rule above.
    /// - Throws: `ConfigurationError` when a given width fits no head size.
    public init(_ store: ParameterStore, context: ObjectiveContext, width: Int?, output: Output) throws {
        let main = context.encoder
        config = try Self.configuration(for: main.config, width: width)
        encoder = Encoder(store, config: config, positions: context.positions, sharedWordEmbeddings: main.wordEmbeddings)
        let (H, w, std) = (main.config.hiddenSize, config.hiddenSize, config.initializerStd)
        switch output {
        case .mainTable:
            transform = Linear(store, "mlm.transform", input: w, output: H, std: std)
            norm = LayerNormalization(store, "mlm.norm", size: H, epsilon: config.layerNormEpsilon)
            outputBias = store.zeros("mlm.bias", [config.vocabularySize])
            projectsTable = false
        case .projectedTable(let sharedBias):
            precondition(sharedBias.shape == [config.vocabularySize], "the shared output bias must be [V]")
            transform = Linear(store, "mlm.transform", input: w, output: w, std: std)
            norm = LayerNormalization(store, "mlm.norm", size: w, epsilon: config.layerNormEpsilon)
            outputBias = sharedBias
            projectsTable = true
        }
    }

    /// The helper's configuration for a main model of `main`'s sizes (see the type's notes).
    public static func configuration(for main: ModelConfiguration, width: Int? = nil) throws -> ModelConfiguration {
        let w: Int, headSize: Int
        if let width {
            if width > 0 && width % 64 == 0 {
                headSize = 64
            } else if width > 0 && width % main.headSize == 0 {
                headSize = main.headSize
            } else {
                throw ConfigurationError(message: "a helper network's width \(width) must be a positive multiple of 64 or of the main model's head size \(main.headSize)")
            }
            w = width
        } else {
            headSize = main.hiddenSize >= 192 ? 64 : main.headSize
            w = max(1, main.hiddenSize / 3 / headSize) * headSize
        }
        var config = main
        config.hiddenSize = w
        config.heads = w / headSize
        config.feedForwardSize = 4 * w
        config.input = ModelConfiguration.noInput
        return config
    }

    /// The table the logits are taken against: `E [V, H]`, or `E W_p + c_p [V, w]` (recorded,
    /// so both the projection and E learn from it). Compute it once per batch.
    public func outputTable() -> Variable {
        guard projectsTable, let projection = encoder.inputProjection else { return encoder.wordEmbeddings }
        return projection(encoder.wordEmbeddings)
    }

    /// The head's vectors `h` at flat positions of `hidden [B, T, w]`: `[N, H]` or `[N, w]`.
    public func transformed(_ hidden: Variable, at positions: [Int32]) -> Variable {
        let rows = gatherRows(hidden.reshaped([-1, config.hiddenSize]), indices: positions)
        return norm(linearGELU(rows, weight: transform.weight, bias: transform.bias))
    }

    /// Vocabulary logits `[N, V]` at flat positions of `hidden [B, T, w]`; `table` is
    /// `outputTable()` when the caller has it already.
    public func logits(_ hidden: Variable, at positions: [Int32], table: Variable? = nil) -> Variable {
        linear(transformed(hidden, at: positions), weight: table ?? outputTable(), bias: outputBias,
               transposedWeight: true)
    }
}

// MARK: Shared helpers

/// The flat positions `b·T + t` of every real (non-padding) token of a batch, ascending.
/// Introduced in Chapter 5.
public func realPositions(_ input: ModelInput) -> [Int32] {
    (0..<input.batchSize).flatMap { b in (0..<input.lengths[b]).map { Int32(b * input.length + $0) } }
}

/// The index of each row's largest entry (the first on ties). `[N, C]` → `[N]`.
func argmaxRows(_ x: Tensor) -> [Int] {
    let (N, C) = (x.shape[0], x.shape[1])
    let p = x.pointer
    return (0..<N).map { n in
        var best = 0
        for c in 1..<max(C, 1) where p[n * C + c] > p[n * C + best] { best = c }
        return best
    }
}

/// `part / whole`, or nil when there is no whole (a metric that does not exist for this batch).
func share(_ part: Int, of whole: Int) -> Float? { whole == 0 ? nil : Float(part) / Float(whole) }
