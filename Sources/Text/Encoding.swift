/// The tokens of one word: token positions `start..<end` in an encoding or sequence.
///
///     // "unbelievable story" → [un, ##believ, ##able, story]
///     // spans: [WordSpan(start: 0, end: 3), WordSpan(start: 3, end: 4)]
///
/// Chapter 4 (TNF) keeps notes per rare word, so it needs to know which tokens make a word.
/// Introduced in Chapter 1 (Text pipeline).
public struct WordSpan: Hashable, Sendable, CustomStringConvertible {
    /// Position of the word's first token.
    public var start: Int32
    /// Position after the word's last token.
    public var end: Int32

    public init(start: Int32, end: Int32) {
        self.start = start
        self.end = end
    }

    /// How many tokens the word has.
    public var count: Int { Int(end - start) }
    /// The positions as a range.
    public var range: Range<Int> { Int(start)..<Int(end) }
    public var description: String { "\(start)..<\(end)" }
}

/// A text encoded by WordPiece: token ids, and the word span of every word.
///
///     let encoding = tokenizer.encode("Unbelievable story.")
///     encoding.ids          // [un, ##believ, ##able, story, .] as ids, no [CLS]/[SEP]
///     encoding.wordSpans    // [0..<3, 3..<4, 4..<5]
///     encoding.wordIndex    // [0, 0, 0, 1, 2]
///
/// Every token belongs to exactly one word (a word that cannot be spelled is one [UNK]).
/// Introduced in Chapter 1 (Text pipeline).
public struct Encoding: Equatable, Sendable {
    /// Token ids, in order. [N]
    public var ids: [Int32]
    /// One span per word, in order, covering `ids` without gaps. [W]
    public var wordSpans: [WordSpan]

    public init(ids: [Int32] = [], wordSpans: [WordSpan] = []) {
        self.ids = ids
        self.wordSpans = wordSpans
    }

    /// For each token, the index of its word. [N]
    public var wordIndex: [Int32] {
        var index = [Int32](repeating: 0, count: ids.count)
        for (w, span) in wordSpans.enumerated() {
            for position in span.range { index[position] = Int32(w) }
        }
        return index
    }
}
