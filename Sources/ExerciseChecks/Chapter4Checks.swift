import Tensors
import Autograd
import Text
import Transformer
import NoteTaking

extension ExerciseCatalog {
    static let chapter4: [Exercise] = [
        Exercise(id: "4.1", chapter: 4, title: "the occurrences of rare words in one sequence",
                 file: "chapter4/RareWordOccurrences.swift",
                 nudge: """
                 What is the unit that is rare: a token, or a word? The table is keyed by a word's token ids,
                 so which ids do you look up for the span (s, t), and what happens if you look up only the
                 first one? (`un` may be frequent while `un ##believ ##able` is rare, and the other way
                 round.) What does a word the table does not hold count? Is a word counted exactly low times
                 rare, and one counted exactly high times? Last, the order: must you sort anything, or does
                 walking the spans already give it? Tokens outside every span ([CLS], [SEP]) belong to no
                 word: does your loop ever need them?
                 """,
                 derivation: """
                 For each word span (s, t) of the sequence, in the order given:

                     1. w = ids[s..<t]: the whole word, every one of its t − s tokens (numpy: ids[s:t]).
                     2. c = counts[w]; a word missing from the table was never counted: not rare.
                     3. Keep (s, t) if low ≤ c ≤ high: both ends of the band are included.

                 The result is already left to right, since the spans are; nothing to sort.

                 In Swift: Array(ids[span.start..<span.end]) is the key ([Int32], hashable), counts[key] is an
                 Int? (nil when missing), band.contains(c) tests low ≤ c ≤ high (a ClosedRange). So
                 wordSpans.filter { … } is the whole exercise. The engine does the same in
                 RareWords.occurrences(in:), where the counting and the band are RareWords(counting:band:).
                 """,
                 run: checkRareWordOccurrences),
        Exercise(id: "4.2", chapter: 4, title: "one occurrence's note: the mean over a clipped window",
                 file: "chapter4/OccurrenceNote.swift",
                 nudge: """
                 Write down the window's first and last positions for a word at s..<t with k on each side.
                 Which of them can fall outside the sequence, and which rows of `hidden` are not the sequence
                 at all? (Rows n..<T are padding: what would a padding row do to the note?) Once the window is
                 clipped, what do you divide the sum by: 2k + t − s as the paper prints it, or something
                 else? Try a word at position 0 with k = 2, and a word whose k reaches past n. What is the
                 note when k = 0? A quick test of your normaliser: if every real row were the same vector,
                 what must the note be?
                 """,
                 derivation: """
                 With s = start, t = end (exclusive), n = length:

                     1. The window [s − k, t − 1 + k], as a half-open range: low = s − k, high = t + k.
                     2. Clip it to the real tokens 0..<n:  low = max(0, s − k),  high = min(n, t + k).
                        Rows n..<T are padding and never enter; for k ≥ T the window is the whole of 0..<n.
                     3. Sum the rows:  S = Σ_{j = low}^{high − 1} hidden[j]          [H]
                     4. Divide by the number of rows summed:  Note = S / (high − low).
                        Unclipped, that is 2k + t − s with t exclusive; the paper prints this normaliser but
                        sums up to an inclusive t, one row more. Near either end there are fewer rows:
                        divide by what you summed, never by a formula in k.

                 Worked example: n = 7, word 0..<1, k = 2 → rows 0, 1, 2, divided by 3.
                 With k = 0 the note is the mean of the word's own rows s..<t.

                 In Swift (numpy: hidden[low:high].mean(axis=0)): var note = Tensor.zeros([H]); add
                 hidden[j, h] into note[h] for j in low..<high and h in 0..<H; return note / Float(high − low).
                 Or rows(hidden, low..<high) (a [high − low, H] slice) and mean(…, axis: 0). The engine's
                 windowMean(hidden, sequence:start:end:length:halfWindow:) does the same on [B, T, H].
                 """,
                 run: checkOccurrenceNote),
        Exercise(id: "4.3", chapter: 4, title: "the moving average of the note dictionary",
                 file: "chapter4/UpdateNotes.swift",
                 nudge: """
                 A word can occur several times in one batch. If you applied the moving average once per
                 occurrence, would the result depend on their order? (Try two occurrences with means a and b,
                 in both orders.) What single update is the same whatever the order? Then the two kinds of
                 word: one that already has a note, and one seen for the first time. What would blending a
                 first note with the zeros in its row do to it? Which rows and which flags must stay exactly
                 as they were? Finally: does `seen` change for a word before or after you have decided how to
                 update it?
                 """,
                 derivation: """
                 Group the batch's occurrences by word, then one update per word:

                     1. For each word w of the batch: m(w) = (1/N_w) · Σ the means of its N_w occurrences   [H]
                        (numpy: a dict of word → running sum and count).
                     2. If seen[w]:   Note′(w) = (1 − γ)·Note(w) + γ·m(w)
                        else:         Note′(w) = m(w)          (a first note, stored as it is: no γ)
                     3. seen′[w] = true. Decide step 2 with the old seen[w], before setting it.
                     4. Every word the batch does not hold keeps its row and its flag.

                 Why average first: two updates with a, then b give (1 − γ)²·N + γ(1 − γ)·a + γ·b, which
                 weighs b more than a; with m = (a + b)/2 the result is the same in any order.

                 In Swift: var sums: [Int: Tensor] and var counts: [Int: Int]; (sums[w] ?? .zeros([H])) + mean
                 accumulates; var updated = notes copies (tensors are values); updated[w, h] = … writes one
                 entry, Tensor `+`, `*` and `/` by a Float work entry by entry. The engine: NoteTaking.observe
                 averages a word's notes of a batch, NoteDictionary.update(means, decay: γ) does steps 2–3.
                 """,
                 run: checkUpdateNotes),
        Exercise(id: "4.4", chapter: 4, title: "the mixed input that skips picked tokens",
                 file: "chapter4/MixedInput.swift",
                 nudge: """
                 Which tokens does the mix touch: only the rare word's own tokens, or a window around them?
                 For an occurrence, which three conditions decide whether its tokens are mixed? Think about a
                 word of three tokens whose middle token is [MASK]ed: the note belongs to the whole word, so
                 what would it tell the model about the masked token if you mixed it into the other two? A
                 token that is picked but belongs to no rare word: does it change anything? And a word that
                 has never been seen: what is in its row of `notes`, and should it be used? Which rows of
                 your result must be bit for bit the input?
                 """,
                 derivation: """
                 Start from a copy of x and go over the occurrences (start, end, word):

                     1. Skip the occurrence if seen[word] is false: the word has no note yet.
                     2. Skip it if any position in start..<end is picked (masked, replaced or kept), even one
                        of three: the leakage rule keeps the whole word plain.
                     3. Otherwise, for every token i in start..<end:
                            inputᵢ = (1 − λ)·xᵢ + λ·Note(word)       [H], Note(word) = notes[word]
                     Every other row stays xᵢ: the tokens around the word, picked tokens, words without a note.
                     A word that occurs twice is mixed at both occurrences, each judged on its own.

                 In Swift: let isPicked = Set(picked) makes step 2 a .contains(where: isPicked.contains) on
                 start..<end; var mixed = embeddings copies; mixed[i, h] = (1 − λ) * embeddings[i, h] +
                 λ * notes[word, h]. The engine's mixRows(Variable(x), rows: [Int32], vectors: [N, H],
                 weight: λ) does step 3 for a list of rows; NoteTaking.augment chooses the rows as above,
                 from RareWords.occurrences(in:) and its isIntact flag.
                 """,
                 run: checkMixedInput),
    ]
}

// MARK: Engine fixtures

/// The engine's TNF with these rare words (word w spelled by `words[w]`), notes and flags:
/// built empty, then filled by `restore(state:)` as a checkpoint would.
private func engineNoteTaking(words: [[Int32]], notes: Tensor, seen: [Bool], halfWindow: Int = 0,
                              decay: Float = 0.1, weight: Float = 0.5) throws -> NoteTaking {
    var settings = NoteTaking.Settings()
    (settings.band, settings.halfWindow, settings.decay, settings.weight) = (1...Int.max, halfWindow, decay, weight)
    let engine = NoteTaking(settings: settings, rareWords: RareWords(band: settings.band, words: [], counts: []),
                            width: notes.shape[1])
    let width = words.map(\.count).max() ?? 0
    try engine.restore(state: [
        "words": Tensor(shape: [words.count, width],
                        scalars: words.flatMap { $0.map(Float.init) + Array(repeating: -1, count: width - $0.count) }),
        "counts": Tensor(shape: [words.count], repeating: 1),
        "notes": notes,
        "seen": Tensor(shape: [seen.count], scalars: seen.map { $0 ? 1 : 0 }),
    ])
    return engine
}

/// One sequence of words (each a list of token ids) laid out left to right: its ids and spans.
private func layOut(_ words: [[Int32]]) -> (ids: [Int32], spans: [WordSpan]) {
    var ids: [Int32] = [], spans: [WordSpan] = []
    for word in words {
        spans.append(WordSpan(start: Int32(ids.count), end: Int32(ids.count + word.count)))
        ids += word
    }
    return (ids, spans)
}

private func describe(_ spans: [(start: Int, end: Int)]) -> String {
    "[" + spans.map { "\($0.start)..<\($0.end)" }.joined(separator: ", ") + "]"
}

// MARK: 4.1

private func checkRareWordOccurrences(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("4.1") { c in
        var rng = SeededGenerator(seed: 41)
        // A lexicon of whole words, one to three tokens each, with the count each gets in a small
        // corpus. Two traps: [20] alone is rare but [20, 21] is frequent; [22] alone is frequent but
        // [22, 23] is rare. The rest: random spellings and counts around the bands' edges.
        var lexicon: [([Int32], Int)] = [([20], 4), ([20, 21], 10), ([22], 12), ([22, 23], 5)]
        var spellings: Set<[Int32]> = Set(lexicon.map(\.0))
        let planned = [1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 11, 12, 13, 2, 7, 1, 10]
        for count in planned {
            var word: [Int32]
            repeat {
                word = (0..<Int.random(in: 1...3, using: &rng)).map { _ in Int32.random(in: 30...45, using: &rng) }
            } while spellings.contains(word)
            spellings.insert(word)
            lexicon.append((word, count))
        }
        // The corpus: every word as often as its count, shuffled, cut into sequences of 3–8 words, so
        // words sit at both edges of sequences. The last one has [CLS] and [SEP] outside every span.
        let stream = lexicon.flatMap { word, count in Array(repeating: word, count: count) }.shuffled(using: &rng)
        var corpus: [TokenSequence] = []
        var next = 0
        while next < stream.count {
            let take = min(Int.random(in: 3...8, using: &rng), stream.count - next)
            let (ids, spans) = layOut(Array(stream[next..<(next + take)]))
            corpus.append(TokenSequence(ids: ids, wordSpans: spans, source: "exercise", document: corpus.count))
            next += take
        }
        let framed = corpus.removeLast()
        corpus.append(TokenSequence(ids: [2] + framed.ids + [3],
                                    wordSpans: framed.wordSpans.map { WordSpan(start: $0.start + 1, end: $0.end + 1) },
                                    source: "exercise", document: corpus.count))
        // The table the learner gets: every whole word of the corpus with its count.
        var counts: [[Int32]: Int] = [:]
        for sequence in corpus { for span in sequence.wordSpans { counts[Array(sequence.ids[span.range]), default: 0] += 1 } }

        func yours(_ ids: [Int32], _ spans: [WordSpan], _ band: ClosedRange<Int>) throws -> [(start: Int, end: Int)] {
            try E.rareWordOccurrences(ids: ids, wordSpans: spans.map { (Int($0.start), Int($0.end)) }, counts: counts, band: band)
        }
        func word(_ ids: [Int32], _ span: (start: Int, end: Int)) -> String {
            guard (0...ids.count).contains(span.start), (span.start...ids.count).contains(span.end) else { return "outside the sequence" }
            let w = Array(ids[span.start..<span.end])
            return "word \(w), count \(counts[w].map(String.init) ?? "none")"
        }

        for band in [3...6, 7...12] {
            let rare = RareWords(counting: corpus, band: band)
            var wrong: [String] = []
            for (index, sequence) in corpus.enumerated() {
                let n = sequence.ids.count
                let input = ModelInput(ids: sequence.ids, batchSize: 1, length: n, lengths: [n], wordSpans: [sequence.wordSpans])
                let expected = rare.occurrences(in: input).map { (start: $0.start, end: $0.end) }
                let mine = try yours(sequence.ids, sequence.wordSpans, band)
                guard !mine.elementsEqual(expected, by: ==) else { continue }
                let missing = expected.filter { e in !mine.contains { $0 == e } }
                let extra = mine.filter { m in !expected.contains { $0 == m } }
                var line = "sequence \(index) (\(n) tokens): expected \(describe(expected)), yours \(describe(mine))"
                if let first = missing.first { line += "; missing \(first.start)..<\(first.end) (\(word(sequence.ids, first)))" }
                if let first = extra.first { line += "; not rare: \(first.start)..<\(first.end) (\(word(sequence.ids, first)))" }
                if missing.isEmpty && extra.isEmpty { line += "; the same spans in another order or repeated" }
                wrong.append(line)
            }
            try c.require(wrong.isEmpty,
                          "every sequence of a \(corpus.count)-sequence corpus matches the engine's "
                          + "RareWords(counting: corpus, band: \(band.lowerBound)...\(band.upperBound)).occurrences(in:)",
                          "\(wrong.count) of \(corpus.count) sequences disagree; first ones:\n" + wrong.prefix(4).joined(separator: "\n"))
        }

        // Invariants, on sequences built for one point each (band 3…6).
        let band = 3...6
        func only(_ count: Int) -> [Int32] { lexicon.first { $0.1 == count && !$0.0.starts(with: [20]) && !$0.0.starts(with: [22]) }!.0 }
        let edges = layOut([only(2), only(3), only(6), only(7)])
        let edgeResult = try yours(edges.ids, edges.spans, band)
        try c.require(edgeResult.map(\.start) == [Int(edges.spans[1].start), Int(edges.spans[2].start)],
                      "both ends of the band are included: words counted 3 and 6 are rare in 3…6, words counted 2 and 7 are not",
                      "words counted 2, 3, 6, 7 at \(describe(edges.spans.map { (Int($0.start), Int($0.end)) })): "
                      + "expected the 2nd and 3rd, yours \(describe(edgeResult))")
        let whole = layOut([[20, 21], [22, 23], [20]])
        let wholeResult = try yours(whole.ids, whole.spans, band)
        try c.require(wholeResult.elementsEqual([(start: 2, end: 4), (start: 4, end: 5)], by: ==),
                      "a word is all its tokens: [20, 21] (count 10) is not rare though [20] (4) is; [22, 23] (5) is though [22] (12) is not",
                      "for [20, 21] [22, 23] [20] (spans [0..<2, 2..<4, 4..<5]) expected [2..<4, 4..<5], yours \(describe(wholeResult))")
        let none = layOut([only(1), only(12), [99]])
        let noneResult = try yours(none.ids, none.spans, band)
        try c.require(noneResult.isEmpty, "a sequence without rare words (one word never counted) gives []",
                      "yours \(describe(noneResult))")
    }
}

// MARK: 4.2

private func checkOccurrenceNote(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("4.2") { c in
        var rng = SeededGenerator(seed: 42)
        let (T, H, n) = (10, 6, 7)
        // Real rows N(0, 1); padding rows far away, so that reading one shows.
        var hidden = Tensor.normal([T, H], using: &rng)
        for t in n..<T { for h in 0..<H { hidden[t, h] = 100 + Float(t) } }
        let cases: [(start: Int, end: Int, k: Int, what: String)] = [
            (0, 1, 2, "a word at the start"),
            (5, 7, 2, "a word at the end, next to the padding"),
            (4, 6, 3, "a word whose window reaches into the padding"),
            (2, 4, 0, "k = 0"),
            (1, 3, 1, "a two-token word inside"),
            (3, 4, 20, "k larger than the sequence"),
        ]
        for (start, end, k, what) in cases {
            let note = try E.occurrenceNote(hidden: hidden, length: n, start: start, end: end, halfWindow: k)
            let expected = windowMean(hidden.reshaped([1, T, H]), sequence: 0, start: start, end: end, length: n, halfWindow: k)
            try c.compare("\(what) (\(start)..<\(end), k = \(k), n = \(n) of T = \(T)): the note [H] matches the engine's windowMean",
                          note, expected: Tensor(shape: [H], scalars: expected))
        }
        let full = try E.occurrenceNote(hidden: hidden.reshaped([T, H]), length: T, start: T - 1, end: T, halfWindow: 3)
        try c.compare("a word at the very end of a sequence without padding (n = T)", full,
                      expected: Tensor(shape: [H], scalars: windowMean(hidden.reshaped([1, T, H]), sequence: 0, start: T - 1,
                                                                      end: T, length: T, halfWindow: 3)))

        // Invariants, independent of the engine: feature 0 holds the position j, feature 1 holds 1, and
        // padding holds 1000. The note's feature 0 is then the middle of the clipped window, feature 1
        // is 1 (the normaliser counts the rows summed), and no padding can hide.
        var probe = Tensor(shape: [T, 2], repeating: 1000)
        for j in 0..<n {
            probe[j, 0] = Float(j)
            probe[j, 1] = 1
        }
        var yoursProbe: [Float] = [], expectedProbe: [Float] = []
        for (start, end, k, _) in cases {
            let note = try E.occurrenceNote(hidden: probe, length: n, start: start, end: end, halfWindow: k)
            try c.shape("the note", note, [2])
            let (low, high) = (max(0, start - k), min(n, end + k))
            yoursProbe += note.scalars
            expectedProbe += [Float(low + high - 1) / 2, 1]
        }
        try c.compare("cⱼ = (j, 1) gives (the clipped window's middle, 1) in every case above (row = case, in order): "
                      + "the window is [s − k, t − 1 + k] ∩ [0, n), divided by the rows summed",
                      Tensor(shape: [cases.count, 2], scalars: yoursProbe),
                      expected: Tensor(shape: [cases.count, 2], scalars: expectedProbe), absolute: 1e-5)
    }
}

// MARK: 4.3

private func checkUpdateNotes(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("4.3") { c in
        var rng = SeededGenerator(seed: 43)
        let (W, H) = (6, 4)
        // Words 0, 2, 4 have notes; 1, 3, 5 do not (zeros, as the engine keeps them).
        let seen = [true, false, true, false, true, false]
        var notes = Tensor.normal([W, H], using: &rng)
        for w in 0..<W where !seen[w] { for h in 0..<H { notes[w, h] = 0 } }
        // The batch: word 0 three times (seen), word 1 twice (first notes), 2 and 3 once; 4 and 5 absent.
        let batchWords = [0, 1, 0, 2, 3, 1, 0]
        let occurrences = batchWords.map { (word: $0, mean: Tensor.normal([H], mean: 2, using: &rng)) }

        /// The engine: NoteTaking.observe on a batch of one-token words whose window (k = 0) is the
        /// word's own row, holding its mean — it averages a word's notes, then NoteDictionary.update.
        func engine(_ occurrences: [(word: Int, mean: Tensor)], _ γ: Float) throws -> (notes: Tensor, seen: [Bool]) {
            let spelling = (0..<W).map { [Int32(100 + $0)] }
            let tnf = try engineNoteTaking(words: spelling, notes: notes, seen: seen, halfWindow: 0, decay: γ)
            let N = occurrences.count
            let (ids, spans) = layOut(occurrences.map { spelling[$0.word] })
            let input = ModelInput(ids: ids, batchSize: 1, length: N, lengths: [N], wordSpans: [spans])
            tnf.observe(hidden: Tensor(shape: [1, N, H], scalars: occurrences.flatMap(\.mean.scalars)), input: input)
            return (tnf.dictionary.notes, tnf.dictionary.seen)
        }
        func flags(_ what: String, _ yours: [Bool], _ expected: [Bool]) throws {
            let wrong = (0..<W).filter { yours.indices.contains($0) ? yours[$0] != expected[$0] : true }
            try c.require(yours.count == W && wrong.isEmpty, what,
                          yours.count != W ? "yours has \(yours.count) flags, expected \(W)"
                              : wrong.map { "word \($0): expected seen = \(expected[$0]), yours \(yours[$0])" }.joined(separator: "; "))
        }

        let γ: Float = 0.3
        let (updated, nowSeen) = try E.updateNotes(notes: notes, seen: seen, occurrences: occurrences, decay: γ)
        let expected = try engine(occurrences, γ)
        try c.compare("notes [W, H] match the engine (NoteTaking.observe: a word's notes of the batch averaged, then "
                      + "NoteDictionary.update), γ = \(γ)", updated, expected: expected.notes)
        try flags("seen [W] matches the engine: the batch's words become seen, the others keep their flag", nowSeen, expected.seen)

        let shuffled = occurrences.shuffled(using: &rng)
        let (reordered, _) = try E.updateNotes(notes: notes, seen: seen, occurrences: shuffled, decay: γ)
        try c.compare("shuffling the batch's occurrences gives the same notes (order \(shuffled.map(\.word)))",
                      reordered, expected: updated)

        // Invariants: with γ = 0 a word with a note keeps it, a first note is still stored as it is
        // (the mean of its batch notes); words the batch does not hold are untouched.
        let (frozen, _) = try E.updateNotes(notes: notes, seen: seen, occurrences: occurrences, decay: 0)
        var firstNotes = notes
        for w in Set(batchWords) where !seen[w] {
            let means = occurrences.filter { $0.word == w }.map(\.mean)
            let m = means.dropFirst().reduce(means[0], +) / Float(means.count)
            for h in 0..<H { firstNotes[w, h] = m[h] }
        }
        try c.compare("γ = 0: notes of seen words stay, first notes (words 1, 3) are their batch mean, words 4, 5 untouched",
                      frozen, expected: firstNotes)
        let (replaced, _) = try E.updateNotes(notes: notes, seen: seen, occurrences: occurrences, decay: 1)
        try c.compare("γ = 1: every word of the batch takes its batch mean", replaced, expected: try engine(occurrences, 1).notes)
        let (unchanged, unchangedSeen) = try E.updateNotes(notes: notes, seen: seen, occurrences: [], decay: γ)
        try c.compare("an empty batch changes no note", unchanged, expected: notes)
        try flags("an empty batch changes no flag", unchangedSeen, seen)
    }
}

// MARK: 4.4

private func checkMixedInput(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("4.4") { c in
        var rng = SeededGenerator(seed: 44)
        let (W, H) = (5, 4)
        // Word w is spelled by 1–3 tokens 100 + 10w + j; other words are single tokens 5…60.
        let spelling: [[Int32]] = [[100, 101], [110, 111, 112], [120], [130], [140, 141]]
        let seen = [true, true, false, true, true]
        var notes = Tensor.normal([W, H], mean: 1, using: &rng)
        for h in 0..<H { notes[2, h] = 0 }
        let mask: Int32 = 4

        /// One sequence of `words` (`nil` a common word) with `picked` positions: the learner's
        /// arguments and the engine's NoteTaking.augment on the same batch.
        func run(_ words: [Int?], picked: [Int], λ: Float) throws -> (x: Tensor, yours: Tensor, expected: Tensor,
                                                                       occurrences: [(start: Int, end: Int, word: Int)]) {
            let (ids, spans) = layOut(words.map { $0.map { spelling[$0] } ?? [Int32.random(in: 5...60, using: &rng)] })
            let T = ids.count
            let x = Tensor.normal([T, H], std: 0.5, using: &rng)
            var corrupted = ids
            for p in picked { corrupted[p] = mask }
            let input = ModelInput(ids: corrupted, batchSize: 1, length: T, lengths: [T], wordSpans: [spans],
                                   maskedPositions: picked.map(Int32.init), maskedOriginals: picked.map { ids[$0] })
            let tnf = try engineNoteTaking(words: spelling, notes: notes, seen: seen, weight: λ)
            let occurrences = tnf.rareWords.occurrences(in: input).map { (start: $0.start, end: $0.end, word: $0.word) }
            let expected = tnf.augment(Variable(x.reshaped([1, T, H])), input: input, isTraining: true).value.reshaped([T, H])
            let yours = try E.mixedInput(embeddings: x, occurrences: occurrences, picked: picked, notes: notes, seen: seen,
                                         weight: λ)
            try c.shape("the mixed input", yours, [T, H])
            return (x, yours, expected, occurrences)
        }

        // Positions: 0 common | 1 2 word 0 | 3 common | 4 5 6 word 1, token 5 picked | 7 word 2 (no note)
        // | 8 9 word 0 again | 10 common, picked | 11 word 3, picked | 12 common | 13 14 word 4.
        let words: [Int?] = [nil, 0, nil, 1, 2, 0, nil, 3, nil, 4]
        let picked = [5, 10, 11]
        let fixed = try run(words, picked: picked, λ: 0.5)
        try c.compare("x [T, H] (T = 15) matches the engine's NoteTaking.augment, λ = 0.5: mixed are word 0 at 1..<3 and "
                      + "8..<10, word 4 at 13..<15; plain are word 1 at 4..<7 (token 5 picked), word 2 at 7..<8 (no note), "
                      + "word 3 at 11..<12 (picked), token 10 (picked), the common words", fixed.yours, expected: fixed.expected)

        // Invariants: only the intact occurrences with a note move, and they move linearly towards the note.
        var plain = fixed.x
        for (start, end, word) in fixed.occurrences where seen[word] && !(start..<end).contains(where: picked.contains) {
            for i in start..<end { for h in 0..<H { plain[i, h] = fixed.yours[i, h] } }
        }
        try c.compare("every other row is the input unchanged: tokens 4–6 of word 1 (only token 5 picked: the leakage "
                      + "rule), word 2 without a note, the picked tokens, the common words", fixed.yours, expected: plain,
                      absolute: 0, relative: 0)
        let none = try run(words, picked: picked, λ: 0)
        try c.compare("λ = 0 returns the input", none.yours, expected: none.x, absolute: 1e-6)
        let all = try run(words, picked: picked, λ: 1)
        var noteRows = all.x
        for (start, end, word) in all.occurrences where seen[word] && !(start..<end).contains(where: picked.contains) {
            for i in start..<end { for h in 0..<H { noteRows[i, h] = notes[word, h] } }
        }
        try c.compare("λ = 1 puts the note itself at every token of an intact occurrence with a note", all.yours,
                      expected: noteRows)

        // A longer random sequence: 30 words, a third of them rare, about 15% of tokens picked.
        let randomWords: [Int?] = (0..<30).map { _ in Int.random(in: 0..<3, using: &rng) == 0 ? Int.random(in: 0..<W, using: &rng) : nil }
        let length = randomWords.reduce(0) { $0 + ($1.map { spelling[$0].count } ?? 1) }
        let randomPicked = (0..<length).filter { _ in Int.random(in: 0..<100, using: &rng) < 15 }
        let random = try run(randomWords, picked: randomPicked, λ: 0.3)
        try c.compare("a random sequence (T = \(length), \(random.occurrences.count) occurrences, \(randomPicked.count) picked, "
                      + "λ = 0.3) matches the engine", random.yours, expected: random.expected)
    }
}
