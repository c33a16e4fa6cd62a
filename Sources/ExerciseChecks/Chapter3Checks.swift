import Tensors
import Autograd
import Transformer
import UntiedAttention

extension ExerciseCatalog {
    static let chapter3: [Exercise] = [
        Exercise(id: "3.1", chapter: 3, title: "T5's relative-position bucket",
                 file: "chapter3/Bucket.swift", hint: """
                 half = buckets/2 (n ≥ 0 uses 0..<half, n < 0 adds half); exact = half/2; m = |n|.
                 If m < exact the bucket is m. Otherwise exact + ⌊ln(m/exact)/ln(maxDistance/exact)·exact⌋,
                 capped at half − 1. Never take ln(m/exact) for m < exact (ln 0 = −∞, and Int(−∞) traps),
                 and add a tiny 1e-9 before rounding down, so that an exact power such as m = 64 cannot
                 round down to bucket 13 instead of 14.
                 """, run: checkBucket),
        Exercise(id: "3.2", chapter: 3, title: "the untied positional term with the [CLS] reset",
                 file: "chapter3/UntiedPositionalTerm.swift", hint: """
                 p̂ = LN(p) per row (γ, β, ε); q = p̂U^Q + c^Q and k = p̂U^K + c^K, [T, H], split into A heads
                 of D = H/A columns; P[h] = q_h·k_hᵀ/√(2D). Then reset [CLS]: column 0 (rows i ≥ 1) becomes
                 θ₂[h], and row 0 (every j, including j = 0) becomes θ₁[h] — row after column.
                 """, run: checkUntiedPositionalTerm),
        Exercise(id: "3.3", chapter: 3, title: "TUPE-A's logits: content at 1/√(2D) plus the positional term",
                 file: "chapter3/TUPELogits.swift", hint: """
                 q = xW^Q + b^Q, k = xW^K + b^K, split into A heads; α[h] = q_h·k_hᵀ/√(2D) + P[h]. The scale is
                 1/√(2D), not 1/√D: content and position are two unit-size terms. P is added as it is.
                 """, run: checkTUPELogits),
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
