import ArgumentParser
import Foundation
import Finetuning
import Transformer
import Catalog
import AtomicFiles

/// `tenfold finetune`: one task, one seed — GLUE files or an embedded mini-GLUE task.
struct Finetune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fine-tune a checkpoint's encoder on a GLUE task (or a mini-GLUE task) and predict its test set.",
        discussion: """
        Trains a classification (or, for STS-B, regression) head on the [CLS] state of the \
        checkpoint's encoder on the task's train.tsv, scores dev.tsv after each epoch, and \
        writes into --out: the test predictions in GLUE's submission format (CoLA.tsv, SST-2.tsv, \
        …, MNLI-m.tsv and MNLI-mm.tsv: `index<TAB>prediction`), summary.json (settings, \
        per-epoch loss and development scores, the chosen epoch) and classifier.safetensors \
        (the fine-tuned model, for tenfold predict and tenfold export). Sentence pairs are read \
        as [CLS] A [SEP] B [SEP]: Tenfold has no segment embeddings.

        --task glue:NAME reads the GLUE distribution's files from --data (a task folder such \
        as glue_data/SST-2); NAME is one of cola, sst2, mrpc, stsb, qqp, mnli, qnli, rte, wnli. \
        --task mini:NAME uses an embedded mini-GLUE task (no --data), whose test file is \
        labelled, so its test score is printed too.

        Examples:
          tenfold finetune --checkpoint CK --task glue:rte --data glue_data/RTE --out out/rte
          tenfold finetune --checkpoint CK --task mini:paraphrase --epochs 5
        """)

    @Option(help: "A pre-training checkpoint written by tenfold train or a chapter.")
    var checkpoint: String

    @Option(help: "glue:NAME (with --data) or mini:NAME.")
    var task: String

    @Option(help: "The GLUE task's folder (train.tsv, dev.tsv, test.tsv).")
    var data: String?

    @Option(help: "Where predictions, summary.json and classifier.safetensors go (default: out/finetune/TASK).")
    var out: String?

    @Option(help: "Seeds the head's weights, the batch order and dropout.")
    var seed: UInt64 = 1

    @OptionGroup var finetuning: FinetuningOptions

    func validate() throws {
        if let out, out.isEmpty { throw ValidationError("--out must name a folder, not be empty") }
        _ = try resolvedTask()
        try finetuning.validate()
    }

    /// The task and where its files are.
    func resolvedTask() throws -> (name: String, reader: GLUEReader) {
        let parts = task.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            throw ValidationError("--task must be glue:NAME or mini:NAME, not '\(task)'")
        }
        switch parts[0] {
        case "glue":
            guard let glue = GLUETask.named(parts[1]) else {
                throw ValidationError("unknown GLUE task '\(parts[1])'; choose one of \(GLUETask.all.map { $0.name.lowercased() }.joined(separator: ", "))")
            }
            guard let data else { throw ValidationError("--task glue:\(parts[1]) needs --data, the task's folder of the GLUE distribution") }
            return (glue.name, GLUEReader(task: glue, folder: URL(fileURLWithPath: data)))
        case "mini":
            guard data == nil else { throw ValidationError("mini-GLUE tasks are embedded: leave out --data") }
            do { return (parts[1], try MiniGLUE.reader(parts[1])) } catch { throw ValidationError("\(error)") }
        default:
            throw ValidationError("--task must be glue:NAME or mini:NAME, not '\(task)'")
        }
    }

    func run() throws {
        let (name, reader) = try resolvedTask()
        let glue = reader.task
        let splits = glue.splits
        let train = try reader.read(.train)
        let devSplits = splits.filter { !$0.isTest && $0 != .train }
        let testSplits = splits.filter(\.isTest)
        let devs = try devSplits.map(reader.read)
        let tests = try testSplits.map(reader.read)
        let loaded = try LoadedCheckpoint(contentsOf: URL(fileURLWithPath: checkpoint), registry: .standard)
        // The output folder before minutes of training, so that a path that cannot be one fails at once.
        let directory = URL(fileURLWithPath: out ?? "out/finetune/\(name.lowercased())")
        try AtomicFile.createFolder(containing: directory.appendingPathComponent("summary.json"))
        let settings = finetuning.settings(quick: false)
        let finetuner = Finetuner(tokenizer: loaded.tokenizer, settings: settings)
        let classifier = try SequenceClassifier(pretrained: loaded, registry: .standard, kind: glue.kind, seed: seed)
        print("Fine-tuning \(checkpoint) (\(loaded.configuration.model.positions), \(loaded.configuration.model.objective)) "
              + "on \(glue.name): \(train.examples.count) training examples, \(settings.epochs) epoch(s), seed \(seed).")
        let line = ProgressLine(toStandardError: false)
        let result = try finetuner.run(classifier, train: train, dev: devs[0], test: nil, seed: seed) { p in
            line.show("epoch \(p.epoch)/\(p.epochs), update \(p.step)/\(p.steps), loss \(String(format: "%.3f", p.loss))")
        }
        line.finish()
        for epoch in result.epochs {
            print("epoch \(epoch.epoch): training loss \(String(format: "%.3f", epoch.trainingLoss)), dev \(epoch.dev)")
        }
        var devReports = [result.dev]
        for dev in devs.dropFirst() { devReports.append(try dev.evaluate(try finetuner.predict(classifier, dev))) }
        var testReports: [MetricReport] = []
        var written: [String] = []
        for test in tests {
            let predictions = try finetuner.predict(classifier, test)
            if test.examples.allSatisfy({ $0.label != nil }) {
                testReports.append(try test.evaluate(predictions))
            }
            // GLUE's test files have no labels: their predictions go to the leaderboard's files.
            if GLUETask.all.contains(glue) {
                written.append(try GLUESubmission.write(predictions, for: test, into: directory).lastPathComponent)
            }
        }
        for report in devReports { print("dev (epoch \(result.chosenEpoch)): \(report)") }
        for report in testReports { print("test: \(report)") }

        let configuration = ClassifierConfiguration(encoder: classifier.config, task: task, labels: glue.labels,
                                                    isRegression: glue.isRegression, settings: settings, seed: seed,
                                                    pretrained: checkpoint)
        try ClassifierCheckpoint.write(classifier, configuration: configuration, tokenizer: loaded.tokenizer,
                                       to: directory.appendingPathComponent("classifier.safetensors"))
        let summary = Summary(task: task, checkpoint: checkpoint, seed: seed, settings: settings,
                              epochs: result.epochs.map { .init(epoch: $0.epoch, trainingLoss: $0.trainingLoss, dev: Summary.scores($0.dev)) },
                              chosenEpoch: result.chosenEpoch, dev: devReports.map(Summary.scores),
                              test: testReports.map(Summary.scores), predictionFiles: written)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        // A diverged fine-tuning has NaN losses; JSON has no NaN, so they are spelled out.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity",
                                                                      negativeInfinity: "-Infinity", nan: "NaN")
        try AtomicFile.write(try encoder.encode(summary), to: directory.appendingPathComponent("summary.json"))
        print("Wrote \(directory.path): \((written + ["summary.json", "classifier.safetensors"]).joined(separator: ", ")).")
    }

    struct Summary: Encodable {
        struct Scores: Encodable { var name: String; var values: [String: Double]; var score: Double }
        struct Epoch: Encodable { var epoch: Int; var trainingLoss: Float; var dev: Scores }
        var task: String, checkpoint: String, seed: UInt64, settings: FinetuningSettings
        var epochs: [Epoch]
        var chosenEpoch: Int
        var dev: [Scores], test: [Scores]
        var predictionFiles: [String]

        static func scores(_ report: MetricReport) -> Scores {
            Scores(name: report.name, values: Dictionary(uniqueKeysWithValues: report.entries.map { ($0.metric.name, $0.value) }),
                   score: report.score)
        }
    }
}
