// Chapter 2 — The expanded four-term attention, computed and measured.
//
// Run it with `make chapter2` (or `swift run chapter2`); `--quick` finishes in seconds, and
// `--checkpoint out/chapter1/run/checkpoint.safetensors` studies chapter 1's model instead
// of training a new one. Everything it draws and records lands in out/chapter2/.
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

runChapter(2, title: "The expanded four-term attention, computed and measured") { book, options in

book.prose("""
    Chapter 1 gave BERT-A its sense of order in one line: the first layer reads
    x¹ᵢ = LN(wᵢ + pᵢ), a word embedding plus the embedding of the position it sits at.
    Everything the model knows about order has to get through that sum. This chapter opens
    the first layer's attention logits and looks at what the sum does there — the argument
    that starts TUPE (Ke, He and Liu, ICLR 2021, §3.1).

    ## Four terms in one product

    Ignore the LayerNorm for a moment, as the paper does. One head's logit is then

        αᵢⱼ = ((wᵢ + pᵢ)W^Q)((wⱼ + pⱼ)W^K)ᵀ / √D
            = (wᵢW^Q)(wⱼW^K)ᵀ/√D      word → word
            + (wᵢW^Q)(pⱼW^K)ᵀ/√D      word → position
            + (pᵢW^Q)(wⱼW^K)ᵀ/√D      position → word
            + (pᵢW^Q)(pⱼW^K)ᵀ/√D      position → position

    The paper's two complaints: the middle two terms correlate a word with an absolute
    index — why should "cat" care whether it sits at position 7 or 41 of a packed
    sequence? — and the outer two use the same W^Q, W^K for two unrelated kinds of thing,
    meaning and place.

    ## Keeping the LayerNorm, exactly

    The real model has a LayerNorm in the way, and LN is not linear. It is affine once the
    row's spread is fixed, though. With s = w + p and, per token, μ = mean(s),
    σ = √(mean((s − μ)²) + ε), the mean splits (μ = μ_w + μ_p) and so does the whole map:

        LN(w + p) = γ ⊙ (s − μ)/σ + β
                  = [γ ⊙ (w − μ_w)/σ + β]  +  [γ ⊙ (p − μ_p)/σ]
                       ω, the word part          π, the position part

    β belongs to neither; we give it to the word part, and likewise the query and key
    biases b^Q, b^K: whatever is not a position counts as content. The one impurity is σ:
    each token's spread depends on its word *and* its position, and both parts are divided
    by it. With ω and π the four terms are exact:

        αᵢⱼ = (ωᵢW^Q + b^Q)(ωⱼW^K + b^K)ᵀ/√D + (ωᵢW^Q + b^Q)(πⱼW^K)ᵀ/√D
            + (πᵢW^Q)(ωⱼW^K + b^K)ᵀ/√D       + (πᵢW^Q)(πⱼW^K)ᵀ/√D

    Here is that computation on three tokens, drawn as a graph with one box per branch,
    and checked against the model's own fused LayerNorm path.
    """)

try book.cell("four terms on three tokens") { cell in
    var rng = SeededGenerator(seed: options.seed)
    let store = ParameterStore(seed: options.seed)
    let attention = MultiHeadAttention(store, "layer 1", hidden: 4, heads: 1, dropout: 0, std: 0.5)
    let w = Variable(Tensor.normal([1, 3, 4], using: &rng), name: "w", role: .parameter, label: "w (words)")   // [B, T, H]
    let p = Variable(Tensor.normal([3, 4], using: &rng), name: "p", role: .parameter, label: "p (positions)")  // [T, H]
    let gamma = Variable(Tensor.ones([4]), name: "γ", role: .parameter), beta = Variable(Tensor.zeros([4]), name: "β", role: .parameter)
    let (ω, π) = splitLayerNorm(words: w, positions: p, gamma: gamma, beta: beta, epsilon: 1e-12)  // [1, 3, 4] each
    ω.label = "ω (word part)"; ω.group = "word part"
    π.label = "π (position part)"; π.group = "position part"
    let scale: Float = 1 / 2                                                   // 1/√D, D = 4
    let terms = fourTerms(word: ω, position: π, attention: attention, scale: scale)   // [1, 1, 3, 3] each
    let α = terms.total
    α.label = "α = sum of the four terms"
    for (name, term) in terms.named { cell.show(term.value.reshaped([3, 3]), name: name) }
    cell.show(α.value.reshaped([3, 3]), name: "α (their sum)")

    // The model's own path: fused LayerNorm of w + p, then one product.
    let x = layerNorm(w + p, gamma: gamma, beta: beta)
    let logits = matmul(splitHeads(attention.query(x), heads: 1), splitHeads(attention.key(x), heads: 1),
                        transposeB: true, alpha: scale)
    let gap = zip(α.value.scalars, logits.value.scalars).map { abs($0 - $1) }.max()!
    cell.print("max |Σ terms − (x¹W^Q + b^Q)(x¹W^K + b^K)ᵀ/√D| = \(gap)")

    let graph = α.computationGraph().inheritingGroups()
    try cell.figure("expanded-attention", graph: graph,
                    options: GraphDiagramOptions(direction: .topToBottom, groupStyle: .clusters,
                                                 title: "Layer-1 attention logits as four terms", showsLegend: true),
                    caption: "The expanded attention: w and p split through the LayerNorm into ω and π, each projected by the same W^Q, W^K, and the four products summed.")

    // The new operations' backward passes against finite differences.
    let check = gradcheck(inputs: [w.value, p.value, attention.query.weight.value, attention.key.weight.value],
                          epsilon: 1e-3, using: &rng) { v in
        let (ω, π) = splitLayerNorm(words: v[0], positions: v[1], gamma: gamma, beta: beta, epsilon: 1e-12)
        return fourTerms(word: ω, position: π, query: Linear(weight: v[2], bias: attention.query.bias),
                         key: Linear(weight: v[3], bias: attention.key.bias), heads: 1, scale: scale).total
    }
    cell.print("backward vs finite differences: \(check.verdict())")
}

book.prose("""
    ## A BERT-A to take apart

    The expansion only means something on a trained model: at initialisation every
    embedding is noise. By default the chapter trains its own BERT-A exactly as chapter 1
    does (the `chapter` preset: L=2, H=128, A=2, T=64, the same optimiser and seeds), but
    for 300 updates instead of 600 so that the chapter, which trains a second model below,
    stays within a few minutes; `--steps 600` gives chapter 1's model bit for bit.
    Or give it `--checkpoint` with a BERT-A checkpoint from chapter 1 or `tenfold train` to
    study that model instead.
    """)

let quick = options.quick
let corpus = try Corpus.load(options.corpus)
let tokenizer = try WordPieceTokenizer.embedded()
let trainingCorpus = options.trainingCorpus(corpus)
let presetName = options.presetName
var modelConfiguration = ModelConfiguration.preset(presetName, vocabularySize: tokenizer.vocabulary.count)!
if presetName == "chapter" { modelConfiguration.maxSequenceLength = 64 }
let steps = options.steps ?? (quick ? 8 : 300)

/// The chapter's run settings for one position scheme: identical apart from it.
func runConfiguration(_ positions: String) -> RunConfiguration {
    // Chapter 1's optimiser: a long warm-up is what lets post-LN leave the unigram plateau.
    var training = TrainingSettings(steps: steps, peakLearningRate: 2e-3, warmupSteps: max(1, min(100, steps / 4)),
                                    validationInterval: max(1, steps / 10), checkpointInterval: steps, seed: options.seed)
    training.maxGradientNorm = 1
    var model = modelConfiguration
    model.positions = positions
    return RunConfiguration(model: model, training: training, batchSize: quick ? 8 : 32,
                            dataSeed: options.seed &+ 1, corpus: options.corpus)
}

func train(_ run: PretrainingRun) throws {
    try run.train(progress: ProgressReporter(totalSteps: steps, logInterval: max(1, steps / 6)))
}

/// A BERT-A rebuilt from a checkpoint, with validation data from this chapter's corpus.
func loadBertA(_ path: String) throws -> PretrainingRun {
    let url = URL(fileURLWithPath: path)
    guard FileManager.default.fileExists(atPath: url.path) else {
        throw ConfigurationError(message: "no checkpoint at \(path) (train one with `swift run chapter1` or `tenfold train`)")
    }
    let checkpoint = try Checkpoint(contentsOf: url)
    let saved = try checkpoint.config(as: RunConfiguration.self)
    guard saved.model.positions == AbsolutePositions.name else { throw ExpansionError.notAbsolutePositions(saved.model.positions) }
    let vocabulary = try Vocabulary(tokens: checkpoint.vocabularyTokens(), origin: path)
    let run = try PretrainingRun(configuration: saved, registry: .standard, corpus: trainingCorpus,
                                 tokenizer: WordPieceTokenizer(vocabulary: vocabulary), outputDirectory: nil)
    try checkpoint.check(matching: run.model.parameters.shapes, file: path)
    run.model.parameters.load(checkpoint.parameters)
    return run
}

let bertA = try book.cell("the BERT-A under study") { cell -> PretrainingRun in
    if let path = options.checkpoint {
        let run = try loadBertA(path)
        let m = run.configuration.model
        cell.print("loaded \(path): L=\(m.layers) H=\(m.hiddenSize) A=\(m.heads) T=\(m.maxSequenceLength), trained for \(run.configuration.training.steps) updates")
        cell.print(String(format: "validation loss %.3f (unigram baseline %.3f)", run.trainer.validationLoss(), run.unigramBaseline))
        return run
    }
    let run = try PretrainingRun(configuration: runConfiguration(AbsolutePositions.name), registry: .standard,
                                 corpus: trainingCorpus, tokenizer: tokenizer,
                                 outputDirectory: book.outputDirectory.appendingPathComponent("bert-a"))
    try train(run)
    cell.print(String(format: "BERT-A after %d updates: validation loss %.3f (unigram baseline %.3f)",
                      steps, run.trainer.history.last?.validationLoss ?? .nan, run.unigramBaseline))
    return run
}

book.prose("""
    ## The four terms of the trained model, measured

    Now the same expansion on the trained model's first layer, over validation sequences
    it never trained on (as the model reads them: 15% of their tokens masked). First the
    check that the four terms really are the logits, then two numbers per term:

    - **position share**: the fraction of the term's variance explained by the position pair
      (i, j) alone — the variance of its average at each (i, j) over the total (the law of
      total variance, per head, pooled over heads). What is left, the **word share**, is the
      variance at fixed positions, which only the words sitting there can cause. A term
      made only of noise would still show a position share of about 1/n for n sequences.
    - **size**: the term's root-mean-square over that of the full logits, and the same after
      removing each query row's mean over j — softmax over j cannot see a row's constant,
      so that second number is the size that can change where a token looks.
    """)

let measurements = try book.cell("the four terms of layer 1") { cell -> [TermSummary] in
    let model = bertA.model
    let T = model.config.maxSequenceLength, A = model.config.heads
    var statistics = FourTermStatistics(heads: A, length: T)
    var largestAbsolute: Float = 0, largestRelative: Float = 0
    let batches = bertA.data.validationBatches.filter { $0.input.length == T }.prefix(quick ? 2 : 8)
    for batch in batches {
        let expansion = try expandLayerOne(model.encoder, batch.input)
        largestAbsolute = max(largestAbsolute, expansion.maxAbsoluteError)
        largestRelative = max(largestRelative, expansion.relativeError)
        statistics.add(expansion, lengths: batch.input.lengths)
    }
    cell.print("sum check over \(statistics.sequences) sequences: max |Σ terms − logits| = \(largestAbsolute), relative to max |logits|: \(largestRelative)")
    let summaries = statistics.summaries
    let logits = summaries[4]
    cell.table(["term", "position share", "word share", "RMS / RMS(logits)", "row-centred RMS / logits'"],
               rows: summaries.map { s in
                   [s.name, String(format: "%.3f", s.positionShare), String(format: "%.3f", s.wordShare),
                    String(format: "%.3f", s.rms / logits.rms), String(format: "%.3f", s.rowCentredRMS / logits.rowCentredRMS)]
               },
               caption: "Layer 1, \(A) heads, \(statistics.sequences) validation sequences of up to \(T) tokens (at least \(statistics.fewestSequencesPerCell) per position pair)")

    let names = summaries.prefix(4).map(\.name)
    func panels(_ summary: TermSummary, head h: Int) throws -> Heatmap {
        try Heatmap(values: Array(summary.meanMap[(h * T * T)..<((h + 1) * T * T)]), rows: T, columns: T,
                    title: A > 1 ? "head \(h + 1): \(summary.name)" : summary.name,
                    xLabel: "key position j", yLabel: "query position i", colourScale: .diverging)
    }
    let maps = try (0..<A).flatMap { h in try summaries.prefix(4).map { try panels($0, head: h) } }
    // What TUPE's Figure 2 shows for BERT-base: a bright band along the diagonal of
    // position → position, and cross terms with no structure. Whether this model shows the band:
    let band = summaries[3].diagonalContrast(heads: A, length: T)
    let shown = quick && options.checkpoint == nil ? "A --quick model has trained for \(steps) updates: these maps are mostly its initialisation noise, not structure."
        : band > 0.5 ? String(format: "This model shows the band (diagonal contrast %.2f: entries with |i − j| ≤ 2 stand %.2f row-centred RMS above the rest of their rows).", band, band)
        : String(format: "This model shows no clear band (diagonal contrast %.2f, where a clear band stands above 0.5).", band)
    try cell.figure("four-terms", svg: HeatmapGrid(maps, columns: 4, title: "Layer-1 logit terms, averaged over \(statistics.sequences) sequences",
                                                   colourBarLabel: "logit").svg,
                    caption: "The four terms (\(names.joined(separator: ", "))) averaged over \(statistics.sequences) validation sequences, one row per head, on one colour scale. "
                        + "What to look for, from TUPE's Figure 2 (BERT-base): a bright diagonal band in position → position — tokens attend to their neighbours — and cross terms with no structure. "
                        + shown)
    try cell.figure("four-terms-own-scales", svg: HeatmapGrid(maps, columns: 4, title: "The same, each panel on its own scale",
                                                              sharesColourScale: false).svg,
                    caption: "The same averages, each on its own colour scale, to show the structure of the small terms.")
    return summaries
}

book.cell("what our miniature shows") { cell in
    let s = measurements, logits = s[4]
    let cross = [s[1], s[2]]
    let ratio = { (t: TermSummary) in t.rowCentredRMS / logits.rowCentredRMS }
    cell.print(String(format: "word → word: %.0f%% of its variance is the words; softmax-visible size %.2f of the logits'.",
                      100 * s[0].wordShare, ratio(s[0])))
    cell.print(String(format: "position → position: %.0f%% of its variance is the position pair; size %.2f.",
                      100 * s[3].positionShare, ratio(s[3])))
    for term in cross {
        cell.print(String(format: "%@: %.0f%% position, %.0f%% word; size %.2f of the logits'.",
                          term.name, 100 * term.positionShare, 100 * term.wordShare, ratio(term)))
    }
    // TUPE's claim, in our two numbers: a cross term is "noise" if it is small next to the
    // logits where softmax can see it. 0.25 (a sixteenth of the logits' variance) is our line.
    let noiseLine = 0.25
    for term in cross {
        cell.print(ratio(term) < noiseLine
                   ? String(format: "%@ is small (%.2f < %.2f of the logits'): close to TUPE's picture of a term that adds little.",
                            term.name, ratio(term), noiseLine)
                   : String(format: "%@ is not small (%.2f of the logits', %.1f× position → position), and %.0f%% of its "
                            + "variance is which words sit there rather than where: this miniature does not show it as negligible noise.",
                            term.name, ratio(term), ratio(term) / max(ratio(s[3]), 1e-9), 100 * term.wordShare))
    }
    cell.print(String(format: "Over all four terms, the position pair explains %.0f%% of the variance of layer 1's logits.",
                      100 * logits.positionShare))
}

book.prose("""
    ## BERT-A^d: four terms, two kinds of projection

    If the trouble is that positions borrow the words' W^Q and W^K, give them their own.
    TUPE's ablation (Table 1) trains exactly that variant: all four terms kept, positions
    projected by separate U^Q, U^K, scaled by 1/√(4D) because four unit-size terms now add
    up. It scores 83.64 on GLUE against BERT-A's 82.96 at BERT-base scale. Our reading,
    which we call BERT-A^d: positions leave the input (x¹ᵢ = LN(wᵢ)) and enter *every*
    layer's queries and keys,

        αᵢⱼ = (xᵢW^Q + p̂ᵢU^Q)(xⱼW^K + p̂ⱼU^K)ᵀ / √(4D),     p̂ = LN(p)

    with U^Q, U^K (with biases) shared by all layers, as TUPE shares them. Multiplied out it
    is the four-term sum again — word → word, word → position, position → word,
    position → position — but with untied projections and in every layer. Drop the two
    middle terms and use 1/√(2D) and you have TUPE-A, chapter 3. (The paper's exact
    wording of the ablation leaves room; this is our reading of its §3 and Table 1.)

    In code it is one more duty of the positions seam: `p̂U^Q` and `p̂U^K` are computed
    once per forward pass and added to every layer's queries and keys
    (`UntiedFourTermPositions` in Sources/ExpandedAttention). Same data, same seeds, same
    optimiser, same number of updates:
    """)

try book.cell("BERT-A vs BERT-A^d") { cell in
    let baseline: PretrainingRun
    if options.checkpoint == nil {
        baseline = bertA
    } else {
        // A loaded checkpoint was trained elsewhere; compare like with like.
        baseline = try PretrainingRun(configuration: runConfiguration(AbsolutePositions.name), registry: .standard,
                                      corpus: trainingCorpus, tokenizer: tokenizer,
                                      outputDirectory: book.outputDirectory.appendingPathComponent("bert-a"))
        try train(baseline)
    }
    let untied = try PretrainingRun(configuration: runConfiguration(UntiedFourTermPositions.name),
                                    registry: .standard, corpus: trainingCorpus,
                                    tokenizer: tokenizer, outputDirectory: book.outputDirectory.appendingPathComponent("bert-ad"))
    try train(untied)
    let runs = [("BERT-A", baseline), ("BERT-A^d", untied)]
    cell.table(["model", "parameters", "validation loss", "best validation loss", "tokens/s"], rows: runs.map { name, run in
        let validated = run.trainer.history.compactMap(\.validationLoss)
        return [name, "\(run.model.parameters.scalarCount)", String(format: "%.3f", validated.last ?? .nan),
                String(format: "%.3f", validated.min() ?? .nan), String(format: "%.0f", run.trainer.history.last?.tokensPerSecond ?? 0)]
    }, caption: "\(steps) updates of B=\(baseline.configuration.batchSize), T=\(modelConfiguration.maxSequenceLength), seed \(options.seed); unigram baseline \(String(format: "%.3f", baseline.unigramBaseline))")
    var chart = LineChart(title: "BERT-A vs BERT-A^d", xLabel: "update", yLabel: "cross-entropy (nats)")
    for (index, (name, run)) in runs.enumerated() {
        let history = run.trainer.history
        let validated = history.filter { $0.validationLoss != nil }
        chart.add(.init("\(name) validation", x: validated.map { Double($0.step) }, y: validated.map { $0.validationLoss! },
                        colour: Palette.categorical(index)))
        chart.add(.init("\(name) training", x: history.map { Double($0.step) }, y: history.map(\.loss),
                        colour: Palette.categorical(index), dashed: true))
    }
    chart.addReferenceLine("unigram baseline", y: Double(baseline.unigramBaseline))
    try cell.figure("bert-a-vs-bert-ad", svg: chart.svg,
                    caption: "Masked-LM loss of BERT-A and BERT-A^d, trained with the same data, seeds and optimiser.")
}

book.prose("""
    ## What we have

    The first layer's logits of BERT-A, taken apart into four terms that sum back to them
    to float rounding, LayerNorm and biases included; measurements of how much of each term
    is position and how much is word, and how large each is where softmax can see it; and a
    BERT-A^d that gives positions their own projections. One run of a miniature on one seed
    is a hint, not a result: `--steps`, `--seed` and `--checkpoint` let you test how stable
    it is. TUPE's claim is about BERT-base after a million updates; what our numbers say
    about a two-layer model after a few hundred is printed above, whichever way it goes.

    Chapter 3 takes the last step: drop the cross terms and untie [CLS] — TUPE.
    """)

book.prose("""
    ## Exercises

    Build what this chapter measured, in `Exercises/chapter2/`:

    - **2.1** LN(w + p) split exactly into ω and π — `make exercise N=2.1`
    - **2.2** the four terms of attention, and their sum = the full logits — `make exercise N=2.2`
    - **2.3** the position share of a term's variance (the law of total variance) — `make exercise N=2.3`
    """)
}
