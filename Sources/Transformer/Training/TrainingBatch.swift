import Tensors

/// One pre-training batch: the model's input (already corrupted by the objective's masking
/// policy), the picked positions with their original ids, and how many real tokens it holds
/// (for tokens/s). Introduced in Chapter 1.
public struct TrainingBatch: Sendable {
    public var input: ModelInput
    public var targets: MaskedTargets
    public var tokenCount: Int { input.lengths.reduce(0, +) }
    public init(input: ModelInput, targets: MaskedTargets) { self.input = input; self.targets = targets }
}

/// Where training batches come from.
///
/// `trainingBatch(step:)` must be a pure function of the update number (and the source's
/// own seed): that is what makes a resumed run identical to an uninterrupted one without
/// saving a data cursor. Introduced in Chapter 1.
public protocol TrainingData {
    /// The batch for update `step` (1-based).
    func trainingBatch(step: Int) -> TrainingBatch
    /// Sequences `rows` of the batch of update `step` (a rank's share; by default cut from
    /// the whole batch).
    func trainingBatch(step: Int, rows: Range<Int>) -> TrainingBatch
    /// Fixed validation batches (fixed masking), evaluated without dropout.
    var validationBatches: [TrainingBatch] { get }
}
