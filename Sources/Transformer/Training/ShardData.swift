import Foundation
import Tensors
import Text

/// Pre-training batches read from a prepared corpus (`tenfold prepare`): shards mapped into
/// memory, packed into sequences of T tokens at open, each batch a function of (seed, t).
///
///     let data = try ShardData(prepared: try PreparedCorpus(folder: url), length: 128,
///                              batchSize: 32, seed: 2, policy: .bert)
///     let batch = data.trainingBatch(step: 1)               // B rows
///     let share = data.trainingBatch(step: 1, rows: 0..<16) // a rank's half, the same rows
///
/// Packing follows `SequencePacker` (whole sentences, never across documents) on the
/// shards' word and paragraph starts, so T is chosen at training time, not at preparation.
/// The packed sequences are kept as an index of 8 bytes each — shard, first token, count —
/// and their tokens stay in the mapped files. Update t reads batch (t − 1) mod E of epoch
/// ⌊(t − 1)/E⌋ (E = ⌊S/B⌋ batches of the S sequences; each epoch a permutation seeded by
/// (seed, epoch)), and row r is masked by a generator seeded by (seed, t, r) — so any share
/// of a batch is built without the rest, ranks agree on every row, and a resumed run needs
/// no data cursor. While an update runs, the batch of the next one is built on another
/// thread (`trainingBatch` returns it when asked). Validation: the documents the
/// preparation held out, packed the same way, at most `validationLimit` sequences evenly
/// spaced, masked once. Introduced for full-scale training (issue 23).
public final class ShardData: TrainingData {
    public let prepared: PreparedCorpus
    public let shards: [Shard]
    public let packer: SequencePacker
    /// Rows of a whole batch (every micro-batch of every rank).
    public let batchSize: Int
    public let seed: UInt64
    /// The objective's masking policy (set it before the first batch).
    public var policy: MaskingPolicy
    public var vocabulary: Vocabulary { prepared.vocabulary }
    /// S: the training sequences.
    public var sequenceCount: Int { index.count }
    /// The held-out sequences, masked once with `policy` when first asked for.
    public lazy var validationBatches: [TrainingBatch] = MaskedLMData.validationBatches(
        validationSequences, vocabulary: vocabulary, batchSize: validationBatchSize, length: packer.maxLength,
        seed: seed, policy: policy, limit: validationLimit)
    private let validationSequences: [TokenSequence]
    private let validationBatchSize: Int
    private let validationLimit: Int
    /// E: batches per epoch.
    public var batchesPerEpoch: Int { index.count / batchSize }

    private let index: [UInt64]
    private let lock = NSLock()
    private var cachedEpoch = -1
    private var cachedOrder: [Int] = []
    private let prefetchQueue = DispatchQueue(label: "tenfold.shard-prefetch")
    private var prefetched: (step: Int, rows: Range<Int>, batch: TrainingBatch)?

    /// - Parameters:
    ///   - length: T.
    ///   - batchSize: the rows of a whole batch.
    ///   - validationBatchSize: the rows of a validation batch.
    ///   - verify: recompute every shard's checksum at open (reads every page once).
    /// - Throws: `ShardError` for a damaged folder; `TextError.invalidSetting` when the
    ///   corpus has fewer training sequences than a batch.
    public init(prepared: PreparedCorpus, length: Int, batchSize: Int, validationBatchSize: Int? = nil, seed: UInt64,
                policy: MaskingPolicy = .bert, validationLimit: Int = MaskedLMData.defaultValidationLimit,
                verify: Bool = false) throws {
        self.prepared = prepared
        shards = try prepared.openShards(verify: verify)
        packer = try SequencePacker(tokenizer: WordPieceTokenizer(vocabulary: prepared.vocabulary), maxLength: length)
        self.batchSize = batchSize
        self.seed = seed
        self.policy = policy
        var training = [[UInt64]](repeating: [], count: shards.count)
        var validation = [[UInt64]](repeating: [], count: shards.count)
        let packer = packer, shards = shards
        training.withUnsafeMutableBufferPointer { trainingSlots in
            validation.withUnsafeMutableBufferPointer { validationSlots in
                DispatchQueue.concurrentPerform(iterations: shards.count) { s in
                    let (t, v) = Self.pack(shards[s], number: s, packer: packer)
                    trainingSlots[s] = t
                    validationSlots[s] = v
                }
            }
        }
        index = training.flatMap { $0 }
        guard index.count >= batchSize else {
            throw TextError.invalidSetting("The prepared corpus \(prepared.folder.path) packs into \(index.count) training sequences of at most \(length) tokens, fewer than one batch of \(batchSize); give more text or a smaller batch.")
        }
        var held = validation.flatMap { $0 }
        if held.isEmpty { held = Array(index.suffix(max(1, index.count / 20))) }
        let step = max(1, (held.count + validationLimit - 1) / max(validationLimit, 1))
        validationSequences = stride(from: 0, to: held.count, by: step).map {
            Self.sequence(held[$0], shards: shards, vocabulary: prepared.vocabulary)
        }
        self.validationBatchSize = validationBatchSize ?? batchSize
        self.validationLimit = validationLimit
    }

    /// Up to `limit` training sequences evenly spaced through the corpus (what TNF counts
    /// its rare words on, and the unigram baseline).
    public func sampleSequences(limit: Int) -> [TokenSequence] {
        let step = max(1, index.count / max(limit, 1))
        return stride(from: 0, to: index.count, by: step).prefix(limit).map {
            Self.sequence(index[$0], shards: shards, vocabulary: vocabulary)
        }
    }

    public func trainingBatch(step: Int) -> TrainingBatch { trainingBatch(step: step, rows: 0..<batchSize) }

    public func trainingBatch(step: Int, rows: Range<Int>) -> TrainingBatch {
        prefetchQueue.sync {}   // a prefetch under way finishes first
        let batch: TrainingBatch
        if let prefetched, prefetched.step == step, prefetched.rows == rows {
            batch = prefetched.batch
        } else {
            batch = makeBatch(step: step, rows: rows)
        }
        prefetched = nil
        prefetchQueue.async { [self] in prefetched = (step + 1, rows, makeBatch(step: step + 1, rows: rows)) }
        return batch
    }

    /// Rows `rows` of the batch of update `step`, each masked by its own generator.
    func makeBatch(step: Int, rows: Range<Int>) -> TrainingBatch {
        let perEpoch = batchesPerEpoch
        let epoch = (step - 1) / perEpoch, k = (step - 1) % perEpoch
        let order: [Int] = lock.withLock {
            if epoch != cachedEpoch {
                var order = Array(index.indices)
                var rng = SeededGenerator(seed: SeededGenerator.mix(seed, UInt64(epoch)))
                order.shuffle(using: &rng)
                cachedOrder = order
                cachedEpoch = epoch
            }
            return cachedOrder
        }
        let base = SeededGenerator.mix(seed, UInt64(step))
        let parts = rows.map { r -> TrainingBatch in
            let sequence = Self.sequence(index[order[k * batchSize + r]], shards: shards, vocabulary: vocabulary)
            var rng = SeededGenerator(seed: SeededGenerator.mix(base, UInt64(r)))
            return MaskedLMData.mask(Batch(sequences: [sequence], length: packer.maxLength, padId: vocabulary.padId),
                                     policy: policy, vocabulary: vocabulary, rng: &rng)
        }
        return TrainingBatch.concatenating(parts)
    }

    // MARK: Packing

    /// An index entry: shard (16 bits), first token (32), token count (15), a piece of a word (1).
    static func entry(shard: Int, start: Int, range: SequencePacker.PackedRange) -> UInt64 {
        UInt64(shard) << 48 | UInt64(start + range.tokens.lowerBound) << 16 | UInt64(range.tokens.count) << 1
            | (range.isPieceOfWord ? 1 : 0)
    }

    /// The training and validation sequences of one shard, as index entries.
    static func pack(_ shard: Shard, number: Int, packer: SequencePacker) -> (training: [UInt64], validation: [UInt64]) {
        var training: [UInt64] = [], validation: [UInt64] = []
        var words: [WordSpan] = [], paragraphStarts: [Int] = []
        for d in 0..<shard.documentCount {
            let tokens = shard.tokens(ofDocument: d)
            let offset = Int(shard.offsets[d])
            words.removeAll(keepingCapacity: true)
            paragraphStarts.removeAll(keepingCapacity: true)
            for (k, token) in tokens.enumerated() {
                if Shard.startsParagraph(token) { paragraphStarts.append(words.count) }
                if Shard.startsWord(token) || k == 0 {
                    if let last = words.last { words[words.count - 1] = WordSpan(start: last.start, end: Int32(k)) }
                    words.append(WordSpan(start: Int32(k), end: Int32(k)))
                }
            }
            guard let last = words.last else { continue }
            words[words.count - 1] = WordSpan(start: last.start, end: Int32(tokens.count))
            if paragraphStarts.first != 0 { paragraphStarts.insert(0, at: 0) }
            let ranges = packer.plan(words: words, paragraphStarts: paragraphStarts) { Shard.id(tokens[$0]) }
            let isValidation = shard.isValidation(d)
            for range in ranges {
                let e = entry(shard: number, start: offset, range: range)
                if isValidation { validation.append(e) } else { training.append(e) }
            }
        }
        return (training, validation)
    }

    /// The `[CLS] … [SEP]` sequence of an index entry, its word spans from the word starts.
    static func sequence(_ entry: UInt64, shards: [Shard], vocabulary: Vocabulary) -> TokenSequence {
        let shard = shards[Int(entry >> 48)]
        let start = Int((entry >> 16) & 0xFFFF_FFFF), count = Int((entry >> 1) & 0x7FFF)
        let tokens = shard.tokens[start..<(start + count)]
        var ids = [vocabulary.clsId]
        ids.reserveCapacity(count + 2)
        var spans: [WordSpan] = []
        if entry & 1 == 1 {
            ids += tokens.map(Shard.id)
            spans = [WordSpan(start: 1, end: Int32(count + 1))]
        } else {
            for (k, token) in tokens.enumerated() {
                ids.append(Shard.id(token))
                if Shard.startsWord(token) {
                    if let last = spans.last { spans[spans.count - 1] = WordSpan(start: last.start, end: Int32(k + 1)) }
                    spans.append(WordSpan(start: Int32(k + 1), end: Int32(k + 1)))
                }
            }
            if let last = spans.last { spans[spans.count - 1] = WordSpan(start: last.start, end: Int32(count + 1)) }
        }
        ids.append(vocabulary.sepId)
        return TokenSequence(ids: ids, wordSpans: spans, source: shard.url.lastPathComponent, document: 0)
    }
}

extension TrainingBatch {
    /// Batches of the same T one after the other, as one batch (rows in order).
    public static func concatenating(_ parts: [TrainingBatch]) -> TrainingBatch {
        let input = ModelInput.concatenating(parts.map(\.input))
        var positions: [Int32] = [], labels: [Int32] = []
        var offset: Int32 = 0
        for part in parts {
            positions += part.targets.positions.map { $0 + offset }
            labels += part.targets.labels
            offset += Int32(part.input.batchSize * part.input.length)
        }
        return TrainingBatch(input: input, targets: MaskedTargets(positions: positions, labels: labels))
    }
}

extension PretrainingRun {
    /// A fresh run on a prepared corpus (`configuration.data` names its folder): the
    /// vocabulary is the corpus's, the data a `ShardData` of `configuration.globalBatchSize`
    /// rows; TNF counts its rare words, and the unigram baseline its frequencies, on up to
    /// `sampleLimit` training sequences evenly spaced through the corpus.
    public convenience init(configuration: RunConfiguration, registry: ModelRegistry, prepared: PreparedCorpus,
                            outputDirectory: URL?, sampleLimit: Int = 100_000) throws {
        try Self.check(configuration, vocabulary: prepared.vocabulary)
        let data = try ShardData(prepared: prepared, length: configuration.model.maxSequenceLength,
                                 batchSize: configuration.globalBatchSize, validationBatchSize: configuration.batchSize,
                                 seed: configuration.dataSeed)
        try self.init(configuration: configuration, registry: registry,
                      tokenizer: WordPieceTokenizer(vocabulary: prepared.vocabulary), outputDirectory: outputDirectory,
                      trainingSequences: data.sampleSequences(limit: sampleLimit)) { policy in
            data.policy = policy
            return data
        }
    }
}
