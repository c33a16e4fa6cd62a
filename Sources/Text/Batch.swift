/// B sequences padded to T tokens: token ids, attention mask, and word bookkeeping.
///
///     let batch = Batch(sequences: sequences, length: 128, padId: vocabulary.padId)
///     batch.ids[b * batch.length + t]          // [B, T] row-major, [PAD] after the end
///     batch.attentionMask[b * batch.length + t] // 1 for a real token, 0 for padding
///
/// Shapes use the book's letters: B sequences, T positions. Arrays are row-major, flat,
/// ready to copy into a tensor. Introduced in Chapter 1 (Text pipeline).
public struct Batch: Equatable, Sendable {
    /// B: how many sequences.
    public let batchSize: Int
    /// T: positions per sequence.
    public let length: Int
    /// Token ids, [CLS] … [SEP] then [PAD]. [B, T]
    public var ids: [Int32]
    /// 1 where a real token is, 0 on padding. [B, T]
    public var attentionMask: [Float]
    /// How many real tokens each sequence has ([CLS] and [SEP] included). [B]
    public var lengths: [Int]
    /// Each sequence's word spans, in positions of its row. [B][W_b]
    public var wordSpans: [[WordSpan]]
    /// Each sequence's source label. [B]
    public var sources: [String]

    /// Pads `sequences` (each at most `length` tokens) into one batch.
    public init(sequences: [TokenSequence], length: Int, padId: Int32) {
        precondition(sequences.allSatisfy { $0.ids.count <= length }, "a sequence is longer than the batch length T")
        batchSize = sequences.count
        self.length = length
        ids = [Int32](repeating: padId, count: sequences.count * length)
        attentionMask = [Float](repeating: 0, count: sequences.count * length)
        for (b, sequence) in sequences.enumerated() {
            for (t, id) in sequence.ids.enumerated() {
                ids[b * length + t] = id
                attentionMask[b * length + t] = 1
            }
        }
        lengths = sequences.map(\.ids.count)
        wordSpans = sequences.map(\.wordSpans)
        sources = sequences.map(\.source)
    }

    /// For each position, the index of its word within its sequence; -1 on [CLS], [SEP] and
    /// padding. [B, T]
    public var wordIndex: [Int32] {
        var index = [Int32](repeating: -1, count: batchSize * length)
        for b in 0..<batchSize {
            for (w, span) in wordSpans[b].enumerated() {
                for t in span.range { index[b * length + t] = Int32(w) }
            }
        }
        return index
    }
}
