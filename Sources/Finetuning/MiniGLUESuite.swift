import Foundation
import Tensors
import Text
import Transformer

/// Fine-tunes on every mini-GLUE task with several seeds and reports each task's median
/// test score, its spread over the seeds, and their average — the Tenfold score, on GLUE's
/// ×100 scale. The median over fine-tuning seeds is what TUPE reports (Ke et al., 2021, §4.1).
///
///     let suite = MiniGLUESuite(seeds: [1, 2, 3])
///     let report = try suite.run(tokenizer: loaded.tokenizer) { kind, seed in
///         try SequenceClassifier(pretrained: loaded, registry: .standard, kind: kind, seed: seed)
///     }
///     print(report.average)
///
/// Every run is deterministic (see `Finetuner`), so the same checkpoint gives the same table.
/// Introduced in Chapter 3.
public struct MiniGLUESuite {
    public var tasks: [String]
    public var seeds: [UInt64]
    public var settings: FinetuningSettings

    public init(tasks: [String] = MiniGLUE.taskNames, seeds: [UInt64] = [1, 2, 3],
                settings: FinetuningSettings = FinetuningSettings()) {
        self.tasks = tasks; self.seeds = seeds; self.settings = settings
    }

    /// Where the suite is, for a progress line.
    public struct Progress: Sendable {
        public var task: String
        public var taskIndex: Int, taskCount: Int
        public var seed: UInt64
        public var run: Finetuner.Progress
    }

    /// - Parameters:
    ///   - makeClassifier: a fresh classifier for a task's kind and a seed (its head's weights).
    ///   - progress: called after every update of every run.
    public func run(tokenizer: WordPieceTokenizer,
                    makeClassifier: (GLUETask.Kind, UInt64) throws -> SequenceClassifier,
                    progress: ((Progress) -> Void)? = nil) throws -> MiniGLUEReport {
        guard !seeds.isEmpty else { throw FinetuningError.invalidSetting("give at least one fine-tuning seed") }
        let finetuner = Finetuner(tokenizer: tokenizer, settings: settings)
        var results: [MiniGLUEReport.TaskResult] = []
        for (index, name) in tasks.enumerated() {
            let reader = try MiniGLUE.reader(name)
            let (train, dev, test) = (try reader.read(.train), try reader.read(.dev), try reader.read(.test))
            var runs: [FinetuningResult] = []
            for seed in seeds {
                let classifier = try makeClassifier(reader.task.kind, seed)
                runs.append(try finetuner.run(classifier, train: train, dev: dev, test: test, seed: seed) { step in
                    progress?(Progress(task: name, taskIndex: index, taskCount: tasks.count, seed: seed, run: step))
                })
            }
            results.append(MiniGLUEReport.TaskResult(
                task: name, metrics: reader.task.metrics.map(\.name),
                scores: runs.map { 100 * ($0.test?.score ?? .nan) },
                devScores: runs.map { 100 * $0.dev.score }))
        }
        return MiniGLUEReport(tasks: results, seeds: seeds, settings: settings)
    }
}

/// The mini-GLUE table: per task, the test score of each seed, their median and range.
/// Scores are on GLUE's ×100 scale; a task with two metrics scores their mean.
/// Introduced in Chapter 3.
public struct MiniGLUEReport: Codable, Equatable, Sendable {
    public struct TaskResult: Codable, Equatable, Sendable {
        public var task: String
        /// The metrics averaged into the score ("F1", "accuracy", …).
        public var metrics: [String]
        /// The test score of each seed, in the order of `seeds`.
        public var scores: [Double]
        /// The development score of each seed.
        public var devScores: [Double]

        public var median: Double { MiniGLUEReport.median(scores) }
        public var minimum: Double { scores.min() ?? .nan }
        public var maximum: Double { scores.max() ?? .nan }
    }

    public var tasks: [TaskResult]
    public var seeds: [UInt64]
    public var settings: FinetuningSettings

    /// The mean of the tasks' medians: the Tenfold score.
    public var average: Double { tasks.isEmpty ? .nan : tasks.map(\.median).reduce(0, +) / Double(tasks.count) }

    /// The median of `values` (the mean of the middle two for an even count).
    public static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
