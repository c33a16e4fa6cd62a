import Foundation
import AtomicFiles
import Text
import Transformer
import Finetuning
import Notebook

/// Chapter 6's reproduction table: every method alone and combined, trained with identical
/// data, seeds and budgets, then compared where they can be compared — the validation MLM
/// loss between models with a masked-LM head, mini-GLUE between all of them, at equal updates
/// and at equal training FLOPs — and turned into the papers' kind of claim: the share of
/// BERT-A's updates a method needs to reach BERT-A's final score.
///
///     var settings = Reproduction.Settings(preset: "chapter", steps: 400, seeds: [1, 2, 3])
///     let results = try Reproduction(settings: settings, corpus: corpus, tokenizer: tokenizer,
///                                    outputDirectory: url).run()
///     try results.write(to: folder)      // reproduction.json and reproduction.md
///
/// Docs/Methods/Comparing.md states the discipline. Introduced in Chapter 6.
public struct Reproduction {
    /// One line of the table: a name and a choice on each seam.
    public struct Row: Codable, Equatable, Sendable {
        public var name: String
        public var seams: SeamChoice
        public init(_ seams: SeamChoice) { self.seams = seams; name = seams.displayName }
    }

    /// The table's lines: BERT-A (the baseline, first), each method alone on its seam, TUPE-R
    /// with notes, and all three together.
    public static let standardRows: [Row] = [
        SeamChoice(),                                                          // bert-a
        SeamChoice(positions: "tupe-r"),                                       // tupe-r
        SeamChoice(input: "notes"),                                            // notes
        SeamChoice(positions: "tupe-r", input: "notes"),                       // tupe-r+notes
        SeamChoice(objective: "mc-bert"),                                      // mc-bert
        SeamChoice(positions: "tupe-r", input: "notes", objective: "mc-bert"), // tupe-r+notes+mc-bert
    ].map(Row.init)

    /// What the papers claim for a row, as the share of BERT-A's updates needed to match it.
    public static func claimedRatio(_ seams: SeamChoice) -> (ratio: Double, source: String)? {
        switch (seams.positions, seams.input, seams.objective) {
        case ("tupe-r", ModelConfiguration.noInput, "mlm"): return (0.3, "TUPE, §4.2 and Table 1: 300k of 1M steps")
        case ("bert-a", "notes", "mlm"): return (0.4, "TNF's abstract: 60% less time than its backbone")
        case ("bert-a", ModelConfiguration.noInput, "mc-bert"): return (0.2, "the popular article only; no primary source")
        case ("tupe-r", "notes", "mc-bert"): return (0.1, "the popular article: ten days become one")
        default: return nil
        }
    }

    /// The budget and the protocol, the same for every row.
    public struct Settings: Codable, Equatable, Sendable {
        /// Model size preset (`ModelConfiguration.presets`).
        public var preset: String
        /// N, the updates of every row at equal updates.
        public var steps: Int
        /// Pre-training seeds; seed s of one row is paired with seed s of every other.
        public var seeds: [UInt64]
        public var batchSize = 32
        public var peakLearningRate: Float = 2e-3
        /// Validation every this many updates (the MLM curves the step ratios read).
        public var validationInterval: Int
        /// Fine-tune on mini-GLUE (about a minute per checkpoint at the chapter preset).
        public var evaluate = true
        /// Updates before the end at which mini-GLUE is also measured (steps-to-target).
        public var evaluateAlso: [Int] = []
        /// Pre-train on the first this many documents only (`--quick`); nil: the whole corpus.
        public var documents: Int?
        /// mini-GLUE's tasks and settings: the chapters' suite, or its quick version.
        public var quickFinetuning = false

        public init(preset: String, steps: Int, seeds: [UInt64], validationInterval: Int? = nil) {
            self.preset = preset; self.steps = steps; self.seeds = seeds
            self.validationInterval = validationInterval ?? max(1, steps / 10)
        }

        var suite: MiniGLUESuite { MiniGLUESuite.chapter(quick: quickFinetuning) }
    }

    public let settings: Settings
    public let rows: [Row]
    let corpus: Corpus
    let tokenizer: WordPieceTokenizer
    let outputDirectory: URL
    /// Called with one line for each run as it starts and ends.
    public var log: (String) -> Void = { print($0); fflush(stdout) }

    public init(settings: Settings, rows: [Row] = Reproduction.standardRows, corpus: Corpus,
                tokenizer: WordPieceTokenizer, outputDirectory: URL) throws {
        guard ModelConfiguration.presetNames.contains(settings.preset) else {
            throw ReproductionError(message: "unknown preset '\(settings.preset)'")
        }
        guard settings.steps >= 1, !settings.seeds.isEmpty, rows.first?.seams == SeamChoice() else {
            throw ReproductionError(message: "a reproduction needs at least one update, one seed, and BERT-A as its first row")
        }
        self.settings = settings; self.rows = rows; self.tokenizer = tokenizer; self.outputDirectory = outputDirectory
        self.corpus = settings.documents.map { Corpus(documents: Array(corpus.documents.prefix($0))) } ?? corpus
    }

    /// The configuration of one row and seed, for `steps` updates: identical for every row
    /// but for the seams (and the note settings TNF needs).
    public func configuration(_ row: Row, seed: UInt64, steps: Int) -> RunConfiguration {
        let model = row.seams.applied(to: ModelConfiguration.preset(settings.preset, vocabularySize: tokenizer.vocabulary.count)!)
        var training = TrainingSettings(steps: steps, peakLearningRate: settings.peakLearningRate,
                                        warmupSteps: max(1, min(100, steps / 4)),
                                        validationInterval: settings.validationInterval, checkpointInterval: steps, seed: seed)
        training.maxGradientNorm = 1
        return RunConfiguration(model: model, training: training, batchSize: settings.batchSize, dataSeed: seed &+ 1)
    }

    /// Every parameter a model trains, and those of its helper network (ELECTRA's generator,
    /// MC-BERT's meta controller), which fine-tuning leaves behind.
    public static func parameterCounts(_ model: PretrainingModel) -> (all: Int, helper: Int) {
        let parameters = model.parameters.parameters
        let helper = parameters.filter { $0.name.hasPrefix("controller.") || $0.name.hasPrefix("generator.") }
        return (parameters.map { $0.variable.value.count }.reduce(0, +), helper.map { $0.variable.value.count }.reduce(0, +))
    }

    /// Training FLOPs of one update of a row (TrainingFLOPs; the 15% picked positions).
    public func flopsPerUpdate(_ row: Row) throws -> Double {
        let model = configuration(row, seed: 1, steps: 1).model
        let picked = Int((0.15 * Double(model.maxSequenceLength - 2)).rounded()) * settings.batchSize
        return try TrainingFLOPs(model, batchSize: settings.batchSize, length: model.maxSequenceLength,
                                 predictions: picked).total
    }

    /// Trains and evaluates every row with every seed; the runs' folders stay in
    /// `outputDirectory` (`<row>-seed<s>`, `<row>-equal-flops-seed<s>`).
    public func run() throws -> ReproductionResults {
        let provenance = ReproductionResults.Provenance.current()   // the code as it was when the runs began
        let suite = settings.suite
        let baseFLOPs = try flopsPerUpdate(rows[0])
        var results: [ReproductionResults.RowResult] = []
        for row in rows {
            let flops = try flopsPerUpdate(row)
            var result = ReproductionResults.RowResult(name: row.name, seams: row.seams.description, flopsPerUpdate: flops,
                                                       parameters: 0, helperParameters: 0, runs: [])
            // A row whose update costs more than BERT-A's gets a second, shorter run with BERT-A's FLOPs.
            let equalFLOPsSteps = flops > 1.01 * baseFLOPs ? max(1, Int((Double(settings.steps) * baseFLOPs / flops).rounded())) : nil
            for seed in settings.seeds {
                let started = Date()
                let folder = outputDirectory.appendingPathComponent("\(row.seams.description)-seed\(seed)")
                let run = try PretrainingRun(configuration: configuration(row, seed: seed, steps: settings.steps),
                                             registry: .standard, corpus: corpus, tokenizer: tokenizer, outputDirectory: folder)
                (result.parameters, result.helperParameters) = Self.parameterCounts(run.model)
                log("\(row.name), seed \(seed): \(settings.steps) updates")
                var seedRun = ReproductionResults.SeedRun(seed: seed, seconds: 0, validation: nil, miniGLUE: [], equalFLOPs: nil)
                let progress = ProgressReporter(totalSteps: settings.steps, logInterval: max(1, settings.steps / 4))
                for stop in (settings.evaluateAlso.filter { $0 < settings.steps } + [settings.steps]) {
                    try run.train(progress: progress, until: stop)
                    if settings.evaluate {
                        if stop < settings.steps { try run.saveCheckpoint() }
                        let score = try evaluate(run.checkpointURL!, suite: suite, label: "\(row.name) seed \(seed), update \(stop)")
                        seedRun.miniGLUE.append(.init(step: stop, score: score))
                    }
                }
                if row.seams.hasMaskedLMHead {
                    seedRun.validation = run.trainer.history.compactMap { m in m.validationLoss.map { .init(step: m.step, score: Double($0)) } }
                }
                if let equalFLOPsSteps, settings.evaluate {
                    let equalFolder = outputDirectory.appendingPathComponent("\(row.seams.description)-equal-flops-seed\(seed)")
                    let shorter = try PretrainingRun(configuration: configuration(row, seed: seed, steps: equalFLOPsSteps),
                                                     registry: .standard, corpus: corpus, tokenizer: tokenizer,
                                                     outputDirectory: equalFolder)
                    log("\(row.name), seed \(seed): \(equalFLOPsSteps) updates (BERT-A's FLOPs)")
                    try shorter.train(progress: ProgressReporter(totalSteps: equalFLOPsSteps, logInterval: max(1, equalFLOPsSteps / 4)))
                    let score = try evaluate(shorter.checkpointURL!, suite: suite, label: "\(row.name) seed \(seed), BERT-A's FLOPs")
                    seedRun.equalFLOPs = .init(step: equalFLOPsSteps, score: score)
                }
                seedRun.seconds = Date().timeIntervalSince(started)
                result.runs.append(seedRun)
            }
            results.append(result)
        }
        var table = ReproductionResults(settings: settings, majorityAverage: settings.evaluate ? suite.majorityAverage : nil,
                                        rows: results, provenance: provenance)
        table.chanceAverage = settings.evaluate ? suite.chanceAverage : nil
        return table
    }

    func evaluate(_ checkpoint: URL, suite: MiniGLUESuite, label: String) throws -> Double {
        let report = try suite.evaluate(checkpoint: checkpoint, registry: .standard, label: label)
        log(String(format: "  mini-GLUE %@: %.1f", label, report.average))
        return report.average
    }
}

/// What a reproduction measured, as committed under `Docs/results/` and shown by chapter 6:
/// every seed's numbers, the settings, and where they came from. Introduced in Chapter 6.
public struct ReproductionResults: Codable, Equatable, Sendable {
    /// A measurement after some updates: a validation MLM loss or a mini-GLUE average (×100).
    public struct Point: Codable, Equatable, Sendable {
        public var step: Int
        public var score: Double
    }

    public struct SeedRun: Codable, Equatable, Sendable {
        public var seed: UInt64
        /// Wall time of the seed's runs, fine-tuning included.
        public var seconds: Double
        /// The validation MLM curve; nil for a main model without a masked-LM head.
        public var validation: [Point]?
        /// mini-GLUE along the run, the last point at N updates.
        public var miniGLUE: [Point]
        /// mini-GLUE of a separate run with BERT-A's FLOPs (rows whose update costs more).
        public var equalFLOPs: Point?
    }

    public struct RowResult: Codable, Equatable, Sendable {
        public var name: String
        /// The row's seam choice (`SeamChoice(parsing:)` reads it back).
        public var seams: String
        public var flopsPerUpdate: Double
        /// Every parameter trained, and those of a helper network (generator or controller).
        public var parameters: Int
        public var helperParameters: Int
        public var runs: [SeedRun]
    }

    /// Where the numbers came from.
    public struct Provenance: Codable, Equatable, Sendable {
        public var command: String
        public var commit: String
        public var machine: String
        public var date: String

        /// This process: its command line, the repository's commit (with `+changes` when the
        /// working tree differs), the CPU, cores and threads, and the time.
        public static func current() -> Provenance {
            let arguments = CommandLine.arguments
            let program = URL(fileURLWithPath: arguments.first ?? "chapter6").lastPathComponent
            let command = ([program] + arguments.dropFirst()).joined(separator: " ")
            var commit = (try? git(["rev-parse", "--short=12", "HEAD"])) ?? "unknown"
            if let status = try? git(["status", "--porcelain", "--untracked-files=no"]), !status.isEmpty { commit += "+changes" }
            let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
                .split(separator: "\n").first { $0.hasPrefix("model name") }?
                .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
            let threads = ProcessInfo.processInfo.environment["TENFOLD_THREADS"] ?? "\(ProcessInfo.processInfo.activeProcessorCount)"
            let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
            let formatter = ISO8601DateFormatter()
            return Provenance(command: command, commit: commit,
                              machine: String(format: "%@, %d cores, %@ threads, %.0f GiB", cpu,
                                              ProcessInfo.processInfo.activeProcessorCount, threads, memory),
                              date: formatter.string(from: Date()))
        }

        static func git(_ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = try pipe.fileHandleForReading.readToEnd() ?? Data()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ReproductionError(message: "git failed") }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The format's version: a reader refuses another.
    public var version = 1
    public var settings: Reproduction.Settings
    /// The majority-class average of the mini-GLUE suite used; nil when not evaluated.
    public var majorityAverage: Double?
    /// The suite's best-constant-answer average (`MiniGLUESuite.chanceAverage`), the chance
    /// level the findings judge against; nil when not evaluated, or in a table written before
    /// it was recorded (`chance` then computes it from the suite).
    public var chanceAverage: Double?
    public var rows: [RowResult]
    public var provenance: Provenance

    public init(settings: Reproduction.Settings, majorityAverage: Double?, rows: [RowResult], provenance: Provenance) {
        self.settings = settings; self.majorityAverage = majorityAverage; self.rows = rows; self.provenance = provenance
    }

    /// Reads `reproduction.json`; a damaged or foreign file is refused with one sentence.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ReproductionError(message: "cannot read \(url.path): no such file, or not readable")
        }
        do { self = try JSONDecoder().decode(Self.self, from: data) } catch {
            throw ReproductionError(message: "\(url.path) is not a reproduction table written by chapter 6 --reproduce")
        }
        guard version == 1, !rows.isEmpty, rows.allSatisfy({ !$0.runs.isEmpty }) else {
            throw ReproductionError(message: "\(url.path) is a reproduction table of another version, or holds no runs")
        }
    }

    /// `reproduction.json` and `reproduction.md` in `folder`, each written atomically.
    public func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: folder.appendingPathComponent("reproduction.json"))
        try AtomicFile.write(markdown, to: folder.appendingPathComponent("reproduction.md"))
    }

    /// The score of a model that has learnt nothing, for the findings: the recorded
    /// best-constant-answer average, else the suite's (its tasks are committed data); nil when
    /// mini-GLUE was not evaluated.
    var chance: Double? {
        guard majorityAverage != nil || chanceAverage != nil else { return nil }
        return chanceAverage ?? settings.suite.chanceAverage
    }

    // MARK: The table

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }

    /// What the papers claim for a row (its seams read back from the table).
    func claim(_ row: RowResult) -> (ratio: Double, source: String)? {
        (try? SeamChoice(parsing: row.seams)).flatMap(Reproduction.claimedRatio)
    }

    /// Per seed, the updates a row's validation curve needs to reach BERT-A's final loss of
    /// the same seed, ÷ N (interpolated; nil where it never does).
    public func lossRatios(_ row: RowResult) -> [Double?]? {
        guard let baseline = rows.first, row.runs.allSatisfy({ $0.validation != nil }) else { return nil }
        return zip(row.runs, baseline.runs).map { run, base in
            guard let target = base.validation?.last?.score, let curve = run.validation else { return nil }
            return firstCrossing(curve.map { (step: $0.step, value: Float($0.score)) }, reaching: Float(target))
                .map { $0 / Double(settings.steps) }
        }
    }

    /// The mean over seeds of a row's mini-GLUE at N updates.
    public func finalMiniGLUE(_ row: RowResult) -> Double? {
        let scores = row.runs.compactMap { $0.miniGLUE.last?.score }
        return scores.count == row.runs.count && !scores.isEmpty ? Self.mean(scores) : nil
    }

    /// The first measured update (÷ N) at which a row's mean mini-GLUE reaches BERT-A's mean at
    /// N; nil when it does not within N.
    public func miniGLUERatio(_ row: RowResult) -> Double? {
        guard let target = rows.first.flatMap(finalMiniGLUE) else { return nil }
        let steps = Set(row.runs.flatMap { $0.miniGLUE.map(\.step) }).sorted()
        for step in steps {
            let scores = row.runs.compactMap { $0.miniGLUE.first { $0.step == step }?.score }
            if scores.count == row.runs.count, Self.mean(scores) >= target { return Double(step) / Double(settings.steps) }
        }
        return nil
    }

    /// The table's header and rows, as chapter 6 and `reproduction.md` show them.
    public var table: (header: [String], rows: [[String]]) {
        let header = ["method", "seams", "GFLOP per update (× BERT-A)", "validation MLM at N",
                      "updates to BERT-A's final MLM (÷ N)", "mini-GLUE at N updates", "mini-GLUE at BERT-A's FLOPs",
                      "updates to BERT-A's final mini-GLUE (÷ N)", "the papers' ratio"]
        let base = rows.first?.flopsPerUpdate ?? 1
        let body = rows.enumerated().map { index, row -> [String] in
            let flops = String(format: "%.2f (%.2f)", row.flopsPerUpdate / 1e9, row.flopsPerUpdate / base)
            let finalLoss = row.runs.compactMap { $0.validation?.last?.score }
            let loss = finalLoss.count == row.runs.count && !finalLoss.isEmpty ? meanAndSpread(finalLoss, decimals: 3) : "— (no MLM head)"
            var lossRatio = "—"
            if index == 0 { lossRatio = "1 (the baseline)" }
            else if let ratios = lossRatios(row) {
                let reached = ratios.compactMap { $0 }
                lossRatio = reached.count == ratios.count ? meanAndSpread(reached, decimals: 2)
                    : "not reached in \(ratios.count - reached.count) of \(ratios.count) seeds"
            }
            let final = row.runs.compactMap { $0.miniGLUE.last?.score }
            let glue = final.count == row.runs.count && !final.isEmpty ? meanAndSpread(final, decimals: 1) : "not run"
            let equal = row.runs.compactMap { $0.equalFLOPs?.score }
            let glueFLOPs = equal.count == row.runs.count && !equal.isEmpty
                ? meanAndSpread(equal, decimals: 1) + " (\(row.runs[0].equalFLOPs!.step) updates)"
                : row.flopsPerUpdate <= 1.01 * base ? (glue == "not run" ? glue : "= at N updates") : "not run"
            var glueRatio = "not run"
            if glue != "not run" {
                glueRatio = index == 0 ? "1 (the baseline)"
                    : miniGLUERatio(row).map { String(format: "≤ %.2f (FLOPs ≤ %.2f)", $0, $0 * row.flopsPerUpdate / base) }
                    ?? "not reached"
            }
            let claimed = claim(row).map { String(format: "%.1f — %@", $0.ratio, $0.source) } ?? "—"
            return [row.name, row.seams, flops, loss, lossRatio, glue, glueFLOPs, glueRatio, index == 0 ? "1" : claimed]
        }
        return (header, body)
    }

    /// One sentence per comparison, computed from the numbers: which claims the miniature
    /// supports, which it does not, and which it cannot judge.
    public var findings: [String] {
        var lines: [String] = []
        let seeds = settings.seeds.count
        let chance = self.chance ?? 0   // once: a table without a recorded one reads the tasks' test splits
        for row in rows.dropFirst() {
            var parts: [String] = []
            if let ratios = lossRatios(row) {
                let reached = ratios.compactMap { $0 }
                if reached.count == ratios.count {
                    let m = Self.mean(reached)
                    let claimed = claim(row)?.ratio
                    parts.append(String(format: "reaches BERT-A's final validation MLM loss in %.2f of its updates (%d of %d seeds below 1)",
                                        m, reached.filter { $0 < 1 }.count, ratios.count)
                                 + (claimed.map { c in m <= c * 1.5 ? String(format: ", as fast as the paper's ≈ %.1f or nearly", c)
                                                     : String(format: ", a smaller saving than the paper's ≈ %.1f", c) } ?? ""))
                } else {
                    parts.append("does not reach BERT-A's final validation MLM loss within \(settings.steps) updates in \(ratios.count - reached.count) of \(ratios.count) seeds: no speed-up on this measure")
                }
            }
            if let score = finalMiniGLUE(row), let base = rows.first.flatMap(finalMiniGLUE) {
                // Seed s of the row against seed s of BERT-A.
                let gaps = zip(row.runs, rows[0].runs).compactMap { pair -> Double? in
                    guard let a = pair.0.miniGLUE.last?.score, let b = pair.1.miniGLUE.last?.score else { return nil }
                    return a - b
                }
                let gap = Self.mean(gaps), error = sampleStandardDeviation(gaps) / Double(max(1, gaps.count)).squareRoot()
                let sameSign = gaps.allSatisfy { $0 > 0 } || gaps.allSatisfy { $0 < 0 }
                let measured = String(format: "on mini-GLUE it scores %.1f against BERT-A's %.1f (%+.1f, %@)", score, base, gap,
                                      gaps.count > 1 ? String(format: "± %.1f standard error over %d paired seeds", error, gaps.count)
                                                     : "one seed")
                if max(score, base) < chance + 5 {
                    parts.append(measured + String(format: "; neither is 5 points above chance (%.1f, the best constant answer): no evidence either way", chance))
                } else if gaps.count < 2 {
                    parts.append(measured + ": no spread to judge the gap by")
                } else if sameSign && abs(gap) > 2 * error {
                    parts.append(measured + ": \(gap > 0 ? "better" : "worse") in every seed, by more than two standard errors")
                } else {
                    parts.append(measured + ": no evidence either way (a difference needs the same sign in every seed and more than two standard errors)")
                }
            }
            if !parts.isEmpty { lines.append("\(row.name): " + parts.joined(separator: "; ") + ".") }
        }
        if seeds == 1 { lines.append("One pre-training seed shows no spread: a gap here may be noise.") }
        return lines
    }

    /// The command that reproduces some rows of this table with its budget and seeds.
    public func command(rows: String) -> String {
        "swift run -c release chapter6 --reproduce --preset \(settings.preset) --steps \(settings.steps) --seed \(settings.seeds[0]) "
            + "--seeds \(settings.seeds.count)\(settings.documents != nil ? " --quick" : "") --rows \(rows)"
    }

    /// `reproduction.md`: the table, the findings and the provenance.
    public var markdown: String {
        let (header, body) = table
        let baselines = [majorityAverage.map { String(format: "majority-class average %.1f", $0) },
                         chance.map { String(format: "best constant answer %.1f", $0) }].compactMap { $0 }
        var lines = ["# Chapter 6: the reproduction table", "",
                     "Produced by `\(provenance.command)` at commit \(provenance.commit) on \(provenance.date), on \(provenance.machine).",
                     "",
                     "Preset \(settings.preset), N = \(settings.steps) updates of \(settings.batchSize) sequences, peak learning rate "
                     + "\(settings.peakLearningRate), seeds \(settings.seeds.map(String.init).joined(separator: ", ")) (mean ± standard deviation over seeds); "
                     + "validation every \(settings.validationInterval) updates; mini-GLUE: \(settings.suite.tasks.count) task(s), "
                     + "median of \(settings.suite.seeds.count) fine-tuning seed(s), ×100"
                     + (baselines.isEmpty ? "" : " (" + baselines.joined(separator: "; ") + ")") + ".",
                     "",
                     "| " + header.joined(separator: " | ") + " |",
                     "|" + String(repeating: " --- |", count: header.count)]
        lines += body.map { "| " + $0.joined(separator: " | ") + " |" }
        lines += ["", "## What it shows", ""] + findings.map { "- " + $0 }
        lines += ["", "The table and these sentences are rendered from `reproduction.json` beside this file "
                  + "(`swift run chapter6 --render FOLDER` rewrites it after the rendering changes)."]
        lines += ["", "## Reproducing a row", "",
                  "Each command trains BERT-A (the baseline every ratio needs) and one row, with this table's budget and seeds:", ""]
        lines += rows.dropFirst().map { "- \($0.name): `\(command(rows: $0.seams))`" }
        lines.append("")
        return lines.joined(separator: "\n")
    }
}

/// A reproduction that cannot run, or a table file that cannot be read.
public struct ReproductionError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var description: String { message }
}
