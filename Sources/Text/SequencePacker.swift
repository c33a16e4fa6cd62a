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
        var ids: [Int32] = [], words: [WordSpan] = [], paragraphStarts: [Int] = []
        for paragraph in document.paragraphs {
            let encoding = tokenizer.encode(paragraph)
            guard !encoding.wordSpans.isEmpty else { continue }
            let offset = Int32(ids.count)
            paragraphStarts.append(words.count)
            ids += encoding.ids
            words += encoding.wordSpans.map { WordSpan(start: $0.start + offset, end: $0.end + offset) }
        }
        let vocabulary = tokenizer.vocabulary
        var w = 0
        return plan(words: words, paragraphStarts: paragraphStarts, id: { ids[$0] }).map { range in
            var spans: [WordSpan] = []
            if range.isPieceOfWord {
                spans = [WordSpan(start: 1, end: Int32(range.tokens.count + 1))]
            } else {
                while w < words.count && Int(words[w].start) < range.tokens.lowerBound { w += 1 }
                while w < words.count && Int(words[w].end) <= range.tokens.upperBound {
                    let shift = Int32(range.tokens.lowerBound) - 1
                    spans.append(WordSpan(start: words[w].start - shift, end: words[w].end - shift))
                    w += 1
                }
            }
            return TokenSequence(ids: [vocabulary.clsId] + ids[range.tokens] + [vocabulary.sepId],
                                 wordSpans: spans, source: document.source, document: document.index)
        }
    }

    /// One packed sequence as a stretch of a document's tokens (without [CLS] and [SEP]).
    public struct PackedRange: Equatable, Sendable {
        /// Token positions in the document.
        public var tokens: Range<Int>
        /// A piece of a word longer than T − 2 tokens (its one word span covers it all);
        /// otherwise the range holds whole words.
        public var isPieceOfWord: Bool
    }

    /// Where the sequences of a document fall (the rules above), given its words.
    ///
    /// - Parameters:
    ///   - words: the document's words in token positions, consecutive and covering its tokens. [W]
    ///   - paragraphStarts: the index of each paragraph's first word, ascending, the first 0. [P]
    ///   - id: the token at a position (to find sentence ends).
    public func plan(words: [WordSpan], paragraphStarts: [Int], id: (Int) -> Int32) -> [PackedRange] {
        let budget = maxLength - 2
        var ranges: [PackedRange] = []
        var current: Range<Int>? = nil

        func close() {
            if let open = current, !open.isEmpty { ranges.append(PackedRange(tokens: open, isPieceOfWord: false)) }
            current = nil
        }
        /// Appends words `range` (fitting in `budget`) to the current sequence.
        func append(_ range: Range<Int>) {
            let first = Int(words[range.lowerBound].start), last = Int(words[range.upperBound - 1].end)
            if (current?.count ?? 0) + (last - first) > budget { close() }
            current = (current?.lowerBound ?? first)..<last
        }
        /// A sentence whole if it fits in `budget`, else cut at word boundaries; a word longer
        /// than `budget` alone is cut between tokens.
        func appendSentence(_ range: Range<Int>) {
            var start = range.lowerBound
            while start < range.upperBound {
                var end = start
                let first = words[start].start
                while end < range.upperBound && Int(words[end].end - first) <= budget { end += 1 }
                if end == start {
                    close()
                    var piece = Int(words[start].start)
                    while piece < Int(words[start].end) {
                        let pieceEnd = min(piece + budget, Int(words[start].end))
                        ranges.append(PackedRange(tokens: piece..<pieceEnd, isPieceOfWord: true))
                        piece = pieceEnd
                    }
                    start += 1
                } else {
                    append(start..<end)
                    start = end
                }
            }
        }

        for (p, firstWord) in paragraphStarts.enumerated() {
            let lastWord = p + 1 < paragraphStarts.count ? paragraphStarts[p + 1] : words.count
            var sentenceStart = firstWord
            for w in firstWord..<lastWord {
                let span = words[w]
                let isEnd = span.count == 1 && sentenceEnds.contains(id(Int(span.start)))
                if isEnd || w == lastWord - 1 {
                    appendSentence(sentenceStart..<(w + 1))
                    sentenceStart = w + 1
                }
            }
        }
        close()
        return ranges
    }
}
