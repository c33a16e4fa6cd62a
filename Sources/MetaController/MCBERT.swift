import Tensors
import Autograd
import Text
import Transformer

/// MC-BERT's multiple-choice cloze on the objective seam (Xu et al., 2020;
/// Docs/Methods/ELECTRA-MC-BERT.md): a meta controller corrupts the input and proposes
/// candidates, and the main model picks the original token among them — or "none of the
/// above" when the token it sees is the original.
///
///     tenfold train --objective mc-bert
///     let output = (model.objective as! MCBERT).loss(batch, dropout: &dropoutRNG, sampling: &samplingRNG)
///     output.metrics["multiple_choice"]
///
/// One batch:
/// 1. Corruption `.allMask`: 15% of the ordinary tokens picked, all of them → [MASK].
/// 2. The meta controller (`SmallMaskedLanguageModel`, `.projectedTable`, in `controller.`)
///    reads that input. Its logits are against the word table passed through its own input
///    projection, `h·(E W_p + c_p)ᵀ + b`, with the per-token bias `b` of the main head
///    (`mcbert.bias`, shared), as the official code does; its loss is the mean cross-entropy
///    over the picked positions.
/// 3. Under a stop gradient, K = 10 (`mc-bert.candidates`) tokens are drawn with replacement
///    from the controller's softmax at **every** real position, from the `sampling` stream
///    (`sampleFromSoftmax`, a block of rows at a time).
/// 4. Picked positions take sample 0 as their token, the others keep theirs; a position is
///    replaced when its token differs from the original. Candidates per real position
///    (`MultipleChoice`): slot 0 [NOTA]; slot 1 the original if replaced, else sample 1;
///    slots 2…K−1 samples 2…K−1 (duplicates allowed). The label is slot 1 if replaced, else 0.
/// 5. The main encoder reads the corrupted sequence (every picked position in
///    `maskedPositions` with its original token, for the input seam). Head at every real
///    position: `Linear(H→H) → GELU → LN`, then each candidate c scored `h·E[c] + b[c]` against
///    the shared table and bias (`candidateScores`), the [NOTA] slot with its own row and
///    bias; the loss is the mean K-way cross-entropy over real positions.
/// 6. `loss = controller + λ·multiple_choice`, λ = 50 (`mc-bert.weight`).
///
/// **[NOTA]** is a learned row `mcbert.nota [H]` with its bias `mcbert.nota_bias [1]`, owned by
/// the objective and outside the table, so the controller never scores it and never samples
/// it. The official code instead adds `<neither>` to the dictionary: an ordinary row of `E`
/// that the controller's softmax covers (and could in principle sample). Tenfold's way keeps
/// the vocabulary and the checkpoint layout of every other method unchanged.
///
/// Metrics: `controller` (its masked-LM loss), `controller_accuracy` (its top token is the
/// original, over picked positions), `multiple_choice` (the K-way loss), `replace_rate` (the
/// share of picked positions whose sample 0 differs from the original), `main_accuracy` (the
/// main model's top slot is the label, over real positions), `replaced_accuracy` and
/// `kept_accuracy` (the same over replaced and over the other real positions, the official
/// `replace_acc` and `non_replace_acc`; left out of a batch that has none). `count` is the
/// number of real positions; validation averages every metric with that weight.
///
/// Also as the official code: the controller shares only the token table (its positions and
/// LayerNorms are its own); every real position is scored, [CLS] and [SEP] included. Unlike
/// it, Tenfold's masking never picks special tokens (`MaskingPolicy.allMask`).
///
/// Parameters: the main encoder's, the controller's under `controller.` (sized as ELECTRA's
/// generator, `SmallMaskedLanguageModel`: tiny 16, chapter 64, mini 64, small 128, base 256 —
/// the official divider 3 at base size), and `mcbert.transform.{weight,bias}`
/// `[H, H]`, `mcbert.norm.{gamma,beta}` `[H]`, `mcbert.bias [V]`, `mcbert.nota [H]`,
/// `mcbert.nota_bias [1]`. After pre-training the main encoder alone is fine-tuned.
/// Introduced in Chapter 5.
public final class MCBERT: PretrainingObjective {
    /// The name a configuration's `objective` gives it.
    public static let name = "mc-bert"

    /// K, λ and the controller's width, from a configuration's options.
    public struct Settings: Equatable, Sendable {
        /// K, the candidates per position and samples drawn per position (`mc-bert.candidates`, default 10).
        public var candidates = 10
        /// λ, the multiple-choice loss's weight (`mc-bert.weight`, default 50).
        public var weight: Float = 50
        /// The controller's width w (`mc-bert.controller_width`); nil: the sizing rule.
        public var controllerWidth: Int? = nil

        public init() {}

        public init(_ config: ModelConfiguration) throws {
            candidates = Int(config.option("mc-bert.candidates", default: 10))
            weight = Float(config.option("mc-bert.weight", default: 50))
            let width = config.option("mc-bert.controller_width", default: 0)
            controllerWidth = width > 0 ? Int(width) : nil
            guard candidates >= 2 else {
                throw ConfigurationError(message: "MC-BERT needs at least 2 candidates ([NOTA] and one token), not \(candidates)")
            }
            guard weight >= 0, weight.isFinite else {
                throw ConfigurationError(message: "MC-BERT's multiple-choice weight must be ≥ 0, not \(weight)")
            }
        }
    }

    public let settings: Settings
    /// The main model's encoder.
    public let encoder: Encoder
    public let controller: SmallMaskedLanguageModel
    public let headTransform: Linear             // H → H
    public let headNorm: LayerNormalization
    /// `[V]`: the per-token output bias, shared by the main head and the controller.
    public let outputBias: Variable
    /// `[H]` and `[1]`: [NOTA]'s row and bias.
    public let nota: Variable, notaBias: Variable

    public init(_ context: ObjectiveContext, settings: Settings) throws {
        self.settings = settings
        encoder = context.encoder
        let store = context.seam.store, config = context.encoder.config
        let (H, std) = (config.hiddenSize, config.initializerStd)
        precondition(encoder.wordEmbeddings.shape == [config.vocabularySize, H],
                     "MC-BERT needs a main encoder with its own word table")
        outputBias = store.zeros("mcbert.bias", [config.vocabularySize])
        controller = try SmallMaskedLanguageModel(store.scoped("controller"), context: context,
                                                  width: settings.controllerWidth,
                                                  output: .projectedTable(sharedBias: outputBias))
        headTransform = Linear(store, "mcbert.transform", input: H, output: H, std: std)
        headNorm = LayerNormalization(store, "mcbert.norm", size: H, epsilon: config.layerNormEpsilon)
        nota = store.normal("mcbert.nota", [H], std: std)
        notaBias = store.zeros("mcbert.nota_bias", [1])
    }

    /// Builds the objective on a model's main encoder, with the settings its options give.
    public static let factory: ObjectiveFactory = { context in
        try MCBERT(context, settings: try Settings(context.seam.config))
    }

    public var maskingPolicy: MaskingPolicy { .allMask }

    /// [NOTA]'s candidate id: the first row after the table's V.
    public var notaId: Int32 { Int32(encoder.config.vocabularySize) }

    public func loss(_ batch: TrainingBatch, dropout rng: inout SeededGenerator?,
                     sampling: inout SeededGenerator) -> ObjectiveOutput {
        let K = settings.candidates
        return loss(batch, dropout: &rng) { logits in sampleFromSoftmax(logits, perRow: K, using: &sampling) }
    }

    /// The main model's K logits `[M, K]` for candidates `[M, K]` at flat positions of `hidden [B, T, H]`.
    public func candidateLogits(_ hidden: Variable, at positions: [Int32], candidates: [Int32]) -> Variable {
        let H = encoder.config.hiddenSize
        let rows = gatherRows(hidden.reshaped([-1, H]), indices: positions)                    // [M, H]
        let h = headNorm(linearGELU(rows, weight: headTransform.weight, bias: headTransform.bias))
        return candidateScores(h, candidates: candidates, perRow: settings.candidates,
                               table: encoder.wordEmbeddings, bias: outputBias,
                               extraRows: nota.reshaped([1, H]), extraBias: notaBias)          // [M, K]
    }

    /// The loss with the controller's samples given by `samples` (called once with the
    /// controller's logits at every real position, `[M, V]` a block at a time; returns K
    /// tokens per position, `[M, K]`): the drawing path above, and the reference test that
    /// injects PyTorch's samples.
    func loss(_ batch: TrainingBatch, dropout rng: inout SeededGenerator?,
              samples draw: (LogitRows) -> [Int32]) -> ObjectiveOutput {
        let targets = batch.targets
        // The controller, on the masked input: its loss at the picked positions…
        let controllerHidden = controller.encoder(batch.input, rng: &rng).hidden                  // [B, T, w]
        let table = controller.outputTable()                                                   // [V, w]
        let controllerLogits = controller.logits(controllerHidden, at: targets.positions, table: table)  // [N, V]
        let controllerLoss = crossEntropy(controllerLogits, targets: targets.labels)
        // …and its samples at every real position, values only.
        let positions = realPositions(batch.input)
        let frozenHidden = Variable(controllerHidden.value), frozenTable = Variable(table.value)
        let logitRows = LogitRows(count: positions.count) { [controller] range in
            controller.logits(frozenHidden, at: Array(positions[range]), table: frozenTable).value
        }
        let samples = draw(logitRows)
        let choice = MultipleChoice(batch, positions: positions, samples: samples,
                                    candidatesPerPosition: settings.candidates, nota: notaId)

        // The main model, on the corrupted input: K-way choice at every real position.
        let hidden = encoder(choice.input, rng: &rng).hidden                                   // [B, T, H]
        let logits = candidateLogits(hidden, at: positions, candidates: choice.candidates)     // [M, K]
        let multipleChoiceLoss = crossEntropy(logits, targets: choice.labels)
        let loss = controllerLoss + multipleChoiceLoss * settings.weight

        var metrics: [String: Float] = [
            "controller": controllerLoss.value.item,
            "multiple_choice": multipleChoiceLoss.value.item,
        ]
        let controllerTop = argmaxRows(controllerLogits.value)
        metrics["controller_accuracy"] = share(zip(controllerTop, targets.labels).filter { Int32($0) == $1 }.count,
                                               of: targets.labels.count)
        metrics["replace_rate"] = share(choice.replacedCount, of: targets.positions.count)
        var right = 0, rightReplaced = 0, rightKept = 0
        for (slot, (label, replaced)) in zip(argmaxRows(logits.value), zip(choice.labels, choice.replaced))
        where Int32(slot) == label {
            right += 1
            if replaced { rightReplaced += 1 } else { rightKept += 1 }
        }
        metrics["main_accuracy"] = share(right, of: positions.count)
        metrics["replaced_accuracy"] = share(rightReplaced, of: choice.replacedCount)
        metrics["kept_accuracy"] = share(rightKept, of: positions.count - choice.replacedCount)
        return ObjectiveOutput(loss: loss, metrics: metrics, count: positions.count, hidden: hidden, input: choice.input)
    }
}

/// MC-BERT's corrupted batch and its questions: the controller's first sample at the picked
/// positions, and K candidates with a label at every real position
/// (Docs/Methods/ELECTRA-MC-BERT.md, "Candidate slots and labels").
///
///     let choice = MultipleChoice(batch, positions: realPositions(batch.input), samples: samples,
///                                 candidatesPerPosition: 10, nota: V)
///     choice.candidates[m * 10 ..< (m + 1) * 10]    // [NOTA], original or sample 1, samples 2…9
///     choice.labels[m]                              // 1 if replaced, else 0
///
/// Introduced in Chapter 5.
public struct MultipleChoice {
    /// The main model's input: sample 0 at each picked position, every picked position in
    /// `maskedPositions` with its original token.
    public var input: ModelInput
    /// The scored positions, `b·T + t`. [M]
    public var positions: [Int32]
    /// `[M, K]` row-major candidate ids; [NOTA] is `nota`.
    public var candidates: [Int32]
    /// The right slot per position: 1 if replaced, 0 ([NOTA]) otherwise. [M]
    public var labels: [Int32]
    /// Whether each position's token differs from the original. [M]
    public var replaced: [Bool]
    public var replacedCount: Int

    /// - Parameters:
    ///   - batch: the masked batch (its targets: the picked positions and original tokens).
    ///   - positions: the real positions to score, ascending; every picked position among them. [M]
    ///   - samples: K controller samples per scored position, `[M, K]` row-major.
    ///   - nota: [NOTA]'s candidate id.
    public init(_ batch: TrainingBatch, positions: [Int32], samples: [Int32], candidatesPerPosition K: Int,
                nota: Int32) {
        precondition(K >= 2, "MC-BERT needs at least 2 candidates, not \(K)")
        precondition(samples.count == positions.count * K, "\(samples.count) samples for \(positions.count) positions of \(K)")
        let source = batch.input, targets = batch.targets
        var original = source.ids
        for (position, token) in zip(targets.positions, targets.labels) { original[Int(position)] = token }
        var slot: [Int32: Int] = [:]
        for (m, position) in positions.enumerated() { slot[position] = m }
        var ids = source.ids
        var replaced = [Bool](repeating: false, count: positions.count)
        for position in targets.positions {
            guard let m = slot[position] else { preconditionFailure("picked position \(position) is not scored") }
            ids[Int(position)] = samples[m * K]
        }
        var candidates = [Int32](repeating: 0, count: positions.count * K)
        var labels = [Int32](repeating: 0, count: positions.count)
        for (m, position) in positions.enumerated() {
            let p = Int(position)
            replaced[m] = ids[p] != original[p]
            candidates[m * K] = nota
            candidates[m * K + 1] = replaced[m] ? original[p] : samples[m * K + 1]
            for k in 2..<K { candidates[m * K + k] = samples[m * K + k] }
            labels[m] = replaced[m] ? 1 : 0
        }
        input = ModelInput(ids: ids, batchSize: source.batchSize, length: source.length, lengths: source.lengths,
                           wordSpans: source.wordSpans, maskedPositions: targets.positions,
                           maskedOriginals: targets.labels)
        self.positions = positions
        self.candidates = candidates
        self.labels = labels
        self.replaced = replaced
        replacedCount = replaced.filter { $0 }.count
    }
}
