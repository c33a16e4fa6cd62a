import Tensors
import Autograd
import Transformer
import BertBaseline
import ExpandedAttention

extension ExerciseCatalog {
    static let chapter2: [Exercise] = [
        Exercise(id: "2.1", chapter: 2, title: "LN(w + p) split into a word part and a position part",
                 file: "chapter2/LayerNormSplit.swift",
                 nudge: """
                 Write LN(w + p) for one token with its mean μ and its spread σ spelled out. Which of the two
                 is linear in its input, so that it splits into a part that comes from w and a part that comes
                 from p? Which one is not? Two parts that add up exactly to LN(w + p) must both be divided by
                 the same number: which σ is that? And the offset β is neither word nor position: the book
                 counts it with the word part (the check moves β by 1 and expects ω to move by exactly 1 and
                 π not at all).
                 """,
                 derivation: """
                 For one token (one row of H features), s = w + p:

                     1. μ = (1/H)·Σₖ sₖ = (1/H)·Σₖ wₖ + (1/H)·Σₖ pₖ = μ_w + μ_p            the mean is linear
                     2. σ = √((1/H)·Σₖ (sₖ − μ)² + ε): the square root of the biased variance (divide by H,
                        not H − 1) of the whole sum s, plus ε. σ is not linear, so it cannot be split: both
                        parts are divided by this same σ.
                     3. s − μ = (w − μ_w) + (p − μ_p), hence
                            LN(s) = γ ⊙ (s − μ)/σ + β = [γ ⊙ (w − μ_w)/σ + β] + [γ ⊙ (p − μ_p)/σ]
                                                                  ω                     π
                        (γ ⊙ v multiplies entry by entry: γₖ·vₖ.)
                     4. For each row t: μ_w, μ_p, μ = μ_w + μ_p, σ; then for k in 0..<H
                            ω[t, k] = γ[k]·(w[t, k] − μ_w)/σ + β[k]        π[t, k] = γ[k]·(p[t, k] − μ_p)/σ

                 Check: ω + π = γ ⊙ (s − μ)/σ + β = LN(w + p), the engine's layerNorm(w + p, …).output.
                 In Swift: Tensor.zeros([T, H]) for each result, and t[i, j] reads or writes one entry.
                 """,
                 run: checkLayerNormSplit),
        Exercise(id: "2.2", chapter: 2, title: "the four terms of attention and their sum",
                 file: "chapter2/FourTermLogits.swift",
                 nudge: """
                 Two questions before any code. First, expand (ω + π)W^Q + b^Q into a part that comes from ω
                 and a part that comes from π (the doc comment says where the bias goes), and the same for the
                 keys: each of the four terms pairs one query part with one key part, like the logits of 1.2.
                 Second, the heads: head h sees only its own D = H/A columns of each projection. Can you
                 project once with the whole [H, H] matrix and cut the result into A slices afterwards, and
                 why is that the same as projecting with each head's columns? The result is [A, T, T]: A
                 separate T×T products, each over D columns.
                 """,
                 derivation: """
                     1. Four projections, [T, H] each (the bias [H] is added to every row):
                            qω = ωW^Q + b^Q     kω = ωW^K + b^K     qπ = πW^Q     kπ = πW^K
                        Why: (ω + π)W^Q + b^Q = qω + qπ and (ω + π)W^K + b^K = kω + kπ, so
                            (qω + qπ)·(kω + kπ)ᵀ = qω·kωᵀ + qω·kπᵀ + qπ·kωᵀ + qπ·kπᵀ
                     2. Heads. Column c of xW is x times column c of W, so the columns h·D..<(h+1)·D of a
                        projection are exactly what W's columns h·D..<(h+1)·D give: project once, then cut.
                        Turn each [T, H] into [A, T, D], slice h holding those D columns (numpy:
                        q.reshape(T, A, D).transpose(1, 0, 2)).
                     3. Each term, per head: (query part)_h·(key part)_hᵀ / √D, [T, D]·[D, T] = [T, T]:
                            word → word        qω, kω          word → position       qω, kπ
                            position → word    qπ, kω          position → position   qπ, kπ
                     4. Return FourTerms(wordToWord:, wordToPosition:, positionToWord:, positionToPosition:).

                 In the engine: matmul(ω, queryWeight) + queryBias (+ adds a [H] bias to every row);
                 splitHeads turns [B, T, H] into [B, A, T, D], so view the tokens as one sequence:
                 splitHeads(q.reshaped([1, T, H]), heads: A).reshaped([A, T, D]); matmul on two [A, T, D]
                 tensors multiplies slice by slice: matmul(q, k, transposeB: true, alpha: 1/√D) is [A, T, T].
                 """,
                 run: checkFourTermLogits),
        Exercise(id: "2.3", chapter: 2, title: "the position share of a term's variance",
                 file: "chapter2/PositionShare.swift",
                 nudge: """
                 Picture the [n, T, T] term as T·T cells, one per position pair (i, j), each holding n values,
                 one per sequence. If the term depended on (i, j) only, the n values of a cell would all be
                 equal and all the variation would be between cells; if it did not depend on (i, j) at all,
                 the cells' means would all be the same. The law of total variance splits the squared
                 deviations from the grand mean into a part between the cells and a part within them. Which
                 part measures position, and how many values does each cell's mean stand for? Sum in Double:
                 a Float sum over thousands of values loses digits.
                 """,
                 derivation: """
                 Let N = n·T·T, m̄ = (1/N)·Σₛᵢⱼ vₛᵢⱼ (the grand mean) and mᵢⱼ = (1/n)·Σₛ vₛᵢⱼ (cell (i, j)).

                     1. Split every deviation:  vₛᵢⱼ − m̄ = (vₛᵢⱼ − mᵢⱼ) + (mᵢⱼ − m̄).  Square and sum over s, i, j.
                        The cross term vanishes, because Σₛ (vₛᵢⱼ − mᵢⱼ) = 0 in every cell:
                            Σₛᵢⱼ (vₛᵢⱼ − m̄)²  =  Σₛᵢⱼ (vₛᵢⱼ − mᵢⱼ)²  +  Σᵢⱼ n·(mᵢⱼ − m̄)²
                                 total                within                between
                     2. Dividing by N turns the sums into variances: Var(v) = total/N, and E[v | i, j] = mᵢⱼ
                        for each of the n values of cell (i, j), so Var(E[v | i, j]) = between/N. Hence
                            share = between / total = Σᵢⱼ n·(mᵢⱼ − m̄)² / Σₛᵢⱼ (vₛᵢⱼ − m̄)²      (0 if total = 0)
                     3. In code: values = term.scalars.map(Double.init), row by row, so vₛᵢⱼ is
                        values[s·T·T + i·T + j] (a cell c = i·T + j is values[s·T·T + c]); compute m̄; for each
                        of the T·T cells, its mean over s, adding n·(mᵢⱼ − m̄)² to between; add (v − m̄)² over
                        all N values to total.
                 """,
                 run: checkPositionShare),
    ]
}

// MARK: 2.1

private func checkLayerNormSplit(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("2.1") { c in
        var rng = SeededGenerator(seed: 21)
        let (T, H) = (5, 6)
        let w = Tensor.normal([T, H], using: &rng), p = Tensor.normal([T, H], std: 0.5, using: &rng)
        let gamma = Tensor.normal([H], mean: 1, std: 0.3, using: &rng), beta = Tensor.normal([H], std: 0.3, using: &rng)
        let epsilon: Float = 1e-5
        let yours = try E.layerNormSplit(words: w, positions: p, gamma: gamma, beta: beta, epsilon: epsilon)
        let engine = splitLayerNorm(words: Variable(w), positions: Variable(p), gamma: Variable(gamma),
                                    beta: Variable(beta), epsilon: epsilon)
        try c.compare("word part ω matches the engine's splitLayerNorm", yours.word, expected: engine.word.value)
        try c.compare("position part π matches the engine's splitLayerNorm", yours.position, expected: engine.position.value)
        try c.compare("ω + π = LN(w + p), the model's fused LayerNorm", yours.word + yours.position,
                      expected: layerNorm(w + p, gamma: gamma, beta: beta, epsilon: epsilon).output)

        // Invariant: β belongs to the word part. Changing it moves ω by exactly Δβ and leaves π alone.
        let otherBeta = beta + 1
        let moved = try E.layerNormSplit(words: w, positions: p, gamma: gamma, beta: otherBeta, epsilon: epsilon)
        try c.shape("ω", moved.word, [T, H])
        try c.compare("changing β leaves π unchanged", moved.position, expected: yours.position)
        try c.compare("changing β by 1 moves ω by exactly 1", moved.word - yours.word, expected: Tensor.ones([T, H]))
    }
}

// MARK: 2.2

private func checkFourTermLogits(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("2.2") { c in
        var rng = SeededGenerator(seed: 22)
        let (T, H, A) = (4, 6, 2)
        let D = H / A
        let ω = Tensor.normal([T, H], using: &rng), π = Tensor.normal([T, H], using: &rng)
        let wq = Tensor.normal([H, H], std: 0.5, using: &rng), bq = Tensor.normal([H], std: 0.5, using: &rng)
        let wk = Tensor.normal([H, H], std: 0.5, using: &rng), bk = Tensor.normal([H], std: 0.5, using: &rng)
        let yours = try E.fourTermLogits(word: ω, position: π, queryWeight: wq, queryBias: bq,
                                         keyWeight: wk, keyBias: bk, heads: A)
        let query = Linear(weight: Variable(wq), bias: Variable(bq)), key = Linear(weight: Variable(wk), bias: Variable(bk))
        let engine = fourTerms(word: Variable(ω.reshaped([1, T, H])), position: Variable(π.reshaped([1, T, H])),
                               query: query, key: key, heads: A, scale: 1 / Float(D).squareRoot())
        for ((name, mine), (_, theirs)) in zip(yours.named, engine.named) {
            try c.compare("\(name) [A, T, T] matches the engine's fourTerms", mine,
                          expected: theirs.value.reshaped([A, T, T]))
        }

        // Invariant: the four terms sum to the logits of x = ω + π, computed in one product.
        let x = (ω + π).reshaped([1, T, H])
        let logits = matmul(splitHeads(matmul(x, wq) + bq, heads: A), splitHeads(matmul(x, wk) + bk, heads: A),
                            transposeB: true, alpha: 1 / Float(D).squareRoot()).reshaped([A, T, T])
        let total = yours.wordToWord + yours.wordToPosition + yours.positionToWord + yours.positionToPosition
        try c.compare("the four terms sum to the full logits (xW^Q + b^Q)(xW^K + b^K)ᵀ/√D", total, expected: logits)

        // Invariant: without positions only word → word is left.
        let none = try E.fourTermLogits(word: ω, position: .zeros([T, H]), queryWeight: wq, queryBias: bq,
                                        keyWeight: wk, keyBias: bk, heads: A)
        for (name, term) in none.named.dropFirst() {
            try c.compare("with π = 0, \(name) is 0", term, expected: .zeros([A, T, T]), absolute: 1e-6)
        }
    }
}

// MARK: 2.3

private func checkPositionShare(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("2.3") { c in
        // The engine's FourTermStatistics on the expansion of a small random BERT-A, one head.
        let (n, T) = (12, 6)
        let config = ModelConfiguration(vocabularySize: 40, hiddenSize: 8, layers: 1, heads: 1, feedForwardSize: 8,
                                        maxSequenceLength: T, dropout: 0, initializerStd: 0.5)
        let model = try PretrainingModel(config: config, seed: 23, positions: AbsolutePositions.factory)
        var rng = SeededGenerator(seed: 23)
        let ids = (0..<(n * T)).map { _ in Int32(rng.nextFloat() * 40) % 40 }
        let expansion = try expandLayerOne(model.encoder, ModelInput(ids: ids, batchSize: n, length: T, lengths: Array(repeating: T, count: n)))
        var statistics = FourTermStatistics(heads: 1, length: T)
        statistics.add(expansion, lengths: Array(repeating: T, count: n))
        let series = expansion.terms.named.map(\.value) + [expansion.logits]
        for (summary, values) in zip(statistics.summaries, series) {
            let share = try E.positionShare(values.reshaped([n, T, T]))
            try c.compare("\(summary.name): matches the engine's FourTermStatistics", share,
                          expected: summary.positionShare, absolute: 1e-5)
        }

        // Invariants: a term that depends only on (i, j) is all position; one that is constant within
        // each sequence has the same mean in every cell, so none of it is position.
        let map = Tensor.normal([T, T], using: &rng)
        let onlyPosition = Tensor(shape: [n, T, T], scalars: (0..<n).flatMap { _ in map.scalars })
        try c.compare("a term that depends only on (i, j) has position share 1",
                      try E.positionShare(onlyPosition), expected: 1, absolute: 1e-6)
        let levels = Tensor.normal([n], using: &rng).scalars
        let onlySequence = Tensor(shape: [n, T, T], scalars: levels.flatMap { Array(repeating: $0, count: T * T) })
        try c.compare("a term constant within each sequence has position share 0",
                      try E.positionShare(onlySequence), expected: 0, absolute: 1e-6)
        let noisy = Tensor.normal([n, T, T], using: &rng)
        let share = try E.positionShare(noisy)
        try c.compare("the share does not change when the term is scaled by 3 and shifted by 5",
                      try E.positionShare(noisy * 3 + 5), expected: share, absolute: 1e-5)
    }
}
