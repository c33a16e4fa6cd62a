/// Learns a WordPiece vocabulary of a chosen size from word frequencies.
///
///     let frequencies = WordFrequencies(texts: corpus.training.paragraphs)
///     let vocabulary = try WordPieceTrainer(vocabularySize: 8192).train(frequencies)
///     try vocabulary.write(to: URL(fileURLWithPath: "vocab.txt"))
///
/// The vocabulary starts with the special tokens, `reservedTokens` placeholders
/// (`[unused0]`, … — room for specials a later chapter adds without retraining), and the
/// alphabet: every character as a word start `c` and as a continuation `##c`. Then, as in
/// byte-pair encoding (Sennrich et al., 2016), it repeatedly merges the adjacent pair of
/// symbols that occurs most often in the corpus (each word weighted by its count) into a new
/// token — `##` kept only on the left part, so "play" + "##ing" → "playing" — until the
/// vocabulary has `vocabularySize` tokens or no pair occurs `minimumPairCount` times. This is
/// how Hugging Face's `WordPieceTrainer` builds BERT vocabularies too; the encoder then
/// applies the tokens greedily, longest first, rather than replaying merges.
///
/// Deterministic: ties go to the pair seen first, and words are visited in a fixed order
/// (decreasing count, then code points), so the same counts give the same vocab.txt.
/// Cost: one pass over the distinct pairs per merge, plus the words each merge touches.
/// Introduced in Chapter 1 (Text pipeline).
public struct WordPieceTrainer: Sendable {
    /// The number of tokens wanted, specials and reserve included.
    public var vocabularySize: Int
    /// Special tokens, first in the vocabulary; must begin with [PAD] [UNK] [CLS] [SEP] [MASK].
    public var specialTokens: [String]
    /// How many `[unusedN]` placeholders follow the specials.
    public var reservedTokens: Int
    /// Merging stops when the most frequent pair occurs fewer times than this.
    public var minimumPairCount: Int
    /// Characters seen in fewer words-weighted occurrences than this stay out of the alphabet.
    public var minimumCharacterCount: Int
    /// Words longer than this (in scalars) are left out: the encoder makes them [UNK] anyway.
    public var maxWordCharacters: Int

    public init(vocabularySize: Int = 8192, specialTokens: [String] = Vocabulary.requiredSpecialTokens,
                reservedTokens: Int = 5, minimumPairCount: Int = 2, minimumCharacterCount: Int = 1,
                maxWordCharacters: Int = 100) {
        self.vocabularySize = vocabularySize
        self.specialTokens = specialTokens
        self.reservedTokens = reservedTokens
        self.minimumPairCount = minimumPairCount
        self.minimumCharacterCount = minimumCharacterCount
        self.maxWordCharacters = maxWordCharacters
    }

    /// The settings that made the committed default vocabulary (`Vocabulary.embedded()`).
    public static let embeddedDefault = WordPieceTrainer()

    /// Trains on `frequencies`.
    /// - Throws: `TextError.emptyCorpus` when there are no words; `.invalidSetting` when the
    ///   specials do not begin with the required five or do not fit in `vocabularySize`.
    public func train(_ frequencies: WordFrequencies) throws -> Vocabulary {
        guard Array(specialTokens.prefix(5)) == Vocabulary.requiredSpecialTokens else {
            throw TextError.invalidSetting("The special tokens must begin with \(Vocabulary.requiredSpecialTokens.joined(separator: " ")); got \(specialTokens.joined(separator: " ")).")
        }
        let words = frequencies.byDecreasingCount.filter { $0.word.unicodeScalars.count <= maxWordCharacters }
        guard !words.isEmpty else { throw TextError.emptyCorpus("The training text") }

        // 1. The fixed head: specials and reserve.
        let tokens = specialTokens + (0..<reservedTokens).map { "[unused\($0)]" }
        guard tokens.count < vocabularySize else {
            throw TextError.invalidSetting("A vocabulary of \(vocabularySize) tokens cannot hold \(tokens.count) specials and reserved tokens plus an alphabet; ask for more tokens.")
        }

        // 2. The alphabet, counted per character over words weighted by their counts.
        var characterCounts: [Unicode.Scalar: Int] = [:]
        for (word, count) in words {
            for scalar in word.unicodeScalars { characterCounts[scalar, default: 0] += count }
        }
        let alphabet = characterCounts.filter { $0.value >= minimumCharacterCount }.keys
            .sorted { $0.value < $1.value }
        guard tokens.count + 2 * alphabet.count <= vocabularySize else {
            throw TextError.invalidSetting("The corpus has \(alphabet.count) distinct characters: \(2 * alphabet.count) alphabet tokens do not fit in \(vocabularySize); ask for more tokens or raise minimumCharacterCount.")
        }
        var symbols: [String] = []
        var symbolIds: [String: Int32] = [:]
        func symbol(_ text: String) -> (id: Int32, isNew: Bool) {
            if let id = symbolIds[text] { return (id, false) }
            let id = Int32(symbols.count)
            symbols.append(text)
            symbolIds[text] = id
            return (id, true)
        }
        for scalar in alphabet { _ = symbol(String(scalar)) }
        for scalar in alphabet { _ = symbol("##" + String(scalar)) }
        let inAlphabet = Set(alphabet)

        // 3. Every word as symbols: first character plain, the rest as continuations.
        var wordSymbols: [[Int32]] = []
        var wordCounts: [Int] = []
        for (word, count) in words where word.unicodeScalars.allSatisfy(inAlphabet.contains) {
            var pieces: [Int32] = []
            for (k, scalar) in word.unicodeScalars.enumerated() {
                pieces.append(symbolIds[(k == 0 ? "" : "##") + String(scalar)]!)
            }
            wordSymbols.append(pieces)
            wordCounts.append(count)
        }

        // 4. Merge the most frequent adjacent pair until the vocabulary is full.
        var pairs = PairTable()
        for w in wordSymbols.indices { pairs.add(word: wordSymbols[w], weight: wordCounts[w], index: Int32(w), onlyWith: nil) }
        var visited = [Int32](repeating: -1, count: wordSymbols.count)
        var merge: Int32 = 0
        while tokens.count + symbols.count < vocabularySize {
            guard let best = pairs.mostFrequent(), pairs.counts[best] >= minimumPairCount else { break }
            let left = pairs.left[best], right = pairs.right[best]
            let rightText = symbols[Int(right)]
            let merged = symbol(symbols[Int(left)] + (rightText.hasPrefix("##") ? String(rightText.dropFirst(2)) : rightText)).id
            for w in pairs.words[best] where visited[Int(w)] != merge {
                visited[Int(w)] = merge
                let old = wordSymbols[Int(w)]
                var new: [Int32] = []
                new.reserveCapacity(old.count)
                var k = 0
                while k < old.count {
                    if k + 1 < old.count && old[k] == left && old[k + 1] == right {
                        new.append(merged)
                        k += 2
                    } else {
                        new.append(old[k])
                        k += 1
                    }
                }
                if new.count == old.count { continue }
                pairs.add(word: old, weight: -wordCounts[Int(w)], index: w, onlyWith: nil)
                pairs.add(word: new, weight: wordCounts[Int(w)], index: w, onlyWith: merged)
                wordSymbols[Int(w)] = new
            }
            pairs.words[best] = []
            merge += 1
        }
        return try Vocabulary(tokens: tokens + symbols, origin: "trained vocabulary")
    }
}

/// Counts of adjacent symbol pairs, and the words each pair occurs in (the trainer's state).
struct PairTable {
    var index: [UInt64: Int] = [:]
    var counts: [Int] = []
    var left: [Int32] = []
    var right: [Int32] = []
    /// Words that contain (or once contained) each pair; may hold stale entries.
    var words: [[Int32]] = []

    /// Adds `weight` occurrences of each adjacent pair of `word`; records the word under the
    /// pairs it newly holds (all of them, or only those involving `onlyWith`).
    mutating func add(word: [Int32], weight: Int, index w: Int32, onlyWith symbol: Int32?) {
        guard word.count > 1 else { return }
        for k in 0..<(word.count - 1) {
            let a = word[k], b = word[k + 1]
            let key = UInt64(UInt32(a)) << 32 | UInt64(UInt32(b))
            let p: Int
            if let known = index[key] {
                p = known
            } else {
                p = counts.count
                index[key] = p
                counts.append(0)
                left.append(a)
                right.append(b)
                words.append([])
            }
            counts[p] += weight
            if weight > 0 && (symbol == nil || a == symbol || b == symbol) {
                if words[p].last != w { words[p].append(w) }
            }
        }
    }

    /// The pair with the highest count; ties to the pair first seen. Nil when none is left.
    func mostFrequent() -> Int? {
        counts.withUnsafeBufferPointer { counts in
            var best = -1
            var bestCount = 0
            for p in 0..<counts.count where counts[p] > bestCount {
                best = p
                bestCount = counts[p]
            }
            return best >= 0 ? best : nil
        }
    }
}
