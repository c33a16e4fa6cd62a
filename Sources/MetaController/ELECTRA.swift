import Tensors
import Autograd
import Text
import Transformer

/// ELECTRA's replaced-token detection on the objective seam (Clark et al., ICLR 2020;
/// Docs/Methods/ELECTRA-MC-BERT.md): a small generator fills in the masked positions, and
/// the main encoder — the discriminator — says for every token whether it was replaced.
///
///     tenfold train --objective electra
///     let electra = model.objective as! ELECTRA
///     let output = electra.loss(batch, dropout: &dropoutRNG, sampling: &samplingRNG)
///     output.metrics["replace_rate"]
///
/// One batch:
/// 1. Corruption `.electra`: 15% of the ordinary tokens picked, 85% of them → [MASK], 15% unchanged.
/// 2. The generator (`SmallMaskedLanguageModel`, `.mainTable`, in `generator.`) reads that
///    input; its masked-LM loss is the mean cross-entropy over the picked positions.
/// 3. At each picked position one token is drawn from the generator's softmax, under a stop
///    gradient, from the `sampling` stream (`sampleFromSoftmax`; the stream is a function of
///    (seed, update), so a resumed run draws the same tokens). The sample replaces the token,
///    and a position counts as **replaced** only when the sample differs from the original —
///    a sample equal to the original counts as original (`ReplacedTokens`).
/// 4. The main encoder reads the corrupted sequence. Its input (`ModelInput`) lists every
///    picked position in `maskedPositions` with the original tokens, so the input seam (TNF's
///    notes) treats a sampled token as not original even where it happens to be.
/// 5. Head at every real (non-padding) position: `Linear(H→H) → GELU → Linear(H→1)`, one
///    logit; the loss is the mean binary cross-entropy of "replaced"
///    (`binaryCrossEntropyWithLogits`).
/// 6. `loss = generator + λ·discriminator`, λ = 50 (`electra.discriminator_weight`).
///
/// Metrics: `generator` (its masked-LM loss), `generator_accuracy` (its top token is the
/// original, over picked positions), `discriminator` (the BCE), `replace_rate` (the share of
/// picked positions whose sample differs from the original), `discriminator_accuracy` (over
/// real positions, "replaced" when the logit is > 0), `replaced_accuracy` and
/// `kept_accuracy` (the same over replaced and over the other real positions; left out of a
/// batch that has none). `count` is the number of real positions, the discriminator's
/// predictions; validation averages every metric with that weight.
///
/// Generator sizes (`SmallMaskedLanguageModel`): the main model's depth, width
/// `w = ⌊H/3 / 64⌋·64` with heads of 64 where H ≥ 192, else `⌊H/3 / D⌋·D` with heads of the main
/// model's size D, at least one head; feed-forward 4w — tiny 16 (1 head), chapter 64 (1),
/// mini 64 (1), small 128 (2), base 256 (4). Where
/// Tenfold differs from google-research/electra: the generator shares only the token table
/// (through a projection), not the position table and embedding LayerNorm — Tenfold's
/// position schemes are per network, as in the MC-BERT repository's own ELECTRA; the
/// generator's width follows the rule above rather than `round(H/3)`; samples come from
/// inverse-transform sampling rather than Gumbel noise (the same distribution); the
/// generator's softmax covers the special tokens, as there.
///
/// Parameters: the main encoder's, the generator's under `generator.`, and
/// `electra.transform.{weight,bias}` `[H, H]`, `electra.output.{weight,bias}` `[H, 1]`.
/// After pre-training the main encoder alone is fine-tuned; the generator is left behind.
/// Introduced in Chapter 5.
public final class ELECTRA: PretrainingObjective {
    /// The name a configuration's `objective` gives it.
    public static let name = "electra"

    /// λ and the generator's width, from a configuration's options.
    public struct Settings: Equatable, Sendable {
        /// λ, the discriminator loss's weight (`electra.discriminator_weight`, default 50).
        public var discriminatorWeight: Float = 50
        /// The generator's width w (`electra.generator_width`); nil: the sizing rule.
        public var generatorWidth: Int? = nil

        public init() {}

        public init(_ config: ModelConfiguration) throws {
            discriminatorWeight = Float(config.option("electra.discriminator_weight", default: 50))
            let width = config.option("electra.generator_width", default: 0)
            generatorWidth = width > 0 ? Int(width) : nil
            guard discriminatorWeight >= 0, discriminatorWeight.isFinite else {
                throw ConfigurationError(message: "ELECTRA's discriminator weight must be ≥ 0, not \(discriminatorWeight)")
            }
        }
    }

    public let settings: Settings
    /// The discriminator: the model's main encoder.
    public let encoder: Encoder
    public let generator: SmallMaskedLanguageModel
    public let transform: Linear     // H → H
    public let output: Linear        // H → 1

    public init(_ context: ObjectiveContext, settings: Settings) throws {
        self.settings = settings
        encoder = context.encoder
        let store = context.seam.store, config = context.encoder.config
        precondition(encoder.wordEmbeddings.shape == [config.vocabularySize, config.hiddenSize],
                     "ELECTRA needs a main encoder with its own word table")
        generator = try SmallMaskedLanguageModel(store.scoped("generator"), context: context,
                                                 width: settings.generatorWidth, output: .mainTable)
        transform = Linear(store, "electra.transform", input: config.hiddenSize, output: config.hiddenSize,
                           std: config.initializerStd)
        output = Linear(store, "electra.output", input: config.hiddenSize, output: 1, std: config.initializerStd)
    }

    /// Builds the objective on a model's main encoder, with the settings its options give.
    public static let factory: ObjectiveFactory = { context in
        try ELECTRA(context, settings: try Settings(context.seam.config))
    }

    public var maskingPolicy: MaskingPolicy { .electra }

    public func loss(_ batch: TrainingBatch, dropout rng: inout SeededGenerator?,
                     sampling: inout SeededGenerator) -> ObjectiveOutput {
        loss(batch, dropout: &rng) { logits in sampleFromSoftmax(logits, perRow: 1, using: &sampling) }
    }

    /// The loss with the generator's samples given by `samples` (called once with the
    /// generator's logits at the picked positions, `[N, V]`; returns one token per position):
    /// the drawing path above, and the reference test that injects PyTorch's samples.
    func loss(_ batch: TrainingBatch, dropout rng: inout SeededGenerator?,
              samples draw: (LogitRows) -> [Int32]) -> ObjectiveOutput {
        let targets = batch.targets
        // The generator, on the masked input.
        let generatorHidden = generator.encoder(batch.input, rng: &rng).hidden             // [B, T, w]
        let generatorLogits = generator.logits(generatorHidden, at: targets.positions)    // [N, V]
        let generatorLoss = crossEntropy(generatorLogits, targets: targets.labels)
        let samples = draw(LogitRows(generatorLogits.value))
        let corrupted = ReplacedTokens(batch, samples: samples)

        // The discriminator, on the corrupted input, at every real position.
        let H = encoder.config.hiddenSize
        let hidden = encoder(corrupted.input, rng: &rng).hidden                            // [B, T, H]
        let rows = gatherRows(hidden.reshaped([-1, H]), indices: corrupted.positions)       // [M, H]
        let logits = linear(linearGELU(rows, weight: transform.weight, bias: transform.bias),
                            weight: output.weight, bias: output.bias).reshaped([-1])        // [M]
        let discriminatorLoss = binaryCrossEntropyWithLogits(logits, targets: corrupted.replaced.map { $0 ? 1 : 0 })
        let loss = generatorLoss + discriminatorLoss * settings.discriminatorWeight

        var metrics: [String: Float] = [
            "generator": generatorLoss.value.item,
            "discriminator": discriminatorLoss.value.item,
        ]
        let generatorTop = argmaxRows(generatorLogits.value)
        metrics["generator_accuracy"] = share(zip(generatorTop, targets.labels).filter { Int32($0) == $1 }.count,
                                              of: targets.labels.count)
        metrics["replace_rate"] = share(corrupted.replacedCount, of: targets.positions.count)
        let said = logits.value.scalars.map { $0 > 0 }
        var right = 0, rightReplaced = 0, rightKept = 0
        for (guess, truth) in zip(said, corrupted.replaced) where guess == truth {
            right += 1
            if truth { rightReplaced += 1 } else { rightKept += 1 }
        }
        let real = corrupted.positions.count
        metrics["discriminator_accuracy"] = share(right, of: real)
        metrics["replaced_accuracy"] = share(rightReplaced, of: corrupted.replacedCount)
        metrics["kept_accuracy"] = share(rightKept, of: real - corrupted.replacedCount)
        return ObjectiveOutput(loss: loss, metrics: metrics, count: real, hidden: hidden, input: corrupted.input)
    }
}

/// ELECTRA's corrupted batch: the generator's samples at the picked positions, and which
/// real positions count as replaced (Docs/Methods/ELECTRA-MC-BERT.md, "ELECTRA corruption").
///
///     let corrupted = ReplacedTokens(batch, samples: samples)
///     corrupted.input.ids          // the discriminator's input [B, T]
///     corrupted.replaced           // per real position [M]
///
/// Introduced in Chapter 5.
public struct ReplacedTokens {
    /// The discriminator's input: the samples at the picked positions, every picked position
    /// in `maskedPositions` with its original token (a sample equal to the original included).
    public var input: ModelInput
    /// Every real (non-padding) position `b·T + t`, ascending: where the discriminator is scored. [M]
    public var positions: [Int32]
    /// Whether the token at each of `positions` differs from the original. [M]
    public var replaced: [Bool]
    /// How many positions are replaced.
    public var replacedCount: Int

    /// - Parameters:
    ///   - batch: the masked batch (its targets: the picked positions and original tokens).
    ///   - samples: one token per picked position. [N]
    public init(_ batch: TrainingBatch, samples: [Int32]) {
        let targets = batch.targets
        precondition(samples.count == targets.positions.count,
                     "\(samples.count) samples for \(targets.positions.count) picked positions")
        let source = batch.input
        var ids = source.ids
        var replacedAt = Set<Int32>()
        for (position, (sample, original)) in zip(targets.positions, zip(samples, targets.labels)) {
            ids[Int(position)] = sample
            if sample != original { replacedAt.insert(position) }
        }
        input = ModelInput(ids: ids, batchSize: source.batchSize, length: source.length, lengths: source.lengths,
                           wordSpans: source.wordSpans, maskedPositions: targets.positions,
                           maskedOriginals: targets.labels)
        positions = realPositions(source)
        replaced = positions.map { replacedAt.contains($0) }
        replacedCount = replacedAt.count
    }
}
