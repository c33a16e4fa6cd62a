import Foundation
import Notebook
import Transformer
import Finetuning

extension Cell {
    /// Fine-tunes each checkpoint on mini-GLUE and shows one table — the chapters' yardstick:
    /// a column per model (the median over fine-tuning seeds of each task's test score,
    /// ×100), the two committed baselines, the best constant answer (chance), and the average,
    /// the Tenfold score. Progress is shown on the terminal while it runs.
    ///
    ///     let reports = try cell.miniGLUE([("BERT-A", bertURL), ("TUPE-R", tupeURL)],
    ///                                     suite: MiniGLUESuite(seeds: [1]))
    ///
    /// - Returns: each model's report, in the order given.
    /// Introduced in Chapter 3.
    @discardableResult
    public func miniGLUE(_ checkpoints: [(name: String, url: URL)], suite: MiniGLUESuite,
                         registry: ModelRegistry = .standard, caption: String? = nil) throws -> [MiniGLUEReport] {
        let reports = try checkpoints.enumerated().map { index, checkpoint in
            try suite.evaluate(checkpoint: checkpoint.url, registry: registry,
                               label: "\(checkpoint.name) (\(index + 1)/\(checkpoints.count))")
        }
        let baselines = try MiniGLUETable.baselineColumns(suite.tasks)
        var rows: [[String]] = []
        for (t, task) in suite.tasks.enumerated() {
            rows.append([task, reports[0].tasks[t].metrics.joined(separator: " & ")]
                        + reports.map { MiniGLUETable.format($0.tasks[t].median) } + baselines.perTask[t])
        }
        rows.append(["average (Tenfold score)", ""] + reports.map { MiniGLUETable.format($0.average) } + baselines.average)
        table(["task", "metric"] + checkpoints.map(\.name) + MiniGLUETable.baselineHeaders, rows: rows,
              caption: caption ?? "mini-GLUE test scores ×100, median over \(suite.seeds.count) fine-tuning seed(s), \(suite.settings.epochs) epoch(s) each")
        return reports
    }
}

extension MiniGLUESuite {
    /// The suite the chapters' `--evaluate` cells run: one fine-tuning seed and every task;
    /// with `quick` (the smoke tests), two tasks at quick settings.
    /// Introduced in Chapter 3.
    public static func chapter(quick: Bool) -> MiniGLUESuite {
        var suite = MiniGLUESuite(seeds: [1])
        if quick {
            suite.tasks = ["paraphrase", "similarity"]
            suite.settings = .quick
        }
        return suite
    }

    /// The average over this suite's tasks of the committed majority-class baseline (the
    /// tables' "majority" column).
    public var majorityAverage: Double {
        tasks.map { (try? MiniGLUE.baselines($0).trivial) ?? 0 }.reduce(0, +) / Double(max(1, tasks.count))
    }

    /// The average over this suite's tasks of the best constant answer
    /// (`MiniGLUE.constantBaseline`): the score of a model that has learnt nothing, against
    /// which the chapters judge a Tenfold score. Above `majorityAverage` when the suite holds
    /// paraphrase, whose F1 rewards always answering "same verse" (31.7 against 25.0 for all
    /// five tasks).
    public var chanceAverage: Double {
        tasks.map { (try? MiniGLUE.constantBaseline($0)) ?? 0 }.reduce(0, +) / Double(max(1, tasks.count))
    }
}

extension MiniGLUESuite {
    /// Fine-tunes one checkpoint's encoder on this suite, showing progress on a terminal.
    /// Introduced in Chapter 3.
    public func evaluate(checkpoint url: URL, registry: ModelRegistry = .standard, label: String) throws -> MiniGLUEReport {
        let loaded = try LoadedCheckpoint(contentsOf: url, registry: registry)
        let terminal = isatty(STDOUT_FILENO) != 0
        var lastShown = Date.distantPast
        defer { if terminal { try? FileHandle.standardOutput.write(contentsOf: Data("\r\u{1B}[2K".utf8)) } }
        return try run(tokenizer: loaded.tokenizer, makeClassifier: { kind, seed in
            try SequenceClassifier(pretrained: loaded, registry: registry, kind: kind, seed: seed)
        }, progress: { p in
            // Progress goes to the terminal only: records keep the tables, not the ticks.
            guard terminal, Date().timeIntervalSince(lastShown) > 0.2 else { return }
            lastShown = Date()
            try? FileHandle.standardOutput.write(contentsOf: Data(("\r\u{1B}[2K  mini-GLUE: \(label), "
                + "\(p.task) seed \(p.seed), update \(p.run.step)/\(p.run.steps)").utf8))
        })
    }
}
