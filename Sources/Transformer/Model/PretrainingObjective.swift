import Tensors
import Autograd
import Text

/// The *objective* seam (Sources/README.md): what a pre-training step corrupts, what it
/// predicts and with which loss — masked-LM (chapter 1), ELECTRA's replaced-token detection
/// and MC-BERT's multiple choice (chapter 5). An objective owns its heads and any auxiliary
/// network (a generator, a meta controller), registered in the model's `ParameterStore`.
///
///     let output = objective.loss(batch, dropout: &dropoutRNG, sampling: &samplingRNG)
///     output.loss.backward()            // the total loss, a scalar
///     output.metrics["mlm"]             // its named parts, for metrics.jsonl
///
/// The trainer, validation, metrics and checkpoints see only this protocol, never MLM.
/// Introduced in Chapter 1 (the seam; chapter 5 adds objectives).
public protocol PretrainingObjective: AnyObject {
    /// How the data source corrupts a batch for this objective (which positions are picked,
    /// and into what).
    var maskingPolicy: MaskingPolicy { get }
    /// The loss of one batch.
    ///
    /// - Parameters:
    ///   - batch: the corrupted input and the picked positions with their original ids.
    ///   - dropout: the dropout stream; nil evaluates without dropout.
    ///   - sampling: the stream of any sampling the objective does (a generator's samples):
    ///     a function of (seed, update), so a resumed run draws the same samples.
    func loss(_ batch: TrainingBatch, dropout: inout SeededGenerator?,
              sampling: inout SeededGenerator) -> ObjectiveOutput
    /// Buffers that are part of the objective but not parameters, by name.
    var state: [String: Tensor] { get }
    /// Restores `state` from a checkpoint.
    func restore(state: [String: Tensor]) throws
}

extension PretrainingObjective {
    public var state: [String: Tensor] { [:] }
    public func restore(state: [String: Tensor]) throws { try refuseState(state, owner: "the objective") }
}

/// What an objective computed for one batch.
/// Introduced in Chapter 1 (the seams).
public struct ObjectiveOutput {
    /// The total loss: a scalar that `backward()` starts from.
    public var loss: Variable
    /// Its named parts and other measurements (`"mlm"`, later `"generator"`,
    /// `"discriminator"`, `"replace_rate"`), as plain numbers.
    public var metrics: [String: Float]
    /// How many predictions the loss averages over: the weight of this batch when losses
    /// and metrics are averaged over several batches (validation).
    public var count: Int
    /// The main encoder's final hidden states `[B, T, H]`, and the input it read: what the
    /// input seam observes after the update.
    public var hidden: Variable
    public var input: ModelInput

    public init(loss: Variable, metrics: [String: Float], count: Int, hidden: Variable, input: ModelInput) {
        self.loss = loss; self.metrics = metrics; self.count = count; self.hidden = hidden; self.input = input
    }
}

/// What an objective's factory may read: the seam context (the whole store, unscoped), the
/// main encoder it trains, and the position scheme's factory (for an auxiliary network of
/// its own). Introduced in Chapter 1 (the seams).
public struct ObjectiveContext {
    public let seam: SeamContext
    public let encoder: Encoder
    public let positions: PositionEncodingFactory

    public init(seam: SeamContext, encoder: Encoder, positions: @escaping PositionEncodingFactory) {
        self.seam = seam; self.encoder = encoder; self.positions = positions
    }
}

/// Builds an objective for a model.
public typealias ObjectiveFactory = (ObjectiveContext) throws -> PretrainingObjective
