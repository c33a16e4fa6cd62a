import Tensors

/// Batches from a folder of text, streamed: read, packed, shuffled in a bounded buffer.
///
///     var batches = try StreamingBatches(path: "/data/books", packer: packer,
///                                        batchSize: 32, seed: 1, shuffleBuffer: 10_000)
///     while let batch = try batches.next() { … }      // one pass over the folder
///
/// Memory is bounded by `shuffleBuffer` sequences, whatever the corpus size: sequences enter
/// a buffer, and once it is full each batch row is drawn from it at random (the same scheme
/// as tf.data's shuffle buffer). The order depends only on the files and the seed.
/// A folder with no text at all throws `TextError.emptyCorpus` at the first `next()`.
/// Introduced in Chapter 1 (Text pipeline).
public struct StreamingBatches {
    public private(set) var documents: TextDirectoryStream
    public let packer: SequencePacker
    /// B.
    public let batchSize: Int
    /// How many sequences wait in the shuffle buffer (1: no shuffling).
    public let shuffleBuffer: Int
    private var rng: SeededGenerator
    private var buffer: [TokenSequence] = []
    private var exhausted = false
    private var delivered = 0

    public init(path: String, packer: SequencePacker, batchSize: Int, seed: UInt64,
                shuffleBuffer: Int = 10_000) throws {
        guard batchSize > 0, shuffleBuffer > 0 else {
            throw TextError.invalidSetting("The batch size and the shuffle buffer must be positive (got \(batchSize) and \(shuffleBuffer)).")
        }
        documents = try TextDirectoryStream(path: path)
        self.packer = packer
        self.batchSize = batchSize
        self.shuffleBuffer = max(shuffleBuffer, batchSize)
        rng = SeededGenerator(seed: seed)
    }

    /// The next batch (the last may have fewer than B rows), or nil at the end of the pass.
    public mutating func next() throws -> Batch? {
        while !exhausted && buffer.count < shuffleBuffer {
            guard let document = try documents.next() else {
                exhausted = true
                break
            }
            buffer += packer.pack(document)
        }
        if buffer.isEmpty {
            if delivered == 0 { throw TextError.emptyCorpus("'\(documents.root)'") }
            return nil
        }
        var rows: [TokenSequence] = []
        while rows.count < batchSize && !buffer.isEmpty {
            let k = Int.random(in: 0..<buffer.count, using: &rng)
            buffer.swapAt(k, buffer.count - 1)
            rows.append(buffer.removeLast())
        }
        delivered += 1
        return Batch(sequences: rows, length: packer.maxLength, padId: packer.tokenizer.vocabulary.padId)
    }
}
