/// How often each normalised word occurs in a corpus, counted before sub-word splitting.
///
///     var frequencies = WordFrequencies()
///     frequencies.add("The cat saw the other cat.")
///     frequencies["cat"]          // 2
///     frequencies.totalWords      // 7 (punctuation is a word too)
///
/// Words are what `BertPreTokenizer` yields (lower-cased, accents stripped, punctuation
/// split off). The WordPiece trainer learns from these counts, and Chapter 4 (TNF) calls a
/// word rare from them (Wu et al., 2021, "Taking Notes on the Fly"): a rare word is one whose
/// count is below a threshold, whatever number of tokens it splits into.
/// Introduced in Chapter 1 (Text pipeline).
public struct WordFrequencies: Sendable, Equatable {
    /// Occurrences by word.
    public private(set) var counts: [String: Int] = [:]
    /// Occurrences of all words together.
    public private(set) var totalWords = 0

    public init() {}

    /// Counts the words of every text.
    public init(texts: some Sequence<String>) {
        for text in texts { add(text) }
    }

    /// Counts the words of `text`.
    public mutating func add(_ text: String) {
        BertPreTokenizer().forEachWord(in: text) { bytes, _ in
            counts[String(decoding: bytes, as: UTF8.self), default: 0] += 1
            totalWords += 1
        }
    }

    /// Adds another table's counts to this one.
    public mutating func merge(_ other: WordFrequencies) {
        counts.merge(other.counts, uniquingKeysWith: +)
        totalWords += other.totalWords
    }

    /// Forgets the words whose count is below `minimum` (their occurrences stay in `totalWords`):
    /// how a streaming count keeps its table bounded.
    public mutating func removeWords(countBelow minimum: Int) {
        counts = counts.filter { $0.value >= minimum }
    }

    /// Keeps only the `limit` most frequent words (ties in code-point order).
    public mutating func keepMostFrequent(_ limit: Int) {
        guard counts.count > limit else { return }
        counts = Dictionary(uniqueKeysWithValues: byDecreasingCount.prefix(limit).map { ($0.word, $0.count) })
    }

    /// The occurrences of `word` (0 when unseen). `word` must be normalised.
    public subscript(word: String) -> Int { counts[word] ?? 0 }

    /// How many distinct words.
    public var distinctWords: Int { counts.count }

    /// Words by decreasing count, ties in code-point order: a deterministic order.
    public var byDecreasingCount: [(word: String, count: Int)] {
        counts.map { (word: $0.key, count: $0.value) }.sorted {
            $0.count != $1.count ? $0.count > $1.count
                : $0.word.unicodeScalars.lexicographicallyPrecedes($1.word.unicodeScalars)
        }
    }
}
