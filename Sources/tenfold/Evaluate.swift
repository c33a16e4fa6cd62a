import ArgumentParser
import Foundation
import Finetuning
import Transformer
import Catalog
import Notebook

/// `tenfold evaluate`: a checkpoint's encoder fine-tuned on every mini-GLUE task.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fine-tune a checkpoint's encoder on the embedded mini-GLUE and print the table.",
        discussion: """
        For every task and every seed, a fresh classification (or regression) head is put on \
        the checkpoint's encoder, fine-tuned on the task's training split (AdamW, warm-up then \
        linear decay), and scored on its test split. The table gives each task's median over \
        the seeds, their range, the two baselines committed with the task (majority class \
        and bag-of-words) and chance: the best score of one constant answer (on paraphrase \
        always "same verse", F1 66.7 at 50% accuracy, where the majority rule scores F1 0). \
        The average of the medians is the Tenfold score, on GLUE's ×100 scale; the chapters \
        take an average less than 5 points above the constant answer's as chance. Any \
        checkpoint works, whatever its position scheme or objective: only its encoder is used. \
        The same checkpoint and seeds give the same table. On a small encoder (the chapter \
        preset) pre-training showed on more tasks with --epochs 10 --learning-rate 3e-4 than \
        with the defaults (README, Downstream evaluation).

        Examples:
          tenfold evaluate --checkpoint out/chapter1/run/checkpoint.safetensors
          tenfold evaluate --checkpoint CK --tasks paraphrase,similarity --seeds 5 --json
          tenfold evaluate --checkpoint CK --random-encoder      # the same model, not pre-trained
        """)

    @Option(help: "A checkpoint written by tenfold train or a chapter.")
    var checkpoint: String

    @Option(help: "Comma-separated tasks (default: all of \(MiniGLUE.taskNames.joined(separator: ", "))).")
    var tasks: String?

    @Option(help: "Fine-tuning seeds per task (1, 2, …); the table reports their median.")
    var seeds = 3

    @OptionGroup var finetuning: FinetuningOptions

    @Flag(help: "Fine-tune a freshly initialised encoder of the checkpoint's configuration instead of its weights: the baseline that shows what pre-training gave.")
    var randomEncoder = false

    @Flag(help: "Print one JSON object instead of the table (progress goes to standard error).")
    var json = false

    @Flag(help: "One short epoch on two tasks and one seed: seconds, for tests.")
    var quick = false

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1, not \(seeds)") }
        for name in taskNames where !MiniGLUE.taskNames.contains(name) {
            throw ValidationError("unknown task '\(name)'; mini-GLUE's tasks are \(MiniGLUE.taskNames.joined(separator: ", "))")
        }
        try finetuning.validate()
    }

    var taskNames: [String] {
        if let tasks { return tasks.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        return quick ? ["paraphrase", "similarity"] : MiniGLUE.taskNames
    }

    func run() throws {
        let loaded = try LoadedCheckpoint(contentsOf: URL(fileURLWithPath: checkpoint), registry: .standard)
        let settings = finetuning.settings(quick: quick)
        let suite = MiniGLUESuite(tasks: taskNames, seeds: (1...(quick ? 1 : seeds)).map(UInt64.init), settings: settings)
        let line = ProgressLine(toStandardError: json)
        let report = try suite.run(tokenizer: loaded.tokenizer, makeClassifier: { kind, seed in
            if randomEncoder {
                var config = loaded.configuration.model
                config.input = ModelConfiguration.noInput
                return try SequenceClassifier(config: config, positions: ModelRegistry.standard.positionsFactory(config.positions),
                                              kind: kind, seed: seed)
            }
            return try SequenceClassifier(pretrained: loaded, registry: .standard, kind: kind, seed: seed)
        }, progress: { p in
            line.show("\(p.task) (\(p.taskIndex + 1)/\(p.taskCount)) seed \(p.seed): epoch \(p.run.epoch)/\(p.run.epochs), "
                      + "update \(p.run.step)/\(p.run.steps), loss \(String(format: "%.3f", p.run.loss))")
        })
        line.finish()
        if json {
            let encoder = JSONEncoder()
            // A metric of a degenerate run can be NaN; JSON has none, so it is spelled out.
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity",
                                                                          negativeInfinity: "-Infinity", nan: "NaN")
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(EvaluationOutput(checkpoint: checkpoint, randomEncoder: randomEncoder,
                                                                       report: report, average: report.average,
                                                                       chance: suite.chanceAverage)), as: UTF8.self))
        } else {
            print("mini-GLUE, \(randomEncoder ? "a freshly initialised encoder of the configuration of " : "")\(checkpoint): "
                  + "test scores ×100, \(report.seeds.count) fine-tuning seed(s), \(settings.epochs) epoch(s)")
            print(TableText(headers: MiniGLUETable.headers, rows: try MiniGLUETable.rows(report)).terminal(styled: false))
        }
    }

    struct EvaluationOutput: Encodable {
        var checkpoint: String
        var randomEncoder: Bool
        var report: MiniGLUEReport
        var average: Double
        /// The same tasks' best constant answer, averaged (`MiniGLUESuite.chanceAverage`).
        var chance: Double
    }
}

/// The fine-tuning flags `tenfold evaluate` and `tenfold finetune` share.
struct FinetuningOptions: ParsableArguments {
    @Option(help: "Epochs over each training set.")
    var epochs: Int?

    @Option(help: "Peak learning rate (after a warm-up of 10% of the updates, then linear decay).")
    var learningRate: Float?

    @Option(help: "Examples per update.")
    var batchSize: Int?

    @Option(help: "The longest input in tokens (default: the model's).")
    var maxLength: Int?

    @Flag(help: "Keep the epoch with the best development score instead of the last.")
    var earlyStopping = false

    func validate() throws {
        do { try settings(quick: false).validate() } catch { throw ValidationError("\(error)") }
    }

    func settings(quick: Bool) -> FinetuningSettings {
        var settings = quick ? FinetuningSettings.quick : FinetuningSettings()
        if let epochs { settings.epochs = epochs }
        if let learningRate { settings.peakLearningRate = learningRate }
        if let batchSize { settings.batchSize = batchSize }
        settings.maxLength = maxLength
        settings.earlyStopping = earlyStopping
        return settings
    }
}

/// A progress line that redraws itself on a terminal and prints every few seconds otherwise.
final class ProgressLine {
    let handle: FileHandle
    let isTerminal: Bool
    private var last = Date.distantPast

    init(toStandardError: Bool) {
        handle = toStandardError ? .standardError : .standardOutput
        isTerminal = isatty(toStandardError ? STDERR_FILENO : STDOUT_FILENO) != 0
    }

    func show(_ text: String) {
        let now = Date()
        if isTerminal {
            try? handle.write(contentsOf: Data(("\r\u{1B}[2K" + text).utf8))
        } else if now.timeIntervalSince(last) >= 10 {
            try? handle.write(contentsOf: Data((text + "\n").utf8))
            last = now
        }
    }

    func finish() {
        if isTerminal { try? handle.write(contentsOf: Data("\r\u{1B}[2K".utf8)) }
    }
}
