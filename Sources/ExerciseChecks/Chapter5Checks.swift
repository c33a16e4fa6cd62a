import Tensors
import Autograd
import Transformer
import BertBaseline
import MetaController

extension ExerciseCatalog {
    static let chapter5: [Exercise] = [
        Exercise(id: "5.1", chapter: 5, title: "ELECTRA's labels: which tokens are replaced",
                 file: "chapter5/ReplacedTokens.swift",
                 nudge: """
                 Which positions can change at all, and which keep their token whatever the generator does?
                 The generator is trained to predict the original, so its softmax often puts real weight
                 on it: when a picked position's sample is the original token, what does the discriminator
                 see there, and would "replaced" be a true answer? So is "replaced" a property of having
                 been picked, or of the token the discriminator reads? Which positions get a label: only
                 the picked ones, or every token? And the rows after `length`: are they tokens the
                 discriminator is judged on? How long is each of your two results?
                 """,
                 derivation: """
                 With x = original and n = length:

                     1. x̂ = a copy of x, then x̂[picked[k]] = samples[k] for every k.
                        Every other position keeps its token, padding included: x̂ has T entries.
                        (numpy: xh = x.copy(); xh[picked] = samples)
                     2. For every real position i in 0..<n:  replacedᵢ = (x̂ᵢ ≠ xᵢ).
                        Not "i was picked": a picked position whose sample is xᵢ is original, and a
                        position that was not picked can never be replaced. (numpy: (xh != x)[:n])
                     3. Padding (i ≥ n) gets no label: the discriminator's loss averages over the n real
                        positions of each sequence.

                 Worked example: x = [2, 10, 11, 12, 3, 0], n = 5, picked = [1, 3], samples = [10, 20]
                 gives x̂ = [2, 10, 11, 20, 3, 0] and replaced = [false, false, false, true, false]:
                 position 1 was picked, but its sample is its own token.

                 In Swift: var ids = original; ids[p] = s in a loop over zip(picked, samples); then
                 (0..<length).map { ids[$0] != original[$0] }. The engine's ReplacedTokens(batch, samples:)
                 does the same for a whole batch: its input.ids [B·T], its positions (every real b·T + t)
                 and replaced [M].
                 """,
                 run: checkReplacedTokens),
        Exercise(id: "5.2", chapter: 5, title: "MC-BERT's candidate set and label at one position",
                 file: "chapter5/CandidateSet.swift",
                 nudge: """
                 Start from what the main model reads. At a position the masking did not pick, which
                 token is in its input, and can that position be "replaced"? At a picked one the input
                 holds sample 0: what if that sample happens to be the original? When the token you see
                 is the original, which answer is right, and which slot holds it? When it was replaced,
                 the right answer must be among the candidates: where does the original go, and which
                 sample gives up its place? Is sample 0 ever a candidate? Should you remove repeated
                 samples, or a copy of the original that the controller drew again further along? What
                 is the smallest K that still makes sense, and what does your code do with it?
                 """,
                 derivation: """
                 With x = original, s = samples (s₀, …, s_{K−1}) and K = samples.count:

                     1. The token the main model reads: x̂ = s₀ if picked, else x.
                     2. replaced = (x̂ ≠ x): false at every position that was not picked, and false at a
                        picked one whose s₀ happens to be x (as in ELECTRA).
                     3. candidates = [NOTA, (replaced ? x : s₁), s₂, …, s_{K−1}]: K entries. s₀ is never
                        a candidate as such (it is the token in the input). Keep repeats, and keep an x
                        that appears again among s₂…s_{K−1}: nothing is deduplicated (two equal
                        candidates simply get the same score).
                     4. label = replaced ? 1 : 0. Slot 1 holds the original when the token was replaced;
                        otherwise the right answer is [NOTA], slot 0.

                 Worked example, K = 4, nota = 30, x = 12, s = [17, 15, 12, 15]:
                     picked              → x̂ = 17 ≠ 12: candidates [30, 12, 12, 15], label 1
                     not picked          → x̂ = 12:      candidates [30, 15, 12, 15], label 0
                     picked, s = [12, 15, 12, 15] → x̂ = 12, kept: [30, 15, 12, 15], label 0

                 In Swift: let replaced = picked && samples[0] != original; then
                 [nota, replaced ? original : samples[1]] + samples[2...] (an ArraySlice appended to an
                 array; empty when K = 2). The engine's MultipleChoice(batch, positions:, samples:,
                 candidatesPerPosition:, nota:) does this at every real position of a batch, with the
                 samples [M, K] row-major (numpy: samples.reshape(M, K)[m]).
                 """,
                 run: checkCandidateSet),
        Exercise(id: "5.3", chapter: 5, title: "scoring K candidates against the embedding table",
                 file: "chapter5/ScoreCandidates.swift",
                 nudge: """
                 How many numbers does one position need: one per word of the vocabulary, or one per
                 candidate? What is one candidate's score made of, and which piece comes from the table,
                 which from the bias? [NOTA] is not a row of the table: how do you recognise its id, and
                 where do its row and bias come from? If a row lists the same id twice, what must its two
                 scores be? Does a softmax belong here, or does the loss take the scores as they are?
                 And a test you can run yourself: if you computed all V + 1 scores of a position, how
                 would your K numbers relate to them?
                 """,
                 derivation: """
                 For each position m and slot k, with c = candidates[m][k]:

                     1. The row and the bias of c: (E[c], b[c]) for c < V; (notaRow, notaBias) for c = V.
                     2. yₘₖ = Σⱼ hidden[m, j] · row[j] + bias: a dot product over the H features, then
                        the bias. (numpy: R = np.vstack([E, nota]); beta = np.append(b, nota_bias);
                        y = np.einsum('mh,mkh->mk', h, R[C]) + beta[C])
                     3. No softmax and no V-way product: these K numbers are the logits the K-way
                        cross-entropy reads. All V + 1 scores h·Rᵀ + β [M, V + 1] gathered at the
                        candidates' columns give the same numbers, at about V/K times the cost.

                 In Swift: var y = Tensor.zeros([M, K]); for each m and k: let c = Int(candidates[m][k]),
                 sum hidden[m, j] * (c == V ? notaRow[j] : table[c, j]) over j in 0..<H, add
                 (c == V ? notaBias : bias[c]), store it in y[m, k]. The engine's
                 candidateScores(h, candidates: flat ids, perRow: K, table: E, bias: b,
                 extraRows: nota as [1, H], extraBias: [1]) does the same on Variables, with its backward.
                 """,
                 run: checkScoreCandidates),
        Exercise(id: "5.4", chapter: 5, title: "ELECTRA's combined loss with λ",
                 file: "chapter5/ELECTRALoss.swift",
                 nudge: """
                 Two losses of different kinds: the generator's is one cross-entropy over V words per
                 picked position, the discriminator's a yes-or-no at every token. Which one does λ
                 multiply, and why might it need to be large? Over which positions is the binary
                 cross-entropy averaged: the picked ones, or all real ones? Then the numbers: what is
                 σ(z) in Float for z = 100, and what is log(1 − σ(z)) then? For z = −100, what is e^(−z)?
                 Can you write −log σ(z) and −log(1 − σ(z)) so that nothing ever exponentiates a large
                 positive number? And what must λ = 0 leave?
                 """,
                 derivation: """
                 With z the logits, y ∈ {0, 1} (replaced → 1) and M = logits.count:

                     1. One position's loss: ℓᵢ = −[yᵢ log σ(zᵢ) + (1 − yᵢ) log(1 − σ(zᵢ))].
                        With log σ(z) = −log(1 + e^(−z)) and log(1 − σ(z)) = −z − log(1 + e^(−z)):
                             ℓᵢ = max(zᵢ, 0) − zᵢ·yᵢ + log(1 + e^(−|zᵢ|))
                        e^(−|z|) ≤ 1 never overflows, and log1p keeps its small values exact.
                        (z = 100, y = 0: ℓ = 100 + log1p(e^(−100)) = 100, where the textbook form takes
                        log(1 − σ(100)) = log(0) = −inf in Float.)
                     2. BCE = (1/M) Σᵢ ℓᵢ: the mean over every real position, not the sum and not only the
                        picked ones. Summing in Double keeps it exact for long batches.
                     3. ℒ = ℒ_MLM + λ · BCE: λ weighs the discriminator only (50 in ELECTRA, whose
                        per-token yes-or-no loss is far smaller than the generator's V-way cross-entropy).

                 In Swift: Foundation's log1p and exp on Double(z), y ? 1.0 : 0.0, then
                 generatorLoss + Float(total / Double(M)) * λ.
                 (numpy: np.mean(np.maximum(z, 0) - z*y + np.log1p(np.exp(-np.abs(z)))).)
                 The engine: binaryCrossEntropyWithLogits(logits, targets: replaced.map { $0 ? 1 : 0 }),
                 and ELECTRA's loss is generatorLoss + discriminatorLoss * λ.
                 """,
                 run: checkELECTRALoss),
    ]
}

// MARK: Batches

/// B sequences of T tokens laid out flat: [CLS] (2), ordinary words drawn from `words`, [SEP] (3),
/// padding (0) after each sequence's length; each ordinary token picked with probability
/// `pickPercent`%. Returns the original ids `[B·T]` and each sequence's picked positions.
private func sequences(lengths: [Int], T: Int, words: ClosedRange<Int32>, pickPercent: Int,
                       using rng: inout SeededGenerator) -> (original: [Int32], picked: [[Int]]) {
    var original: [Int32] = [], picked: [[Int]] = []
    for n in lengths {
        original += [2] + (1..<(n - 1)).map { _ in Int32.random(in: words, using: &rng) } + [3]
            + Array(repeating: 0, count: T - n)
        picked.append((1..<(n - 1)).filter { _ in Int.random(in: 0..<100, using: &rng) < pickPercent })
    }
    return (original, picked)
}

/// The masked batch of `original` `[B·T]`: a picked token becomes [MASK] (4), or with probability
/// `keepPercent`% stays unchanged (ELECTRA's 15%); the targets are the picked positions.
private func maskedBatch(original: [Int32], picked: [[Int]], T: Int, lengths: [Int], keepPercent: Int,
                         using rng: inout SeededGenerator) -> TrainingBatch {
    let positions = picked.enumerated().flatMap { b, ps in ps.map { Int32(b * T + $0) } }
    let labels = positions.map { original[Int($0)] }
    var ids = original
    for p in positions where Int.random(in: 0..<100, using: &rng) >= keepPercent { ids[Int(p)] = 4 }
    let input = ModelInput(ids: ids, batchSize: lengths.count, length: T, lengths: lengths,
                           maskedPositions: positions, maskedOriginals: labels)
    return TrainingBatch(input: input, targets: MaskedTargets(positions: positions, labels: labels))
}

private func list<T>(_ values: [T]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }

// MARK: 5.1

/// What differs between the learner's result for one sequence and the expected one, position by position.
private func differences(sequence b: Int, original x: [Int32], length n: Int, picked: [Int], samples: [Int32],
                         yours: (ids: [Int32], replaced: [Bool]), ids: [Int32], replaced: [Bool]) -> [String] {
    var sample: [Int: Int32] = [:]
    for (p, s) in zip(picked, samples) { sample[p] = s }
    func what(_ t: Int) -> String {
        guard let s = sample[t] else { return t < n ? "not picked, token \(x[t])" : "padding" }
        return s == x[t] ? "picked, original \(x[t]), sample \(s) — the sample is the original"
                         : "picked, original \(x[t]), sample \(s)"
    }
    var lines: [String] = []
    if yours.ids.count != ids.count {
        lines.append("sequence \(b): your input has \(yours.ids.count) ids, expected \(ids.count) (the whole sequence, padding included)")
    } else {
        for t in ids.indices where yours.ids[t] != ids[t] {
            lines.append("sequence \(b), position \(t) (\(what(t))): expected id \(ids[t]), yours \(yours.ids[t])")
        }
    }
    if yours.replaced.count != replaced.count {
        lines.append("sequence \(b): yours has \(yours.replaced.count) labels, expected \(replaced.count), one per real "
                     + "position (n = \(n) of T = \(x.count); padding is not scored)")
    } else {
        func name(_ r: Bool) -> String { r ? "replaced" : "original" }
        for t in replaced.indices where yours.replaced[t] != replaced[t] {
            lines.append("sequence \(b), position \(t) (\(what(t))): expected \(name(replaced[t])), yours \(name(yours.replaced[t]))")
        }
    }
    return lines
}

private func checkReplacedTokens(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("5.1") { c in
        var rng = SeededGenerator(seed: 51)
        let T = 16, lengths = [16, 12, 9, 16, 5, 14]
        let (original, picked) = sequences(lengths: lengths, T: T, words: 10...29, pickPercent: 30, using: &rng)
        let batch = maskedBatch(original: original, picked: picked, T: T, lengths: lengths, keepPercent: 15, using: &rng)
        // One sample per picked position: a third of them the original itself (a generator is often
        // right), the others random words, which may be the original too.
        let samples = batch.targets.labels.map { label in
            Int.random(in: 0..<3, using: &rng) == 0 ? label : Int32.random(in: 10...29, using: &rng)
        }
        let engine = ReplacedTokens(batch, samples: samples)
        var wrong: [String] = [], next = 0
        for (b, n) in lengths.enumerated() {
            let x = Array(original[(b * T)..<((b + 1) * T)])
            let theirs = Array(samples[next..<(next + picked[b].count)])
            next += picked[b].count
            let yours = try E.replacedTokens(original: x, length: n, picked: picked[b], samples: theirs)
            let expectedReplaced = zip(engine.positions, engine.replaced).filter { Int($0.0) / T == b }.map(\.1)
            wrong += differences(sequence: b, original: x, length: n, picked: picked[b], samples: theirs, yours: yours,
                                 ids: Array(engine.input.ids[(b * T)..<((b + 1) * T)]), replaced: expectedReplaced)
        }
        let kept = zip(samples, batch.targets.labels).filter { $0 == $1 }.count
        try c.require(wrong.isEmpty,
                      "a batch of \(lengths.count) sequences (T = \(T), lengths \(list(lengths)); \(samples.count) picked, "
                      + "\(kept) of them sampled as their own token) matches the engine's ReplacedTokens(batch, samples:): "
                      + "the input [T] and a label per real position",
                      "\(wrong.count) disagreements; first ones:\n" + wrong.prefix(6).joined(separator: "\n"))

        // Invariants on sequence 1: 12 real tokens in T = 16.
        let (x, n, p) = (Array(original[(1 * T)..<(2 * T)]), lengths[1], [1, 4, 5, 9])
        let unreplaced: [Bool] = Array(repeating: false, count: n)
        let same = try E.replacedTokens(original: x, length: n, picked: p, samples: p.map { x[$0] })
        try c.require(same.ids == x && same.replaced == unreplaced,
                      "every sample equal to its original: the input is the original and all \(n) labels are original",
                      "picked \(list(p)), samples \(list(p.map { x[$0] })): yours ids \(list(same.ids)), labels "
                      + "\(list(same.replaced)); a sample equal to the original counts as original")
        let none = try E.replacedTokens(original: x, length: n, picked: [], samples: [])
        try c.require(none.ids == x && none.replaced == unreplaced,
                      "nothing picked: the input is the original, \(n) labels (one per real position), all original",
                      "yours ids \(list(none.ids)), labels \(list(none.replaced))")
        let other = p.map { x[$0] == 29 ? Int32(10) : x[$0] + 1 }
        let all = try E.replacedTokens(original: x, length: n, picked: p, samples: other)
        let expected = (0..<n).map { p.contains($0) }
        try c.require(all.replaced == expected,
                      "every sample differs from its original: exactly the picked positions \(list(p)) are replaced",
                      "expected \(list(expected)), yours \(list(all.replaced))")
    }
}

// MARK: 5.2

private func checkCandidateSet(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("5.2") { c in
        var rng = SeededGenerator(seed: 52)
        let nota: Int32 = 40      // V = 40; the words below use 10…17, so samples repeat often
        for K in [10, 4] {
            let T = 12, lengths = [12, 9, 12, 6, 11]
            let (original, picked) = sequences(lengths: lengths, T: T, words: 10...17, pickPercent: 30, using: &rng)
            let batch = maskedBatch(original: original, picked: picked, T: T, lengths: lengths, keepPercent: 0, using: &rng)
            let positions = realPositions(batch.input)
            let isPicked = Set(batch.targets.positions)
            var samples: [Int32] = []
            for position in positions {
                var row = (0..<K).map { _ in Int32.random(in: 10...17, using: &rng) }
                let x = original[Int(position)]
                if Int.random(in: 0..<3, using: &rng) == 0 { row[0] = x }     // the controller right: kept
                if Int.random(in: 0..<3, using: &rng) == 0 { row[1] = x }     // the original as sample 1
                samples += row
            }
            let engine = MultipleChoice(batch, positions: positions, samples: samples, candidatesPerPosition: K, nota: nota)
            var wrong: [String] = []
            var counts = (picked: 0, replaced: 0, kept: 0, other: 0)
            for (m, position) in positions.enumerated() {
                let p = Int(position), s = Array(samples[(m * K)..<((m + 1) * K)]), x = original[p]
                let kind: String
                if isPicked.contains(position) {
                    counts.picked += 1
                    if s[0] == x { counts.kept += 1 } else { counts.replaced += 1 }
                    kind = s[0] == x ? "picked, sample 0 is the original \(x): kept" : "picked, original \(x) replaced by \(s[0])"
                } else {
                    counts.other += 1
                    kind = "not picked, token \(x)"
                }
                let yours = try E.candidateSet(original: x, picked: isPicked.contains(position), samples: s, nota: nota)
                let expected = (candidates: Array(engine.candidates[(m * K)..<((m + 1) * K)]), label: Int(engine.labels[m]))
                if yours.candidates != expected.candidates || yours.label != expected.label {
                    wrong.append("sequence \(p / T), position \(p % T) (\(kind); samples \(list(s))): expected candidates "
                                 + "\(list(expected.candidates)), label \(expected.label); yours \(list(yours.candidates)), "
                                 + "label \(yours.label)")
                }
            }
            try c.require(wrong.isEmpty,
                          "K = \(K), [NOTA] = \(nota): all \(positions.count) real positions of a batch (\(counts.picked) picked: "
                          + "\(counts.replaced) replaced, \(counts.kept) whose sample 0 is the original; \(counts.other) not picked) "
                          + "match the engine's MultipleChoice",
                          "\(wrong.count) of \(positions.count) positions disagree; first ones:\n" + wrong.prefix(5).joined(separator: "\n"))
        }

        // Invariants from the rules alone, K = 2 (the fewest: [NOTA] and one token) and repeats.
        let x: Int32 = 12
        let cases: [(picked: Bool, samples: [Int32], candidates: [Int32], label: Int, what: String)] = [
            (true, [17, 15], [nota, 12], 1, "picked and replaced"),
            (true, [12, 15], [nota, 15], 0, "picked, sample 0 the original"),
            (false, [17, 15], [nota, 15], 0, "not picked"),
            (false, [17, 12], [nota, 12], 0, "not picked, sample 1 the original"),
        ]
        var wrong: [String] = []
        for (picked, samples, candidates, label, what) in cases {
            let yours = try E.candidateSet(original: x, picked: picked, samples: samples, nota: nota)
            if yours.candidates != candidates || yours.label != label {
                wrong.append("\(what), samples \(list(samples)): expected \(list(candidates)), label \(label); "
                             + "yours \(list(yours.candidates)), label \(yours.label)")
            }
        }
        try c.require(wrong.isEmpty, "K = 2, original 12: [NOTA] and the original (label 1) when replaced, [NOTA] and "
                      + "sample 1 (label 0) otherwise", wrong.joined(separator: "\n"))
        let repeats = try E.candidateSet(original: x, picked: true, samples: [17, 15, 12, 12, 15, 15], nota: nota)
        try c.require(repeats.candidates == [nota, 12, 12, 12, 15, 15] && repeats.label == 1,
                      "repeats stay: replaced, with the original drawn again as samples 2 and 3, gives "
                      + "[NOTA, 12, 12, 12, 15, 15], label 1",
                      "samples [17, 15, 12, 12, 15, 15]: yours \(list(repeats.candidates)), label \(repeats.label)")
    }
}

// MARK: 5.3

private func checkScoreCandidates(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("5.3") { c in
        var rng = SeededGenerator(seed: 53)

        /// The engine's candidateScores on these values ([NOTA] as its one extra row).
        func engine(_ h: Tensor, _ candidates: [[Int32]], _ table: Tensor, _ bias: Tensor, _ nota: Tensor,
                    _ notaBias: Float) -> Tensor {
            candidateScores(Variable(h), candidates: candidates.flatMap { $0 }, perRow: candidates[0].count,
                            table: Variable(table), bias: Variable(bias),
                            extraRows: Variable(nota.reshaped([1, nota.count])),
                            extraBias: Variable(Tensor(shape: [1], scalars: [notaBias]))).value
        }
        func problem(M: Int, K: Int, V: Int, H: Int) -> (h: Tensor, candidates: [[Int32]], table: Tensor, bias: Tensor,
                                                          nota: Tensor, notaBias: Float) {
            let candidates = (0..<M).map { _ in [Int32(V)] + (1..<K).map { _ in Int32.random(in: 0..<Int32(V), using: &rng) } }
            return (Tensor.normal([M, H], using: &rng), candidates, Tensor.normal([V, H], using: &rng),
                    Tensor.normal([V], using: &rng), Tensor.normal([H], using: &rng), Float.random(in: -2...2, using: &rng))
        }

        // Small: the first and last table rows, a repeated id, [NOTA] beyond slot 0.
        var small = problem(M: 6, K: 4, V: 12, H: 5)
        small.candidates[2] = [12, 3, 3, 3]
        small.candidates[4] = [12, 0, 11, 12]
        let smallYours = try E.scoreCandidates(hidden: small.h, candidates: small.candidates, table: small.table,
                                               bias: small.bias, notaRow: small.nota, notaBias: small.notaBias)
        try c.compare("M = 6 rows of K = 4 (V = 12, H = 5; [NOTA] is id 12): the logits [M, K] match the engine's "
                      + "candidateScores; candidates " + list(small.candidates.map(list)),
                      smallYours, expected: engine(small.h, small.candidates, small.table, small.bias, small.nota, small.notaBias))

        let (M, K, V, H) = (24, 10, 200, 32)
        let large = problem(M: M, K: K, V: V, H: H)
        let largeYours = try E.scoreCandidates(hidden: large.h, candidates: large.candidates, table: large.table,
                                               bias: large.bias, notaRow: large.nota, notaBias: large.notaBias)
        try c.compare("M = \(M), K = \(K), V = \(V), H = \(H): the logits match the engine's candidateScores", largeYours,
                      expected: engine(large.h, large.candidates, large.table, large.bias, large.nota, large.notaBias))

        // Invariant: every score of the full vocabulary, [E; nota]·h + [b; notaBias], gathered at the candidates.
        let rowsR = Tensor(shape: [V + 1, H], scalars: large.table.scalars + large.nota.scalars)
        let full = matmul(large.h, rowsR, transposeB: true)                                   // [M, V + 1]
        let beta = large.bias.scalars + [large.notaBias]
        let gathered = Tensor(shape: [M, K], scalars: (0..<M).flatMap { m in
            large.candidates[m].map { full[m, Int($0)] + beta[Int($0)] }
        })
        try c.compare("the same as all V + 1 scores h·[E; nota]ᵀ + [b; notaBias] [M, V + 1] gathered at the candidates",
                      largeYours, expected: gathered)

        // Invariant: one id repeated K times scores K equal logits.
        let same = (0..<M).map { m in [Int32](repeating: Int32((m * 37) % (V + 1)), count: K) }
        let repeated = try E.scoreCandidates(hidden: large.h, candidates: same, table: large.table, bias: large.bias,
                                             notaRow: large.nota, notaBias: large.notaBias)
        try c.shape("the logits of a repeated id", repeated, [M, K])
        let firsts = Tensor(shape: [M, K], scalars: (0..<M).flatMap { m in [Float](repeating: repeated[m, 0], count: K) })
        try c.compare("a row of K copies of one id gets K equal scores (row m: id 37·m mod \(V + 1), [NOTA] included)",
                      repeated, expected: firsts, absolute: 1e-6, relative: 0)
    }
}

// MARK: 5.4

/// ELECTRA built by name, as `tenfold train --objective electra` builds it, at the tiny preset
/// with V = 24 (and λ from the options when given).
private func tinyELECTRA(weight λ: Float?) throws -> (model: PretrainingModel, electra: ELECTRA) {
    let registry = ModelRegistry.core
        .registering(positions: AbsolutePositions.name, summary: "BERT-A", factory: AbsolutePositions.factory)
        .registering(objective: ELECTRA.name, summary: "ELECTRA", factory: ELECTRA.factory)
    var config = ModelConfiguration.preset("tiny", vocabularySize: 24)!
    config.objective = ELECTRA.name
    if let λ { config.options["electra.discriminator_weight"] = Double(λ) }
    let model = try registry.makeModel(config, seed: 54)
    return (model, model.objective as! ELECTRA)
}

private func checkELECTRALoss(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("5.4") { c in
        var rng = SeededGenerator(seed: 54)

        /// The learner's loss against `expected`, with a guess at the slip when it matches a usual one.
        func compare(_ what: String, generator g: Float, logits: Tensor, replaced: [Bool], λ: Float,
                     expected: Float) throws {
            let yours = try E.electraLoss(generatorLoss: g, logits: logits, replaced: replaced, weight: λ)
            let tolerance = 1e-5 * max(1, abs(expected))
            if abs(yours - expected) <= tolerance {
                try c.require(true, what, "")
                return
            }
            let bce = (expected - g) / max(λ, 1e-30)
            var detail = "yours \(format(yours)), expected \(format(expected)) (ℒ_MLM = \(format(g)), "
                + "BCE = \(format(bce)), λ = \(format(λ)), M = \(logits.count); difference \(format(abs(yours - expected))))"
            let sum = bce * Float(logits.count)
            let largest = logits.scalars.map(abs).max() ?? 0
            if !yours.isFinite {
                detail += "; your result is not finite: log σ(z) or log(1 − σ(z)) overflowed or took log 0 for a large |z| "
                    + "(the largest |z| here is \(format(largest)))?"
            } else if λ != 1 && abs(yours - (g + bce)) <= tolerance {
                detail += "; that is ℒ_MLM + BCE: λ left out?"
            } else if g != 0 && abs(yours - λ * bce) <= tolerance {
                detail += "; that is λ · BCE: the generator's loss left out?"
            } else if logits.count > 1 && abs(yours - (g + λ * sum)) <= 1e-5 * max(1, abs(g + λ * sum)) {
                detail += "; that is ℒ_MLM + λ · Σ: the sum over positions, not their mean?"
            } else if λ != 1 && abs(yours - λ * (g + bce)) <= 1e-5 * max(1, abs(λ * (g + bce))) {
                detail += "; that is λ · (ℒ_MLM + BCE): λ multiplies the generator's loss too?"
            }
            try c.require(false, what, detail)
        }
        func engineBCE(_ z: Tensor, _ y: [Bool]) -> Float {
            binaryCrossEntropyWithLogits(Variable(z), targets: y.map { $0 ? 1 : 0 }).value.item
        }

        let M = 40
        let z = Tensor.normal([M], std: 3, using: &rng)
        let y = (0..<M).map { _ in Bool.random(using: &rng) }
        try compare("M = \(M) logits ~ N(0, 3²), random labels, ℒ_MLM = 3.7, λ = 50: 3.7 + 50 · the engine's "
                    + "binaryCrossEntropyWithLogits", generator: 3.7, logits: z, replaced: y, λ: 50,
                    expected: 3.7 + engineBCE(z, y) * 50)

        let extremes: [Float] = [30, -30, 100, -100, 500, -500, 10_000, -10_000]
        let big = Tensor(shape: [16], scalars: extremes + extremes)
        let bigLabels = [Bool](repeating: true, count: 8) + [Bool](repeating: false, count: 8)
        try compare("logits ±30, ±100, ±500, ±10⁴ with both labels (ℒ_MLM = 0, λ = 1): the BCE is finite and matches "
                    + "the engine's", generator: 0, logits: big, replaced: bigLabels, λ: 1, expected: engineBCE(big, bigLabels))

        try compare("λ = 0 leaves ℒ_MLM = 3.7", generator: 3.7, logits: z, replaced: y, λ: 0, expected: 3.7)

        // The objective's own total on a tiny ELECTRA. Its generator's bias is raised at tokens 10 and
        // 11, so it samples one of the two; the picked positions hold 10 or 11, so about half the
        // samples are their own original. The discriminator's output layer is scaled up, so its
        // logits spread over a few units instead of ±0.01.
        for λ in [nil, 7] as [Float?] {
            let (model, electra) = try tinyELECTRA(weight: λ)
            var bias = Tensor.zeros([24])
            bias[10] = 12
            bias[11] = 12
            electra.generator.outputBias.assign(bias)
            electra.output.weight.assign(Tensor.normal(electra.output.weight.shape, std: 1, using: &rng))
            let T = 10, lengths = [10, 7]
            var original: [Int32] = [2] + (1..<9).map { _ in Int32.random(in: 12...23, using: &rng) } + [3]
            original += [2] + (1..<6).map { _ in Int32.random(in: 12...23, using: &rng) } + [3, 0, 0, 0]
            let picked = [[1, 2, 4, 6, 8], [1, 3, 5]]
            for (b, ps) in picked.enumerated() { for p in ps { original[b * T + p] = Int32.random(in: 10...11, using: &rng) } }
            let batch = maskedBatch(original: original, picked: picked, T: T, lengths: lengths, keepPercent: 15, using: &rng)
            var noDropout: SeededGenerator? = nil
            var sampling = SeededGenerator(seed: 543)
            let output = model.loss(batch, dropout: &noDropout, sampling: &sampling)
            // The samples are in the corrupted input the objective returns; the discriminator's logits
            // follow from its final states through its head.
            let corrupted = ReplacedTokens(batch, samples: batch.targets.positions.map { output.input.ids[Int($0)] })
            let H = model.config.hiddenSize
            let rows = gatherRows(output.hidden.reshaped([-1, H]), indices: corrupted.positions)
            let logits = linear(linearGELU(rows, weight: electra.transform.weight, bias: electra.transform.bias),
                                weight: electra.output.weight, bias: electra.output.bias).value.reshaped([-1])
            let weight = electra.settings.discriminatorWeight
            let source = λ == nil ? "the default" : "from electra.discriminator_weight"
            try compare("a tiny ELECTRA built by name (V = 24, H = \(H), λ = \(format(weight)), \(source)): its generator "
                        + "loss, its discriminator's \(logits.count) logits "
                        + "and the labels of its samples (\(corrupted.replacedCount) of \(batch.targets.positions.count) "
                        + "picked replaced) give the objective's own loss",
                        generator: output.metrics["generator"]!, logits: logits, replaced: corrupted.replaced, λ: weight,
                        expected: output.loss.value.item)
        }
    }
}
