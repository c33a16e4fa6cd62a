import Foundation
import AtomicFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files GLUE's leaderboard takes: one per task and test file, named as the leaderboard
/// expects, each a header `index  prediction` and one tab-separated line per test example.
///
///     let test = try GLUEReader(task: .rte, folder: rteFolder).read(.test)
///     let url = try GLUESubmission.write(predictions, for: test, into: submissionFolder)
///     // submissionFolder/RTE.tsv, its columns separated by one tab:
///     // index  prediction
///     // 0      entailment
///     // 1      not_entailment
///
/// The file names: CoLA.tsv, SST-2.tsv, MRPC.tsv, STS-B.tsv, QQP.tsv, MNLI-m.tsv (from
/// test_matched.tsv), MNLI-mm.tsv (test_mismatched.tsv), QNLI.tsv, RTE.tsv, WNLI.tsv; zip them
/// together (with the diagnostic AX.tsv, which this module does not write) to submit. A
/// prediction is written as the task's label: the words for MNLI, QNLI and RTE, 0 or 1 for
/// CoLA, SST-2, MRPC, QQP and WNLI, and for STS-B the score clipped to 0–5 with three decimals.
/// Each line's index is the example's index from the test file. Introduced in Chapter 3.
public enum GLUESubmission {
    /// The first line of every submission file.
    public static let header = "index\tprediction"

    /// The leaderboard's file name for `task`'s `split`, or nil when `split` is not one of the
    /// task's test splits.
    ///
    ///     GLUESubmission.fileName(task: .mnli, split: .testMismatched)   // "MNLI-mm.tsv"
    ///     GLUESubmission.fileName(task: .sst2, split: .test)             // "SST-2.tsv"
    public static func fileName(task: GLUETask, split: GLUESplit) -> String? {
        guard split.isTest && task.splits.contains(split) else { return nil }
        return task.resultName(for: split) + ".tsv"
    }

    /// The submission file's text for one prediction per example of a test file.
    ///
    /// - Parameters:
    ///   - predictions: one `GLUELabel` per example of `dataset`, in the same order.
    ///   - dataset: a test split, as `GLUEReader` read it.
    /// - Returns: the header and one `index<TAB>prediction` line per example, each ending in `\n`.
    /// - Throws: `GLUESubmissionError.notATestSplit`; `GLUEPredictionError` when the count or
    ///   a prediction does not fit.
    public static func contents(_ predictions: [GLUELabel], for dataset: GLUEDataset) throws -> String {
        let task = dataset.task
        _ = try checkedFileName(for: dataset)
        guard predictions.count == dataset.examples.count else {
            throw GLUEPredictionError.countMismatch(task: task.name, path: dataset.path,
                                                    predictions: predictions.count,
                                                    examples: dataset.examples.count)
        }
        var text = header + "\n"
        for (position, (prediction, example)) in zip(predictions, dataset.examples).enumerated() {
            text += "\(example.index)\t\(try format(prediction, task: task, position: position))\n"
        }
        return text
    }

    /// Writes the submission file for a test split into `folder`, atomically: the text goes to
    /// a temporary file in the same folder, which is then renamed over the target, so a reader
    /// never sees half a file.
    ///
    /// - Parameters:
    ///   - predictions: one `GLUELabel` per example of `dataset`, in the same order.
    ///   - dataset: a test split, as `GLUEReader` read it.
    ///   - folder: where the file goes; created if missing.
    /// - Returns: the file written, such as `folder/MNLI-m.tsv`.
    /// - Throws: `GLUESubmissionError`, `GLUEPredictionError`.
    @discardableResult
    public static func write(_ predictions: [GLUELabel], for dataset: GLUEDataset,
                             into folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(try checkedFileName(for: dataset))
        let text = try contents(predictions, for: dataset)
        try writeAtomically(Data(text.utf8), to: url)
        return url
    }

    /// The file name of `dataset`'s split.
    ///
    /// - Throws: `GLUESubmissionError.notATestSplit` for a training or development split.
    private static func checkedFileName(for dataset: GLUEDataset) throws -> String {
        guard let name = fileName(task: dataset.task, split: dataset.split) else {
            let task = dataset.task
            throw GLUESubmissionError.notATestSplit(task: task.name, split: dataset.split.rawValue,
                                                    testSplits: task.splits.filter(\.isTest).map(\.rawValue))
        }
        return name
    }

    /// One prediction as the leaderboard reads it.
    static func format(_ prediction: GLUELabel, task: GLUETask, position: Int) throws -> String {
        switch (task.kind, prediction) {
        case let (.classification(labels), .category(category)):
            guard labels.indices.contains(category) else {
                throw GLUEPredictionError.categoryOutOfRange(task: task.name, position: position,
                                                             category: category, labels: labels)
            }
            return labels[category]
        case let (.regression(range), .score(score)):
            guard score.isFinite else { throw GLUEPredictionError.nonFiniteScore(task: task.name, position: position) }
            // Adding 0 turns a clipped −0 into 0, which would otherwise print as "-0.000".
            let clipped = min(range.upperBound, max(range.lowerBound, score)) + 0
            return String(format: "%.3f", clipped)
        case (.classification, .score):
            throw GLUEPredictionError.wrongKind(task: task.name, position: position, expected: "a class (.category)")
        case (.regression, .category):
            throw GLUEPredictionError.wrongKind(task: task.name, position: position, expected: "a score (.score)")
        }
    }

    /// Writes `data` atomically (see `AtomicFile`): a failure leaves any old file at `url` as it was.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        do {
            try AtomicFile.write(data, to: url)
        } catch let error as AtomicFileError {
            throw GLUESubmissionError.notWritten(path: url.path, reason: error.reason)
        }
    }
}
