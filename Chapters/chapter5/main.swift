// Chapter 5 — From ELECTRA's true-or-false to MC-BERT's multiple choice.
//
// Run it with `swift run chapter5`; `--quick` finishes in seconds, `--seeds 3` trains every
// model with three seeds, `--evaluate` fine-tunes them on mini-GLUE (at equal updates and at
// equal training FLOPs). Everything it draws and records lands in out/chapter5/.
import Foundation
import Tensors
import Autograd
import Diagrams
import Text
import Notebook
import Transformer
import BertBaseline
import MetaController
import Finetuning
import Catalog

runChapter(5, title: "From ELECTRA's true-or-false to MC-BERT's multiple choice") { book, options in

book.prose("""
    Chapters 1–4 kept BERT's question: here is a sentence with blanks, which of the V words of
    the vocabulary goes in each? That is a hard exam question — an open question with
    8 192 possible answers in our miniature, 30 522 in BERT — and it is asked about only
    15% of the tokens: the other 85% teach the model nothing directly. The third seam changes
    the question.

    **ELECTRA** (Clark et al., ICLR 2020) turns it into true-or-false: a small *generator*
    fills the blanks with plausible words, and the main model, the *discriminator*, says for
    every token whether it is the original. Every token is a question now, and the questions
    get harder as the generator improves.

    **MC-BERT** (Xu et al., 2020) turns it into multiple choice: a small *meta controller*
    corrupts the input and proposes K = 10 candidates for every token — "none of the above"
    and nine words it finds plausible, the original among them when the token was replaced —
    and the main model picks one. An ABCD question sits between the open question and
    true-or-false: richer than yes/no, far easier than V-way. As the controller learns, its
    distractors move from random words to near misses: a curriculum nobody schedules.

    A popular article about these methods claims MC-BERT is "80% faster" and needs "20% of
    the compute" to match BERT; that figure appears in no primary source we found
    (Docs/Methods/ELECTRA-MC-BERT.md), so we quote it only as the article's and measure.
    Neither objective has a masked-LM loss to compare with BERT's: the yardstick is
    fine-tuning (mini-GLUE).

    ## The two objectives

    ELECTRA, with the generator G reading the masked input x̃ and the discriminator D reading
    x̂, x̃ with each [MASK] replaced by a sample of G (under a stop gradient; a sample equal to
    the original counts as original):

        ℒ = ℒ_MLM(G) + λ · mean over real tokens of BCE(D(x̂)ᵢ, [x̂ᵢ ≠ xᵢ]),     λ = 50

    MC-BERT, with the controller C reading x̃ (all 15% masked) and K samples per position:

        candidates(i) = ([NOTA], original if replaced else sample₁, sample₂, …, sample_{K−1})
        label(i)      = 1 if x̂ᵢ ≠ xᵢ else 0        (the slot of the right answer)
        score(i, c)   = hᵢ · E[c] + b_c             (the shared table: no V-way softmax)
        ℒ = ℒ_MLM(C) + λ · mean over real tokens of CE(score(i, ·), label(i)),     λ = 50

    Both helpers have the main model's depth and read the main model's word table through a
    projection (Sources/MetaController). Their width follows the official codes: a third of
    the main model's, in whole 64-wide heads — 256 at BERT-base's 768. A miniature is too
    narrow for that rule, so the helper keeps one whole head: 64 wide beside this chapter's
    128-wide main model, half its width (the FLOPs table below prints each helper's width).
    """)

let quick = options.quick
let corpus = try Corpus.load(options.corpus)
let tokenizer = try WordPieceTokenizer.embedded()
let trainingCorpus = options.trainingCorpus(corpus)
let presetName = options.presetName
let modelConfiguration = ModelConfiguration.preset(presetName, vocabularySize: tokenizer.vocabulary.count)!
let vocabulary = tokenizer.vocabulary

try book.cell("the objectives as graphs") { cell in
    // One tiny model per objective on one sequence; the samples are drawn outside the graph.
    let config = ModelConfiguration(vocabularySize: vocabulary.count, hiddenSize: 8, layers: 1, heads: 2,
                                    feedForwardSize: 8, maxSequenceLength: 8, dropout: 0, initializerStd: 0.5)
    let ids: [Int32] = [vocabulary.clsId] + tokenizer.ids("the cat sat on the mat") + [vocabulary.sepId]
    let input = ModelInput(ids: ids.enumerated().map { $0.offset == 2 ? vocabulary.maskId : $0.element }, batchSize: 1,
                           length: ids.count, lengths: [ids.count], maskedPositions: [2], maskedOriginals: [ids[2]])
    let batch = TrainingBatch(input: input, targets: MaskedTargets(positions: [2], labels: [ids[2]]))
    for name in [ELECTRA.name, MCBERT.name] {
        var c = config
        c.objective = name
        let model = try ModelRegistry.standard.makeModel(c, seed: options.seed)
        var sampling = SeededGenerator(seed: options.seed)
        var noDropout: SeededGenerator? = nil
        let output = model.loss(batch, dropout: &noDropout, sampling: &sampling)
        output.loss.label = "\(name) loss"
        let graph = output.loss.computationGraph()
        try cell.figure("\(name)-graph", graph: graph,
                        options: GraphDiagramOptions(direction: .topToBottom, title: "\(name): one step", showsLegend: true),
                        caption: name == ELECTRA.name
                            ? "ELECTRA. The generator reads the masked input through a projection of the shared table; the discriminator reads the sampled tokens — constants: no edge crosses the sampling step, so the discriminator's loss reaches the generator only through the shared table."
                            : "MC-BERT. The controller's masked-LM loss on one side, the main model's K-way choice on the other; the candidates are ids sampled outside the graph, scored against the same table (candidateScores) and the [NOTA] row.")
        let nodes = graph.nodes.filter { $0.role == .operation }.count
        cell.print("\(name): \(nodes) operations, \(model.parameters.scalarCount) parameters in the tiny model (helper width \(name == ELECTRA.name ? (model.objective as! ELECTRA).generator.config.hiddenSize : (model.objective as! MCBERT).controller.config.hiddenSize))")
    }
}

// MARK: The experiment

let steps = options.steps ?? (quick ? 8 : 400)
let warmup = max(1, min(100, steps / 4))
let seeds = (0..<(options.seeds ?? 1)).map { options.seed &+ UInt64($0) }
let batchSize = quick ? 8 : 32
let snapshots = quick ? [2, 4, 8] : [steps / 10, steps / 2, steps]

struct Method { let name: String; let objective: String }
let methods = [
    Method(name: "BERT-A (MLM)", objective: MaskedLanguageModeling.name),
    Method(name: "ELECTRA", objective: ELECTRA.name),
    Method(name: "MC-BERT", objective: MCBERT.name),
]

func runConfiguration(_ method: Method, seed: UInt64, steps: Int) -> RunConfiguration {
    var training = TrainingSettings(steps: steps, peakLearningRate: 2e-3, warmupSteps: warmup,
                                    validationInterval: max(1, steps / 8), checkpointInterval: steps, seed: seed)
    training.maxGradientNorm = 1
    var model = modelConfiguration
    model.objective = method.objective
    return RunConfiguration(model: model, training: training, batchSize: batchSize, dataSeed: seed &+ 1,
                            corpus: options.corpus)
}

func runFolder(_ method: Method, seed: UInt64, tag: String = "") -> URL {
    book.outputDirectory.appendingPathComponent("\(method.objective)\(tag)-seed\(seed)")
}

try book.cell("FLOPs per update") { cell in
    let picked = Int((0.15 * Double(modelConfiguration.maxSequenceLength - 2)).rounded()) * batchSize
    cell.table(["method", "helper width", "GFLOP per update", "× BERT-A's"], rows: try methods.map { method in
        let config = runConfiguration(method, seed: 1, steps: steps).model
        let flops = try TrainingFLOPs(config, batchSize: batchSize, length: config.maxSequenceLength, predictions: picked)
        let bert = try TrainingFLOPs(runConfiguration(methods[0], seed: 1, steps: steps).model, batchSize: batchSize,
                                     length: config.maxSequenceLength, predictions: picked)
        let width = method.objective == MaskedLanguageModeling.name ? "—"
            : "\(try SmallMaskedLanguageModel.configuration(for: config).hiddenSize)"
        return [method.name, width, String(format: "%.2f", flops.total / 1e9), String(format: "%.2f", flops.total / bert.total)]
    }, caption: "Preset \(presetName), B = \(batchSize), T = \(modelConfiguration.maxSequenceLength), \(picked) picked positions per batch; matrix products only, backward = 2 × forward (TrainingFLOPs).")
}

book.prose("""
    ## The experiment

    The three objectives with identical data, seeds, optimiser and number of updates
    (\(steps), warm-up \(warmup)), all on BERT-A's positions. Their losses measure different
    things, so we watch each objective's own vital signs and compare them where they can be
    compared: fine-tuned on mini-GLUE (`--evaluate`), at equal updates and at equal training
    FLOPs.
    """)

/// Per method and seed: every update's metrics; the runs of the last seed; candidate sets.
let (histories, _, curriculum) = try book.cell("training the three models") { cell -> ([[[StepMetrics]]], [PretrainingRun], [String]) in
    let started = Date()
    var histories: [[[StepMetrics]]] = [], lastRuns: [PretrainingRun] = [], curriculum: [String] = []
    for method in methods {
        var perSeed: [[StepMetrics]] = []
        for seed in seeds {
            let run = try PretrainingRun(configuration: runConfiguration(method, seed: seed, steps: steps), registry: .standard,
                                         corpus: trainingCorpus, tokenizer: tokenizer, outputDirectory: runFolder(method, seed: seed))
            print("\(method.name), seed \(seed):")
            let progress = ProgressReporter(totalSteps: steps, logInterval: max(1, steps / 4))
            for stop in snapshots {
                try run.train(progress: progress, until: stop)
                if method.objective == MCBERT.name && seed == seeds[0] {
                    curriculum.append(try candidateSets(run, after: stop))
                }
            }
            perSeed.append(run.trainer.history)
            let last = run.trainer.history.last!
            let shown = ["mlm", "replace_rate", "discriminator_accuracy", "main_accuracy"].compactMap { key in
                last.validationMetrics?[key].map { String(format: "%@ %.3f", key, $0) }
            }
            cell.print("\(method.name) seed \(seed): validation " + shown.joined(separator: ", ")
                       + String(format: ", %.0f tokens/s", last.tokensPerSecond))
            if seed == seeds.last { lastRuns.append(run) }
        }
        histories.append(perSeed)
    }
    cell.print(String(format: "%d runs of %d updates in %.0f s", methods.count * seeds.count, steps, Date().timeIntervalSince(started)))
    return (histories, lastRuns, curriculum)
}

/// MC-BERT's questions for the first validation sentence: the controller's samples at a few
/// positions, and the candidates the main model chooses among.
func candidateSets(_ run: PretrainingRun, after step: Int) throws -> String {
    let objective = run.model.objective as! MCBERT
    let batch = run.data.validationBatches[0]
    let input = batch.input
    let length = input.lengths[0]
    let positions = batch.targets.positions.filter { Int($0) < length }.prefix(3)
    guard !positions.isEmpty else { return "" }
    let K = objective.settings.candidates
    var noDropout: SeededGenerator? = nil
    return Gradients.withoutRecording {
        let hidden = objective.controller.encoder(input, rng: &noDropout).hidden
        let logits = objective.controller.logits(hidden, at: Array(positions))
        var rng = SeededGenerator(seed: SeededGenerator.mix(options.seed, UInt64(step)))
        let samples = sampleFromSoftmax(LogitRows(logits.value), perRow: K, using: &rng)
        let original = input.originalIds
        var lines = ["after \(step) updates:"]
        for (m, position) in positions.enumerated() {
            let answer = vocabulary.tokens[Int(original[Int(position)])]
            let proposals = samples[(m * K)..<((m + 1) * K)].map { vocabulary.tokens[Int($0)] }
            let hits = proposals.filter { $0 == answer }.count
            lines.append("  \(answer): " + proposals.joined(separator: ", ")
                         + " — \(hits) of \(K) samples are the original")
        }
        return lines.joined(separator: "\n")
    }
}

try book.cell("the curriculum, made visible") { cell in
    let history = histories[2][0]
    let window = max(1, steps / 20)
    func smoothed(_ key: String) -> [(Double, Double)] {
        let values = history.map { ($0.step, $0.metrics[key]) }
        return stride(from: window, through: values.count, by: max(1, window / 2)).compactMap { end in
            let slice = values[(end - window)..<end].compactMap(\.1)
            return slice.isEmpty ? nil : (Double(values[end - 1].0), Double(slice.reduce(0, +) / Float(slice.count)))
        }
    }
    var chart = LineChart(title: "MC-BERT's curriculum", xLabel: "update", yLabel: "share")
    for (index, (key, label)) in [("replace_rate", "replace rate (samples ≠ original)"),
                                  ("replaced_accuracy", "main model right on replaced tokens"),
                                  ("kept_accuracy", "main model right on kept tokens"),
                                  ("controller_accuracy", "controller's top word = original")].enumerated() {
        let points = smoothed(key)
        chart.add(.init(label, x: points.map(\.0), y: points.map(\.1), colour: Palette.categorical(index)))
    }
    try cell.figure("curriculum", svg: chart.svg,
                    caption: "MC-BERT, seed \(seeds[0]), training batches, moving averages over \(window) updates. What to look for: as the controller learns, more of its samples are the original, so the replace rate falls, and the distractors the main model must reject become plausible words. Whether this run shows it is printed below.")
    for text in curriculum where !text.isEmpty { cell.print(text) }
    /// The mean of one metric over some updates (nil where none recorded it).
    func mean(_ key: String, _ updates: ArraySlice<StepMetrics>) -> Float? {
        let values = updates.compactMap { $0.metrics[key] }
        return values.isEmpty ? nil : values.reduce(0, +) / Float(values.count)
    }
    if let a = mean("replace_rate", history.prefix(window)), let b = mean("replace_rate", history.suffix(window)) {
        cell.print(String(format: "Replace rate: %.2f over the first %d updates, %.2f over the last %d — ", a, window, b, window)
                   + (b < a - 0.02 ? "the controller's samples hit the original more often as it learns: harder questions."
                      : "no clear fall in this run\(quick ? " (a --quick run is far too short)" : "").")
                   + " ELECTRA's replace rate over its last updates: "
                   + String(format: "%.2f.", mean("replace_rate", histories[1][0].suffix(window)) ?? 0))
    }
    // What the main models' accuracies are made of: replaced tokens are a small minority of all
    // tokens, so answering "original" everywhere already scores the share of kept ones.
    if let mcReplaced = mean("replaced_accuracy", history.suffix(window)), let mcKept = mean("kept_accuracy", history.suffix(window)),
       let elReplaced = mean("replaced_accuracy", histories[1][0].suffix(window)),
       let elKept = mean("kept_accuracy", histories[1][0].suffix(window)) {
        cell.print(String(format: "Over the last %d updates MC-BERT's main model picked the original on %.0f%% of the replaced "
                          + "tokens and answered [NOTA] on %.0f%% of the kept ones; ELECTRA's discriminator caught %.0f%% of "
                          + "the replaced tokens and passed %.0f%% of the kept ones. ", window, 100 * mcReplaced, 100 * mcKept,
                          100 * elReplaced, 100 * elKept)
                   + (max(mcReplaced, elReplaced) < 0.05
                      ? "Both answer \"original\" almost everywhere, so their overall accuracies printed above are the share of "
                        + "tokens that were not replaced — a prior, not reading. Telling replaced tokens apart is what the "
                        + "helpers' curriculum is meant to teach; at this size and budget it has not begun."
                      : "Replaced tokens are a small minority, so the overall accuracies printed above lean on the kept ones; "
                        + "these two shares are the ones to watch."))
    }
}

book.prose("""
    ## Fine-tuned: the yardstick

    ELECTRA and MC-BERT's main models are fine-tuned exactly like BERT-A's encoder; the
    generator and the controller are left behind. At equal updates the helpers' work is
    free; at equal training FLOPs BERT-A gets the updates the helpers cost, so a second BERT-A
    is trained for as many updates as match MC-BERT's FLOPs.
    """)

try book.cell("mini-GLUE at equal updates and equal FLOPs") { cell in
    guard options.evaluate else {
        cell.print("Not run by default (several more minutes): `swift run -c release chapter5 --evaluate` trains a BERT-A "
                   + "with MC-BERT's FLOPs, fine-tunes every model on mini-GLUE and shows the table here.")
        return
    }
    let picked = Int((0.15 * Double(modelConfiguration.maxSequenceLength - 2)).rounded()) * batchSize
    func flops(_ method: Method) throws -> Double {
        let config = runConfiguration(method, seed: 1, steps: steps).model
        return try TrainingFLOPs(config, batchSize: batchSize, length: config.maxSequenceLength, predictions: picked).total
    }
    let equalSteps = Int((Double(steps) * (try flops(methods[2])) / (try flops(methods[0]))).rounded())
    let equalFLOPs = try PretrainingRun(configuration: runConfiguration(methods[0], seed: seeds[0], steps: equalSteps),
                                        registry: .standard, corpus: trainingCorpus, tokenizer: tokenizer,
                                        outputDirectory: runFolder(methods[0], seed: seeds[0], tag: "-equal-flops"))
    print("BERT-A for \(equalSteps) updates (MC-BERT's FLOPs):")
    try equalFLOPs.train(progress: ProgressReporter(totalSteps: equalSteps, logInterval: max(1, equalSteps / 4)))
    let suite = MiniGLUESuite.chapter(quick: quick)
    let checkpoints = methods.map { ($0.name, runFolder($0, seed: seeds[0]).appendingPathComponent("checkpoint.safetensors")) }
        + [("BERT-A, \(equalSteps) updates", runFolder(methods[0], seed: seeds[0], tag: "-equal-flops").appendingPathComponent("checkpoint.safetensors"))]
    let reports = try cell.miniGLUE(checkpoints, suite: suite)
    let scores = reports.map(\.average)
    cell.print(String(format: "At equal updates: BERT-A %.1f, ELECTRA %.1f, MC-BERT %.1f. At MC-BERT's FLOPs, BERT-A %.1f.",
                      scores[0], scores[1], scores[2], scores[3]))
    let chance = suite.chanceAverage
    cell.print(scores.allSatisfy { $0 < chance + 5 }
        ? String(format: "No model is 5 points above chance (%.1f, the best constant answer averaged over the tasks): at this scale the fine-tuned encoders "
                 + "are near chance, so mini-GLUE cannot rank the objectives, and the article's \"20%% of the compute\" can be "
                 + "neither confirmed nor refuted here.", chance)
        : String(format: "Chance, the best constant answer averaged over the tasks, is %.1f. A difference smaller than the spread over fine-tuning seeds "
                 + "(run `tenfold evaluate --seeds 5` on these checkpoints) is no evidence either way.", chance))
}

book.prose("""
    ## What we have

    ELECTRA and MC-BERT as objectives (Sources/MetaController): a helper network of the main
    model's depth and a third of its width (at least one head) sharing its word table,
    sampling under a stop gradient from a seeded stream (a resumed run draws the same
    samples), the discriminator's binary cross-entropy at every token, and MC-BERT's K-way
    choice scored against the shared table with its own [NOTA] row. They combine with every
    position scheme and with notes, and `tenfold evaluate` fine-tunes their main model:

        tenfold train --objective electra|mc-bert [--model tupe-r] [--notes]

    The miniature's verdict on the article's claim is printed above, whichever way it goes;
    the papers' runs are BERT-base for a million updates.
    """)

book.prose("""
    ## Exercises

    Build the pieces yourself, in `Exercises/chapter5/` (`make hint N=…` when stuck):

    - **5.1** ELECTRA's labels: which tokens are replaced, a sample equal to the original being original — `make exercise N=5.1`
    - **5.2** MC-BERT's candidate set and its label — `make exercise N=5.2`
    - **5.3** scoring K candidates against the embedding table — `make exercise N=5.3`
    - **5.4** the combined loss with λ — `make exercise N=5.4`
    """)
}
