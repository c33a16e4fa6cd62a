import ArgumentParser
import Foundation
import Text
import Transformer
import Catalog
import NoteTaking
import DataParallel

/// `tenfold train`: the chapters' pre-training loop as a tool, with checkpoints and resume.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pre-train a masked language model, checkpointing into a folder.",
        discussion: """
        Writes into --out: checkpoint.safetensors (replaced atomically every --checkpoint-every \
        updates and at the end), metrics.jsonl (one JSON line per update), loss-curve.svg. \
        An interrupted run continues exactly where its last checkpoint left it with \
        `tenfold train --out DIR --resume`: the losses after resuming equal those of an \
        uninterrupted run, bit for bit (same thread count). A folder that holds a run is \
        replaced only with --overwrite. A loss that becomes NaN or infinite stops the run, \
        keeping the last checkpoint.

        Examples:
          tenfold train --preset chapter --steps 300 --out out/run
          tenfold train --preset mini --steps 2000 --corpus ~/corpus --out out/mini
          tenfold train --out out/mini --resume
        """)

    @Option(help: "Model size: \(ModelConfiguration.presetNames.joined(separator: ", ")).")
    var preset = "chapter"

    @Option(help: "Position scheme: \(ModelRegistry.standard.positionNames.joined(separator: ", ")).")
    var model = "bert-a"

    @Option(help: "Pre-training objective: \(ModelRegistry.standard.objectiveNames.joined(separator: ", ")).")
    var objective = "mlm"

    @Flag(help: "Take notes on rare words (TNF, chapter 4): mix each rare word's note into its input.")
    var notes = false

    @Option(help: ArgumentHelp("With --notes: the counts that make a word rare, LOW:HIGH (default \(NoteTaking.Settings.defaultBand.lowerBound):\(NoteTaking.Settings.defaultBand.upperBound)).", valueName: "low:high"))
    var noteBand: String?

    @Option(parsing: .unconditional, help: "With --notes: k, the half width of the window a note averages over (default 16; the paper's value is not confirmed).")
    var noteWindow: Int?

    @Option(parsing: .unconditional, help: "With --notes: γ, the rate of the notes' moving average (default 0.1; not confirmed).")
    var noteDecay: Double?

    @Option(parsing: .unconditional, help: "With --notes: λ, the note's weight in a rare word's input (default 0.5).")
    var noteWeight: Double?

    @Option(parsing: .unconditional, help: "Number of updates.")
    var steps: Int = 300

    @Option(parsing: .unconditional, help: "Sequences per batch (B).")
    var batchSize: Int = 32

    @Option(parsing: .unconditional, help: "Sequence length T (default the preset's; up to 512, BERT's, the position table growing with it).")
    var length: Int?

    @Option(parsing: .unconditional, help: "Dropout on attention probabilities and sub-layer outputs (BERT's 0.1).")
    var dropout: Float = 0.1

    @Option(parsing: .unconditional, help: "Peak learning rate (after linear warm-up, then linear decay).")
    var learningRate: Float = 1e-3

    @Option(parsing: .unconditional, help: "Warm-up updates (default: 6% of --steps, at least 100 but at most a quarter of the run; post-LN models given less stall at the unigram plateau).")
    var warmup: Int?

    @Option(help: "Seed for the weights and dropout; the data order and masking use seed + 1.")
    var seed: UInt64 = 1

    @Option(help: "\"embedded\", a text file, or a folder of text files.")
    var corpus = "embedded"

    @Option(help: "A vocab.txt (default: the embedded 8 192-token vocabulary).")
    var vocab: String?

    @Option(help: "A prepared corpus folder (tenfold prepare): its shards are memory-mapped and packed at T; replaces --corpus and --vocab.")
    var data: String?

    @Option(help: "Micro-batches of --batch-size sequences per update (gradient accumulation): the update of one batch N times larger, in the memory of one micro-batch.")
    var accumulate: Int = 1

    @Option(help: "The run folder.")
    var out: String

    @Option(parsing: .unconditional, help: "Evaluate the validation loss every N updates, and after the last (default: a multiple of 100 that keeps validation near 1% of the run's arithmetic — 600 at --batch-size 32, 100 at 256 — so a shorter run is validated once, at its end; give a smaller N to follow the validation curve of a short run).")
    var validateEvery: Int?

    @Option(parsing: .unconditional, help: "Write a checkpoint every N updates, and after the last (default: --validate-every's interval, so --keep-best compares checkpoints by their own validation loss).")
    var checkpointEvery: Int?

    @Option(help: "Keep the newest K checkpoints as checkpoints/step-N.safetensors (checkpoint.safetensors links to the newest); without it one checkpoint.safetensors is replaced each time.")
    var keepLast: Int?

    @Flag(inversion: .prefixedNo, help: "With --keep-last: also keep the checkpoint with the best validation loss.")
    var keepBest = true

    @Option(help: "With --keep-last: also checkpoint when this many minutes have passed since the last checkpoint.")
    var checkpointMinutes: Double?

    @Option(help: "Stop after this update, as an interruption would (continue later with --resume).")
    var stopAfter: Int?

    @Flag(help: "Continue the run saved in --out from its newest intact checkpoint (its own settings; other flags are ignored).")
    var resume = false

    @Flag(help: "Replace the run that --out already holds (without it, such a folder is refused).")
    var overwrite = false

    @Flag(help: "With --resume: do not verify the checkpoint's checksums (faster for huge files; damage goes unnoticed).")
    var skipChecksums = false

    func validate() throws {
        guard !out.isEmpty else { throw ValidationError("--out must name a folder, not be empty") }
        guard !(resume && overwrite) else { throw ValidationError("--resume continues the run in --out and --overwrite replaces it: give one of them") }
        let maximumSteps = TrainingSettings.maximumSteps
        guard (1...maximumSteps).contains(steps) else {
            throw ValidationError("--steps must be a positive number of updates up to \(maximumSteps), not \(steps)")
        }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be positive, not \(batchSize)") }
        guard learningRate.isFinite, learningRate > 0, learningRate <= 1 else {
            throw ValidationError("--learning-rate must be in (0, 1], not \(learningRate)")
        }
        if let keepLast, keepLast < 1 { throw ValidationError("--keep-last must be at least 1, not \(keepLast)") }
        if let checkpointMinutes, !(checkpointMinutes > 0 && checkpointMinutes.isFinite) {
            throw ValidationError("--checkpoint-minutes must be a positive number of minutes")
        }
        if keepLast == nil && checkpointMinutes != nil { throw ValidationError("--checkpoint-minutes needs --keep-last") }
        if let stopAfter, stopAfter < 1 { throw ValidationError("--stop-after must be at least 1, not \(stopAfter)") }
        guard (1...4096).contains(accumulate) else {
            throw ValidationError("--accumulate must be between 1 and 4096 micro-batches per update, not \(accumulate)")
        }
        if data != nil && (corpus != "embedded" || vocab != nil) {
            throw ValidationError("--data replaces --corpus and --vocab (a prepared corpus has its own vocabulary); give one or the other")
        }
        guard (validateEvery ?? 1) >= 1, (checkpointEvery ?? 1) >= 1 else {
            throw ValidationError("--validate-every and --checkpoint-every must be positive")
        }
        if let warmup, !(0...steps).contains(warmup) {
            throw ValidationError("--warmup must be between 0 and --steps (\(steps)), not \(warmup)")
        }
        guard (0..<1).contains(dropout) else { throw ValidationError("--dropout must be in [0, 1), not \(dropout)") }
        guard ModelConfiguration.presetNames.contains(preset) else {
            throw ValidationError("unknown --preset '\(preset)'; choose one of \(ModelConfiguration.presetNames.joined(separator: ", "))")
        }
        let registry = ModelRegistry.standard
        guard registry.positionNames.contains(model) else {
            throw ValidationError("unknown --model '\(model)'; choose one of \(registry.positionNames.joined(separator: ", "))")
        }
        if !notes, noteBand != nil || noteWindow != nil || noteDecay != nil || noteWeight != nil {
            throw ValidationError("--note-band, --note-window, --note-decay and --note-weight need --notes")
        }
        if notes {
            do { _ = try NoteTaking.Settings(noteConfiguration(ModelConfiguration.preset("tiny", vocabularySize: 8192)!)) } catch {
                throw ValidationError("\(error)")
            }
        }
        guard registry.objectiveNames.contains(objective) else {
            throw ValidationError("unknown --objective '\(objective)'; choose one of \(registry.objectiveNames.joined(separator: ", "))")
        }
    }

    /// What `--stop-after` leaves behind, in a sentence: `--resume` continues from the last
    /// checkpoint, as after an interruption, which may lie before the stop or not exist yet.
    static func stopMessage(completed: Int, of steps: Int, checkpointed: Int?, interval: Int, out: String) -> String {
        let stopped = "Stopped after update \(completed) of \(steps)"
        guard let checkpointed, checkpointed > 0 else {
            return stopped + " before the first checkpoint (every \(interval) updates), as an interruption would: there is "
                + "nothing to resume; start again, with a smaller --checkpoint-every or a later --stop-after."
        }
        if checkpointed == completed {
            return stopped + "; continue with tenfold train --out \(out) --resume."
        }
        return stopped + ", as an interruption would: the last checkpoint is after update \(checkpointed), so "
            + "tenfold train --out \(out) --resume continues from there, repeating updates \(checkpointed + 1)–\(completed) exactly."
    }

    /// The configuration with the input seam the note flags ask for.
    func noteConfiguration(_ configuration: ModelConfiguration) throws -> ModelConfiguration {
        guard notes else { return configuration }
        var configuration = configuration
        configuration.input = NoteTaking.name
        var settings = NoteTaking.Settings()
        if let noteBand {
            let parts = noteBand.split(separator: ":").map { Int($0) }
            guard parts.count == 2, let low = parts[0], let high = parts[1], low >= 1, high >= low else {
                throw ValidationError("--note-band must be LOW:HIGH with 1 ≤ LOW ≤ HIGH, not '\(noteBand)'")
            }
            settings.band = low...high
        }
        if let noteWindow { settings.halfWindow = noteWindow }
        if let noteDecay { settings.decay = Float(noteDecay) }
        if let noteWeight { settings.weight = Float(noteWeight) }
        configuration.options.merge(settings.options) { $1 }
        return configuration
    }

    func run() throws {
        let directory = URL(fileURLWithPath: out)
        let communicator = try DataParallel.start()
        let lead = (communicator?.rank ?? 0) == 0   // rank 0 alone prints and writes
        let run: PretrainingRun
        if resume {
            run = try PretrainingRun.resume(from: directory, registry: .standard, corpus: Corpus.load,
                                            verifyingChecksums: !skipChecksums)
            if lead { print("Resuming \(out) after update \(run.trainer.completedSteps) of \(run.configuration.training.steps).") }
        } else {
            if !overwrite, let existing = ["checkpoint.safetensors", "metrics.jsonl"].first(where: {
                FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
            }) {
                throw InputError("\(out) already holds a run (\(existing)): continue it with --resume, replace it with "
                                 + "--overwrite, or choose another --out")
            }
            let prepared = try data.map { try PreparedCorpus(folder: URL(fileURLWithPath: $0)) }
            let tokenizer = try prepared.map { WordPieceTokenizer(vocabulary: $0.vocabulary) }
                ?? vocab.map { WordPieceTokenizer(vocabulary: try Vocabulary(contentsOf: URL(fileURLWithPath: $0))) }
                ?? WordPieceTokenizer.embedded()
            var modelConfiguration = ModelConfiguration.preset(preset, vocabularySize: tokenizer.vocabulary.count)!
            modelConfiguration.positions = model
            modelConfiguration.objective = objective
            modelConfiguration = try noteConfiguration(modelConfiguration)
            modelConfiguration.dropout = dropout
            if let length {
                let longest = max(modelConfiguration.maxSequenceLength, 512)
                guard (8...longest).contains(length) else {
                    throw ValidationError("--length must be in 8…\(longest) for preset \(preset)")
                }
                modelConfiguration.maxSequenceLength = length
            }
            let interval = validateEvery ?? TrainingSettings.defaultValidationInterval(
                globalBatchSize: batchSize * accumulate * (communicator?.size ?? 1))
            let training = TrainingSettings(steps: steps, peakLearningRate: learningRate,
                                            warmupSteps: warmup ?? max(1, min(steps / 4, max(100, steps * 6 / 100))),
                                            validationInterval: interval, checkpointInterval: checkpointEvery ?? interval,
                                            seed: seed)
            var configuration = RunConfiguration(model: modelConfiguration, training: training,
                                                 batchSize: batchSize, dataSeed: seed &+ 1, corpus: corpus)
            configuration.accumulate = accumulate > 1 ? accumulate : nil
            configuration.ranks = communicator?.size
            configuration.checkpoints = keepLast.map { CheckpointPolicy(keepLast: $0, keepBest: keepBest, minutes: checkpointMinutes) }
            // Before the corpus is read: a batch that cannot fit in memory is refused at once.
            try configuration.validate()
            if let prepared {
                configuration.data = data
                run = try PretrainingRun(configuration: configuration, registry: .standard, prepared: prepared,
                                         outputDirectory: directory)
            } else {
                let corpusText = try Corpus.load(corpus)
                run = try PretrainingRun(configuration: configuration, registry: .standard,
                                         corpus: corpusText, tokenizer: tokenizer, outputDirectory: directory)
            }
            let m = modelConfiguration
            if lead { print("Training \(model) (\(preset): L=\(m.layers) H=\(m.hiddenSize) A=\(m.heads) F=\(m.feedForwardSize) T=\(m.maxSequenceLength), \(run.model.parameters.scalarCount) parameters) for \(steps) updates of \(run.configuration.globalBatchSize) sequences\(accumulate > 1 ? " (\(accumulate) micro-batches of \(batchSize))" : "")\(communicator.map { ", \($0.size) ranks" } ?? "").") }
            if lead {
                let every = run.configuration.training.validationInterval
                let why = validateEvery == nil
                    ? " (the default interval at this batch size is \(every) updates; --validate-every N for a curve)" : ""
                print(every < steps ? "Validation every \(every) updates and after the last." : "Validation after the last update\(why).")
            }
        }
        try Self.attach(communicator, to: run)
        let progress = lead ? ProgressReporter(totalSteps: run.configuration.training.steps,
                                               firstStep: run.trainer.completedSteps + 1) : nil
        fflush(stdout)   // the lines above before the progress lines, which are written unbuffered
        try run.train(progress: progress, until: stopAfter)
        guard lead else { return }
        if run.trainer.completedSteps < run.configuration.training.steps {
            print(Self.stopMessage(completed: run.trainer.completedSteps, of: run.configuration.training.steps,
                                   checkpointed: run.trainer.lastCheckpointStep,
                                   interval: run.configuration.training.checkpointInterval, out: out))
            return
        }
        if let url = run.outputDirectory?.appendingPathComponent("loss-curve.svg") {
            try run.lossCurve().write(to: url)
        }
        let last = run.trainer.history.last
        if run.model.maskedLanguageModel != nil {
            print(String(format: "Done: validation loss %.3f (unigram baseline %.3f). Wrote %@.",
                         last?.validationLoss ?? .nan, run.unigramBaseline, out))
        } else {
            // Another objective's loss is not a masked-LM loss: the unigram baseline does not apply.
            let parts = (last?.validationMetrics ?? [:]).sorted { $0.key < $1.key }
                .map { String(format: "%@ %.3f", $0.key, $0.value) }.joined(separator: ", ")
            print(String(format: "Done: validation loss %.3f (%@). Wrote %@.", last?.validationLoss ?? .nan, parts, out))
        }
    }
}
