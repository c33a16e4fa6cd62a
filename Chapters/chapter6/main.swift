// Chapter 6 — All three together, and full scale.
//
// Run it with `swift run chapter6`; `--quick` finishes in seconds, `--seeds 3` trains every row
// with three seeds, `--evaluate` fine-tunes every model on mini-GLUE. `--reproduce` runs the
// long reproduction table and writes it as JSON and Markdown; `--full` pre-trains at full scale.
// Everything it draws and records lands in out/chapter6/.
import Foundation
import ArgumentParser
import Tensors
import Autograd
import Diagrams
import Text
import Notebook
import Transformer
import BertBaseline
import UntiedAttention
import NoteTaking
import MetaController
import Finetuning
import Catalog

/// Chapter 6's own flags, beside every chapter's.
struct Chapter6Flags: ParsableArguments {
    @Flag(help: "Run the reproduction table at its long size (default: 1000 updates, 3 seeds, mini-GLUE after 500 and 1000 updates and at BERT-A's FLOPs; hours on 2 cores) and write reproduction.json and reproduction.md to --results.")
    var reproduce = false

    @Option(help: ArgumentHelp("With --reproduce: only these rows, comma-separated seam choices (e.g. tupe-r or tupe-r+notes+mc-bert); BERT-A is always trained too, as the baseline.", valueName: "rows"))
    var rows: String?

    @Option(help: "With --reproduce: the folder for reproduction.json and reproduction.md (default: out/chapter6/reproduction).")
    var results: String?

    @Option(help: ArgumentHelp("Rewrite FOLDER/reproduction.md from FOLDER/reproduction.json (after the table's rendering changed) and stop.", valueName: "folder"))
    var render: String?

    @Flag(help: "Pre-train one model at full scale (default: every method together on BERT-base for 1M updates); resumes the run already in out/chapter6/full.")
    var full = false

    @Option(help: "With --full: a folder prepared by `tenfold prepare` (default: --corpus, tokenized on the fly).")
    var data: String?

    @Option(help: "With --full: micro-batches per update (gradient accumulation).")
    var accumulate = 1

    @Option(help: "With --full: sequences per micro-batch.")
    var batchSize = 8

    /// All three methods together: what `--full` trains unless `--method` says otherwise.
    static let combined = "tupe-r+notes+mc-bert"

    @Option(help: "With --full: the seams, joined by + (default: all three methods).")
    var method = Chapter6Flags.combined

    @Option(help: "With --full: stop after this update (continue later with the same command).")
    var stopAfter: Int?

    func validate() throws {
        if !reproduce && (rows != nil || results != nil) { throw ValidationError("--rows and --results need --reproduce") }
        if !full && (data != nil || accumulate != 1 || batchSize != 8 || method != Self.combined || stopAfter != nil) {
            throw ValidationError("--data, --accumulate, --batch-size, --method and --stop-after need --full")
        }
        if full && reproduce { throw ValidationError("choose one of --full and --reproduce") }
        guard accumulate >= 1, batchSize >= 1 else { throw ValidationError("--accumulate and --batch-size must be at least 1") }
        if let stopAfter, stopAfter < 1 { throw ValidationError("--stop-after must be a positive update, not \(stopAfter)") }
        do { _ = try SeamChoice(parsing: method) } catch { throw ValidationError("--method: \(error)") }
        if let rows {
            for row in rows.split(separator: ",", omittingEmptySubsequences: false) {
                do { _ = try SeamChoice(parsing: String(row)) } catch { throw ValidationError("--rows: \(error)") }
            }
        }
    }
}

/// The committed long table, found beside the sources (`swift run` runs from the checkout).
let committedResults = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Docs/results/chapter6/reproduction.json")

runChapter(6, title: "All three together, and full scale", flags: Chapter6Flags.self) { book, options, flags in

let quick = options.quick
let corpus = try Corpus.load(options.corpus)
let tokenizer = try WordPieceTokenizer.embedded()
let vocabulary = tokenizer.vocabulary

if flags.full {
    try fullScale(book, options, flags)
    return
}
if let folder = flags.render.map(URL.init(fileURLWithPath:)) {
    try ReproductionResults(contentsOf: folder.appendingPathComponent("reproduction.json")).write(to: folder)
    print("Rewrote \(folder.path)/reproduction.md from reproduction.json.")
    exit(0)   // a maintainer's errand: no chapter record replaces the last run's
}

book.prose("""
    Chapters 3, 4 and 5 each changed one seam of the same model: TUPE the **positions**
    (how position enters attention), TNF the **input** (a note mixed into a rare word's
    embedding), MC-BERT the **objective** (a multiple-choice question at every token instead
    of a V-way one at 15% of them). A popular article on these methods says they "can be
    used alone or combined for a larger speed-up: ten days of training become one". In
    Tenfold a combination is not new code: it is a choice on each seam, written as one
    string —

        tenfold train --model tupe-r --notes --objective mc-bert      # "tupe-r+notes+mc-bert"

    This chapter puts the three side by side, trains every method alone and all three
    together with identical data, seeds and budgets, and asks each the papers' question:
    how many of BERT-A's updates does it need to reach BERT-A's final score? Then it shows
    what the same run costs at BERT-base scale, and runs a few such updates.
    """)

try book.cell("the three seams, one choice each") { cell in
    let registry = ModelRegistry.standard
    cell.table(["seam", "choices", "what chooses it"], rows: [
        ["positions", registry.positionNames.joined(separator: ", "), "chapters 1–3 (TUPE: tupe-a, tupe-r)"],
        ["input", registry.inputNames.joined(separator: ", "), "chapter 4 (TNF: notes)"],
        ["objective", registry.objectiveNames.joined(separator: ", "), "chapters 1 and 5 (MC-BERT: mc-bert)"],
    ], caption: "ModelRegistry.standard: every method by name. A model is one name per seam.")
    let combined = try SeamChoice(parsing: Chapter6Flags.combined)
    cell.print("SeamChoice(parsing: \"tupe-r+notes+mc-bert\") → positions \(combined.positions), input \(combined.input), "
               + "objective \(combined.objective): \(combined.displayName).")
}

book.prose("""
    ## The combined model

    One training step of the combined model on one sentence: the meta controller (left)
    reads the masked input and proposes candidates; the main model reads the corrupted
    input, its rare word carrying a note, attends with TUPE's untied positional term, and
    scores K candidates per token against the shared word table.
    """)

try book.cell("the combined model as one graph") { cell in
    let config = ModelConfiguration(positions: UntiedPositions.relativeName, vocabularySize: vocabulary.count, hiddenSize: 8,
                                    layers: 1, heads: 2, feedForwardSize: 8, maxSequenceLength: 8, dropout: 0,
                                    initializerStd: 0.5)
    var mc = config
    mc.objective = MCBERT.name
    let model = try ModelRegistry.standard.makeModel(mc, seed: options.seed)
    let sentence = tokenizer.ids("the cat sat on the mat")
    let ids: [Int32] = [vocabulary.clsId] + sentence + [vocabulary.sepId]
    // "cat" (position 2) is this sentence's rare word, with a first note already taken.
    var settings = NoteTaking.Settings()
    settings.halfWindow = 1
    let notes = NoteTaking(settings: settings, rareWords: RareWords(band: 1...9, words: [[ids[2]]], counts: [3]), width: 8)
    let spans = (1..<(ids.count - 1)).map { WordSpan(start: Int32($0), end: Int32($0 + 1)) }
    let plain = ModelInput(ids: ids, batchSize: 1, length: ids.count, lengths: [ids.count], wordSpans: [spans])
    notes.observe(hidden: Tensor(shape: [1, ids.count, 8], repeating: 0.5), input: plain)
    model.encoder.input = notes
    model.encoder.attentionImplementation = .reference
    let masked = 4   // "on"
    let input = ModelInput(ids: ids.enumerated().map { $0.offset == masked ? vocabulary.maskId : $0.element }, batchSize: 1,
                           length: ids.count, lengths: [ids.count], wordSpans: [spans], maskedPositions: [Int32(masked)],
                           maskedOriginals: [ids[masked]])
    var sampling = SeededGenerator(seed: options.seed)
    var trainingMode: SeededGenerator? = SeededGenerator(seed: 1)    // dropout 0: training mode, so notes are mixed in
    let output = model.loss(TrainingBatch(input: input, targets: MaskedTargets(positions: [Int32(masked)], labels: [ids[masked]])),
                            dropout: &trainingMode, sampling: &sampling)
    output.loss.label = "TUPE-R + TNF + MC-BERT loss"
    let graph = output.loss.computationGraph()
    try cell.figure("combined-graph", graph: graph,
                    options: GraphDiagramOptions(direction: .topToBottom, title: "TUPE-R + TNF + MC-BERT: one step", showsLegend: true),
                    caption: "The three seams in one step of a one-layer model: the note enters the main model's input through mixRows (a constant: the note is updated outside the graph, after the step); TUPE's positional branch (its own LayerNorm and projections) adds one term to every layer's attention logits; the controller's masked-LM loss and the main model's K-way choice meet in the total loss, the candidates being ids sampled outside the graph.")
    cell.print("\(graph.nodes.filter { $0.role == .operation }.count) operations; the note was mixed into "
               + "\(notes.mixedOccurrences) occurrence(s).")

    // Sizes and cost at the chapter's preset and at BERT-base.
    var rows: [[String]] = []
    for preset in [options.presetName, "base"] {
        let settings = Reproduction.Settings(preset: preset, steps: 1, seeds: [1])
        let reproduction = try Reproduction(settings: settings, corpus: Corpus(documents: []), tokenizer: tokenizer,
                                            outputDirectory: book.outputDirectory)
        let base = try reproduction.flopsPerUpdate(Reproduction.standardRows[0])
        for row in [Reproduction.standardRows[0], Reproduction.standardRows.last!] {
            var configuration = reproduction.configuration(row, seed: 1, steps: 1).model
            configuration.input = ModelConfiguration.noInput     // notes are state, not parameters
            let (all, helper) = Reproduction.parameterCounts(
                try ModelRegistry.standard.makeModel(configuration, seed: 1, purpose: .inference))
            let flops = try reproduction.flopsPerUpdate(row)
            rows.append(["\(row.name) at \(preset)", String(format: "%.2f M", Double(all - helper) / 1e6),
                         helper == 0 ? "—" : String(format: "%.2f M", Double(helper) / 1e6),
                         String(format: "%.2f", flops / 1e9), String(format: "%.2f", flops / base)])
        }
    }
    cell.table(["model at preset", "main model's parameters", "controller's", "GFLOP per update", "× BERT-A's"], rows: rows,
               caption: "B = 32, the preset's T, 15% picked positions, the embedded 8192-word vocabulary (BERT's 30 522 words add 17 M parameters at base); matrix products only, backward = 2 × forward (TrainingFLOPs). TUPE's positional term and TNF's notes are not counted: both are O(T·H) per sequence. The notes are a dictionary (state), not parameters; fine-tuning keeps only the main model.")
}

// MARK: The reproduction table

let steps = options.steps ?? (quick ? 8 : flags.reproduce ? 1000 : 400)
let seedCount = options.seeds ?? (flags.reproduce && !quick ? 3 : 1)
var settings = Reproduction.Settings(preset: options.presetName, steps: steps,
                                     seeds: (0..<seedCount).map { options.seed &+ UInt64($0) },
                                     validationInterval: max(1, steps / (quick ? 4 : 10)))
settings.batchSize = quick ? 8 : 32
settings.evaluate = flags.reproduce || options.evaluate
settings.evaluateAlso = flags.reproduce ? [steps / 2] : []
settings.quickFinetuning = quick
settings.documents = quick ? 300 : nil
let rows: [Reproduction.Row] = try flags.rows.map { text in
    let picked = try text.split(separator: ",").map { Reproduction.Row(try SeamChoice(parsing: String($0))) }
    return [Reproduction.standardRows[0]] + picked.filter { $0.seams != SeamChoice() }
} ?? Reproduction.standardRows

book.prose("""
    ## The reproduction table

    Every row is trained with the same corpus, tokenizer, model size, optimiser, learning-rate
    schedule, batch size and seeds; seed s of one row is paired with seed s of BERT-A. What
    compares what (Docs/Methods/Comparing.md):

    - the **validation MLM loss** compares only models with a masked-LM head — BERT-A,
      TUPE-R, BERT-A + TNF, TUPE-R + TNF (evaluated without notes); its ratio column is the updates a row
      needs to reach BERT-A's final loss, ÷ N, read off validation points with linear
      interpolation;
    - **mini-GLUE** (fine-tuning, chapter 3) compares all of them: at N updates, and at
      BERT-A's FLOPs — a row whose update costs more (the MC-BERT rows) is trained again,
      separately, for as many updates as BERT-A's N cost;
    - the papers' ratios sit beside: TUPE ≈ 0.3 (Table 1: TUPE at 300k steps matches BERT at
      1M), TNF ≈ 0.4 (its abstract's "60% less"), MC-BERT 0.2 and all three ≈ 0.1 — the last
      two from the popular article alone, found in no primary source.

    This run: preset \(settings.preset), N = \(steps), seed(s) \(settings.seeds.map(String.init).joined(separator: ", ")),
    \(settings.evaluate ? "with mini-GLUE" : "without mini-GLUE (`--evaluate` adds it, about a minute per model at the chapter preset)").
    """)

let results = try book.cell(flags.reproduce ? "the reproduction table, long version" : "the reproduction table, live") { cell -> ReproductionResults in
    let started = Date()
    let folder = flags.reproduce ? book.outputDirectory.appendingPathComponent("reproduce") : book.outputDirectory
    let reproduction = try Reproduction(settings: settings, rows: rows, corpus: corpus, tokenizer: tokenizer,
                                        outputDirectory: folder)
    let results = try reproduction.run()
    let (header, body) = results.table
    cell.table(header, rows: body, caption: "Preset \(settings.preset), N = \(steps) updates of \(settings.batchSize) sequences, seeds \(settings.seeds.map(String.init).joined(separator: ", ")) (mean ± standard deviation over seeds); mini-GLUE ×100, median of one fine-tuning seed per task. \(settings.evaluate ? "" : "mini-GLUE not run: --evaluate.")")
    for line in results.findings { cell.print(line) }
    cell.print(String(format: "%d row(s) × %d seed(s) in %.0f s.", rows.count, seedCount, Date().timeIntervalSince(started)))
    if flags.reproduce {
        let out = URL(fileURLWithPath: flags.results ?? book.outputDirectory.appendingPathComponent("reproduction").path)
        try results.write(to: out)
        cell.print("Wrote \(out.path)/reproduction.json and reproduction.md (command, commit and machine inside).")
    }
    // The MLM curves the ratio column reads.
    var chart = LineChart(title: "Validation MLM loss, seed \(settings.seeds[0])", xLabel: "update", yLabel: "cross-entropy (nats)")
    for (index, row) in results.rows.enumerated() {
        guard let curve = row.runs[0].validation else { continue }
        chart.add(.init(row.name, x: curve.map { Double($0.step) }, y: curve.map(\.score), colour: Palette.categorical(index)))
    }
    if let target = results.rows.first?.runs[0].validation?.last?.score {
        chart.addReferenceLine("BERT-A's final loss", y: target)
    }
    try cell.figure("validation-loss", svg: chart.svg,
                    caption: "The rows with a masked-LM head, evaluated without notes; where a curve first crosses the grey line is the update the ratio column reports.")
    return results
}

try book.cell("the committed long table") { cell in
    guard FileManager.default.fileExists(atPath: committedResults.path) else {
        cell.print("No committed table at \(committedResults.path): `swift run -c release chapter6 --reproduce --results Docs/results/chapter6` makes one.")
        return
    }
    let committed = try ReproductionResults(contentsOf: committedResults)
    let (header, body) = committed.table
    cell.table(header, rows: body, caption: "Docs/results/chapter6/reproduction.md: preset \(committed.settings.preset), N = \(committed.settings.steps), seeds \(committed.settings.seeds.map(String.init).joined(separator: ", ")); produced by `\(committed.provenance.command)` at commit \(committed.provenance.commit) on \(committed.provenance.machine), \(committed.provenance.date).")
    for line in committed.findings { cell.print(line) }
    if committed.settings.preset == results.settings.preset, steps < committed.settings.steps, let live = results.rows.first?.runs.first?.validation?.last?.score,
       let longer = committed.rows.first?.runs.first?.validation?.first(where: { $0.step == steps })?.score {
        cell.print(String(format: "This run's BERT-A, seed %d, ends at validation MLM %.3f after %d updates; the committed run of the same seed passed %.3f at update %d of a longer schedule.",
                          Int(settings.seeds[0]), live, steps, longer, steps))
    }
}

book.prose("""
    ## What a miniature can say

    The findings above are computed from the numbers, whichever way they go. Three reasons a
    miniature may disagree with the papers without either being wrong:

    - **Scale.** The papers train BERT-base (110 M parameters, T = 512) for a million updates
      of 256 sequences; the chapter preset is a 2-layer model trained for minutes on T = 64.
      TUPE's argument is about attention's expressiveness, which a small, short model may not
      be limited by; TNF's notes need rare words to come back, which takes many updates;
      MC-BERT's curriculum needs a controller that has learnt enough to propose near misses.
    - **The yardstick.** A fine-tuned 2-layer encoder stays close to chance on mini-GLUE:
      \(String(format: "%.1f", MiniGLUESuite.chapter(quick: false).chanceAverage)), the best
      constant answer averaged over the tasks (on paraphrase always "same verse", where the
      majority class's tie-break to 0 scores F1 0; the committed table prints both averages).
      So close to chance, a gap can come from how each encoder suits the tasks' format rather
      than from what it learnt, and the steps-to-target column has only the points N/2 and N
      to choose from.
    - **Seeds.** The papers report one pre-training run per model; here each row has its
      spread over seeds, and a gap smaller than that spread is not a result.
    """)

// MARK: Full scale

try book.cell("full scale: what the same run costs at BERT-base") { cell in
    let combined = try SeamChoice(parsing: flags.method)
    let base = ModelConfiguration.preset("base", vocabularySize: 30522)!
    var rows: [[String]] = []
    for seams in [SeamChoice(), combined] {
        let plan = try TrainingPlan(seams.applied(to: base), batchSize: 256, length: 512)
        for ranks in [1, 16, 64] {
            let update = plan.update(ranks: ranks)
            rows.append([seams.displayName, String(format: "%.1f", plan.flops.total / 1e12), "\(ranks)",
                         String(format: "%.2f s", update.total), TrainingPlan.duration(update.total * 1_000_000)])
        }
    }
    cell.table(["model", "TFLOP per update", "machines", "one update", "1M updates"], rows: rows,
               caption: String(format: "tenfold plan's model (TrainingPlan): BERT-base, 256 × 512 tokens per update, %.0f GFLOP/s per machine (this project's 2-core machine at base) and a ring allreduce at %.2f GB/s. The papers' runs are this budget — 1M updates of 256 × 512 — on GPU clusters; the article's \"ten days become one\" is its own figure.", TrainingPlan.measuredGFLOPs, TrainingPlan.measuredBandwidth))
}

book.prose("""
    On a CPU that budget is years, not days — which is why the chapters train miniatures.
    The path itself is the same, and it is real: `--full` pre-trains one model at any size
    on a prepared corpus, checkpointing and resuming:

        make corpus-large
        tenfold vocab --corpus out/corpus-large/text --size 30522 --out out/vocab.txt
        tenfold prepare --corpus out/corpus-large/text --vocab out/vocab.txt --out out/data
        swift run -c release chapter6 --full --preset base --data out/data --accumulate 32
        swift run -c release chapter6 --full --preset base --data out/data --accumulate 32   # resumes

    Across machines the same run goes through `tenfold train`, which takes the same seams
    and is built for MPI (README, "Full-scale training"):

        mpirun --hostfile hosts -np 4 .build/release/tenfold train --data /data/prepared \\
            --preset base --model tupe-r --notes --objective mc-bert --batch-size 8 --accumulate 8 --out /shared/base

    The cell below proves the path on this machine: a few updates of the combined model at
    full size, from `out/data` when `make corpus-large` and `tenfold prepare` made it, else
    from the embedded corpus.
    """)

try book.cell("a few full-size updates, measured") { cell in
    let preset = quick ? "tiny" : "base"
    let updates = quick ? 2 : 3
    let seams = try SeamChoice(parsing: flags.method)
    let prepared = FileManager.default.fileExists(atPath: "out/data/manifest.json")
        ? try PreparedCorpus(folder: URL(fileURLWithPath: "out/data")) : nil
    let runTokenizer = prepared.map { WordPieceTokenizer(vocabulary: $0.vocabulary) } ?? tokenizer
    let model = seams.applied(to: ModelConfiguration.preset(preset, vocabularySize: runTokenizer.vocabulary.count)!)
    // The first updates of the real schedule (1M updates, 10k of warm-up), so none of them validates.
    var training = TrainingSettings(steps: 1_000_000, peakLearningRate: 1e-4, warmupSteps: 10_000, validationInterval: 5_000,
                                    checkpointInterval: 0, seed: options.seed)
    training.maxGradientNorm = 1
    let configuration = RunConfiguration(model: model, training: training, batchSize: quick ? 4 : 8, dataSeed: options.seed &+ 1)
    let run = try prepared.map { try PretrainingRun(configuration: configuration, registry: .standard, prepared: $0, outputDirectory: nil) }
        ?? PretrainingRun(configuration: configuration, registry: .standard, corpus: options.trainingCorpus(corpus),
                          tokenizer: runTokenizer, outputDirectory: nil)
    print("\(seams.displayName) at \(preset), \(updates) updates:")
    try run.train(progress: ProgressReporter(totalSteps: updates, logInterval: 1), until: updates)
    let times = run.trainer.updateSeconds
    let steady = times.count > 1 ? Array(times.dropFirst()) : times
    let median = steady.sorted()[steady.count / 2]
    let tokens = Double(configuration.batchSize * model.maxSequenceLength)
    cell.print(String(format: "%@ at %@ (%.1f M parameters), %@: %d updates of %d × %d tokens, median update %.2f s after the first (%.2f s), %.0f tokens/s.",
                      seams.displayName, preset, Double(run.model.parameters.scalarCount) / 1e6,
                      prepared == nil ? "the embedded corpus (out/data not prepared)" : "shards of out/data",
                      updates, configuration.batchSize, model.maxSequenceLength, median, times[0], tokens / median))
    let plan = try TrainingPlan(model, batchSize: configuration.batchSize, length: model.maxSequenceLength)
    cell.print(String(format: "Measured against counted: %.0f GFLOP/s on this update (TrainingFLOPs: %.2f TFLOP), beside the %.0f GFLOP/s the plan assumes.",
                      plan.flops.total / median / 1e9, plan.flops.total / 1e12, TrainingPlan.measuredGFLOPs))
}

book.prose("""
    ## What we have

    The course's model with its three seams, each method a name on one of them, and every
    combination trainable, checkpointed, resumed, fine-tuned and exported by the same code:

        tenfold train --model tupe-r --notes --objective mc-bert [--data DIR --preset base --accumulate N]
        tenfold evaluate --checkpoint out/…/checkpoint.safetensors

    The reproduction table is `Sources/Catalog/Reproduction.swift`; its long version is
    committed in `Docs/results/chapter6/` with the command, commit and machine that made it.

    ## Exercises

    Build the pieces yourself, in `Exercises/chapter6/` (`make hint N=…` when stuck):

    - **6.1** FLOPs per update of a configuration — `make exercise N=6.1`
    - **6.2** the steps-to-target ratio from two loss curves — `make exercise N=6.2`
    - **6.3** a seam choice from a configuration string — `make exercise N=6.3`
    """)
}

/// `--full`: one model at full scale, resumable, checkpointing as long runs do.
func fullScale(_ book: Notebook, _ options: ChapterOptions, _ flags: Chapter6Flags) throws {
    let folder = book.outputDirectory.appendingPathComponent("full")
    let seams = try SeamChoice(parsing: flags.method)
    let run: PretrainingRun
    if FileManager.default.fileExists(atPath: folder.appendingPathComponent("checkpoint.safetensors").path)
        || FileManager.default.fileExists(atPath: folder.appendingPathComponent("checkpoints").path) {
        run = try PretrainingRun.resume(from: folder, registry: .standard, corpus: Corpus.load)
        print("Resuming \(folder.path) after update \(run.trainer.completedSteps) of \(run.configuration.training.steps).")
    } else {
        let prepared = try flags.data.map { try PreparedCorpus(folder: URL(fileURLWithPath: $0)) }
        let tokenizer = try prepared.map { WordPieceTokenizer(vocabulary: $0.vocabulary) } ?? WordPieceTokenizer.embedded()
        let preset = options.preset ?? "base"
        let model = seams.applied(to: ModelConfiguration.preset(preset, vocabularySize: tokenizer.vocabulary.count)!)
        let steps = options.steps ?? 1_000_000
        var training = TrainingSettings(steps: steps, peakLearningRate: 1e-4, warmupSteps: min(10_000, max(1, steps / 100)),
                                        validationInterval: min(5_000, max(1, steps / 20)), checkpointInterval: min(1_000, steps),
                                        seed: options.seed)
        training.maxGradientNorm = 1
        var configuration = RunConfiguration(model: model, training: training, batchSize: flags.batchSize,
                                             dataSeed: options.seed &+ 1, corpus: options.corpus)
        configuration.accumulate = flags.accumulate > 1 ? flags.accumulate : nil
        configuration.checkpoints = CheckpointPolicy(keepLast: 3, keepBest: true, minutes: 30)
        try configuration.validate()
        if let prepared {
            configuration.data = flags.data
            run = try PretrainingRun(configuration: configuration, registry: .standard, prepared: prepared, outputDirectory: folder)
        } else {
            run = try PretrainingRun(configuration: configuration, registry: .standard, corpus: try Corpus.load(options.corpus),
                                     tokenizer: tokenizer, outputDirectory: folder)
        }
        print("Training \(seams.displayName) at \(preset) (\(run.model.parameters.scalarCount) parameters) for \(steps) updates of "
              + "\(configuration.globalBatchSize) sequences into \(folder.path).")
    }
    try book.cell("full-scale pre-training") { cell in
        try run.train(progress: ProgressReporter(totalSteps: run.configuration.training.steps,
                                                 firstStep: run.trainer.completedSteps + 1), until: flags.stopAfter)
        let done = run.trainer.completedSteps
        // Stopped early on purpose: checkpoint here, so that the same command goes on from this update.
        if done < run.configuration.training.steps { try run.saveCheckpoint() }
        cell.print(done < run.configuration.training.steps
                   ? "Stopped after update \(done) of \(run.configuration.training.steps); the same command resumes it."
                   : "Done: \(done) updates. Fine-tune it with `tenfold evaluate --checkpoint \(folder.path)/checkpoint.safetensors`.")
        if let last = run.trainer.history.last(where: { $0.validationMetrics != nil }) {
            cell.print("Last validation: " + (last.validationMetrics ?? [:]).sorted { $0.key < $1.key }
                .map { String(format: "%@ %.3f", $0.key, $0.value) }.joined(separator: ", "))
        }
    }
}
