import Tensors
import Text
import Transformer

/// Examples as the encoder reads them: `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]`.
///
///     let encoding = SentencePairEncoding(tokenizer: tokenizer, maxLength: 128)
///     let ids = encoding.ids(example)         // [CLS] 2012 … [SEP] … [SEP]
///     let batch = encoding.batch(examples)    // ModelInput [B, T_batch] and the labels
///
/// Tenfold pre-trains on single segments without segment embeddings (as RoBERTa, ELECTRA and
/// TUPE do), so a pair is told apart only by the `[SEP]` between its sentences: there is no
/// token-type embedding to mark sentence B. A pair longer than `maxLength` is cut
/// longest-first — one token at a time from the end of the longer sentence — as BERT's
/// fine-tuning code does; a single sentence is cut at its end. A batch is padded to its
/// longest sequence. Introduced in Chapter 3.
public struct SentencePairEncoding: Sendable {
    public let tokenizer: WordPieceTokenizer
    /// T: the most tokens in a sequence, specials included (at most the model's).
    public let maxLength: Int

    public init(tokenizer: WordPieceTokenizer, maxLength: Int) {
        precondition(maxLength >= 4, "a pair needs room for [CLS], [SEP], [SEP] and a token")
        self.tokenizer = tokenizer
        self.maxLength = maxLength
    }

    /// The token ids of one example, specials included.
    public func ids(_ example: GLUEExample) -> [Int32] {
        let vocabulary = tokenizer.vocabulary
        var first = tokenizer.ids(example.sentence1)
        guard let sentence2 = example.sentence2 else {
            return [vocabulary.clsId] + first.prefix(maxLength - 2) + [vocabulary.sepId]
        }
        var second = tokenizer.ids(sentence2)
        while first.count + second.count > maxLength - 3 {
            if first.count >= second.count { first.removeLast() } else { second.removeLast() }
        }
        return [vocabulary.clsId] + first + [vocabulary.sepId] + second + [vocabulary.sepId]
    }

    /// Token ids of several examples, padded into one batch of the longest one's length.
    public func input(_ sequences: [[Int32]]) -> ModelInput {
        let T = sequences.map(\.count).max() ?? 1
        var ids = [Int32](repeating: tokenizer.vocabulary.padId, count: sequences.count * T)
        for (b, sequence) in sequences.enumerated() {
            for (t, id) in sequence.enumerated() { ids[b * T + t] = id }
        }
        return ModelInput(ids: ids, batchSize: sequences.count, length: T, lengths: sequences.map(\.count))
    }
}
