/// Packs a document's whole sentences into sequences of at most T tokens, `[CLS] … [SEP]`.
///
///     let packer = try SequencePacker(tokenizer: tokenizer, maxLength: 128)
///     let sequences = packer.pack(document)     // each ≤ 128 tokens, specials included
///
/// Packing, greedily and in order:
/// 1. encode each paragraph and cut it into sentences, after a word "." "!" or "?";
/// 2. a sentence longer than T − 2 tokens is cut at word boundaries; a single word longer
///    than that (rare: only when T is tiny) is cut between tokens;
/// 3. sentences are appended to the current sequence while they fit in T − 2 tokens, else
///    the sequence is closed and a new one begins.
/// A sequence never crosses from one document into the next, so its source label is exact;
/// consecutive paragraphs of a document do share sequences (like RoBERTa's DOC-SENTENCES).
/// Introduced in Chapter 1 (Text pipeline).
public struct SequencePacker: Sendable {
    /// The tokenizer paragraphs are encoded with.
    public let tokenizer: WordPieceTokenizer
    /// T: the most tokens in a sequence, [CLS] and [SEP] included.
    public let maxLength: Int
    let sentenceEnds: Set<Int32>

    /// - Parameters:
    ///   - tokenizer: encodes the paragraphs.
    ///   - maxLength: T, at least 3 ([CLS], one token, [SEP]).
    /// - Throws: `TextError.invalidSetting` when T < 3.
    public init(tokenizer: WordPieceTokenizer, maxLength: Int) throws {
        guard maxLength >= 3 else {
            throw TextError.invalidSetting("A sequence length of \(maxLength) leaves no room between [CLS] and [SEP]; use at least 3 (128 is usual).")
        }
        self.tokenizer = tokenizer
        self.maxLength = maxLength
        sentenceEnds = Set([".", "!", "?"].compactMap { tokenizer.vocabulary.id(of: $0) })
    }

    /// The sequences of one document, in order.
    public func pack(_ document: Document) -> [TokenSequence] {
        let budget = maxLength - 2
        var sequences: [TokenSequence] = []
        var ids: [Int32] = []
        var spans: [WordSpan] = []

        func close() {
            guard !ids.isEmpty else { return }
            let vocabulary = tokenizer.vocabulary
            sequences.append(TokenSequence(
                ids: [vocabulary.clsId] + ids + [vocabulary.sepId],
                wordSpans: spans.map { WordSpan(start: $0.start + 1, end: $0.end + 1) },
                source: document.source, document: document.index))
            ids.removeAll(keepingCapacity: true)
            spans.removeAll(keepingCapacity: true)
        }

        /// Appends words `range` of `encoding` (fitting in `budget`) to the current sequence.
        func append(_ encoding: Encoding, words range: Range<Int>) {
            let first = encoding.wordSpans[range.lowerBound].start
            let last = encoding.wordSpans[range.upperBound - 1].end
            let tokenCount = Int(last - first)
            if ids.count + tokenCount > budget { close() }
            let offset = Int32(ids.count) - first
            ids += encoding.ids[Int(first)..<Int(last)]
            for span in encoding.wordSpans[range] {
                spans.append(WordSpan(start: span.start + offset, end: span.end + offset))
            }
        }

        for paragraph in document.paragraphs {
            let encoding = tokenizer.encode(paragraph)
            var sentenceStart = 0
            for (w, span) in encoding.wordSpans.enumerated() {
                let isEnd = span.count == 1 && sentenceEnds.contains(encoding.ids[Int(span.start)])
                if isEnd || w == encoding.wordSpans.count - 1 {
                    appendSentence(encoding, words: sentenceStart..<(w + 1), budget: budget,
                                   append: append, appendPiecesOfWord: { encoding, w in
                        close()
                        let span = encoding.wordSpans[w]
                        var start = Int(span.start)
                        while start < Int(span.end) {
                            let end = min(start + budget, Int(span.end))
                            ids += encoding.ids[start..<end]
                            spans.append(WordSpan(start: 0, end: Int32(end - start)))
                            close()
                            start = end
                        }
                    })
                    sentenceStart = w + 1
                }
            }
        }
        close()
        return sequences
    }

    /// A sentence whole if it fits in `budget`, else cut at word boundaries.
    private func appendSentence(_ encoding: Encoding, words range: Range<Int>, budget: Int,
                                append: (Encoding, Range<Int>) -> Void,
                                appendPiecesOfWord: (Encoding, Int) -> Void) {
        var start = range.lowerBound
        while start < range.upperBound {
            var end = start
            let first = encoding.wordSpans[start].start
            while end < range.upperBound && Int(encoding.wordSpans[end].end - first) <= budget { end += 1 }
            if end == start {
                appendPiecesOfWord(encoding, start)
                start += 1
            } else {
                append(encoding, start..<end)
                start = end
            }
        }
    }
}
