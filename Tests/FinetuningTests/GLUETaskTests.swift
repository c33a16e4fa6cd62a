import XCTest
@testable import Finetuning

/// The nine task definitions: files, layouts, labels and metrics as the GLUE distribution has them.
final class GLUETaskTests: XCTestCase {
    func testTheNineTasks() {
        XCTAssertEqual(GLUETask.all.map(\.name), ["CoLA", "SST-2", "MRPC", "STS-B", "QQP", "MNLI", "QNLI", "RTE", "WNLI"])
        XCTAssertEqual(Set(GLUETask.all).count, 9)
        for task in GLUETask.all where task != .mnli {
            XCTAssertEqual(task.splits, [.train, .dev, .test], task.name)
        }
        XCTAssertEqual(GLUETask.mnli.splits.map(\.fileName),
                       ["train.tsv", "dev_matched.tsv", "dev_mismatched.tsv", "test_matched.tsv", "test_mismatched.tsv"])
    }

    func testLabelsAndMetrics() {
        for task in [GLUETask.cola, .sst2, .mrpc, .qqp, .wnli] { XCTAssertEqual(task.labels, ["0", "1"], task.name) }
        XCTAssertEqual(GLUETask.mnli.labels, ["entailment", "neutral", "contradiction"])
        XCTAssertEqual(GLUETask.qnli.labels, ["entailment", "not_entailment"])
        XCTAssertEqual(GLUETask.rte.labels, ["entailment", "not_entailment"])
        XCTAssertEqual(GLUETask.stsb.kind, .regression(range: 0...5))
        XCTAssertEqual(GLUETask.stsb.labels, [])
        XCTAssertEqual(GLUETask.all.filter(\.isRegression), [.stsb])

        XCTAssertEqual(GLUETask.cola.metrics, [.matthewsCorrelation])
        for task in [GLUETask.sst2, .mnli, .qnli, .rte, .wnli] { XCTAssertEqual(task.metrics, [.accuracy], task.name) }
        XCTAssertEqual(GLUETask.mrpc.metrics, [.f1, .accuracy])
        XCTAssertEqual(GLUETask.qqp.metrics, [.f1, .accuracy])
        XCTAssertEqual(GLUETask.stsb.metrics, [.pearson, .spearman])
    }

    func testLayouts() {
        let colaTrain = GLUETask.cola.layout(for: .train)
        XCTAssertFalse(colaTrain.hasHeader)
        XCTAssertEqual(colaTrain.headerlessColumnCount, 4)
        XCTAssertEqual(colaTrain.sentence1, .position(3))
        XCTAssertEqual(colaTrain.label, .position(1))
        XCTAssertEqual(GLUETask.cola.layout(for: .test), .header(sentence1: "sentence", index: "index"))
        XCTAssertEqual(GLUETask.mrpc.layout(for: .dev),
                       .header(sentence1: "#1 String", sentence2: "#2 String", label: "Quality"))
        XCTAssertEqual(GLUETask.qqp.layout(for: .test), .header(sentence1: "question1", sentence2: "question2", index: "id"))
        XCTAssertEqual(GLUETask.mnli.layout(for: .devMismatched).label, .named("gold_label"))
        XCTAssertEqual(GLUETask.stsb.layout(for: .train).label, .named("score"))
        for task in GLUETask.all {
            XCTAssertNil(task.layout(for: task.splits.last!).label, "\(task) test files have no label")
            XCTAssertNotNil(task.layout(for: task.splits.last!).index, "\(task) test files have an index")
            XCTAssertEqual(task.skipsMalformedLines, task == .qqp, task.name)
        }
    }

    func testNamesAreLookedUpLoosely() {
        XCTAssertEqual(GLUETask.named("sst2"), .sst2)
        XCTAssertEqual(GLUETask.named("SST-2"), .sst2)
        XCTAssertEqual(GLUETask.named("sts_b"), .stsb)
        XCTAssertEqual(GLUETask.named("cola"), .cola)
        XCTAssertNil(GLUETask.named("squad"))
        XCTAssertEqual(GLUETask.mnli.resultName(for: .testMismatched), "MNLI-mm")
        XCTAssertEqual(GLUETask.mnli.resultName(for: .devMatched), "MNLI-m")
        XCTAssertEqual(GLUETask.rte.resultName(for: .dev), "RTE")
    }
}
