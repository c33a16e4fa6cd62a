// Chapter 4 — TNF: taking notes on the fly for rare words.
//
// Run it with `swift run chapter4`; `--quick` finishes in seconds, `--seeds 3` trains every
// model with three seeds, `--evaluate` fine-tunes the four models on mini-GLUE.
// Everything it draws and records lands in out/chapter4/.
import Foundation
import Tensors
import Autograd
import Diagrams
import Text
import Notebook
import Transformer
import BertBaseline
import UntiedAttention
import NoteTaking
import Finetuning
import Catalog

runChapter(4, title: "TNF: taking notes on the fly for rare words") { book, options in

book.prose("""
    Chapters 1–3 changed how the model sees *where* a word is. This chapter changes what it
    sees of *which* word it is, for the words it has little chance to learn: the rare ones.
    Words follow a long-tailed distribution — most word types occur only a handful of times —
    and what a word's embedding learns *as an input* it learns only when the word occurs. (In
    BERT the same table is also the output layer, where every row is pushed at every step —
    mostly down, for the words that were not the answer; that teaches a rare word little about
    how to be read.) A sentence with a rare word then teaches the model less than it could:
    the word is nearly noise in its input.

    TNF (Wu, Xing, Li, Ke, He and Liu, ICLR 2021) keeps a *note* for every rare word: a
    running summary of the contexts it was last seen in, taken from the model's own output.
    When the word comes back, its note is mixed into its input, so the model reads the rare
    word together with what earlier sentences said around it. The paper reports that BERT and
    ELECTRA reach the same GLUE score in 60% less training time with notes. There is no
    public code: Tenfold's version is a reading of the paper, and every detail the paper
    leaves open is a named setting (Docs/Methods/TNF.md lists what is and is not confirmed).

    ## The long tail of our corpus
    """)

let quick = options.quick
let corpus = try Corpus.load(options.corpus)
let tokenizer = try WordPieceTokenizer.embedded()
let trainingCorpus = options.trainingCorpus(corpus)
let presetName = options.presetName
let modelConfiguration = ModelConfiguration.preset(presetName, vocabularySize: tokenizer.vocabulary.count)!
let packer = try SequencePacker(tokenizer: tokenizer, maxLength: modelConfiguration.maxSequenceLength)
let trainSequences = trainingCorpus.split().training.documents.flatMap(packer.pack)
let settings = NoteTaking.Settings()

let rareWords = try book.cell("word frequencies") { cell -> RareWords in
    // Every whole word of the training sequences, by its tokens, with its count.
    var counts: [[Int32]: Int] = [:]
    for sequence in trainSequences { for span in sequence.wordSpans { counts[Array(sequence.ids[span.range]), default: 0] += 1 } }
    let sorted = counts.values.sorted(by: >)
    let tokens = sorted.reduce(0, +)
    let below100 = sorted.filter { $0 < 100 }
    cell.table(["", "count"], rows: [
        ["word occurrences in the training sequences", "\(tokens)"],
        ["distinct words", "\(sorted.count)"],
        ["words seen once", "\(sorted.filter { $0 == 1 }.count)"],
        ["words seen fewer than 100 times", String(format: "%d (%.0f%% of the types, %.0f%% of the occurrences)",
                                                   below100.count, 100 * Double(below100.count) / Double(sorted.count),
                                                   100 * Double(below100.reduce(0, +)) / Double(tokens))],
    ])
    var chart = LineChart(title: "Word frequencies: the long tail", xLabel: "log₁₀ rank", yLabel: "log₁₀ count")
    let ranks = sorted.indices.filter { $0 < 20 || $0 % max(1, sorted.count / 400) == 0 }
    chart.add(.init("words", x: ranks.map { log10(Double($0 + 1)) }, y: ranks.map { log10(Double(sorted[$0])) }))
    chart.addReferenceLine("band: \(settings.band.upperBound)", y: log10(Double(settings.band.upperBound)))
    chart.addReferenceLine("band: \(settings.band.lowerBound)", y: log10(Double(settings.band.lowerBound)))
    try cell.figure("word-frequencies", svg: chart.svg,
                    caption: "Count of every word against its rank, both on log scales: a near-straight line (Zipf's law) and a long tail of words seen a few times. Between the two grey lines: the rare-word band.")

    // How much of the corpus a few bands would call rare.
    cell.table(["band (occurrences)", "word types", "share of training sequences holding one"],
               rows: [5...10, 10...20, 20...50, 10...100].map { band in
        let words = RareWords(counting: trainSequences, band: band, vocabulary: tokenizer.vocabulary)
        return ["\(band.lowerBound)–\(band.upperBound)" + (band == settings.band ? " (the default)" : ""), "\(words.count)",
                String(format: "%.0f%%", 100 * words.sequenceShare(trainSequences))]
    }, caption: "A sequence packs several sentences (up to \(modelConfiguration.maxSequenceLength) tokens), so it is likelier than a sentence to hold a rare word.")
    let rare = RareWords(counting: trainSequences, band: settings.band, vocabulary: tokenizer.vocabulary)
    let share = rare.sequenceShare(trainSequences)
    cell.print(String(format: "Rare-word band %d–%d occurrences: %d word types; %.0f%% of the %d training sequences hold at least one.",
                      settings.band.lowerBound, settings.band.upperBound, rare.count, 100 * share, trainSequences.count))
    cell.print("The paper's motivation is that about a fifth of sentences hold a rare word (a figure from a secondary source); "
               + "our sequences pack several sentences each (\(modelConfiguration.maxSequenceLength) tokens), so their share is "
               + (share > 0.2 ? "higher." : "not higher."))
    let examples = rare.words.prefix(12).map { tokenizer.vocabulary.tokens[Int($0[0])] + ($0.count > 1 ? "…" : "") }
    cell.print("Examples: " + examples.joined(separator: ", ")
               + (quick ? " (a --quick run counts 300 documents only, so its \"rare\" words are common ones)" : ""))
    return rare
}

book.prose("""
    The band is our choice: the paper's is not confirmed (it is recalled as roughly 100–500
    occurrences in 16 GB of text, words far rarer, relative to the corpus, than anything a
    7 MB corpus can count). Frequent words are learned well without help, and the very rarest
    come back too seldom for a note to be reused, hence a band and not a threshold. The
    table above shows how much of the training data each band touches. Our default is
    10–20 occurrences: a lower band's words come back more seldom, by definition, and within
    a run of a few hundred updates their notes would hardly ever be read.

    ## Notes, step by step

    A rare word w spans tokens s…t of a sequence. After a training step, that occurrence
    *takes a note*: the mean of the final layer's outputs cⱼ over a window of k tokens on each
    side, clipped to the sequence (the paper writes the normaliser as 2k + t − s, which is off
    by one; we average over the positions actually summed):

        Note(w, x) = mean of cⱼ  for j ∈ [s − k, t + k] ∩ the sequence's real tokens

    The dictionary moves towards it by an exponential moving average (several occurrences of
    w in one batch are averaged first, so the order of the batch does not matter; a word's
    first note is stored as it is):

        Note(w) ← (1 − γ) · Note(w) + γ · Note(w, x)

    and when w occurs again, each of its tokens reads a mix of its embedding and the note,
    before the embedding LayerNorm:

        inputᵢ = (1 − λ) · (wᵢ + pᵢ) + λ · Note(w)

    The defaults: k = \(settings.halfWindow) and γ = \(settings.decay) (neither confirmed by the
    paper), λ = \(settings.weight) (from a secondary source). Two rules of ours where the paper
    is silent: a note is never mixed into an occurrence any of whose tokens the objective
    picked — the note names the word behind a [MASK], which would leak the answer — and notes
    are used in pre-training only: validation, fine-tuning and export read the plain model.
    The note update runs outside the computation graph: no gradient reaches the notes.
    """)

try book.cell("the note in the graph") { cell in
    // A two-layer model on one sequence whose word "bc" (tokens 11, 12) has a note.
    let config = ModelConfiguration(vocabularySize: 20, hiddenSize: 4, layers: 1, heads: 1, feedForwardSize: 4,
                                    maxSequenceLength: 6, dropout: 0, initializerStd: 0.5)
    let rare = RareWords(band: 1...9, words: [[11, 12]], counts: [3])
    var small = NoteTaking.Settings()
    small.halfWindow = 1
    let notes = NoteTaking(settings: small, rareWords: rare, width: 4)
    let input = ModelInput(ids: [2, 7, 11, 12, 9, 3], batchSize: 1, length: 6, lengths: [6],
                           wordSpans: [[WordSpan(start: 1, end: 2), WordSpan(start: 2, end: 4), WordSpan(start: 4, end: 5)]])
    notes.observe(hidden: Tensor(shape: [1, 6, 4], repeating: 0.5), input: input)       // a first note
    let model = try PretrainingModel(config: config, seed: options.seed, positions: AbsolutePositions.factory)
    model.encoder.input = notes
    model.encoder.attentionImplementation = .reference
    var noDropout: SeededGenerator? = SeededGenerator(seed: 1)    // training mode (dropout 0)
    let output = model.loss(TrainingBatch(input: input, targets: MaskedTargets(positions: [4], labels: [9])), dropout: &noDropout)
    output.loss.label = "masked-LM loss"
    let graph = output.loss.computationGraph()
    var document = graph.dotDocument(options: GraphDiagramOptions(direction: .topToBottom, title: "TNF: a note in the input, the update outside the graph",
                                                                  showsLegend: true))
    // The note update: drawn beside the graph, dashed, because it is not part of it.
    // The encoder's final states: its last residual LayerNorm (the MLM head's own comes after).
    let mix = graph.nodes.firstIndex { $0.op == "mixRows" }.map { "n\($0)" }
    let final = graph.nodes.lastIndex { $0.op == "residualLayerNorm" }.map { "n\($0)" }
    var update = DotSubgraph(name: "cluster_update", attributes: ["label": "after the optimizer step (outside the graph)",
                                                                  "style": "dashed", "color": "#999999"])
    update.nodes = [DotNode("window", ["label": "window mean of the final states\nover [s − k, t + k]", "shape": "box", "style": "dashed"]),
                    DotNode("ema", ["label": "Note(w) ← (1 − γ)·Note(w) + γ·mean", "shape": "box", "style": "dashed"]),
                    DotNode("dictionary", ["label": "note dictionary\n(a buffer, no gradient)", "shape": "cylinder"])]
    document.addSubgraph(update)
    document.addEdge(from: "window", to: "ema", ["style": "dashed"])
    document.addEdge(from: "ema", to: "dictionary", ["style": "dashed"])
    if let final { document.addEdge(from: final, to: "window", ["style": "dashed", "label": "values, after backward"]) }
    if let mix { document.addEdge(from: "dictionary", to: mix, ["style": "dashed", "label": "Note(w), a constant"]) }
    let rendered = try GraphvizRenderer().render(document, to: book.outputDirectory.appendingPathComponent("note-graph.dot"))
    try cell.figure("note-graph", files: [rendered.dotFile] + rendered.images.map(\.1),
                    caption: "One training step of a one-layer model whose input holds a rare word with a note: the note enters through mixRows as a constant; after the step the dictionary is updated from the final states, outside the graph.")
    var rng = SeededGenerator(seed: options.seed)
    let x = Tensor.normal([1, 6, 4], using: &rng), note = Tensor.normal([2, 4], using: &rng)
    let check = gradcheck(inputs: [x], using: &rng) { v in mixRows(v[0], rows: [2, 3], vectors: note, weight: 0.5) }
    cell.print("mixRows backward vs finite differences: \(check.verdict())")
}

// MARK: The experiment

let steps = options.steps ?? (quick ? 8 : 400)
let warmup = max(1, min(100, steps / 4))
let seeds = (0..<(options.seeds ?? 1)).map { options.seed &+ UInt64($0) }
let validationInterval = quick ? 2 : max(1, steps / 40)
let rareInterval = quick ? 4 : max(1, steps / 10)

book.prose("""
    ## The experiment

    Two backbones, each with and without notes: BERT-A (chapter 1) and TUPE-R (chapter 3).
    Identical data, masking, seeds, optimiser and budgets (\(steps) updates, warm-up
    \(warmup)); only the input seam differs. We follow the validation masked-LM loss on the
    whole validation set and on its sequences that hold a rare word, always without notes —
    what the model itself has learned — and ask the paper's question in our currency: how
    many updates does the model with notes need to reach its backbone's final loss? The
    paper's answer, read off its GLUE-against-iterations figure rather than stated, is about
    0.4 (TNF at ≈ 400k iterations matching the backbone at 1M).
    """)

struct Variant { let name: String; let positions: String; let notes: Bool }
let variants = [
    Variant(name: "BERT-A", positions: AbsolutePositions.name, notes: false),
    Variant(name: "BERT-A + TNF", positions: AbsolutePositions.name, notes: true),
    Variant(name: "TUPE-R", positions: UntiedPositions.relativeName, notes: false),
    Variant(name: "TUPE-R + TNF", positions: UntiedPositions.relativeName, notes: true),
]

func runConfiguration(_ variant: Variant, seed: UInt64) -> RunConfiguration {
    var training = TrainingSettings(steps: steps, peakLearningRate: 2e-3, warmupSteps: warmup,
                                    validationInterval: validationInterval, checkpointInterval: steps, seed: seed)
    training.maxGradientNorm = 1
    var model = modelConfiguration
    model.positions = variant.positions
    if variant.notes {
        model.input = NoteTaking.name
        model.options = settings.options
    }
    return RunConfiguration(model: model, training: training, batchSize: quick ? 8 : 32, dataSeed: seed &+ 1,
                            corpus: options.corpus)
}

func runFolder(_ variant: Variant, seed: UInt64) -> URL {
    book.outputDirectory.appendingPathComponent("\(variant.positions)\(variant.notes ? "-notes" : "")-seed\(seed)")
}

struct Curves { var all: [(step: Int, value: Float)]; var rare: [(step: Int, value: Float)]; var mixed: Int; var noted: Int }

/// `[variant][seed]`, and the last run of each variant (for the looks inside below).
let (curves, runs) = try book.cell("training the four models") { cell -> ([[Curves]], [PretrainingRun]) in
    let started = Date()
    var result: [[Curves]] = []
    var lastRuns: [PretrainingRun] = []
    for variant in variants {
        var perSeed: [Curves] = []
        for seed in seeds {
            let run = try PretrainingRun(configuration: runConfiguration(variant, seed: seed), registry: .standard,
                                         corpus: trainingCorpus, tokenizer: tokenizer, outputDirectory: runFolder(variant, seed: seed))
            let rareValidation = rareWords.batchesContainingRareWords(run.data.validationBatches)
            print("\(variant.name), seed \(seed):")
            let progress = ProgressReporter(totalSteps: steps, logInterval: max(1, steps / 4))
            var rare: [(step: Int, value: Float)] = []
            for stop in stride(from: rareInterval, through: steps, by: rareInterval) + (steps % rareInterval == 0 ? [] : [steps]) {
                try run.train(progress: progress, until: stop)
                rare.append((stop, evaluate(run.model, rareValidation).loss))
            }
            let all = run.trainer.history.compactMap { m in m.validationLoss.map { (step: m.step, value: $0) } }
            let notes = run.model.input as? NoteTaking
            perSeed.append(Curves(all: all, rare: rare, mixed: notes?.mixedOccurrences ?? 0, noted: notes?.notedOccurrences ?? 0))
            cell.print(String(format: "%@ seed %d: final validation loss %.3f, on sequences with a rare word %.3f, %.0f tokens/s",
                              variant.name, Int(seed), all.last?.value ?? .nan, rare.last?.value ?? .nan,
                              run.trainer.history.last?.tokensPerSecond ?? 0)
                       + (notes.map { " — notes mixed into \($0.mixedOccurrences) occurrences, taken from \($0.notedOccurrences)" } ?? ""))
            if seed == seeds.last { lastRuns.append(run) }
        }
        result.append(perSeed)
    }
    cell.print(String(format: "%d runs of %d updates in %.0f s", variants.count * seeds.count, steps, Date().timeIntervalSince(started)))
    return (result, lastRuns)
}

let unigramBaseline = runs[0].unigramBaseline

try book.cell("what the notes did") { cell in
    var rows: [[String]] = [["unigram baseline", String(format: "%.3f", unigramBaseline), "", ""]]
    for (v, variant) in variants.enumerated() {
        let backbone = v % 2 == 0 ? v : v - 1
        let ratios = zip(curves[v], curves[backbone]).map { pair in
            firstCrossing(pair.0.all, reaching: pair.1.all.last!.value).map { $0 / Double(steps) }
        }
        let ratio = v == backbone ? "1 (its own backbone)"
            : ratios.contains(nil) ? "not reached in \(ratios.filter { $0 == nil }.count) of \(ratios.count) seeds"
            : meanAndSpread(ratios.map { $0! }, decimals: 2)
        rows.append([variant.name, meanAndSpread(curves[v].map { Double($0.all.last!.value) }),
                     meanAndSpread(curves[v].map { Double($0.rare.last!.value) }), ratio])
    }
    cell.table(["model", "validation loss", "on sequences with a rare word", "updates to the backbone's final loss ÷ its updates"],
               rows: rows, caption: "\(steps) updates, preset \(presetName), seeds \(seeds.map(String.init).joined(separator: ", ")); validation every \(validationInterval) updates (crossings interpolated), without notes. The paper's ratio, ≈ 0.4, is read off a GLUE figure at BERT-base scale.")
    for backbone in [0, 2] {
        let gains = zip(curves[backbone], curves[backbone + 1]).map { Double($0.0.all.last!.value - $0.1.all.last!.value) }
        let rareGains = zip(curves[backbone], curves[backbone + 1]).map { Double($0.0.rare.last!.value - $0.1.rare.last!.value) }
        let better = gains.filter { $0 > 0 }.count
        cell.print("\(variants[backbone + 1].name) − \(variants[backbone].name), final validation loss: "
                   + "\(signedDifference(gains.map { -$0 })) nats overall, \(signedDifference(rareGains.map { -$0 })) on sequences "
                   + "with a rare word (lower with notes in \(better) of \(seeds.count) seed(s))"
                   + (quick ? "; a --quick run shows nothing: the notes barely exist yet." : "."))
    }
    if seeds.count == 1 {
        cell.print("One seed shows no spread: `swift run -c release chapter4 --seeds 3` tells whether these gaps exceed the seed-to-seed noise.")
    }
    var chart = LineChart(title: "Validation MLM loss, with and without notes", xLabel: "update", yLabel: "cross-entropy (nats)")
    for (v, variant) in variants.enumerated() {
        let c = curves[v][0]
        chart.add(.init(variant.name, x: c.all.map { Double($0.step) }, y: c.all.map(\.value),
                        colour: Palette.categorical(v / 2), dashed: variant.notes))
    }
    chart.addReferenceLine("unigram baseline", y: Double(unigramBaseline))
    try cell.figure("validation-loss", svg: chart.svg,
                    caption: "Validation masked-LM loss of the two backbones (solid) and the same with notes (dashed), seed \(seeds[0]), evaluated without notes.")
    var rareChart = LineChart(title: "Validation MLM loss on sequences with a rare word", xLabel: "update", yLabel: "cross-entropy (nats)")
    for (v, variant) in variants.enumerated() {
        let c = curves[v][0]
        rareChart.add(.init(variant.name, x: c.rare.map { Double($0.step) }, y: c.rare.map(\.value),
                            colour: Palette.categorical(v / 2), dashed: variant.notes))
    }
    try cell.figure("rare-validation-loss", svg: rareChart.svg,
                    caption: "The same, on the validation sequences that hold at least one rare word.")
}

book.prose("""
    ## Inside: a note and an embedding

    Do rare embeddings learn slowly? One measure: how far each token's embedding moved from
    its random start during the BERT-A run, grouped by how often the token occurs.
    """)

try book.cell("how far embeddings moved") { cell in
    let run = runs[0]
    let initial = try ModelRegistry.standard.makeModel(run.configuration.model, seed: run.configuration.training.seed)
        .encoder.wordEmbeddings.value
    let trained = run.model.encoder.wordEmbeddings.value
    var tokenCounts = [Int](repeating: 0, count: tokenizer.vocabulary.count)
    for sequence in trainSequences { for id in sequence.ids { tokenCounts[Int(id)] += 1 } }
    let H = modelConfiguration.hiddenSize
    let before = initial.scalars, after = trained.scalars
    func movement(_ id: Int) -> Double {
        var moved = 0.0, size = 0.0
        for h in 0..<H {
            let (a, b) = (Double(before[id * H + h]), Double(after[id * H + h]))
            moved += (b - a) * (b - a)
            size += a * a
        }
        return (moved / size).squareRoot()
    }
    let groups: [(String, ClosedRange<Int>)] = [("never", 0...0), ("1–9", 1...9), ("10–99", 10...99), ("100–999", 100...999),
                                                ("1 000 or more", 1000...Int.max)]
    var medians: [Double] = []
    cell.table(["token occurrences in training", "tokens", "‖E_after − E_before‖ ÷ ‖E_before‖ (median)"], rows: groups.map { name, range in
        let ids = tokenCounts.indices.filter { range.contains(tokenCounts[$0]) && !tokenizer.vocabulary.isSpecial[$0] }
        let moves = ids.map(movement).sorted()
        medians.append(moves.isEmpty ? .nan : moves[moves.count / 2])
        return [name, "\(ids.count)", moves.isEmpty ? "—" : String(format: "%.2f", moves[moves.count / 2])]
    }, caption: "BERT-A, seed \(seeds.last!), after \(steps) updates. Tokens never seen move too: the tied output layer pushes every row, and weight decay shrinks it.")
    let (rareMove, frequentMove) = (medians[2], medians[4])
    cell.print(rareMove.isNaN || frequentMove.isNaN ? "Too few tokens in a group to compare."
        : rareMove < frequentMove
        ? String(format: "Tokens seen 10–99 times moved %.2f of their size, tokens seen 1 000 times or more %.2f: the frequent ones have learned more.",
                 rareMove, frequentMove)
        : String(format: "Tokens seen 10–99 times moved %.2f of their size, as much as or more than tokens seen 1 000 times or more (%.2f): "
                 + "in this run the rare rows have not lagged behind in how far they moved (which says nothing yet about what they learned).",
                 rareMove, frequentMove))
}

book.cell("a note up close") { cell in
    let run = runs[1]
    guard let notes = run.model.input as? NoteTaking else { return }
    // The first validation sequence with an intact rare word that has a note.
    let batches = rareWords.batchesContainingRareWords(run.data.validationBatches)
    var example: (batch: TrainingBatch, occurrence: RareWords.Occurrence)?
    search: for batch in batches {
        for occurrence in rareWords.occurrences(in: batch.input) where occurrence.isIntact && notes.dictionary.note(occurrence.word) != nil {
            example = (batch, occurrence)
            break search
        }
    }
    guard let (batch, occurrence) = example else { cell.print("No validation sentence holds a rare word that has a note yet."); return }
    let input = batch.input, T = input.length, b = occurrence.sequence
    let tokens = (0..<input.lengths[b]).map { tokenizer.vocabulary.tokens[Int(input.originalIds[b * T + $0])] }
    let k = notes.settings.halfWindow
    let (low, high) = (max(0, occurrence.start - k), min(input.lengths[b], occurrence.end + k))
    cell.print("Sentence: " + tokens.enumerated().map { t, token in
        (occurrence.start..<occurrence.end).contains(t) ? "[\(token)]" : token
    }.joined(separator: " "))
    cell.print("Rare word at tokens \(occurrence.start)…\(occurrence.end - 1); window [\(occurrence.start) − \(k), \(occurrence.end - 1) + \(k)] "
               + "clipped to \(low)…\(high - 1): \(high - low) of its \(input.lengths[b]) tokens.")
    var noDropout: SeededGenerator? = nil
    let hidden = Gradients.withoutRecording { run.model.encoder(input, rng: &noDropout).hidden.value }
    let mean = windowMean(hidden, sequence: b, start: occurrence.start, end: occurrence.end, length: input.lengths[b], halfWindow: k)
    let note = Array(notes.dictionary.note(occurrence.word)!)
    let γ = notes.settings.decay, λ = notes.settings.weight
    let updated = zip(note, mean).map { (1 - γ) * $0 + γ * $1 }
    let H = modelConfiguration.hiddenSize
    let id = Int(input.originalIds[b * T + occurrence.start])
    let table = run.model.encoder.wordEmbeddings.value.scalars
    let embedding = (0..<H).map { table[id * H + $0] }
    func show(_ v: [Float]) -> String { v.prefix(4).map { String(format: "%+.3f", $0) }.joined(separator: " ") + " …" }
    cell.table(["vector (first 4 of \(H) features)", "values"], rows: [
        ["this occurrence's note: the window mean of the final states", show(mean)],
        ["the word's note in the dictionary, Note(w)", show(note)],
        [String(format: "after this step: (1 − %.1f)·Note(w) + %.1f·mean", γ, γ), show(updated)],
        ["the first token's embedding E[w]", show(embedding)],
        [String(format: "its input with the note: (1 − %.1f)·E[w] + %.1f·Note(w) (positions left out)", λ, λ),
         show(zip(embedding, note).map { (1 - λ) * $0 + λ * $1 })],
    ])
    let scale = { (v: [Float]) in (v.map { $0 * $0 }.reduce(0, +) / Float(v.count)).squareRoot() }
    cell.print(String(format: "Size (RMS per feature): note %.3f, embedding %.3f — the note, an average of post-LayerNorm outputs, "
                      + "is %@ than the embedding, so with λ = %.1f it %@ the mixed input.", scale(note), scale(embedding),
                      scale(note) > scale(embedding) ? "larger" : "smaller", λ,
                      scale(note) > scale(embedding) ? "dominates" : "does not dominate"))
}

book.cell("neighbours of a note") { cell in
    let run = runs[1]
    guard let notes = run.model.input as? NoteTaking else { return }
    let H = modelConfiguration.hiddenSize
    let table = run.model.encoder.wordEmbeddings.value.scalars
    let noted = (0..<rareWords.count).filter { notes.dictionary.note($0) != nil }
    guard noted.count > 10 else { cell.print("Too few notes yet to compare."); return }
    func unit(_ v: [Float]) -> [Float] { let n = max(1e-9, v.map { $0 * $0 }.reduce(0, +).squareRoot()); return v.map { $0 / n } }
    func wordEmbedding(_ w: Int) -> [Float] {
        let ids = rareWords.words[w]
        return unit((0..<H).map { h in ids.map { table[Int($0) * H + h] }.reduce(0, +) / Float(ids.count) })
    }
    let noteVectors = Dictionary(uniqueKeysWithValues: noted.map { ($0, unit(Array(notes.dictionary.note($0)!))) })
    let embeddings = Dictionary(uniqueKeysWithValues: noted.map { ($0, wordEmbedding($0)) })
    func spell(_ w: Int) -> String {
        rareWords.words[w].map { tokenizer.vocabulary.tokens[Int($0)] }.joined().replacingOccurrences(of: "##", with: "")
    }
    func nearest(_ w: Int, in vectors: [Int: [Float]]) -> String {
        let v = vectors[w]!
        return noted.filter { $0 != w }.map { ($0, zip(v, vectors[$0]!).map(*).reduce(0, +)) }
            .sorted { $0.1 > $1.1 }.prefix(3).map { spell($0.0) }.joined(separator: ", ")
    }
    let picks = noted.sorted { rareWords.counts[$0] > rareWords.counts[$1] }.prefix(6)
    cell.table(["rare word", "seen", "nearest by note", "nearest by embedding"], rows: picks.map { w in
        [spell(w), "\(rareWords.counts[w])×", nearest(w, in: noteVectors), nearest(w, in: embeddings)]
    }, caption: "Among the \(noted.count) rare words with a note after the BERT-A + TNF run (cosine similarity). A note summarises contexts; an embedding, what the gradient taught the word itself.")
}

book.prose("""
    ## The same models, fine-tuned

    The paper's claim is downstream: with notes, the same GLUE score in 60% less time, and
    with the same number of iterations a better score on most tasks. The notes are dropped for
    fine-tuning: what is compared is only what pre-training left in the encoder.
    """)

try book.cell("mini-GLUE") { cell in
    guard options.evaluate else {
        cell.print("Not run by default (several more minutes: each model is fine-tuned on five tasks): `swift run -c release chapter4 --evaluate` "
                   + "fine-tunes the four seed-\(seeds[0]) models on every mini-GLUE task and shows the table here.")
        return
    }
    let suite = MiniGLUESuite.chapter(quick: quick)
    let reports = try cell.miniGLUE(variants.map { ($0.name, runFolder($0, seed: seeds[0]).appendingPathComponent("checkpoint.safetensors")) },
                                    suite: suite)
    for backbone in [0, 2] {
        let gap = reports[backbone + 1].average - reports[backbone].average
        cell.print(String(format: "%@: %+.1f points with notes (Tenfold score %.1f against %.1f).", variants[backbone].name, gap,
                          reports[backbone + 1].average, reports[backbone].average))
    }
    cell.print("The paper's GLUE averages (from the first author's slides, not checked against its table): BERT 83.1 → 83.9 with TNF, "
               + "ELECTRA 86.0 → 86.7. A gap here smaller than the spread between fine-tuning seeds is no evidence either way.")
}

book.prose("""
    ## What we have

    TNF as an input augmentation (`NoteTaking` in Sources/NoteTaking): rare words counted in
    a band of the training corpus, a note dictionary kept as checkpoint state (a `--notes`
    run resumes bit for bit), notes taken from a window of the final states after every step
    and mixed into intact occurrences before the embedding LayerNorm, never at a token the
    objective predicts. It composes with every position scheme — above, TUPE-R — and trains
    with the tool (the values shown are the defaults):

        tenfold train --notes --note-band 10:20 --note-window 16 --note-decay 0.1 --note-weight 0.5

    What the miniature shows about the paper's claim is printed above, whichever way it
    goes: the paper's runs are BERT-base for a million updates on 16 GB.

    A later chapter changes the third seam: what the model is asked to predict.
    """)

book.prose("""
    ## Exercises

    Build TNF's pieces yourself, in `Exercises/chapter4/` (`make hint N=…` when stuck):

    - **4.1** the occurrences of rare words: word spans, counts and a band — `make exercise N=4.1`
    - **4.2** one occurrence's note: the mean over a clipped window — `make exercise N=4.2`
    - **4.3** the moving average of a dictionary, with repeated words in a batch — `make exercise N=4.3`
    - **4.4** the mixed input that skips picked tokens — `make exercise N=4.4`
    """)
}
