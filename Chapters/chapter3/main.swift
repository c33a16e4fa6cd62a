// Chapter 3 — TUPE: untying positions from words.
//
// Run it with `swift run chapter3`; `--quick` finishes in seconds, `--seeds 3` trains every
// model with three seeds and reports the spread, `--preset mini` runs a larger model.
// Everything it draws and records lands in out/chapter3/.
import Foundation
import Tensors
import Autograd
import Diagrams
import Text
import Notebook
import Transformer
import BertBaseline
import Catalog
import ExpandedAttention
import UntiedAttention

runChapter(3, title: "TUPE: untying positions from words") { book, options in

book.prose("""
    Chapter 2 opened BERT-A's first-layer logits into four terms: word → word,
    word → position, position → word and position → position. The middle two correlate a
    word with an absolute index, and all four share one W^Q, W^K between two unrelated kinds
    of thing. Chapter 2 printed how large each term is on our miniature and how much of it
    is position rather than word; whatever those numbers said, TUPE (Ke, He and Liu,
    ICLR 2021) draws the conclusion for BERT-base: drop the cross terms, and give positions
    their own projections.

    ## The formula

    Positions leave the input: x¹ᵢ = LN(wᵢ). Every layer ℓ then computes, per head,

        αᵢⱼ = (xᵢW^Q)(xⱼW^K)ᵀ / √(2D)  +  Pᵢⱼ
        Pᵢⱼ = (p̂ᵢU^Q)(p̂ⱼU^K)ᵀ / √(2D),     p̂ = LN(p)

    Two unit-size terms, so both carry 1/√(2D). P does not depend on the words at all: it is
    computed **once per forward pass** and the same matrix is added in every layer, so U^Q
    and U^K are shared by all layers. That is what makes TUPE cheap — 2H² extra parameters,
    ≈1.18M at BERT-base, and one T×T product per forward pass.

    TUPE-R adds T5's relative bias b_{bucket(i−j)}: one learned scalar per head and bucket
    of the signed distance i − j.
    """)

book.cell("the bucket function") { cell in
    // T5's bidirectional buckets: 16 for keys before or at the query, 16 for keys after it;
    // the first 8 of each half are exact distances, the rest grow logarithmically to 128.
    let distances = [0, 1, 2, 7, 8, 12, 15, 16, 31, 32, 63, 64, 127, 128, 1000]
    cell.table(["m = |i − j|", "bucket(+m): key m before", "bucket(−m): key m after"], rows: distances.map { m in
        ["\(m)", "\(t5Bucket(relativePosition: m))", "\(t5Bucket(relativePosition: -m))"]
    }, caption: "t5Bucket with 32 buckets and max distance 128: exact up to 7, then 8 + ⌊ln(m/8)/ln(16)·8⌋, capped at 15")
}

book.prose("""
    ## Untying [CLS]

    Position 0 always holds [CLS], whose final vector summarises the whole sequence for
    classification. With absolute positions, [CLS] attends like any token at position 0:
    mostly to its neighbours. TUPE resets its positional logits: the [CLS] column
    (everyone → [CLS]) becomes a learned θ₂ per head, then the [CLS] row ([CLS] → everyone)
    a learned θ₁. We use free per-head scalars (the official code derives them from two
    extra position rows; the two are equivalent up to parameterisation). A constant row is
    invisible to softmax, so θ₁'s value never matters — only that [CLS]'s row no longer
    prefers any position. In TUPE-R the relative bias gets two extra buckets for the [CLS]
    row and column, added after the reset (as the official code does), so they can learn.
    """)

book.cell("the [CLS] reset") { cell in
    let config = ModelConfiguration(positions: UntiedPositions.absoluteName, vocabularySize: 16, hiddenSize: 8, layers: 1, heads: 1,
                                    feedForwardSize: 8, maxSequenceLength: 6, dropout: 0, initializerStd: 0.5)
    let store = ParameterStore(seed: options.seed)
    let positions = UntiedPositions(store, config, relative: false)
    positions.othersToCLS.assign(Tensor(shape: [1], scalars: [0.5]))
    let before = positions.positionToPosition(length: 6)                // [A, T, T]
    let after = positions.attentionBias(length: 6)!                     // [A, T, T]
    cell.show(before.value.reshaped([6, 6]), name: "P before the reset (one head, T = 6)")
    cell.show(after.value.reshaped([6, 6]), name: "P after: row 0 = θ₁ = 0, column 0 = θ₂ = 0.5")
    var rng = SeededGenerator(seed: options.seed)
    let check = gradcheck(inputs: [before.value, Tensor.normal([1], using: &rng), Tensor.normal([1], using: &rng)],
                          using: &rng) { v in resetCLS(v[0], clsToOthers: v[1], othersToCLS: v[2]) }
    cell.print("resetCLS backward vs finite differences: max error \(check.maxAbsoluteError) over \(check.checkedElements) entries")
}

book.prose("""
    ## One positional branch, every layer

    The graph of a two-layer TUPE-R forward pass on three tokens: the positional branch
    (LN(p), U^Q, U^K, their product, the [CLS] reset and the relative bias) is computed
    once, and its one output feeds the logits of both layers.
    """)

try book.cell("TUPE attention as a graph") { cell in
    let config = ModelConfiguration(positions: UntiedPositions.relativeName, vocabularySize: 16, hiddenSize: 4, layers: 2, heads: 1,
                                    feedForwardSize: 4, maxSequenceLength: 3, dropout: 0, initializerStd: 0.5)
    let store = ParameterStore(seed: options.seed)
    let positions = UntiedPositions(store, config, relative: true)
    // The reference attention: every step of the formula is a node of the graph.
    let layers = (0..<2).map { MultiHeadAttention(store, "layer \($0 + 1)", hidden: 4, heads: 1, dropout: 0, std: 0.5,
                                                  implementation: .reference) }
    var rng = SeededGenerator(seed: options.seed)
    let words = Variable(Tensor.normal([1, 3, 4], using: &rng), name: "x¹", label: "x¹ = LN(w)")   // [B, T, H]
    let P = positions.attentionBias(length: 3)!                                                       // [A, T, T]
    P.label = "P (once per forward pass)"; P.group = "positional branch, computed once"
    var x = words
    var noDropout: SeededGenerator? = nil
    for (l, layer) in layers.enumerated() {
        let (_, output) = layer(x, scale: positions.contentScale(headSize: 4), bias: P, keyLengths: [3], rng: &noDropout)
        output.label = "layer \(l + 1) output"; output.group = "layer \(l + 1)"
        x = output
    }
    let graph = sum(x).computationGraph().inheritingGroups()
    try cell.figure("tupe-attention", graph: graph,
                    options: GraphDiagramOptions(direction: .topToBottom, groupStyle: .clusters,
                                                 title: "TUPE-R attention: one positional branch, two layers", showsLegend: true),
                    caption: "TUPE-R: P is computed once from the positions (its own cluster) and added to the logits of every layer.")
}

let quick = options.quick
let corpus = try Corpus.load(options.corpus)
let tokenizer = try WordPieceTokenizer.embedded()
let trainingCorpus = quick ? Corpus(documents: Array(corpus.documents.prefix(300))) : corpus
let presetName = options.preset ?? (quick ? "tiny" : "chapter")
let modelConfiguration = ModelConfiguration.preset(presetName, vocabularySize: tokenizer.vocabulary.count)!
let steps = options.steps ?? (quick ? 8 : 250)
let seedCount = options.seeds ?? 1
let seeds = (0..<seedCount).map { options.seed &+ UInt64($0) }
let validationInterval = quick ? 2 : 25

try book.cell("added parameters") { cell in
    let H = modelConfiguration.hiddenSize, A = modelConfiguration.heads
    var counts: [String: Int] = [:]
    for name in [AbsolutePositions.name, UntiedPositions.absoluteName] {
        var c = modelConfiguration
        c.positions = name
        counts[name] = try ModelRegistry.standard.makeModel(c, seed: 1).parameters.scalarCount
    }
    let added: Int = counts[UntiedPositions.absoluteName]! - counts[AbsolutePositions.name]!
    let paper: Int = 2 * H * H
    let baseSquare: Int = 2 * 768 * 768, baseRest: Int = 4 * 768 + 2 * 12
    let ours: [String] = ["this chapter's (H=\(H), A=\(A))", String(added), String(paper), String(added - paper)]
    let base: [String] = ["BERT-base (H=768, A=12)", String(baseSquare + baseRest), "\(baseSquare) ≈ 1.18M", String(baseRest)]
    cell.table(["model", "TUPE-A − BERT-A", "2H² (the paper's count)", "the rest: U biases 2H, LN(p) 2H, θ 2A"],
               rows: [ours, base], caption: "TUPE-R adds A·34 relative-bias scalars on top; BERT-R adds A·32 to BERT-A.")
}

book.prose("""
    ## The experiment

    Four models — BERT-A, BERT-R, TUPE-A, TUPE-R — trained with identical data, masking,
    seeds, optimiser and number of updates; only the position scheme differs. We validate
    every \(validationInterval) updates and ask TUPE's question: how many steps does each
    TUPE variant need to reach BERT-A's *final* validation loss, as a fraction of BERT-A's
    steps? The paper's answer at BERT-base is ≈ 0.3 (TUPE-A at 300k steps reaches GLUE
    83.33 and TUPE-R 83.68, against BERT-A's 82.96 at 1M; at 1M steps, GLUE dev averages
    are BERT-A 82.96, BERT-R 83.66, TUPE-A 84.47, TUPE-R 85.04 — TUPE Table 1).
    """)

/// The four models, by the names the registry gives their position schemes.
struct Variant { let name: String; let positions: String }
let variants = [
    Variant(name: "BERT-A", positions: AbsolutePositions.name),
    Variant(name: "BERT-R", positions: RelativePositions.name),
    Variant(name: "TUPE-A", positions: UntiedPositions.absoluteName),
    Variant(name: "TUPE-R", positions: UntiedPositions.relativeName),
]

/// The run settings for one position scheme and seed: identical apart from the scheme.
func runConfiguration(_ positions: String, seed: UInt64) -> RunConfiguration {
    var training = TrainingSettings(steps: steps, peakLearningRate: 2e-3, warmupSteps: max(1, min(100, steps / 4)),
                                    validationInterval: validationInterval, checkpointInterval: steps, seed: seed)
    training.maxGradientNorm = 1
    var model = modelConfiguration
    model.positions = positions
    return RunConfiguration(model: model, training: training, batchSize: quick ? 8 : 32,
                            dataSeed: seed &+ 1, corpus: options.corpus)
}

/// Validation curves, `[variant][seed] → [(step, loss)]`.
let curves = try book.cell("training the four models") { cell -> [[[(Int, Float)]]] in
    let started = Date()
    var result: [[[(Int, Float)]]] = []
    for variant in variants {
        var perSeed: [[(Int, Float)]] = []
        for seed in seeds {
            let run = try PretrainingRun(configuration: runConfiguration(variant.positions, seed: seed),
                                         registry: .standard, corpus: trainingCorpus, tokenizer: tokenizer,
                                         outputDirectory: book.outputDirectory.appendingPathComponent("\(variant.positions)-seed\(seed)"))
            try run.train()
            let validated = run.trainer.history.compactMap { m in m.validationLoss.map { (m.step, $0) } }
            perSeed.append(validated)
            cell.print(String(format: "%@ seed %d: final validation loss %.3f, %.0f tokens/s", variant.name, Int(seed),
                              validated.last?.1 ?? .nan, run.trainer.history.last?.tokensPerSecond ?? 0))
        }
        result.append(perSeed)
    }
    cell.print(String(format: "%d runs of %d updates in %.0f s", variants.count * seeds.count, steps, Date().timeIntervalSince(started)))
    return result
}

func meanAndSpread(_ values: [Double]) -> String {
    let mean = values.reduce(0, +) / Double(values.count)
    guard values.count > 1 else { return String(format: "%.3f", mean) }
    let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
    return String(format: "%.3f ± %.3f", mean, variance.squareRoot())
}

/// Per seed: the first validated step at which `curve` reaches `target`, over `steps`.
func stepsRatio(_ curve: [(Int, Float)], reaching target: Float) -> Double? {
    curve.first { $0.1 <= target }.map { Double($0.0) / Double(steps) }
}

try book.cell("final losses and the steps ratio") { cell in
    let bertAFinal = curves[0].map { $0.last?.1 ?? .nan }
    cell.table(["model", "final validation loss", "per seed", "steps to BERT-A's final ÷ BERT-A's steps"],
               rows: variants.indices.map { v in
        let finals = curves[v].map { Double($0.last?.1 ?? .nan) }
        let ratios = zip(curves[v], bertAFinal).map { stepsRatio($0, reaching: $1) }
        let ratioText = v == 0 ? "1 (by definition)"
            : ratios.contains(nil) ? "not reached in \(ratios.filter { $0 == nil }.count) of \(ratios.count) seeds"
                + (ratios.compactMap { $0 }.isEmpty ? "" : "; others " + meanAndSpread(ratios.compactMap { $0 }))
            : meanAndSpread(ratios.map { $0! })
        return [variants[v].name, meanAndSpread(finals), finals.map { String(format: "%.3f", $0) }.joined(separator: ", "), ratioText]
    }, caption: "\(steps) updates, preset \(presetName), seeds \(seeds.map(String.init).joined(separator: ", ")); validation every \(validationInterval) updates; the paper's ratio ≈ 0.3")
    for v in 2..<4 {
        for (s, seed) in seeds.enumerated() {
            let ratio = stepsRatio(curves[v][s], reaching: bertAFinal[s])
            cell.print(ratio.map { String(format: "ratio %@ seed %d: %.2f (paper ≈ 0.3)", variants[v].name, Int(seed), $0) }
                       ?? "ratio \(variants[v].name) seed \(seed): not reached (paper ≈ 0.3)")
        }
    }

    var chart = LineChart(title: "Validation MLM loss: BERT-A, BERT-R, TUPE-A, TUPE-R", xLabel: "update", yLabel: "cross-entropy (nats)")
    for (v, variant) in variants.enumerated() {
        // The mean over seeds at each validated step.
        let points = curves[v][0].indices.map { i in
            (Double(curves[v][0][i].0), curves[v].map { Double($0[i].1) }.reduce(0, +) / Double(seeds.count))
        }
        chart.add(.init(variant.name, x: points.map(\.0), y: points.map(\.1), colour: Palette.categorical(v)))
    }
    try cell.figure("validation-loss", svg: chart.svg,
                    caption: "Validation masked-LM loss of the four models (mean over \(seeds.count) seed(s)), identical data, seeds and budgets.")
}

book.cell("what our miniature shows") { cell in
    let bertAFinal = curves[0].map { $0.last?.1 ?? .nan }
    for v in 1..<4 {
        let wins = zip(curves[v], bertAFinal).filter { ($0.0.last?.1 ?? .infinity) < $0.1 }.count
        cell.print("\(variants[v].name) ends below BERT-A in \(wins) of \(seeds.count) seed(s).")
    }
    cell.print("""
        The paper's claims are about BERT-base after up to a million updates; these are \(steps) updates of a \
        \(modelConfiguration.layers)-layer, H=\(modelConfiguration.hiddenSize) model on a small corpus. Whatever \
        the numbers above say, they say it about this miniature only; `--seeds N` shows how much of a gap is noise, \
        and `--preset mini --steps 1000` is a fairer test.
        """)
}

book.prose("""
    ## What we have

    TUPE-A and TUPE-R as position schemes (`UntiedPositions` in Sources/UntiedAttention):
    no positions in the input, 1/√(2D) on both terms, one positional term per forward pass
    shared by every layer, [CLS] untied; BERT-R as the relative baseline; T5's buckets; and
    a PyTorch reference that matches logits, loss and gradients. Every variant trains with
    `tenfold train --model bert-a|bert-r|tupe-a|tupe-r` and predicts with `tenfold predict`.

    Chapter 4 leaves positions alone and changes what the model reads: notes on rare words.
    """)

book.prose("""
    ## Exercises

    Build TUPE's pieces yourself, in `Exercises/chapter3/`:

    - **3.1** T5's relative-position bucket — `make exercise N=3.1`
    - **3.2** the untied positional term with the [CLS] reset — `make exercise N=3.2`
    - **3.3** TUPE-A's logits: content at 1/√(2D) plus the positional term — `make exercise N=3.3`
    """)
}
