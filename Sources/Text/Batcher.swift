import Tensors

/// Shuffled batches of an in-memory set of sequences, epoch after epoch, by seed.
///
///     let sequences = corpus.documents.flatMap(packer.pack)
///     let batcher = Batcher(sequences: sequences, batchSize: 32, length: 128, padId: 0, seed: 7)
///     for batch in batcher.batches(epoch: 0) { … }   // the same order for the same seed
///
/// Each epoch is a Fisher–Yates permutation drawn from `SeededGenerator(seed: mix(seed, epoch))`,
/// so epoch e's order does not depend on how many epochs ran before (resuming is exact).
/// The last batch of an epoch is smaller when B does not divide the count, unless `dropLast`.
/// Introduced in Chapter 1 (Text pipeline).
public struct Batcher: Sendable {
    public let sequences: [TokenSequence]
    /// B.
    public let batchSize: Int
    /// T.
    public let length: Int
    public let padId: Int32
    public let seed: UInt64
    /// Whether an epoch's last, smaller batch is left out.
    public let dropLast: Bool

    public init(sequences: [TokenSequence], batchSize: Int, length: Int, padId: Int32,
                seed: UInt64, dropLast: Bool = false) {
        precondition(batchSize > 0, "B must be positive")
        self.sequences = sequences
        self.batchSize = batchSize
        self.length = length
        self.padId = padId
        self.seed = seed
        self.dropLast = dropLast
    }

    /// The order of the sequences in `epoch`: a permutation of their indices.
    public func order(epoch: Int) -> [Int] {
        var order = Array(sequences.indices)
        var rng = SeededGenerator(seed: SeededGenerator.mix(seed, UInt64(epoch)))
        order.shuffle(using: &rng)
        return order
    }

    /// How many batches an epoch has.
    public var batchesPerEpoch: Int {
        dropLast ? sequences.count / batchSize : (sequences.count + batchSize - 1) / batchSize
    }

    /// The batches of `epoch`, in order.
    public func batches(epoch: Int) -> [Batch] {
        let order = order(epoch: epoch)
        return (0..<batchesPerEpoch).map { k in
            let rows = order[(k * batchSize)..<min((k + 1) * batchSize, order.count)]
            return Batch(sequences: rows.map { sequences[$0] }, length: length, padId: padId)
        }
    }
}
