import Foundation
import Tensors
import Transformer
import BertBaseline
import ExpandedAttention
import UntiedAttention
import NoteTaking
import MetaController

extension ExerciseCatalog {
    static let chapter6: [Exercise] = [
        Exercise(id: "6.1", chapter: 6, title: "FLOPs per update", file: "chapter6/FLOPsPerUpdate.swift",
                 nudge: """
                 Which operations does the count include, and which does it leave out? A Linear layer
                 whose weight has a·b entries, applied to one row: how many multiply-adds is that, and
                 how many FLOPs? The backward pass of a product needs the gradient of each of its two
                 inputs: how many products of the same size is that, and what does it make the whole
                 update cost next to the forward pass? Then the parts. How many parameters does one
                 encoder layer hold, biases and LayerNorms included? How many rows pass through the
                 encoder, and how many through the head and the vocabulary projection? The attention
                 products multiply activations by activations, not by weights: what are their shapes
                 for one head, and what happens when you add up the A heads — does A change the total?
                 Which term grows with T²?
                 """,
                 derivation: """
                 With n = B·T tokens:

                     1. A product [n, a]·[a, b] is n·a·b multiply-adds, 2·n·a·b FLOPs forward. Its
                        backward computes the gradients of both inputs, two products of the same size:
                        4·n·a·b. In all 6·n·a·b per update: 6 FLOPs per weight per row, 3 × the forward.
                     2. One layer's parameters, as TrainingFLOPs counts them (every one of them, 6 FLOPs
                        per token each):
                            P = (3H² + 3H) + (H² + H) + 2·2H + (HF + F) + (FH + H)
                                 Q, K, V      output    2 LNs   FFN in     FFN out
                            encoder = 6·L·P·B·T
                     3. Attention, one head, one sequence: Q·Kᵀ is [T, D]·[D, T], 2·T²·D FLOPs; P·V is
                        [T, T]·[T, D], 2·T²·D more. The A heads together: A·D = H, so 4·T²·H forward
                        per layer and sequence, whatever A is:
                            attention = 3·L·4·B·T²·H
                     4. The head's H×H weight and the V-word projection, at the N predicted rows only:
                            head = 6·N·H²        vocabulary = 6·N·H·V
                     5. total = encoder + attention + head + vocabulary.

                 Worked example, the chapter preset (L = 2, H = 128, A = 2, F = 512), V = 8192, B = 32,
                 T = 64 and N = 9·32 = 288 (15% of the 62 ordinary tokens of a sequence, rounded):

                     P          = 49,536 + 16,512 + 512 + 66,048 + 65,664  =       198,272
                     encoder    = 6·2·198,272·32·64                        = 4,872,732,672
                     attention  = 3·2·4·32·64²·128                         =   402,653,184
                     head       = 6·288·128²                               =    28,311,552
                     vocabulary = 6·288·128·8192                           = 1,811,939,328
                     total                                                 = 7,115,636,736

                 7.12 GFLOP, the BERT-A (MLM) row of chapter 5's "FLOPs per update" table. The encoder
                 is two thirds of it; at T = 512 the T² of the attention weighs more.

                 In Swift: Double(L), Double(H), … first, then the four products and their sum.
                 (Python: the same arithmetic on floats.) The engine's TrainingFLOPs(config,
                 batchSize:, length:, predictions:) gives the same total and its breakdown, with the
                 names encoder, attention, head_transform and vocab.
                 """,
                 run: checkFLOPsPerUpdate),
        Exercise(id: "6.2", chapter: 6, title: "the steps-to-target ratio", file: "chapter6/StepsToTarget.swift",
                 nudge: """
                 What is the target, exactly: the baseline's lowest loss, or the one at its last
                 validation? On the method's curve, which point is the first to reach it, and why the
                 first rather than the last, when a noisy curve can dip below and come back up? Between
                 two validations the loss was never measured: where on the segment from the point
                 before to the first point at or below does the crossing fall, and does your answer
                 stay inside that segment? What if the very first point is already low enough: is there
                 a point before it to draw a line from? What if a point lands exactly on the target?
                 The denominator: whose run's length is it? And when is nil the honest answer?
                 """,
                 derivation: """
                 With ℓ* = baseline.last.loss and S = baseline.last.step:

                     1. k = the index of the method's first point with loss ≤ ℓ* (≤: a point exactly
                        at ℓ* has reached it). No such point: nil, the method never got there.
                     2. k = 0: s* = method[0].step. There is no earlier point to interpolate from.
                     3. Otherwise, with (s₀, v₀) = method[k − 1] and (s₁, v₁) = method[k], v₀ > ℓ* ≥ v₁:
                            s* = s₀ + (v₀ − ℓ*) / (v₀ − v₁) · (s₁ − s₀)
                        the straight line through the two points read at height ℓ*; s₀ < s* ≤ s₁,
                        and v₀ − v₁ > 0, so nothing divides by zero.
                     4. ratio = s* / S.

                 Worked example: the baseline (100, 7.0), (200, 6.5), (300, 6.2) gives ℓ* = 6.2 and
                 S = 300. The method (100, 6.8), (200, 6.3), (300, 6.0) first reaches it at k = 2:
                 s* = 200 + (6.3 − 6.2)/(6.3 − 6.0)·100 = 233.3, ratio 0.778. A method at 6.2 exactly
                 at step 200 gives 200/300 = 0.667; one that starts at 6.1 at step 50 gives 50/300.
                 The baseline against itself gives 1 when it only ever falls, less when it dipped
                 below its own final loss before its last validation.

                 In Swift: method.firstIndex(where: { $0.loss <= target }), then the line in Double
                 (Double(v0) − Double(target), …), then the division by Double(S). The engine's
                 firstCrossing(curve, reaching: ℓ*) returns s* for a curve of (step, value); chapters
                 3 and 4 divide it by the run's steps.
                 """,
                 run: checkStepsToTarget),
        Exercise(id: "6.3", chapter: 6, title: "a seam choice from a configuration string", file: "chapter6/SeamChoice.swift",
                 nudge: """
                 How do you cut the text into parts, and what should "tupe-r++notes" or a trailing "+"
                 give: a part quietly skipped, or an error? Before you look a part up, what must happen
                 to " TUPE-R " so that it matches the registered "tupe-r"? Once a part is a known name,
                 how do you find which seam it belongs to, and what if two seams had registered the same
                 name? Where do you keep what each seam got, so that you notice a second name arriving
                 for a seam that already has one? What do the seams nobody named end up with? For each
                 error, which words of the input should its message repeat, so that whoever typed the
                 string sees what to fix?
                 """,
                 derivation: """
                 1. parts = the text lowercased, split at every "+", empty pieces kept, each piece
                    trimmed of whitespace (Python: [p.strip() for p in text.lower().split("+")]).
                 2. chosen = [nil, nil, nil] for positions, input, objective. For each part p:
                        p is empty                → throw: "<text>" has an empty part
                        no seam lists p           → throw: "p" is not a position scheme, an input or an objective
                        two seams list p          → throw, naming p and both seams
                        its seam was chosen (q)   → throw: "<text>" names two <kind>s: q and p
                        otherwise                 → chosen[seam] = p
                 3. Return chosen, each nil replaced by ModelConfiguration's default: "bert-a",
                    "none", "mlm".

                 Worked examples: "Tupe-R + notes+MC-BERT" → (tupe-r, notes, mc-bert), in any order of
                 its parts. "mc-bert" → (bert-a, none, mc-bert). "electra+mlm" → error, two objectives:
                 electra and mlm. "tupe-r+" → error, an empty part. "tupe-x" → error, not a name.

                 In Swift: text.lowercased().split(separator: "+", omittingEmptySubsequences: false)
                 (without that argument "a++b" would silently lose its empty part), then
                 String(part).trimmingCharacters(in: .whitespacesAndNewlines) (import Foundation);
                 positions.contains(p) and so on for the seams; throw ConfigurationError(message: …)
                 (import Transformer). The defaults are AbsolutePositions.name (import BertBaseline),
                 ModelConfiguration.noInput and MaskedLanguageModeling.name.
                 """,
                 run: checkSeamChoice),
    ]
}

// MARK: 6.1

/// One setting of 6.1: the sizes, and where its numbers come from.
private struct FLOPsSetting {
    var what: String
    var L: Int, H: Int, A: Int, F: Int, V: Int, B: Int, T: Int, N: Int

    /// TrainingFLOPs' masked-LM terms, from the formula (Sources/Catalog/TrainingFLOPs.swift).
    var parts: (encoder: Double, attention: Double, head: Double, vocabulary: Double) {
        let (L, H, F, V) = (Double(self.L), Double(self.H), Double(self.F), Double(self.V))
        let (B, T, N) = (Double(self.B), Double(self.T), Double(self.N))
        let perLayer = (3 * H * H + 3 * H) + (H * H + H) + 2 * (2 * H) + (H * F + F) + (F * H + H)
        return (6 * L * perLayer * B * T, 3 * L * (2 * 2 * B * T * T * H), 6 * N * H * H, 6 * N * H * V)
    }

    var total: Double { let p = parts; return p.encoder + p.attention + p.head + p.vocabulary }

    /// The usual slips' results, each with the question that names it.
    var slips: [(value: Double, question: String)] {
        let p = parts, (H, F, A) = (Double(self.H), Double(self.F), Double(self.A))
        let rows = Double(B * T) / Double(N)
        let withoutBiases = 6 * Double(L) * (4 * H * H + 2 * H * F) * Double(B * T)
        return [
            (total / 3, "that is the forward pass alone: the backward pass costs twice the forward (×3 in all)?"),
            (total * 2 / 3, "that is forward + backward at 1 × the forward: the backward computes two gradients per product?"),
            (p.encoder + A * p.attention + p.head + p.vocabulary,
             "that counts each head's attention products at the full width H: a head's products are T×T×D, D = H/A?"),
            (p.encoder + p.attention / A + p.head + p.vocabulary,
             "that counts the attention products of one head only: the A heads together are as wide as H?"),
            (p.encoder + p.head + p.vocabulary, "that leaves out the attention products Q·Kᵀ and P·V?"),
            (p.encoder + p.attention / 2 + p.head + p.vocabulary,
             "that counts one of the two attention products: the scores Q·Kᵀ and the mixing P·V both count?"),
            (p.encoder + p.attention + (p.head + p.vocabulary) * rows,
             "that puts the head and the vocabulary projection at every token: they run at the N predicted rows?"),
            (p.encoder + p.attention + p.head + p.vocabulary * rows,
             "that puts the vocabulary projection at every token: it runs at the N predicted rows?"),
            (withoutBiases + p.attention + p.head + p.vocabulary,
             "that leaves out the biases and the LayerNorms' γ and β: TrainingFLOPs counts 6 FLOPs per token for them too?"),
            (p.encoder + p.attention + p.vocabulary, "that leaves out the head's H → H transform at the N rows?"),
        ]
    }

    var sizes: String { "L = \(L), H = \(H), A = \(A), F = \(F), V = \(V), B = \(B), T = \(T), N = \(N)" }
}

private func gigaFLOPs(_ x: Double) -> String { String(format: "%.0f (%.4g GFLOP)", x, x / 1e9) }

private func checkFLOPsPerUpdate(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("6.1") { c in
        func yours(_ s: FLOPsSetting) throws -> Double {
            try E.flopsPerUpdate(layers: s.L, hidden: s.H, heads: s.A, feedForward: s.F, vocabulary: s.V,
                                 batchSize: s.B, length: s.T, predictions: s.N)
        }
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * abs(b) }
        let settings = [
            FLOPsSetting(what: "the chapter preset as chapter 5 trains it (7.12 GFLOP, its BERT-A row)",
                         L: 2, H: 128, A: 2, F: 512, V: 8192, B: 32, T: 64, N: 288),
            FLOPsSetting(what: "the mini benchmark (92.0 GFLOP in TrainingFLOPs' example)",
                         L: 4, H: 256, A: 4, F: 1024, V: 8192, B: 32, T: 128, N: 608),
            FLOPsSetting(what: "BERT-base at T = 512, where the attention products weigh more",
                         L: 12, H: 768, A: 12, F: 3072, V: 30522, B: 8, T: 512, N: 616),
        ]
        for s in settings {
            let value = try yours(s), expected = s.total
            var detail = "yours \(gigaFLOPs(value)), expected \(gigaFLOPs(expected))"
            if !close(value, expected) {
                let p = s.parts
                detail += " = encoder \(gigaFLOPs(p.encoder)) + attention \(gigaFLOPs(p.attention)) + head "
                    + "\(gigaFLOPs(p.head)) + vocabulary \(gigaFLOPs(p.vocabulary))"
                if !value.isFinite {
                    detail += "; your result is not finite"
                } else if let slip = s.slips.first(where: { close(value, $0.value) && !close($0.value, expected) }) {
                    detail += "; " + slip.question
                }
            }
            try c.require(close(value, expected), "\(s.what), \(s.sizes): \(gigaFLOPs(expected))", detail)
        }
        // The heads split the width; they add no work.
        var chapter = settings[0]
        var differ: [String] = []
        for A in [1, 8, 128] {
            chapter.A = A
            let value = try yours(chapter)
            if !close(value, chapter.total) { differ.append("A = \(A): yours \(gigaFLOPs(value))") }
        }
        try c.require(differ.isEmpty, "the chapter preset with A = 1, 8 or 128 heads instead of 2 costs the same",
                      "expected \(gigaFLOPs(chapter.total)) whatever A: " + differ.joined(separator: "; ")
                      + " (a head's products are T×T×D with D = H/A: A heads cost as much as one of width H)")
    }
}

// MARK: 6.2

private typealias LossCurve = [(step: Int, loss: Float)]

private func describe(_ curve: LossCurve) -> String {
    curve.map { "(\($0.step), \(format($0.loss)))" }.joined(separator: ", ")
}

private func describe(_ ratio: Double?) -> String { ratio.map { String(format: "%.6g", $0) } ?? "nil" }

/// The ratio by the engine: `firstCrossing` of the method's curve at the baseline's final loss,
/// over the baseline's last step.
private func engineRatio(_ baseline: LossCurve, _ method: LossCurve) -> Double? {
    let last = baseline.last!
    return firstCrossing(method.map { (step: $0.step, value: $0.loss) }, reaching: last.loss).map { $0 / Double(last.step) }
}

/// The usual slips' ratios for one pair of curves, each with the question that names it.
private func stepsSlips(_ baseline: LossCurve, _ method: LossCurve) -> [(value: Double?, question: String)] {
    let (target, S) = (baseline.last!.loss, Double(baseline.last!.step))
    let first = method.firstIndex { $0.loss <= target }
    let lastCrossing = method.indices.last { $0 > 0 && method[$0].loss <= target && method[$0 - 1].loss > target }
    func interpolated(_ k: Int?) -> Double? {
        guard let k else { return nil }
        guard k > 0 else { return Double(method[0].step) }
        let (s0, v0, s1, v1) = (Double(method[k - 1].step), Double(method[k - 1].loss), Double(method[k].step),
                                Double(method[k].loss))
        return s0 + (v0 - Double(target)) / (v0 - v1) * (s1 - s0)
    }
    let reached = interpolated(first)
    return [
        (first.map { Double(method[$0].step) / S }, "that is the step of the first point at or below the target, without the interpolation?"),
        (first.flatMap { $0 > 0 ? Double(method[$0 - 1].step) / S : nil }, "that is the step of the point before the crossing?"),
        (interpolated(method.firstIndex { $0.loss < target }).map { $0 / S },
         "that treats a point exactly at the target as not there yet: reaching is loss ≤ target?"),
        (interpolated(lastCrossing).map { $0 / S }, "that is the last crossing: the ratio asks for the first?"),
        (reached.map { $0 / Double(method.last!.step) }, "that divides by the method's last step: S is the baseline's?"),
        (reached, "that is s* itself, not divided by the baseline's last step S?"),
        (interpolated(method.firstIndex { $0.loss <= baseline.map(\.loss).min()! }).map { $0 / S },
         "that aims at the baseline's lowest loss: the target is its final one?"),
    ]
}

private func checkStepsToTarget(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("6.2") { c in
        func agree(_ a: Double?, _ b: Double?) -> Bool {
            switch (a, b) {
            case (nil, nil): return true
            case let (a?, b?): return abs(a - b) <= 1e-6 * max(1, abs(b))
            default: return false
            }
        }
        /// nil when the learner's ratio agrees with the engine's, else what differs.
        func mismatch(_ baseline: LossCurve, _ method: LossCurve) throws -> String? {
            let yours = try E.stepsToTarget(baseline: baseline, method: method), expected = engineRatio(baseline, method)
            if agree(yours, expected) { return nil }
            let last = baseline.last!
            var detail = "target ℓ* = \(format(last.loss)) (the baseline's loss at its last step S = \(last.step)); "
                + "the method's curve \(describe(method)): expected \(describe(expected)), yours \(describe(yours))"
            if expected == nil {
                detail += "; the method never reaches ℓ*: nil"
            } else if yours == nil {
                detail += "; the method does reach ℓ*"
            } else if let slip = stepsSlips(baseline, method).first(where: { agree(yours, $0.value) && !agree($0.value, expected) }) {
                detail += "; " + slip.question
            }
            return detail
        }
        func check(_ what: String, baseline: LossCurve, method: LossCurve) throws {
            let detail = try mismatch(baseline, method)
            try c.require(detail == nil, what + " (vs the engine's firstCrossing)", detail ?? "")
        }

        let baseline: LossCurve = [(100, 7.0), (200, 6.5), (300, 6.2)]
        try check("a crossing between two validations, interpolated: the method at 6.3 at step 200 and 6.0 at 300 "
                  + "reaches the baseline's 6.2 at 233.3, ratio 0.778",
                  baseline: baseline, method: [(100, 6.8), (200, 6.3), (300, 6.0)])
        try check("a point exactly at the target reaches it there: 200/300",
                  baseline: baseline, method: [(100, 6.6), (200, 6.2), (300, 5.9)])
        try check("a method that never gets to the target has no ratio: nil",
                  baseline: baseline, method: [(100, 6.9), (200, 6.5), (300, 6.25)])
        try check("a method already below the target at its first point reaches it at that step: 50/300",
                  baseline: baseline, method: [(50, 6.1), (100, 6.0), (300, 5.8)])
        try check("a noisy baseline against itself reaches its final 6.2 before its last step (ratio 0.533)",
                  baseline: [(100, 7.0), (200, 6.4), (300, 6.1), (400, 6.3), (500, 6.2)],
                  method: [(100, 7.0), (200, 6.4), (300, 6.1), (400, 6.3), (500, 6.2)])
        try check("a noisy method on its own grid (every 25 steps) crosses twice: the first crossing counts",
                  baseline: [(100, 6.9), (200, 6.55), (300, 6.4), (400, 6.3)],
                  method: [(25, 7.4), (50, 7.0), (75, 6.7), (100, 6.5), (125, 6.25), (150, 6.35), (175, 6.28),
                           (200, 6.1), (225, 6.05)])

        // Many noisy curves, validated every 50 (the baseline) and every 40 or 50 (the method).
        var rng = SeededGenerator(seed: 62)
        func curve(every: Int, steps: Int, speed: Float) -> LossCurve {
            stride(from: every, through: steps, by: every).map { step in
                (step, 6 + 2 * exp(-speed * Float(step) / Float(steps)) + Float.random(in: -0.06...0.06, using: &rng))
            }
        }
        var wrong: [String] = [], reached = 0, never = 0
        for k in 0..<40 {
            let base = curve(every: 50, steps: 1000, speed: 3)
            let method = curve(every: k % 2 == 0 ? 40 : 50, steps: 1000, speed: Float.random(in: 1.5...6, using: &rng))
            if engineRatio(base, method) == nil { never += 1 } else { reached += 1 }
            if let detail = try mismatch(base, method) { wrong.append(detail) }
        }
        try c.require(wrong.isEmpty, "40 random noisy pairs of curves (\(reached) reaching the target, \(never) never)",
                      "\(wrong.count) of 40 disagree; the first:\n" + wrong.prefix(2).joined(separator: "\n"))
    }
}

// MARK: 6.3

/// Each seam's registered names, as a configuration string may use them.
private struct SeamNames {
    var positions: [String], inputs: [String], objectives: [String]

    /// The book's: what `ModelRegistry.standard` (Sources/Catalog) registers.
    static let book = SeamNames(
        positions: [AbsolutePositions.name, UntiedFourTermPositions.name, RelativePositions.name,
                    UntiedPositions.absoluteName, UntiedPositions.relativeName],
        inputs: [NoteTaking.name],
        objectives: [MaskedLanguageModeling.name, ELECTRA.name, MCBERT.name])

    var description: String {
        "positions [\(positions.joined(separator: ", "))], inputs [\(inputs.joined(separator: ", "))], "
            + "objectives [\(objectives.joined(separator: ", "))]"
    }
}

private typealias Choice = (positions: String, input: String, objective: String)

private func describe(_ choice: Choice) -> String { "(\(choice.positions), \(choice.input), \(choice.objective))" }

/// Every ordering of `parts`.
private func orderings(_ parts: [String]) -> [[String]] {
    parts.count <= 1 ? [parts] : parts.indices.flatMap { i in
        orderings(Array(parts[..<i] + parts[(i + 1)...])).map { [parts[i]] + $0 }
    }
}

private func checkSeamChoice(_ E: ExerciseSet.Type) -> CheckResult {
    Checker.run("6.3") { c in
        let plain = ModelConfiguration(vocabularySize: 1, hiddenSize: 1, layers: 1, heads: 1, feedForwardSize: 1,
                                       maxSequenceLength: 1)
        let defaults: Choice = (plain.positions, plain.input, plain.objective)
        /// The learner's choice for `text`, or the error it threw (an unsolved exercise's error goes on up).
        func parse(_ text: String, _ names: SeamNames) throws -> Result<Choice, Error> {
            do {
                return .success(try E.seamChoice(parsing: text, positions: names.positions, inputs: names.inputs,
                                                 objectives: names.objectives))
            } catch let error as ExerciseError {
                throw error
            } catch {
                return .failure(error)
            }
        }
        /// Strings that must parse to their choice.
        func valid(_ what: String, _ cases: [(text: String, choice: Choice)], names: SeamNames = .book) throws {
            var wrong: [String] = []
            for (text, choice) in cases {
                switch try parse(text, names) {
                case .success(let yours) where yours == choice: continue
                case .success(let yours):
                    wrong.append("\"\(text)\": expected \(describe(choice)), yours \(describe(yours))")
                case .failure(let error):
                    wrong.append("\"\(text)\": expected \(describe(choice)), yours threw “\(error)”")
                }
            }
            try c.require(wrong.isEmpty, what, "with the names \(names.description):\n" + wrong.prefix(5).joined(separator: "\n"))
        }
        /// Strings that must throw an error whose message names each of `mentions`.
        func invalid(_ what: String, _ cases: [(text: String, mentions: [String])], names: SeamNames = .book) throws {
            var wrong: [String] = []
            for (text, mentions) in cases {
                switch try parse(text, names) {
                case .success(let yours):
                    wrong.append("\"\(text)\": expected an error naming \(mentions.joined(separator: " and ")), "
                                 + "yours returned \(describe(yours))")
                case .failure(let error):
                    let message = "\(error)".lowercased()
                    let missing = mentions.filter { !message.contains($0) }
                    if !missing.isEmpty {
                        wrong.append("\"\(text)\": your error “\(error)” does not name \(missing.joined(separator: " and "))")
                    }
                }
            }
            try c.require(wrong.isEmpty, what, "with the names \(names.description):\n" + wrong.prefix(5).joined(separator: "\n"))
        }

        let book = SeamNames.book
        try valid("a string that names one seam leaves the others at ModelConfiguration's defaults "
                  + "\(describe(defaults)): \"tupe-r\", \"notes\", \"mc-bert\"", [
                      ("tupe-r", ("tupe-r", defaults.input, defaults.objective)),
                      ("notes", (defaults.positions, "notes", defaults.objective)),
                      ("mc-bert", (defaults.positions, defaults.input, "mc-bert")),
                  ])
        try valid("each of the book's \(book.positions.count + book.inputs.count + book.objectives.count) names alone "
                  + "chooses its own seam",
                  book.positions.map { ($0, ($0, defaults.input, defaults.objective)) }
                      + book.inputs.map { ($0, (defaults.positions, $0, defaults.objective)) }
                      + book.objectives.map { ($0, (defaults.positions, defaults.input, $0)) })
        var combined: [(text: String, choice: Choice)] = []
        for positions in book.positions {
            for input in [nil] + book.inputs {
                for objective in book.objectives {
                    for parts in orderings([positions, objective] + (input.map { [$0] } ?? [])) {
                        combined.append((parts.joined(separator: "+"), (positions, input ?? defaults.input, objective)))
                    }
                }
            }
        }
        try valid("every position scheme with every objective, with and without notes, their parts in every order "
                  + "(\(combined.count) strings, \"tupe-r+notes+mc-bert\" among them)", combined)
        try valid("case and whitespace do not matter: \" TUPE-R + Notes+MC-BERT \", \"Tupe-A\\t+\\tELECTRA\"", [
            (" TUPE-R + Notes+MC-BERT ", ("tupe-r", "notes", "mc-bert")),
            ("Tupe-A\t+\tELECTRA", ("tupe-a", defaults.input, "electra")),
            ("  bert-AD\n", ("bert-ad", defaults.input, defaults.objective)),
        ])
        let toy = SeamNames(positions: ["bert-a", "sinusoid"], inputs: ["recorder"], objectives: ["mlm", "toy"])
        try valid("another registry's names come from the lists passed in", [
            ("toy+sinusoid", ("sinusoid", defaults.input, "toy")),
            ("recorder", ("bert-a", "recorder", "mlm")),
        ], names: toy)

        try invalid("two names for one seam are an error naming both: \"tupe-a+tupe-r\", \"mlm+notes+electra\", …", [
            ("tupe-a+tupe-r", ["tupe-a", "tupe-r"]),
            ("mlm+notes+electra", ["mlm", "electra"]),
            ("MC-BERT+mlm", ["mc-bert", "mlm"]),
            ("notes+tupe-r+notes", ["notes"]),
        ])
        try invalid("a name no seam has is an error naming it: \"tupe-x\", \"tupe-r+bert\", …", [
            ("tupe-x", ["tupe-x"]),
            ("tupe-r+bert", ["bert"]),
            ("tupe-r+notes+mcbert", ["mcbert"]),
        ])
        try invalid("a name of the book that this registry lacks is an error too: \"tupe-r\"", [
            ("tupe-r", ["tupe-r"]),
            ("sinusoid+notes", ["notes"]),
        ], names: toy)
        try invalid("an empty part is an error naming the text: \"tupe-r++notes\", \"+mlm\", \"notes+\", \"\"", [
            ("tupe-r++notes", ["tupe-r++notes"]),
            ("+mlm", ["+mlm"]),
            ("notes+", ["notes+"]),
            ("", []),
        ])
        try invalid("a name that two seams registered is an error naming it: \"shared\"", [("shared", ["shared"])],
                    names: SeamNames(positions: ["bert-a", "shared"], inputs: [], objectives: ["mlm", "shared"]))
    }
}
