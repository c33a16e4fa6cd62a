import XCTest
@testable import Finetuning

/// Task reports: the right metrics per task, GLUE's averaging, the ×100 scale in print, and
/// typed errors for predictions that do not fit.
final class MetricReportTests: XCTestCase {
    func testReportValuesScoreAndDescription() {
        let report = MetricReport(name: "MRPC", values: [.f1: 0.9, .accuracy: 0.85], order: [.f1, .accuracy])
        XCTAssertEqual(report.entries.map(\.metric), [.f1, .accuracy])
        XCTAssertEqual(report[.f1], 0.9)
        XCTAssertNil(report[.pearson])
        XCTAssertEqual(report.score, 0.875, accuracy: 1e-15)
        XCTAssertEqual(report.glueScore, 87.5, accuracy: 1e-12)
        XCTAssertEqual(report.description, "MRPC: F1 90.0, accuracy 85.0 (score 87.5)")
        let single = MetricReport(name: "RTE", entries: [.init(metric: .accuracy, value: 0.6642599)])
        XCTAssertEqual(single.score, 0.6642599)
        XCTAssertEqual(single.description, "RTE: accuracy 66.4")
        XCTAssertEqual(MetricReport(name: "CoLA", entries: [.init(metric: .matthewsCorrelation, value: -0.0001)]).description,
                       "CoLA: MCC 0.0")
    }

    func testEachTaskGetsItsMetrics() throws {
        // MRPC: predictions 1 1 0 1 / labels 1 0 0 1: TP 2, FP 1, FN 0, TN 1.
        // F1 = 4 / (4 + 1) = 0.8; accuracy 3/4; score (0.8 + 0.75) / 2 = 0.775.
        let mrpc = try GLUETask.mrpc.report(predictions: [1, 1, 0, 1].map(GLUELabel.category),
                                            labels: [1, 0, 0, 1].map(GLUELabel.category))
        XCTAssertEqual(mrpc[.f1]!, 0.8, accuracy: 1e-15)
        XCTAssertEqual(mrpc[.accuracy], 0.75)
        XCTAssertEqual(mrpc.score, 0.775, accuracy: 1e-15)
        // CoLA: MCC only (the known matrix of MetricTests: 4/√70).
        let cola = try GLUETask.cola.report(predictions: [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0].map(GLUELabel.category),
                                            labels: [1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0].map(GLUELabel.category))
        XCTAssertEqual(cola.entries.map(\.metric), [.matthewsCorrelation])
        XCTAssertEqual(cola.score, 4 / 70.0.squareRoot(), accuracy: 1e-15)
        // MNLI: three-class accuracy.
        let mnli = try GLUETask.mnli.report(predictions: [0, 1, 2, 2].map(GLUELabel.category),
                                            labels: [0, 1, 2, 1].map(GLUELabel.category))
        XCTAssertEqual(mnli.entries, [.init(metric: .accuracy, value: 0.75)])
        // STS-B: the mean of Pearson (6/√60) and Spearman of the MetricTests data.
        let stsb = try GLUETask.stsb.report(predictions: [1, 2, 3, 4, 5].map(GLUELabel.score),
                                            labels: [2, 4, 5, 4, 5].map(GLUELabel.score))
        let pearson = 6 / 60.0.squareRoot()
        let spearman = spearmanCorrelation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
        XCTAssertEqual(stsb[.pearson]!, pearson, accuracy: 1e-15)
        XCTAssertEqual(stsb[.spearman]!, spearman, accuracy: 1e-15)
        XCTAssertEqual(stsb.score, (pearson + spearman) / 2, accuracy: 1e-15)
    }

    func testDatasetEvaluateNamesMNLIFiles() throws {
        let examples = [GLUEExample(index: 0, line: 2, sentence1: "P.", sentence2: "H.", label: .category(2)),
                        GLUEExample(index: 1, line: 3, sentence1: "P.", sentence2: "H.", label: .category(0))]
        let dev = GLUEDataset(task: .mnli, split: .devMismatched, path: "MNLI/dev_mismatched.tsv", examples: examples)
        let report = try dev.evaluate([.category(2), .category(1)])
        XCTAssertEqual(report.name, "MNLI-mm")
        XCTAssertEqual(report[.accuracy], 0.5)
    }

    func testPredictionsThatDoNotFit() {
        let labels = [GLUELabel.category(1), .category(0)]
        XCTAssertThrowsError(try GLUETask.rte.report(predictions: [.category(1)], labels: labels, path: "RTE/dev.tsv")) {
            XCTAssertEqual($0 as? GLUEPredictionError,
                           .countMismatch(task: "RTE", path: "RTE/dev.tsv", predictions: 1, examples: 2))
            XCTAssertTrue("\($0)".contains("1 predictions for the 2 examples of RTE/dev.tsv"))
        }
        XCTAssertThrowsError(try GLUETask.rte.report(predictions: [.category(1), .score(0.3)], labels: labels)) {
            XCTAssertEqual($0 as? GLUEPredictionError, .wrongKind(task: "RTE", position: 1, expected: "a class (.category)"))
        }
        XCTAssertThrowsError(try GLUETask.rte.report(predictions: [.category(2), .category(0)], labels: labels)) {
            XCTAssertEqual($0 as? GLUEPredictionError,
                           .categoryOutOfRange(task: "RTE", position: 0, category: 2, labels: ["entailment", "not_entailment"]))
        }
        XCTAssertThrowsError(try GLUETask.stsb.report(predictions: [.score(.nan)], labels: [.score(1)])) {
            XCTAssertEqual($0 as? GLUEPredictionError, .nonFiniteScore(task: "STS-B", position: 0))
        }
        XCTAssertThrowsError(try GLUETask.stsb.report(predictions: [.category(1)], labels: [.score(1)])) {
            XCTAssertEqual($0 as? GLUEPredictionError, .wrongKind(task: "STS-B", position: 0, expected: "a score (.score)"))
        }
        // Evaluating a test file: no gold labels.
        let test = GLUEDataset(task: .sst2, split: .test, path: "SST-2/test.tsv",
                               examples: [GLUEExample(index: 0, line: 2, sentence1: "Fine .")])
        XCTAssertThrowsError(try test.evaluate([.category(1)])) {
            XCTAssertEqual($0 as? GLUEPredictionError, .missingLabel(task: "SST-2", path: "SST-2/test.tsv", line: 2))
            XCTAssertTrue("\($0)".contains("line 2 of SST-2/test.tsv"))
        }
    }
}
