import Tensors
import Autograd
import Transformer
import UntiedAttention

extension ExerciseCatalog {
    static let chapter3: [Exercise] = [
        Exercise(id: "3.1", chapter: 3, title: "T5's relative-position bucket",
                 file: "chapter3/Bucket.swift",
                 nudge: """
                 Split the work three ways: the sign of n picks a half (which one holds the keys after the
                 query?); short distances are their own bucket; longer ones grow logarithmically, so doubling
                 the distance moves up by the same number of buckets. Then two traps, one of Swift and one of
                 floating point. (1) What is ln(m/exact) for m = 0, and what does Int(…) do with it? Evaluate
                 only what the branch needs. (2) With 32 buckets and max distance 128, m = 64 should give
                 ln(8)/ln(16)·8 = 6 exactly; in Double it may come out as 5.999…, and rounding down then
                 loses a bucket. What tiny allowance keeps exact powers in place without moving any other m?
                 """,
                 derivation: """
                     1. half = buckets/2 and exact = half/2 (integer division); offset = n < 0 ? half : 0;
                        m = abs(n).
                     2. If m < exact, return offset + m. Return before any logarithm: ln(0) = −∞, and Int(−∞)
                        traps.
                     3. Otherwise the distances exact…maxDistance are spread over the buckets exact..<half
                        logarithmically:
                            f = ln(m/exact) / ln(maxDistance/exact)       0 at m = exact, 1 at m = maxDistance
                            bucket = exact + ⌊f·exact⌋
                        Compute f in Double: Foundation.log(Double(m) / Double(exact)) / Foundation.log(…).
                     4. Round down with an allowance: Int((f·Double(exact) + 1e-9).rounded(.down)). At
                        m = 16, 32, 64 (32 buckets, 128) f·8 is exactly 2, 4, 6; 1e-9 is far smaller than the
                        step between consecutive m, so it moves no other m across a boundary.
                     5. Cap at the half's last bucket, min(exact + ⌊f·exact⌋, half − 1): from m = maxDistance
                        on, f ≥ 1 would reach bucket half and beyond. Add the offset.

                 Worked example, 32 buckets and max distance 128: n = −20 gives offset 16, m = 20,
                 f = ln(2.5)/ln(16) = 0.3305, ⌊0.3305·8⌋ = ⌊2.644⌋ = 2, so the bucket is 16 + 8 + 2 = 26.
                 """,
                 run: checkBucket),
        Exercise(id: "3.2", chapter: 3, title: "the untied positional term with the [CLS] reset",
                 file: "chapter3/UntiedPositionalTerm.swift",
                 nudge: """
                 Two parts. The product is 1.2's logits again with new inputs: which rows play the queries
                 and the keys here (the normalised positions, projected by U^Q and U^K with their biases), and
                 which scale? Count the terms TUPE adds up in a logit before you choose what goes under the
                 square root. Then the reset overwrites one row and one column of each head's T×T matrix:
                 which entries does each θ own, and which θ owns the corner (0, 0)? The check changes θ₁ and
                 θ₂ and expects only row 0 and column 0 to move.
                 """,
                 derivation: """
                     1. p̂ = LN(p), row by row: p̂ᵢ = γ ⊙ (pᵢ − μᵢ)/√(σᵢ² + ε) + β, with μᵢ and σᵢ² the mean and
                        the (biased, divide by H) variance of row i.
                     2. q = p̂U^Q + c^Q and k = p̂U^K + c^K, [T, H] each.
                     3. Split into heads, [A, T, D], slice h holding the columns h·D..<(h+1)·D (as in 2.2).
                     4. P[h] = q_h·k_hᵀ / √(2D), [T, D]·[D, T] = [T, T] per head, [A, T, T] in all. The scale
                        is 1/√(2D), not 1/√D: every layer adds this term to its content term; each product has
                        a variance of about D, so dividing both by √(2D) keeps their sum near unit variance.
                     5. The reset, for each head h:
                            for i in 1..<T:  P[h, i, 0] = θ₂[h]          (column 0 first)
                            for j in 0..<T:  P[h, 0, j] = θ₁[h]          (then row 0, corner included)
                        Writing the row last gives the corner (0, 0) to θ₁, as the official code does.

                 In the engine: layerNorm(positions, gamma: gamma, beta: beta, epsilon: epsilon).output is p̂;
                 matmul(p̂, queryWeight) + queryBias is q; splitHeads(q.reshaped([1, T, H]), heads: A) is
                 [1, A, T, D]; with s = 1 / Float(2 * D).squareRoot(), matmul(q, k, transposeB: true,
                 alpha: s).reshaped([A, T, T]) is P; declare it with var and write entries as P[h, i, j] = ….
                 """,
                 run: checkUntiedPositionalTerm),
        Exercise(id: "3.3", chapter: 3, title: "TUPE-A's logits: content at 1/√(2D) plus the positional term",
                 file: "chapter3/TUPELogits.swift",
                 nudge: """
                 This is 1.2's logits for every head, plus a term you already have. What is the content
                 product's scale here, and why not 1/√D? (Before scaling, each of the two terms added up has a
                 variance of about D.) P is added as it is, with no scale of its own. Before writing code,
                 put the shapes on paper: which are q and k before and after the split into heads, and which
                 columns of them does head h use?
                 """,
                 derivation: """
                     1. q = xW^Q + b^Q and k = xW^K + b^K, [T, H] each.
                     2. Split into heads, [A, T, D], slice h holding the columns h·D..<(h+1)·D (as in 2.2).
                     3. Content, per head: q_h·k_hᵀ / √(2D), [T, D]·[D, T] = [T, T], so [A, T, T] in all.
                        Why √(2D): with unit-variance entries a dot product of D terms has variance about D;
                        α adds two such terms (content and P), each divided by √(2D), so its variance is about
                        (D + D)/(2D) = 1, like BERT's single term at 1/√D.
                     4. α = content + P, entry by entry.

                 In the engine: matmul(x, queryWeight) + queryBias is q; splitHeads(q.reshaped([1, T, H]),
                 heads: A) is [1, A, T, D]; with s = 1 / Float(2 * D).squareRoot(), matmul(q, k,
                 transposeB: true, alpha: s) is [1, A, T, T]; .reshaped([A, T, T]) + positional is α.
                 """,
                 run: checkTUPELogits),
    ]
}

// MARK: 3.1

private func checkBucket(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("3.1") { c in
        for (buckets, maxDistance) in [(32, 128), (16, 40), (8, 10)] {
            let setting = "\(buckets) buckets, max distance \(maxDistance)"
            var wrong: [String] = []
            var values: [Int: Int] = [:]
            for n in -300...300 {
                let yours = try E.bucket(relativePosition: n, buckets: buckets, maxDistance: maxDistance)
                let expected = t5Bucket(relativePosition: n, buckets: buckets, maxDistance: maxDistance)
                values[n] = yours
                if yours != expected { wrong.append("n = \(n): expected \(expected), yours \(yours)") }
            }
            try c.require(wrong.isEmpty, "every n in −300…300 matches the engine's t5Bucket (\(setting))",
                          "\(wrong.count) of 601 disagree; first ones:\n" + wrong.prefix(6).joined(separator: "\n"))
            // Invariants of the scheme (T5; TUPE §3.3).
            let half = buckets / 2
            try c.require(values.values.allSatisfy { (0..<buckets).contains($0) }, "every bucket is in 0..<\(buckets)",
                          "some buckets fall outside")
            try c.require((1...300).allSatisfy { values[$0]! >= values[$0 - 1]! },
                          "buckets never decrease with the distance (\(setting))", "they decrease somewhere")
            try c.require((1...300).allSatisfy { values[-$0]! == values[$0]! + half },
                          "bucket(−m) = bucket(m) + \(half) (\(setting))", "keys after the query must use the upper half")
        }
    }
}

// MARK: 3.2

private func checkUntiedPositionalTerm(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("3.2") { c in
        let (T, H, A) = (6, 8, 2)
        let config = ModelConfiguration(positions: UntiedPositions.absoluteName, vocabularySize: 16, hiddenSize: H, layers: 1, heads: A,
                                        feedForwardSize: 8, maxSequenceLength: T, dropout: 0, initializerStd: 0.5)
        let engine = UntiedPositions(ParameterStore(seed: 32), config, relative: false)
        var rng = SeededGenerator(seed: 32)
        // Non-trivial values for everything the engine initialises to 0 or 1.
        engine.norm.gamma.assign(Tensor.normal([H], mean: 1, std: 0.3, using: &rng))
        engine.norm.beta.assign(Tensor.normal([H], std: 0.3, using: &rng))
        engine.query.bias.assign(Tensor.normal([H], std: 0.3, using: &rng))
        engine.key.bias.assign(Tensor.normal([H], std: 0.3, using: &rng))
        engine.clsToOthers.assign(Tensor(shape: [A], scalars: [0.7, -1.5]))
        engine.othersToCLS.assign(Tensor(shape: [A], scalars: [2.5, -0.25]))
        func yours(_ theta1: Tensor, _ theta2: Tensor) throws -> Tensor {
            try E.untiedPositionalTerm(positions: engine.table.value, gamma: engine.norm.gamma.value,
                                       beta: engine.norm.beta.value, epsilon: engine.norm.epsilon,
                                       queryWeight: engine.query.weight.value, queryBias: engine.query.bias.value,
                                       keyWeight: engine.key.weight.value, keyBias: engine.key.bias.value,
                                       heads: A, clsToOthers: theta1, othersToCLS: theta2)
        }
        let P = try yours(engine.clsToOthers.value, engine.othersToCLS.value)
        try c.compare("P [A, T, T] matches the engine's UntiedPositions.attentionBias (TUPE-A)", P,
                      expected: engine.attentionBias(length: T)!.value)

        // Invariants of the reset: row 0 is θ₁, column 0 below it is θ₂, the rest is the plain product.
        let plain = engine.positionToPosition(length: T).value
        var rowsAndColumns = plain
        for h in 0..<A {
            for i in 1..<T { rowsAndColumns[h, i, 0] = engine.othersToCLS.value[h] }
            for j in 0..<T { rowsAndColumns[h, 0, j] = engine.clsToOthers.value[h] }
        }
        try c.compare("row 0 is θ₁, column 0 (i ≥ 1) is θ₂, every other entry is (p̂U^Q + c^Q)(p̂U^K + c^K)ᵀ/√(2D)",
                      P, expected: rowsAndColumns)
        let moved = try yours(.zeros([A]), Tensor(shape: [A], scalars: [1, 1]))
        try c.shape("P", moved, [A, T, T])
        var difference = Tensor.zeros([A, T, T])
        for h in 0..<A {
            for i in 1..<T { difference[h, i, 0] = 1 - engine.othersToCLS.value[h] }
            for j in 0..<T { difference[h, 0, j] = -engine.clsToOthers.value[h] }
        }
        try c.compare("changing θ₁, θ₂ changes only row 0 and column 0", moved - P, expected: difference)
    }
}

// MARK: 3.3

private func checkTUPELogits(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("3.3") { c in
        var rng = SeededGenerator(seed: 33)
        let (T, H, A) = (5, 8, 2)
        let D = H / A
        let x = Tensor.normal([T, H], using: &rng)
        let wq = Tensor.normal([H, H], std: 0.5, using: &rng), bq = Tensor.normal([H], std: 0.5, using: &rng)
        let wk = Tensor.normal([H, H], std: 0.5, using: &rng), bk = Tensor.normal([H], std: 0.5, using: &rng)
        let P = Tensor.normal([A, T, T], using: &rng)
        func yours(_ x: Tensor, _ P: Tensor) throws -> Tensor {
            try E.tupeLogits(x: x, queryWeight: wq, queryBias: bq, keyWeight: wk, keyBias: bk, heads: A, positional: P)
        }
        // The engine: the content product of MultiHeadAttention at UntiedPositions' scale, plus P.
        let scale = UntiedPositions(ParameterStore(seed: 1), ModelConfiguration(
            vocabularySize: 4, hiddenSize: H, layers: 1, heads: A, feedForwardSize: 4, maxSequenceLength: T),
                                    relative: false).contentScale(headSize: D)
        let query = Linear(weight: Variable(wq), bias: Variable(bq)), key = Linear(weight: Variable(wk), bias: Variable(bk))
        let input = Variable(x.reshaped([1, T, H]))
        let content = matmul(splitHeads(query(input), heads: A), splitHeads(key(input), heads: A),
                             transposeB: true, alpha: scale).value.reshaped([A, T, T])
        let logits = try yours(x, P)
        try c.compare("α [A, T, T] matches the engine (content at UntiedPositions.contentScale + P)", logits,
                      expected: content + P)
        let withoutP = try yours(x, .zeros([A, T, T]))
        try c.shape("α", withoutP, [A, T, T])
        try c.compare("P passes through unchanged: α(x, P) − α(x, 0) = P", logits - withoutP,
                      expected: P)

        // Invariant: with a zero positional term TUPE-A is position-free attention — permuting the
        // tokens permutes the logits' rows and columns the same way.
        let order = [2, 4, 0, 1, 3]
        let permutedX = Tensor(shape: [T, H], scalars: order.flatMap { i in (0..<H).map { x[i, $0] } })
        let free = withoutP
        var expected = Tensor.zeros([A, T, T])
        for h in 0..<A { for i in 0..<T { for j in 0..<T { expected[h, i, j] = free[h, order[i], order[j]] } } }
        try c.compare("with P = 0, permuting the tokens permutes the logits (no position left)",
                      try yours(permutedX, .zeros([A, T, T])), expected: expected)
    }
}
