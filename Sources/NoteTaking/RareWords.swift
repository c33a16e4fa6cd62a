import Text
import Transformer

/// The rare words of a corpus: whole words (before sub-word splitting) whose number of
/// occurrences in the training sequences lies in a band (TNF, Wu et al., 2021;
/// Docs/Methods/TNF.md, "Rare words").
///
///     let rare = RareWords(counting: trainingSequences, band: 20...200)
///     rare.count                           // how many word types the band holds
///     rare.sequenceShare(trainingSequences) // share of sequences with at least one
///
/// A word is identified by its token ids: `un ##believ ##able` is one word of three tokens,
/// known by the span of its sequence's word spans. Counting uses the packed training
/// sequences, so what counts is what the model is trained on. The band is a choice the paper
/// leaves unconfirmed; frequent words are learned well anyway and the very rarest come back
/// too seldom for a note to be reused, hence a band rather than a threshold.
/// Words are numbered by decreasing count, ties by their ids — a fixed order, so the note
/// dictionary's rows mean the same words in every run on the same corpus.
/// Introduced in Chapter 4.
public struct RareWords: Sendable {
    /// The counts that make a word rare, inclusive.
    public let band: ClosedRange<Int>
    /// Each rare word's token ids, by index. [W]
    public let words: [[Int32]]
    /// Each rare word's count in the training sequences. [W]
    public let counts: [Int]
    private let index: [[Int32]: Int]

    /// Counts every word of `sequences` and keeps those whose count lies in `band`.
    /// Words of special tokens only ([UNK]) are never rare.
    public init(counting sequences: [TokenSequence], band: ClosedRange<Int>, vocabulary: Vocabulary? = nil) {
        var counts: [[Int32]: Int] = [:]
        for sequence in sequences {
            for span in sequence.wordSpans {
                counts[Array(sequence.ids[span.range]), default: 0] += 1
            }
        }
        let special = vocabulary.map { v in { (ids: [Int32]) in ids.allSatisfy { v.isSpecial[Int($0)] } } } ?? { _ in false }
        let kept = counts.filter { band.contains($0.value) && !special($0.key) }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.lexicographicallyPrecedes($1.key) }
        self.init(band: band, words: kept.map(\.key), counts: kept.map(\.value))
    }

    /// Rare words given directly (a checkpoint's).
    public init(band: ClosedRange<Int>, words: [[Int32]], counts: [Int]) {
        self.band = band
        self.words = words
        self.counts = counts
        index = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($1, $0) })
    }

    /// W: how many rare words.
    public var count: Int { words.count }

    /// The index of the word spelled by `ids`, or nil when it is not rare.
    public func word(_ ids: ArraySlice<Int32>) -> Int? { index[Array(ids)] }

    /// One occurrence of a rare word in a batch.
    public struct Occurrence: Equatable, Sendable {
        /// b: the sequence.
        public var sequence: Int
        /// Its tokens: positions `start..<end` of the sequence.
        public var start: Int, end: Int
        /// The word's index.
        public var word: Int
        /// Whether none of its tokens was picked for prediction (masked, replaced or kept).
        public var isIntact: Bool
    }

    /// Every occurrence of a rare word in a batch, sequence by sequence, left to right,
    /// recognised in the batch's original tokens (a masked rare word is still that word).
    public func occurrences(in input: ModelInput) -> [Occurrence] {
        let original = input.originalIds
        let picked = Set(input.maskedPositions.map(Int.init))
        var result: [Occurrence] = []
        for b in 0..<input.batchSize {
            let row = b * input.length
            for span in input.wordSpans[b] where span.end <= input.lengths[b] {
                guard let word = word(original[(row + Int(span.start))..<(row + Int(span.end))]) else { continue }
                let intact = !span.range.contains { picked.contains(row + $0) }
                result.append(Occurrence(sequence: b, start: Int(span.start), end: Int(span.end), word: word, isIntact: intact))
            }
        }
        return result
    }

    /// The share of `sequences` that contain at least one rare word.
    public func sequenceShare(_ sequences: [TokenSequence]) -> Double {
        guard !sequences.isEmpty else { return 0 }
        let containing = sequences.filter { sequence in
            sequence.wordSpans.contains { word(sequence.ids[$0.range]) != nil }
        }.count
        return Double(containing) / Double(sequences.count)
    }
}
