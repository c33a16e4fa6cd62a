import Foundation
import Tensors
import Autograd
import Transformer

extension ExerciseCatalog {
    static let chapter1: [Exercise] = [
        Exercise(id: "1.1", chapter: 1, title: "a numerically stable softmax of each row",
                 file: "chapter1/SoftmaxRows.swift", hint: """
                 softmax(x)ᵢ = e^(xᵢ) / Σⱼ e^(xⱼ) overflows for xᵢ ≳ 89 (e^89 > Float's maximum). Subtract the
                 row's maximum m first: e^(xᵢ − m) / Σⱼ e^(xⱼ − m) is the same number, and no exponent exceeds 0.
                 A row may contain −∞ (a masked key): e^(−∞) = 0, so those entries must come out exactly 0.
                 """, run: checkSoftmaxRows),
        Exercise(id: "1.2", chapter: 1, title: "scaled dot-product attention, forward",
                 file: "chapter1/Attention.swift", hint: """
                 logits = Q·Kᵀ/√D is [Tq, Tk] (matmul(query, key, transposeB: true, alpha: 1/√D)); P = softmax of
                 each row (the engine's softmax, or your 1.1); output = P·V is [Tq, D]. D is the size of a
                 query vector, query.shape[1], not the number of tokens.
                 """, run: checkAttention),
        Exercise(id: "1.3", chapter: 1, title: "scaled dot-product attention, backward",
                 file: "chapter1/AttentionBackward.swift", hint: """
                 Go back through the forward pass. With G = ∂ℓ/∂output [Tq, D]:
                 ∂ℓ/∂V = Pᵀ·G;  ∂ℓ/∂P = G·Vᵀ;  through the softmax, row by row,
                 ∂ℓ/∂αᵢⱼ = Pᵢⱼ·(∂ℓ/∂Pᵢⱼ − Σₖ ∂ℓ/∂Pᵢₖ·Pᵢₖ);  then with α = Q·Kᵀ/√D:
                 ∂ℓ/∂Q = (∂ℓ/∂α)·K/√D and ∂ℓ/∂K = (∂ℓ/∂α)ᵀ·Q/√D.
                 """, run: checkAttentionBackward),
        Exercise(id: "1.4", chapter: 1, title: "one AdamW step",
                 file: "chapter1/AdamWStep.swift", hint: """
                 For update number t (the first is t = 1): decay first, θ ← θ·(1 − η·λ) only if `decays`;
                 m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;
                 θ ← θ − η·(m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε). The bias corrections use t, not t − 1.
                 """, run: checkAdamWStep),
    ]
}

// MARK: 1.1

private func checkSoftmaxRows(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("1.1") { c in
        var rng = SeededGenerator(seed: 11)
        let x = Tensor.normal([4, 7], std: 3, using: &rng)
        let y = try E.softmaxRows(x)
        try c.compare("matches the engine's softmax on a random [4, 7]", y, expected: softmax(x), absolute: 1e-6)
        let rowSums = (0..<4).map { i in (0..<7).reduce(Float(0)) { $0 + y[i, $1] } }
        try c.require(rowSums.allSatisfy { abs($0 - 1) < 1e-5 }, "every row sums to 1", "row sums are \(rowSums)")

        // Shift invariance: adding a constant to a row changes nothing — and large logits must not overflow.
        let shifts: [Float] = [1000, -1000, 88.5, 3e4]
        let shifted = Tensor(shape: [4, 7], scalars: x.scalars.enumerated().map { $0.element + shifts[$0.offset / 7] })
        try c.compare("softmax(x + c) = softmax(x) for large shifts c (1000, −1000, 88.5, 30000)",
                      try E.softmaxRows(shifted), expected: softmax(x), absolute: 1e-5, relative: 1e-3)

        // Masked keys: −∞ logits get probability exactly 0.
        var masked = x
        for (i, j) in [(0, 6), (1, 0), (1, 1), (3, 3)] { masked[i, j] = -.infinity }
        try c.compare("−∞ entries (masked keys) get exactly 0, the rest still sums to 1",
                      try E.softmaxRows(masked), expected: softmax(masked), absolute: 1e-6)
        let one = Tensor(shape: [1, 1], scalars: [-7])
        try c.compare("a one-entry row gives 1", try E.softmaxRows(one), expected: Tensor(shape: [1, 1], scalars: [1]))
    }
}

// MARK: 1.2

/// The engine's attention on plain tensors: `P = softmax(QKᵀ/√D)`, `out = P·V`.
func referenceAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor) -> (Tensor, Tensor) {
    let P = softmax(matmul(q, k, transposeB: true, alpha: 1 / Float(q.shape[1]).squareRoot()))
    return (P, matmul(P, v))
}

private func checkAttention(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("1.2") { c in
        var rng = SeededGenerator(seed: 12)
        // Different query and key counts, and D ≠ either, so a swapped axis cannot pass by accident.
        let (Tq, Tk, D) = (4, 6, 3)
        let q = Tensor.normal([Tq, D], using: &rng), k = Tensor.normal([Tk, D], using: &rng)
        let v = Tensor.normal([Tk, D], using: &rng)
        let (P, out) = try E.attention(query: q, key: k, value: v)
        let (expectedP, expectedOut) = referenceAttention(q, k, v)
        try c.compare("probabilities [Tq, Tk] match the engine (scale 1/√D)", P, expected: expectedP)
        try c.compare("output [Tq, D] matches the engine", out, expected: expectedOut)

        // Invariant: the keys are a set. Permuting keys and values together leaves the output unchanged.
        let order = [3, 0, 5, 1, 4, 2]
        func rows(_ t: Tensor) -> Tensor {
            Tensor(shape: t.shape, scalars: order.flatMap { r in (0..<t.shape[1]).map { t[r, $0] } })
        }
        let (_, permutedOut) = try E.attention(query: q, key: rows(k), value: rows(v))
        try c.compare("permuting keys and values together leaves the output unchanged", permutedOut, expected: out)
    }
}

// MARK: 1.3

/// ℓ = Σ G ⊙ attention(q, k, v), in Double: the finite differences' objective.
private func attentionObjective(_ q: [Double], _ k: [Double], _ v: [Double], _ g: [Double],
                                _ Tq: Int, _ Tk: Int, _ D: Int) -> Double {
    var total = 0.0
    for i in 0..<Tq {
        var logits = (0..<Tk).map { j in (0..<D).reduce(0.0) { $0 + q[i * D + $1] * k[j * D + $1] } / Double(D).squareRoot() }
        let m = logits.max()!
        logits = logits.map { Foundation.exp($0 - m) }
        let z = logits.reduce(0, +)
        for d in 0..<D {
            let out = (0..<Tk).reduce(0.0) { $0 + logits[$1] / z * v[$1 * D + d] }
            total += g[i * D + d] * out
        }
    }
    return total
}

private func checkAttentionBackward(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("1.3") { c in
        var rng = SeededGenerator(seed: 13)
        let (Tq, Tk, D) = (3, 5, 4)
        let q = Tensor.normal([Tq, D], using: &rng), k = Tensor.normal([Tk, D], using: &rng)
        let v = Tensor.normal([Tk, D], using: &rng), g = Tensor.normal([Tq, D], using: &rng)
        let yours = try E.attentionBackward(query: q, key: k, value: v, outputGradient: g)

        // The engine's autograd on the same computation.
        let (Q, K, V) = (Variable(differentiable: q, name: "Q"), Variable(differentiable: k, name: "K"),
                         Variable(differentiable: v, name: "V"))
        matmul(softmax(matmul(Q, K, transposeB: true, alpha: 1 / Float(D).squareRoot())), V).backward(seed: g)
        try c.compare("∂ℓ/∂V matches the engine's autograd", yours.value, expected: V.gradient!)
        try c.compare("∂ℓ/∂Q matches the engine's autograd", yours.query, expected: Q.gradient!)
        try c.compare("∂ℓ/∂K matches the engine's autograd", yours.key, expected: K.gradient!)

        // Central finite differences in Double, independent of the engine.
        let inputs = [q, k, v].map { $0.scalars.map(Double.init) }
        let G = g.scalars.map(Double.init)
        let epsilon = 1e-5
        var numeric: [[Float]] = []
        for which in 0..<3 {
            var gradient = [Float](repeating: 0, count: inputs[which].count)
            for index in inputs[which].indices {
                var plus = inputs, minus = inputs
                plus[which][index] += epsilon
                minus[which][index] -= epsilon
                let difference = attentionObjective(plus[0], plus[1], plus[2], G, Tq, Tk, D)
                    - attentionObjective(minus[0], minus[1], minus[2], G, Tq, Tk, D)
                gradient[index] = Float(difference / (2 * epsilon))
            }
            numeric.append(gradient)
        }
        for (name, yours, shape, index) in [("Q", yours.query, [Tq, D], 0), ("K", yours.key, [Tk, D], 1),
                                            ("V", yours.value, [Tk, D], 2)] {
            try c.compare("∂ℓ/∂\(name) matches central finite differences (ε = 1e-5, in Double)", yours,
                          expected: Tensor(shape: shape, scalars: numeric[index]), absolute: 1e-4, relative: 1e-3)
        }
    }
}

// MARK: 1.4

private func checkAdamWStep(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("1.4") { c in
        var rng = SeededGenerator(seed: 14)
        let shape = [3, 4]
        let settings = AdamW.Settings()
        let learningRate: Float = 0.01
        for decays in [true, false] {
            // The engine's optimiser on a parameter of the same value, three updates with new gradients.
            let store = ParameterStore(seed: 1)
            let initial = Tensor.normal(shape, using: &rng)
            let engineParameter = store.add("w", initial, decays: decays)
            let optimiser = AdamW(settings: settings)
            var (theta, m, v) = (initial, Tensor.zeros(shape), Tensor.zeros(shape))
            for step in 1...3 {
                let gradient = Tensor.normal(shape, std: 0.5, using: &rng)
                store.zeroGradients()
                engineParameter.backward(seed: gradient)
                optimiser.update(store.parameters, learningRate: learningRate)
                let yours = try E.adamWStep(parameter: theta, gradient: gradient, firstMoment: m, secondMoment: v,
                                            step: step, learningRate: learningRate, settings: settings, decays: decays)
                let tag = "update \(step)\(decays ? "" : " (no weight decay)")"
                try c.compare("first moment m after \(tag) matches the engine's AdamW", yours.firstMoment,
                              expected: optimiser.firstMoments["w"]!, absolute: 1e-6)
                try c.compare("second moment v after \(tag) matches the engine's AdamW", yours.secondMoment,
                              expected: optimiser.secondMoments["w"]!, absolute: 1e-7)
                try c.compare("parameter after \(tag) matches the engine's AdamW", yours.parameter,
                              expected: engineParameter.value, absolute: 1e-6, relative: 1e-5)
                (theta, m, v) = (yours.parameter, yours.firstMoment, yours.secondMoment)
            }
        }

        // Invariant: without decay, Adam's first update moves every entry by η·sign(g) (to within ε).
        var noDecay = settings
        noDecay.weightDecay = 0
        let start = Tensor.normal(shape, using: &rng), gradient = Tensor.normal(shape, using: &rng)
        let first = try E.adamWStep(parameter: start, gradient: gradient, firstMoment: .zeros(shape),
                                    secondMoment: .zeros(shape), step: 1, learningRate: 0.1, settings: noDecay, decays: true)
        try c.shape("the updated parameter", first.parameter, shape)
        let moved = first.parameter - start
        let expected = Tensor(shape: shape, scalars: gradient.scalars.map { $0 > 0 ? -0.1 : 0.1 })
        try c.compare("the first update (λ = 0) moves every entry by −η·sign(g)", moved, expected: expected,
                      absolute: 1e-4, relative: 0)
    }
}
