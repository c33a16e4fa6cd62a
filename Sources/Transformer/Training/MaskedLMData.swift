import Dispatch
import Tensors
import Text

/// Pre-training batches from packed sequences: shuffled by epoch, corrupted by the
/// objective's masking policy, every draw a function of (seed, update number).
///
///     let data = MaskedLMData(training: trainSequences, validation: validSequences,
///                             vocabulary: tokenizer.vocabulary, batchSize: 32, length: 128, seed: 7)
///     let batch = data.trainingBatch(step: 1)
///
/// Update t reads batch (t − 1) mod E of epoch ⌊(t − 1)/E⌋ (E batches per epoch; the
/// epoch's order is the `Batcher`'s) and masks it with a generator seeded by (seed, t).
/// Validation batches are masked once, with a fixed generator, so every evaluation scores
/// the same predictions. Introduced in Chapter 1.
public final class MaskedLMData: TrainingData {
    public let batcher: Batcher
    public let vocabulary: Vocabulary
    public let policy: MaskingPolicy
    public let seed: UInt64
    public let validationBatches: [TrainingBatch]
    /// The most validation sequences a run evaluates by default.
    public static let defaultValidationLimit = 512
    private var cachedEpoch = -1
    private var cachedOrder: [Int] = []
    private let prefetchQueue = DispatchQueue(label: "tenfold.batch-prefetch")
    private var prefetched: (step: Int, batch: TrainingBatch)?

    /// - Parameters:
    ///   - training, validation: packed `[CLS] … [SEP]` sequences of at most `length` tokens.
    ///   - batchSize: B (an epoch's last partial batch is dropped so every update sees B sequences).
    ///   - length: T, the padded length.
    ///   - validationBatchSize: rows per validation batch (default B).
    ///   - validationLimit: use at most this many validation sequences (evaluation cost),
    ///     evenly spaced through the validation set so every source keeps its share.
    public init(training: [TokenSequence], validation: [TokenSequence], vocabulary: Vocabulary,
                batchSize: Int, length: Int, seed: UInt64, policy: MaskingPolicy = .bert,
                validationLimit: Int = MaskedLMData.defaultValidationLimit, validationBatchSize: Int? = nil) {
        precondition(!training.isEmpty, "no training sequences")
        batcher = Batcher(sequences: training, batchSize: min(batchSize, training.count), length: length,
                          padId: vocabulary.padId, seed: seed, dropLast: true)
        self.vocabulary = vocabulary
        self.policy = policy
        self.seed = seed
        validationBatches = Self.validationBatches(validation, vocabulary: vocabulary,
                                                   batchSize: validationBatchSize ?? batchSize,
                                                   length: length, seed: seed, policy: policy, limit: validationLimit)
    }

    /// At most `limit` of `validation`, evenly spaced, in batches of `batchSize`, masked once
    /// by a fixed generator of `seed`.
    static func validationBatches(_ validation: [TokenSequence], vocabulary: Vocabulary, batchSize: Int, length: Int,
                                  seed: UInt64, policy: MaskingPolicy, limit validationLimit: Int) -> [TrainingBatch] {
        var rng = SeededGenerator(seed: SeededGenerator.mix(seed, 0xFA11_DA7A))
        let step = max(1, (validation.count + validationLimit - 1) / max(validationLimit, 1))
        let kept = stride(from: 0, to: validation.count, by: step).map { validation[$0] }
        return stride(from: 0, to: kept.count, by: batchSize).map { start in
            let batch = Batch(sequences: Array(kept[start..<min(start + batchSize, kept.count)]),
                              length: length, padId: vocabulary.padId)
            return MaskedLMData.mask(batch, policy: policy, vocabulary: vocabulary, rng: &rng)
        }
    }

    /// The batch of update `step`. The next update's batch is assembled and masked on another
    /// thread meanwhile, so a run that asks for the batches in order finds each one ready
    /// (the same batch either way: it is a pure function of the update number).
    public func trainingBatch(step: Int) -> TrainingBatch {
        prefetchQueue.sync {}   // a prefetch under way finishes first
        let batch = prefetched.flatMap { $0.step == step ? $0.batch : nil } ?? makeBatch(step: step)
        prefetched = nil
        prefetchQueue.async { [self] in prefetched = (step + 1, makeBatch(step: step + 1)) }
        return batch
    }

    private func makeBatch(step: Int) -> TrainingBatch {
        let perEpoch = batcher.batchesPerEpoch
        let epoch = (step - 1) / perEpoch, k = (step - 1) % perEpoch
        if epoch != cachedEpoch {
            cachedOrder = batcher.order(epoch: epoch)
            cachedEpoch = epoch
        }
        let B = batcher.batchSize
        let rows = cachedOrder[(k * B)..<((k + 1) * B)].map { batcher.sequences[$0] }
        let batch = Batch(sequences: rows, length: batcher.length, padId: vocabulary.padId)
        var rng = SeededGenerator(seed: SeededGenerator.mix(seed, UInt64(step)))
        return MaskedLMData.mask(batch, policy: policy, vocabulary: vocabulary, rng: &rng)
    }

    static func mask(_ batch: Batch, policy: MaskingPolicy, vocabulary: Vocabulary,
                     rng: inout SeededGenerator) -> TrainingBatch {
        let masked = policy.apply(to: batch, vocabulary: vocabulary, using: &rng)
        return TrainingBatch(
            input: ModelInput(ids: masked.corruptedIds, batchSize: batch.batchSize, length: batch.length,
                              lengths: batch.lengths, wordSpans: batch.wordSpans, maskedPositions: masked.positions,
                              maskedOriginals: masked.labels),
            targets: MaskedTargets(positions: masked.positions, labels: masked.labels))
    }
}
