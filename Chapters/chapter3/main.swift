// Chapter 3 — TUPE: untying positions from words.
//
// Run it with `swift run chapter3`; `--quick` finishes in seconds, `--seeds 3` trains every
// model with three seeds and reports the spread, `--evaluate` fine-tunes the four models on
// mini-GLUE, `--preset mini` runs a larger model. Everything it draws and records lands in
// out/chapter3/.
import Foundation
import Tensors
import Autograd
import Diagrams
import Text
import Notebook
import Transformer
import BertBaseline
import Catalog
import Finetuning
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

        αᵢⱼ = (xᵢW^Q + b^Q)(xⱼW^K + b^K)ᵀ / √(2D)  +  Pᵢⱼ
        Pᵢⱼ = (p̂ᵢU^Q + c^Q)(p̂ⱼU^K + c^K)ᵀ / √(2D),     p̂ = LN(p)

    (per head; c^Q, c^K are the biases of the positions' own projections, as in the official
    code — the paper's equations leave them and the LayerNorm of p out; Docs/Methods/TUPE.md.)
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
    prefers any position.

    TUPE-R's relative bias has entries of its own for the [CLS] row and column, added after
    the reset, as the official code does. They add nothing the reset does not already give:
    the row entry is constant along [CLS]'s row, so softmax ignores it and its gradient is
    zero (θ₁'s argument again); the column entry is added to exactly the logits θ₂ sets, so
    it receives θ₂'s gradient and only their sum matters. In the official code they are a
    second parameterisation of the same two numbers (Docs/Methods/TUPE.md#the-cls-buckets).
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
    cell.print("resetCLS backward vs finite differences: \(check.verdict())")
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
let trainingCorpus = options.trainingCorpus(corpus)
let presetName = options.presetName
let modelConfiguration = ModelConfiguration.preset(presetName, vocabularySize: tokenizer.vocabulary.count)!
let steps = options.steps ?? (quick ? 8 : 400)
// Chapter 1's lesson: a post-LN model needs a long warm-up to leave the unigram plateau.
let warmup = max(1, min(100, steps / 4))
let seedCount = options.seeds ?? 1
let seeds = (0..<seedCount).map { options.seed &+ UInt64($0) }
let validationInterval = quick ? 2 : max(1, steps / 40)

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
               rows: [ours, base], caption: "TUPE-R adds A·34 relative-bias scalars on top (the official code's table has 33: "
                   + "it reuses one T5 bucket for the [CLS] row); BERT-R adds A·32 to BERT-A.")
}

book.prose("""
    ## The experiment

    Four models — BERT-A, BERT-R, TUPE-A, TUPE-R — trained with identical data, masking,
    seeds, optimiser and number of updates; only the position scheme differs. Chapter 1
    showed that a post-LN model first sits on the unigram plateau and needs a long warm-up to
    leave it, so each model warms up over \(warmup) updates and trains for \(steps): long
    enough for BERT-A to get clearly below the unigram baseline, the loss of a model that
    ignores context. BERT-R starts out as BERT-A, and TUPE-R as TUPE-A: the relative bias
    table is zero at initialisation and every other weight is drawn identically, so their
    first validations coincide until the bias has learned something.

    We validate every \(validationInterval) updates and ask TUPE's question in our own
    currency: how many updates does each model need to reach BERT-A's *final* validation
    masked-LM loss, as a fraction of BERT-A's? The crossing is interpolated linearly between
    the two validations around it. This is a masked-LM-loss ratio. The paper's ≈ 0.3 is a
    GLUE ratio at BERT-base: TUPE-A at 300k steps reaches GLUE 83.33 and TUPE-R 83.68, against
    BERT-A's 82.96 at 1M; at 1M steps, GLUE dev averages are BERT-A 82.96, BERT-R 83.66,
    TUPE-A 84.47, TUPE-R 85.04 (TUPE Table 1). `--evaluate` adds our GLUE-like comparison
    (mini-GLUE) at the end.
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
    var training = TrainingSettings(steps: steps, peakLearningRate: 2e-3, warmupSteps: warmup,
                                    validationInterval: validationInterval, checkpointInterval: steps, seed: seed)
    training.maxGradientNorm = 1
    var model = modelConfiguration
    model.positions = positions
    return RunConfiguration(model: model, training: training, batchSize: quick ? 8 : 32,
                            dataSeed: seed &+ 1, corpus: options.corpus)
}

func runFolder(_ variant: Variant, seed: UInt64) -> URL {
    book.outputDirectory.appendingPathComponent("\(variant.positions)-seed\(seed)")
}

/// Validation curves, `[variant][seed] → [(step, loss)]`, and the unigram baseline.
let (curves, unigramBaseline) = try book.cell("training the four models") { cell -> ([[[(Int, Float)]]], Float) in
    let started = Date()
    var result: [[[(Int, Float)]]] = []
    var baseline: Float = .nan
    for variant in variants {
        var perSeed: [[(Int, Float)]] = []
        for seed in seeds {
            let run = try PretrainingRun(configuration: runConfiguration(variant.positions, seed: seed),
                                         registry: .standard, corpus: trainingCorpus, tokenizer: tokenizer,
                                         outputDirectory: runFolder(variant, seed: seed))
            baseline = run.unigramBaseline
            print("\(variant.name), seed \(seed):")
            try run.train(progress: ProgressReporter(totalSteps: steps, logInterval: max(1, steps / 4)))
            let validated = run.trainer.history.compactMap { m in m.validationLoss.map { (m.step, $0) } }
            perSeed.append(validated)
            cell.print(String(format: "%@ seed %d: final validation loss %.3f, %.0f tokens/s", variant.name, Int(seed),
                              validated.last?.1 ?? .nan, run.trainer.history.last?.tokensPerSecond ?? 0))
        }
        result.append(perSeed)
    }
    cell.print(String(format: "%d runs of %d updates in %.0f s", variants.count * seeds.count, steps, Date().timeIntervalSince(started)))
    return (result, baseline)
}

/// The update at which `curve` first reaches `target` (interpolated), as a fraction of the run.
func stepsRatio(_ curve: [(Int, Float)], reaching target: Float) -> Double? {
    firstCrossing(curve.map { (step: $0.0, value: $0.1) }, reaching: target).map { $0 / Double(steps) }
}

let bertAFinal = curves[0].map { $0.last?.1 ?? .nan }

try book.cell("final losses and the steps ratio") { cell in
    var rows = [["unigram baseline (ignores context)", String(format: "%.3f", unigramBaseline), "", ""]]
    rows += variants.indices.map { v in
        let finals = curves[v].map { Double($0.last?.1 ?? .nan) }
        let ratios = zip(curves[v], bertAFinal).map { stepsRatio($0, reaching: $1) }
        let ratioText = v == 0 ? "1 (by definition)"
            : ratios.contains(nil) ? "not reached in \(ratios.filter { $0 == nil }.count) of \(ratios.count) seeds"
                + (ratios.compactMap { $0 }.isEmpty ? "" : "; others " + meanAndSpread(ratios.compactMap { $0 }))
            : meanAndSpread(ratios.map { $0! })
        return [variants[v].name, meanAndSpread(finals), finals.map { String(format: "%.3f", $0) }.joined(separator: ", "), ratioText]
    }
    cell.table(["model", "final validation loss", "per seed", "updates to BERT-A's final loss ÷ BERT-A's updates"], rows: rows,
               caption: "\(steps) updates (warm-up \(warmup)), preset \(presetName), seeds \(seeds.map(String.init).joined(separator: ", ")); "
                   + "validation every \(validationInterval) updates (\(String(format: "%.1f", 100 * Double(validationInterval) / Double(steps)))% of the run), "
                   + "crossings interpolated between validations. A masked-LM-loss ratio, not the paper's GLUE ratio (≈ 0.3).")
    for (s, seed) in seeds.enumerated() {
        let final = bertAFinal[s]
        cell.print(final < unigramBaseline
            ? String(format: "Seed %d: BERT-A ends %.3f nats below the unigram baseline — it reads context.", Int(seed), unigramBaseline - final)
            : String(format: "Seed %d: BERT-A ends %.3f nats above the unigram baseline: it has not left the plateau, so the "
                     + "ratios below measure who leaves the plateau first, not who models language better.%@",
                     Int(seed), final - unigramBaseline, quick ? " (A --quick run is far too short.)" : ""))
        for v in 2..<4 {
            cell.print(stepsRatio(curves[v][s], reaching: final).map {
                String(format: "  %@ reaches BERT-A's final loss after %.2f of the updates (masked-LM loss; the paper's GLUE ratio ≈ 0.3)",
                       variants[v].name, $0)
            } ?? "  \(variants[v].name) never reaches BERT-A's final loss in this run")
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
    chart.addReferenceLine("unigram baseline", y: Double(unigramBaseline))
    try cell.figure("validation-loss", svg: chart.svg,
                    caption: "Validation masked-LM loss of the four models (mean over \(seeds.count) seed(s)), identical data, seeds and budgets, with the unigram baseline.")
}

book.cell("what our miniature shows") { cell in
    for v in 1..<4 {
        let wins = zip(curves[v], bertAFinal).filter { ($0.0.last?.1 ?? .infinity) < $0.1 }.count
        let margins = zip(curves[v], bertAFinal).map { Double($0.1 - ($0.0.last?.1 ?? .nan)) }
        cell.print("\(variants[v].name) − BERT-A, final validation loss: \(signedDifference(margins.map { -$0 })) nats "
                   + "(lower than BERT-A in \(wins) of \(seeds.count) seed(s)).")
    }
    if seeds.count == 1 {
        cell.print("One seed shows no spread: run `swift run -c release chapter3 --seeds 3` (about three times as long) "
                   + "to see whether these gaps are larger than the seed-to-seed noise.")
    }
    cell.print("""
        The paper's claims are about BERT-base after up to a million updates; these are \(steps) updates of a \
        \(modelConfiguration.layers)-layer, H=\(modelConfiguration.hiddenSize) model on a small corpus. Whatever \
        the numbers above say, they say it about this miniature only\(quick ? ", and a --quick run says nothing at all" : "").
        """)
}

book.prose("""
    ## The same models, fine-tuned

    The paper's verdict is GLUE, not masked-LM loss. Tenfold's yardstick is mini-GLUE: five
    small tasks built from public-domain text that pre-training never reads (word order,
    paraphrase, definition, continuation, graded similarity; Sources/Finetuning/Resources/
    mini-glue/README.md), each model's encoder fine-tuned with a fresh head on every task.
    TUPE's Table 1 at BERT-base for comparison: BERT-A 82.96, BERT-R 83.66, TUPE-A 84.47,
    TUPE-R 85.04 (GLUE dev average).
    """)

try book.cell("mini-GLUE") { cell in
    guard options.evaluate else {
        cell.print("Not run by default (several more minutes: each model is fine-tuned on five tasks): `swift run -c release chapter3 --evaluate` "
                   + "fine-tunes the four seed-\(options.seed) models on every mini-GLUE task and prints the table here.")
        return
    }
    let suite = MiniGLUESuite.chapter(quick: quick)
    let reports = try cell.miniGLUE(variants.map { ($0.name, runFolder($0, seed: seeds[0]).appendingPathComponent("checkpoint.safetensors")) },
                                    suite: suite)
    let averages = reports.map(\.average)
    let spread = (averages.max() ?? 0) - (averages.min() ?? 0)
    cell.print(String(format: "Tenfold scores: %@. The four models lie within %.1f points of each other.",
                      zip(variants, averages).map { String(format: "%@ %.1f", $0.name, $1) }.joined(separator: ", "), spread))
    let chance = suite.chanceAverage
    cell.print(averages.allSatisfy { $0 < chance + 5 }
        ? String(format: "No model is 5 points above chance (%.1f, the best constant answer averaged over the tasks): at this scale pre-training has "
                 + "not produced features that fine-tuning can use, so mini-GLUE cannot rank the position schemes here. "
                 + "The paper's gaps (about 2 GLUE points) come from BERT-base after 1M updates.", chance)
        : String(format: "Chance, the best constant answer averaged over the tasks, is %.1f; a gap between models smaller than the seed-to-seed spread "
                 + "(run with more fine-tuning seeds to see it) is not evidence either way.", chance))
}

book.prose("""
    ## What we have

    TUPE-A and TUPE-R as position schemes (`UntiedPositions` in Sources/UntiedAttention):
    no positions in the input, 1/√(2D) on both terms, one positional term per forward pass
    shared by every layer, [CLS] untied; BERT-R as the relative baseline; T5's buckets; and
    a PyTorch reference that matches logits, loss and gradients. Every variant trains with
    `tenfold train --model bert-a|bert-r|tupe-a|tupe-r`, predicts with `tenfold predict`, and
    is fine-tuned with `tenfold evaluate`.

    A later chapter leaves positions alone and changes what the model reads: notes on rare
    words.
    """)

book.prose("""
    ## Exercises

    Build TUPE's pieces yourself, in `Exercises/chapter3/`:

    - **3.1** T5's relative-position bucket — `make exercise N=3.1`
    - **3.2** the untied positional term with the [CLS] reset — `make exercise N=3.2`
    - **3.3** TUPE-A's logits: content at 1/√(2D) plus the positional term — `make exercise N=3.3`
    """)
}
