/// One training sequence: `[CLS] tokens of whole sentences … [SEP]`, with its word spans.
///
///     // "God said. It was so." with T = 16:
///     // ids   [CLS] god said . it was so . [SEP]
///     // words         0..    1..  2 3  4  5 6      spans in sequence positions (from 1)
///
/// No segment ids: Tenfold pre-trains on single segments (as RoBERTa, ELECTRA, TUPE do).
/// Introduced in Chapter 1 (Text pipeline).
public struct TokenSequence: Equatable, Sendable {
    /// Token ids, `[CLS]` first and `[SEP]` last. [n ≤ T]
    public var ids: [Int32]
    /// The words' token spans, in positions of `ids` (never covering [CLS] or [SEP]). [W]
    public var wordSpans: [WordSpan]
    /// The source label of the document it came from.
    public var source: String
    /// The index of that document within its source.
    public var document: Int

    public init(ids: [Int32], wordSpans: [WordSpan], source: String, document: Int) {
        self.ids = ids
        self.wordSpans = wordSpans
        self.source = source
        self.document = document
    }
}
