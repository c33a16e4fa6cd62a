import Tensors
import Autograd
import Transformer
import BertBaseline
import ExpandedAttention

extension ExerciseCatalog {
    static let chapter2: [Exercise] = [
        Exercise(id: "2.1", chapter: 2, title: "LN(w + p) split into a word part and a position part",
                 file: "chapter2/LayerNormSplit.swift", hint: """
                 Per row (token): s = w + p, μ = mean(s), σ = √(mean((s − μ)²) + ε). The mean is linear, so
                 μ = μ_w + μ_p. Then ω = γ ⊙ (w − μ_w)/σ + β and π = γ ⊙ (p − μ_p)/σ: both use the σ of the
                 whole sum (not of w or p alone), and β goes to the word part only.
                 """, run: checkLayerNormSplit),
        Exercise(id: "2.2", chapter: 2, title: "the four terms of attention and their sum",
                 file: "chapter2/FourTermLogits.swift", hint: """
                 Project each part: qω = ωW^Q + b^Q, kω = ωW^K + b^K (the biases ride with the word part),
                 qπ = πW^Q, kπ = πW^K. Split the H columns into A heads of D = H/A (head h owns columns
                 h·D..<(h+1)·D). Each term is a product (query part)·(key part)ᵀ/√D per head: word → word is
                 qω·kωᵀ, word → position qω·kπᵀ, position → word qπ·kωᵀ, position → position qπ·kπᵀ.
                 """, run: checkFourTermLogits),
        Exercise(id: "2.3", chapter: 2, title: "the position share of a term's variance",
                 file: "chapter2/PositionShare.swift", hint: """
                 The law of total variance: total = Σ over all n·T·T values of (v − m̄)², with m̄ the grand mean;
                 between = Σ over cells (i, j) of n·(m_ij − m̄)², with m_ij the mean of the n values at (i, j).
                 The share is between/total (0 when total is 0). Accumulate in Double.
                 """, run: checkPositionShare),
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
