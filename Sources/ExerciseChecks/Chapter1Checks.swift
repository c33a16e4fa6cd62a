import Foundation
import Tensors
import Autograd
import Transformer

extension ExerciseCatalog {
    static let chapter1: [Exercise] = [
        Exercise(id: "1.1", chapter: 1, title: "a numerically stable softmax of each row",
                 file: "chapter1/SoftmaxRows.swift",
                 nudge: """
                 Try the formula as written on a row that holds 1000: e^1000 does not fit in a Float (the
                 largest Float is about 3.4·10³⁸ ≈ e^88.7), so you get ∞/∞ = NaN. Now look at the fraction:
                 what happens to it when you add the same number c to every entry of the row? Which c keeps
                 every exponent at most 0, with at least one exponent exactly 0 (so the sum cannot be 0
                 either)? Last, what does your choice do to an entry of −∞?
                 """,
                 derivation: """
                 For one row x of M entries and any number c, shifting changes nothing:

                     e^(xⱼ − c) / Σₖ e^(xₖ − c) = e^(−c)·e^(xⱼ) / (e^(−c)·Σₖ e^(xₖ)) = e^(xⱼ) / Σₖ e^(xₖ)

                 Take c = the row's maximum, so that no exponent is positive:

                     1. m = maxₖ xₖ
                     2. eⱼ = e^(xⱼ − m)      every exponent ≤ 0, so 0 ≤ eⱼ ≤ 1, and the maximum gives e⁰ = 1
                     3. s = Σⱼ eⱼ            s ≥ 1: never 0, never ∞
                     4. yⱼ = eⱼ / s

                 A masked entry xⱼ = −∞ gives e^(−∞ − m) = e^(−∞) = 0 exactly (Foundation.exp agrees).

                 In Swift: x.shape is [N, M]; x.scalars is the list of all N·M entries, row by row (numpy's
                 x.flatten()), row i being scalars[i·M ..< (i+1)·M]; .max()! of a slice is its maximum;
                 Foundation.exp(v) is e^v for a Float. Return Tensor(shape: [N, M], scalars: y).
                 """,
                 run: checkSoftmaxRows),
        Exercise(id: "1.2", chapter: 1, title: "scaled dot-product attention, forward",
                 file: "chapter1/Attention.swift",
                 nudge: """
                 Write the shape next to every symbol before writing code: Q is [Tq, D], K and V are [Tk, D].
                 Which product of Q and K has one row per query and one column per key? Which number is D,
                 and is it the same as Tq or Tk? (The check uses Tq = 4, Tk = 6 and D = 3, so a swapped axis
                 fails.) The softmax makes each query's weights over the keys sum to 1: along which axis of
                 your [Tq, Tk] matrix is that? You wrote that softmax in 1.1.
                 """,
                 derivation: """
                     1. D = query.shape[1], the length of one query vector (not a number of tokens).
                     2. The logits  α = Q·Kᵀ/√D:   [Tq, D]·[D, Tk] = [Tq, Tk],   αᵢⱼ = Σ_d Qᵢd·Kⱼd / √D
                        compares query i with key j.
                     3. P = softmax of each row of α:   Pᵢⱼ = e^(αᵢⱼ) / Σₖ e^(αᵢₖ),   [Tq, Tk];
                        row i is a distribution over the keys.
                     4. output = P·V:   [Tq, Tk]·[Tk, D] = [Tq, D];   row i is Σⱼ Pᵢⱼ·Vⱼ, a weighted mean of
                        the value rows.
                     Return (probabilities: P, output: P·V).

                 Why √D: if the entries have unit variance, a sum of D products has variance D; dividing by
                 √D keeps the logits near unit size, so the softmax does not saturate.

                 In the engine: matmul(a, b, transposeB: true, alpha: s) is s·a·bᵀ (numpy: s * a @ b.T),
                 without forming bᵀ. So step 2 is matmul(query, key, transposeB: true, alpha: s) with
                 s = 1 / Float(D).squareRoot(); step 3 is softmax(α) (or your softmaxRows); step 4 is
                 matmul(P, value).
                 """,
                 run: checkAttention),
        Exercise(id: "1.3", chapter: 1, title: "scaled dot-product attention, backward",
                 file: "chapter1/AttentionBackward.swift",
                 nudge: """
                 Run the forward pass backwards, one step at a time: α = Q·Kᵀ/√D, then P = softmax(α), then
                 output = P·V, with ∂ℓ/∂output = G given. At each step you know the gradient with respect to
                 the step's result: what is it with respect to the step's inputs? For a matrix product
                 Y = A·B, each input's gradient is ∂ℓ/∂Y multiplied by the *other* factor. On which side, and
                 transposed or not? A gradient always has the shape of what it belongs to, so let the shapes
                 decide. For the softmax, all of a row's probabilities share one denominator, so Pᵢⱼ depends
                 on every logit of row i: what is its derivative with respect to αᵢₖ when k = j, and when
                 k ≠ j? You will need P again; recompute it.
                 """,
                 derivation: """
                 Forward: α = Q·Kᵀ/√D [Tq, Tk],  P = softmax(α) per row,  O = P·V [Tq, D];  ℓ = Σ G ⊙ O,
                 so ∂ℓ/∂O = G.

                     1. The product rule for matrices. If Y = A·B and Ȳ = ∂ℓ/∂Y, then
                            ∂ℓ/∂A = Ȳ·Bᵀ   and   ∂ℓ/∂B = Aᵀ·Ȳ
                        (from Yᵢⱼ = Σₖ Aᵢₖ·Bₖⱼ:  ∂ℓ/∂Aᵢₖ = Σⱼ Ȳᵢⱼ·Bₖⱼ).
                     2. Through O = P·V:
                            ∂ℓ/∂V = Pᵀ·G   [Tk, D]          dP = ∂ℓ/∂P = G·Vᵀ   [Tq, Tk]
                     3. Through the softmax, row by row. From Pᵢⱼ = e^(αᵢⱼ) / Σₖ e^(αᵢₖ):
                            ∂Pᵢⱼ/∂αᵢₖ = Pᵢⱼ·(δⱼₖ − Pᵢₖ)        (δⱼₖ = 1 if j = k, else 0)
                        so
                            ∂ℓ/∂αᵢₖ = Σⱼ dPᵢⱼ·Pᵢⱼ·(δⱼₖ − Pᵢₖ) = Pᵢₖ·(dPᵢₖ − Σⱼ dPᵢⱼ·Pᵢⱼ)
                        In words: from each row of dP subtract that row's P-weighted mean, then multiply entry
                        by entry by P.
                     4. Through α = Q·Kᵀ/√D (rule 1 with A = Q, B = Kᵀ, and the constant 1/√D):
                            ∂ℓ/∂Q = (∂ℓ/∂α)·K/√D   [Tq, D]      ∂ℓ/∂K = (∂ℓ/∂α)ᵀ·Q/√D   [Tk, D]

                 In the engine: P = softmax(matmul(query, key, transposeB: true, alpha: 1/√D)) as in 1.2;
                 matmul(P, G, transposeA: true) is Pᵀ·G (numpy: P.T @ G); matmul(G, value, transposeB: true)
                 is G·Vᵀ; step 3 is a loop over the rows of var dα = Tensor.zeros([Tq, Tk]), reading and
                 writing entries as dα[i, j]; step 4 is matmul(dα, key, alpha: 1/√D) and
                 matmul(dα, query, transposeA: true, alpha: 1/√D).
                 """,
                 run: checkAttentionBackward),
        Exercise(id: "1.4", chapter: 1, title: "one AdamW step",
                 file: "chapter1/AdamWStep.swift",
                 nudge: """
                 The formula is in the doc comment; matching the engine to six digits is about four details.
                 (1) t counts from 1: what are the bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ at the first update,
                 and what would t − 1 give there? (2) The weight decay is decoupled: it shrinks θ itself and
                 never enters g, m or v, and it applies only when `decays` is true. (3) ε is added after the
                 square root, not inside it. (4) The new θ uses the new m′ and v′. A sanity check to work out
                 on paper: at t = 1, with m = v = 0 and λ = 0, every entry moves by almost exactly η, against
                 the sign of its gradient. Why?
                 """,
                 derivation: """
                 Per entry k, with b₁ = settings.beta1, b₂ = settings.beta2, ε = settings.epsilon and
                 λ = settings.weightDecay:

                     1. m′ₖ = b₁·mₖ + (1 − b₁)·gₖ          a running mean of the gradient
                     2. v′ₖ = b₂·vₖ + (1 − b₂)·gₖ²         a running mean of its square
                     3. Bias correction. m and v start at 0, so after t updates
                            m′ = (1 − b₁)·Σₛ b₁^(t−s)·gₛ      (s = 1 … t)
                        whose weights sum to 1 − b₁ᵗ, not 1; dividing by it makes them sum to 1:
                            m̂ₖ = m′ₖ / (1 − b₁ᵗ)        v̂ₖ = v′ₖ / (1 − b₂ᵗ)        (at t = 1: m̂ = g, v̂ = g²)
                     4. θ′ₖ = θₖ·(1 − η·λ) − η·m̂ₖ / (√v̂ₖ + ε)      (no factor (1 − η·λ) when decays is false)

                 At t = 1 with λ = 0: m̂/√v̂ = g/|g| = sign(g), so each entry moves by η·sign(g), up to ε
                 (the check's last test).

                 In Swift: loop over the indices of parameter.scalars, using the same index in the three
                 other tensors' scalars; a correction is 1 − Foundation.pow(b₁, Float(step)); return
                 Tensor(shape: parameter.shape, scalars: …) for θ′, m′ and v′.
                 """,
                 run: checkAdamWStep),
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
