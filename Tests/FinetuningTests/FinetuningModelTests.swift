import XCTest
import Foundation
import Tensors
import Autograd
import Text
import Transformer
import BertBaseline
@testable import Finetuning

/// The fine-tuning path: pair encoding, the classifier on [CLS], the training loop's
/// determinism, checkpoints of classifiers, and the embedded mini-GLUE.
final class FinetuningModelTests: XCTestCase {
    static let tokenizer = try! WordPieceTokenizer.embedded()
    static let config = ModelConfiguration(vocabularySize: tokenizer.vocabulary.count, hiddenSize: 16, layers: 1,
                                           heads: 2, feedForwardSize: 32, maxSequenceLength: 24)

    func testPairsAreWrappedAndCutLongestFirst() {
        let encoding = SentencePairEncoding(tokenizer: Self.tokenizer, maxLength: 12)
        let v = Self.tokenizer.vocabulary
        let single = encoding.ids(GLUEExample(index: 0, line: 2, sentence1: "the cat sat"))
        XCTAssertEqual(single, [v.clsId] + Self.tokenizer.ids("the cat sat") + [v.sepId])
        let long = "one two three four five six seven eight nine ten"
        let pair = encoding.ids(GLUEExample(index: 0, line: 2, sentence1: long, sentence2: "a b"))
        XCTAssertEqual(pair.count, 12)
        // 12 − 3 specials = 9 tokens: the longer side is cut until the sum fits, "a b" stays whole.
        XCTAssertEqual(pair, [v.clsId] + Self.tokenizer.ids(long).prefix(7) + [v.sepId] + Self.tokenizer.ids("a b") + [v.sepId])
        let both = encoding.ids(GLUEExample(index: 0, line: 2, sentence1: long, sentence2: long))
        XCTAssertEqual(both.filter { $0 == v.sepId }.count, 2)
        XCTAssertEqual(both.count, 12, "both sides cut in turn: 5 and 4")
        let input = encoding.input([single, pair])
        XCTAssertEqual(input.length, 12)
        XCTAssertEqual(input.lengths, [single.count, 12])
        XCTAssertEqual(input.ids[single.count], v.padId)
    }

    func examples(_ count: Int, seed: UInt64, regression: Bool = false) -> [GLUEExample] {
        // A rule a model learns from scratch: label 1 when the first word names a person.
        let words = ["lord", "house", "water", "king", "bread", "prophet", "stone", "servant"]
        let people: Set = ["lord", "king", "prophet", "servant"]
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { i in
            let a = words[Int(rng.next() % 8)], b = words[Int(rng.next() % 8)]
            let person = people.contains(a)
            let label: GLUELabel = regression ? .score(person ? 4.5 : 0.5) : .category(person ? 1 : 0)
            return GLUEExample(index: i, line: i + 2, sentence1: "\(a) of the people", sentence2: "\(b) in the city", label: label)
        }
    }

    func dataset(_ task: GLUETask, _ split: GLUESplit, _ examples: [GLUEExample]) -> GLUEDataset {
        GLUEDataset(task: task, split: split, path: "\(split.rawValue).tsv", examples: examples)
    }

    func classifier(_ kind: GLUETask.Kind, seed: UInt64) throws -> SequenceClassifier {
        try SequenceClassifier(config: Self.config, positions: AbsolutePositions.factory, kind: kind, seed: seed)
    }

    func testTheHeadReadsCLSThroughTanhAndItsGradientsAreChecked() throws {
        let model = try classifier(.classification(labels: ["0", "1", "2"]), seed: 3)
        XCTAssertEqual(model.outputCount, 3)
        XCTAssertNotNil(model.parameters["classifier.dense.weight"])
        XCTAssertEqual(model.parameters["classifier.output.weight"]?.variable.shape, [16, 3])
        let encoding = SentencePairEncoding(tokenizer: Self.tokenizer, maxLength: 24)
        let input = encoding.input(examples(3, seed: 1).map(encoding.ids))
        // The head by hand from the encoder's [CLS] states, and finite differences through it.
        var none: SeededGenerator? = nil
        let hidden = model.encoder(input, rng: &none).hidden.value                         // [B, T, H]
        let cls = Tensor(shape: [3, 16], scalars: (0..<3).flatMap { b in hidden.scalars[(b * input.length * 16)..<(b * input.length * 16 + 16)] })
        var noDropout: SeededGenerator? = nil
        let outputs = model(input, rng: &noDropout).value
        let byHand = linear(tanh(linear(Variable(cls), weight: model.dense.weight, bias: model.dense.bias)),
                            weight: model.output.weight, bias: model.output.bias).value
        XCTAssertEqual(outputs.scalars, byHand.scalars)
        var rng = SeededGenerator(seed: 4)
        let report = gradcheck(inputs: [cls, model.dense.weight.value, model.output.weight.value], using: &rng) { v in
            crossEntropy(linear(tanh(linear(v[0], weight: v[1], bias: model.dense.bias)), weight: v[2], bias: model.output.bias),
                         targets: [0, 2, 1])
        }
        XCTAssert(report.passed, report.description)
    }

    func testRegressionLossIsTheMeanSquaredError() throws {
        let model = try classifier(.regression(range: 0...5), seed: 5)
        let encoding = SentencePairEncoding(tokenizer: Self.tokenizer, maxLength: 24)
        let input = encoding.input(examples(4, seed: 2).map(encoding.ids))
        var none: SeededGenerator? = nil
        let outputs = model(input, rng: &none).value.scalars
        let labels: [GLUELabel] = [.score(1), .score(2), .score(0.5), .score(4)]
        var none2: SeededGenerator? = nil
        let loss = model.loss(input, labels: labels, rng: &none2).value.item
        let expected = zip(outputs, [1, 2, 0.5, 4] as [Float]).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 4
        XCTAssertEqual(loss, expected, accuracy: 1e-6)
    }

    func testFinetuningLearnsARuleAndTheSameSeedGivesTheSameScores() throws {
        let task = GLUETask(name: "toy", kind: .classification(labels: ["0", "1"]), metrics: [.accuracy],
                            splits: [.train, .dev, .test], labelledLayout: .header(sentence1: "a", label: "l"),
                            testLayout: .header(sentence1: "a", label: "l"), skipsMalformedLines: false)
        let train = dataset(task, .train, examples(256, seed: 10)), dev = dataset(task, .dev, examples(64, seed: 11))
        var settings = FinetuningSettings()
        // From scratch the model first sits on a plateau (loss ln 2) for about 40 updates.
        settings.epochs = 12
        settings.peakLearningRate = 3e-3
        let finetuner = Finetuner(tokenizer: Self.tokenizer, settings: settings)
        let first = try finetuner.run(try classifier(task.kind, seed: 7), train: train, dev: dev, test: dev, seed: 7)
        XCTAssertGreaterThan(first.dev[.accuracy]!, 0.9, "the rule is learnable: \(first.dev)")
        XCTAssertLessThan(first.epochs.last!.trainingLoss, first.epochs.first!.trainingLoss)
        let again = try finetuner.run(try classifier(task.kind, seed: 7), train: train, dev: dev, test: dev, seed: 7)
        XCTAssertEqual(again.epochs.map(\.trainingLoss), first.epochs.map(\.trainingLoss))
        XCTAssertEqual(again.testPredictions, first.testPredictions)
        XCTAssertEqual(again.test, first.test)
        let other = try finetuner.run(try classifier(task.kind, seed: 8), train: train, dev: dev, test: nil, seed: 8)
        XCTAssertNotEqual(other.epochs.map(\.trainingLoss), first.epochs.map(\.trainingLoss))
    }

    func testEarlyStoppingKeepsTheBestDevelopmentEpoch() throws {
        let task = GLUETask(name: "toy", kind: .regression(range: 0...5), metrics: [.pearson, .spearman],
                            splits: [.train, .dev], labelledLayout: .header(sentence1: "a", label: "l"),
                            testLayout: .header(sentence1: "a", label: "l"), skipsMalformedLines: false)
        var settings = FinetuningSettings()
        settings.epochs = 3
        settings.earlyStopping = true
        let result = try Finetuner(tokenizer: Self.tokenizer, settings: settings).run(
            try classifier(task.kind, seed: 1), train: dataset(task, .train, examples(64, seed: 3, regression: true)),
            dev: dataset(task, .dev, examples(32, seed: 4, regression: true)), test: nil, seed: 1)
        let best = result.epochs.max { $0.dev.score < $1.dev.score }!
        XCTAssertEqual(result.chosenEpoch, best.epoch)
        XCTAssertEqual(result.dev, best.dev)
    }

    func testPretrainedWeightsAreCopiedAndTheHeadComesFromTheSeed() throws {
        let model = try PretrainingModel(config: Self.config, seed: 9, positions: AbsolutePositions.factory)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-ft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("checkpoint.safetensors")
        let run = RunConfiguration(model: Self.config, training: TrainingSettings(steps: 1, peakLearningRate: 1e-3, warmupSteps: 0,
                                                                                 validationInterval: 1, seed: 9),
                                   batchSize: 2, dataSeed: 1)
        try Checkpoint(config: run, step: 0, rng: SeededGenerator(seed: 1), parameters: model.parameters.values,
                       metadata: [Checkpoint.vocabularyKey: Self.tokenizer.vocabulary.fileText]).write(to: url)
        let registry = ModelRegistry.core.registering(positions: AbsolutePositions.name, summary: "", factory: AbsolutePositions.factory)
        let loaded = try LoadedCheckpoint(contentsOf: url, registry: registry)
        let a = try SequenceClassifier(pretrained: loaded, registry: registry, kind: .classification(labels: ["0", "1"]), seed: 1)
        let b = try SequenceClassifier(pretrained: loaded, registry: registry, kind: .classification(labels: ["0", "1"]), seed: 2)
        XCTAssertEqual(a.parameters["encoder.layer.0.ffn.output.weight"]?.variable.value.scalars,
                       model.parameters["encoder.layer.0.ffn.output.weight"]?.variable.value.scalars)
        XCTAssertNil(a.parameters["mlm.bias"], "the masked-LM head stays behind")
        XCTAssertNotEqual(a.dense.weight.value.scalars, b.dense.weight.value.scalars)

        // A fine-tuned classifier's checkpoint rebuilds the same model.
        let classifierURL = folder.appendingPathComponent("classifier.safetensors")
        let configuration = ClassifierConfiguration(encoder: a.config, task: "toy", labels: ["0", "1"], isRegression: false,
                                                    settings: FinetuningSettings(), seed: 1, pretrained: url.path)
        try ClassifierCheckpoint.write(a, configuration: configuration, tokenizer: Self.tokenizer, to: classifierURL)
        let (back, backConfiguration, _) = try ClassifierCheckpoint.read(classifierURL, registry: registry)
        XCTAssertEqual(backConfiguration, configuration)
        let encoding = SentencePairEncoding(tokenizer: Self.tokenizer, maxLength: 24)
        let input = encoding.input(examples(3, seed: 5).map(encoding.ids))
        XCTAssertEqual(back.predict(input), a.predict(input))
        XCTAssertThrowsError(try ClassifierCheckpoint.read(url, registry: registry)) { error in
            XCTAssert("\(error)".contains("not a fine-tuned classifier"), "\(error)")
        }
    }

    func testMiniGLUEShipsFiveTasksWithTheirBaselines() throws {
        XCTAssertEqual(MiniGLUE.taskNames.count, 5)
        for name in MiniGLUE.taskNames {
            let reader = try MiniGLUE.reader(name)
            let sizes = try [GLUESplit.train, .dev, .test].map { try reader.read($0).examples.count }
            XCTAssertEqual(sizes, [3000, 500, 1000], name)
            XCTAssert(try reader.read(.test).examples.allSatisfy { $0.label != nil }, "\(name): test is labelled")
            let baselines = try MiniGLUE.baselines(name)
            XCTAssertLessThan(baselines.bagOfWords, 95, "\(name): a task bag-of-words solves is too easy")
        }
        XCTAssertEqual(try MiniGLUE.task("paraphrase").metrics, [.f1, .accuracy])
        XCTAssertTrue(try MiniGLUE.task("similarity").isRegression)
        XCTAssertEqual(try MiniGLUE.baselines("paraphrase").bagOfWords, 100 * (0.8854 + 0.884) / 2, accuracy: 1e-9)
        XCTAssertThrowsError(try MiniGLUE.task("sentiment")) { error in
            XCTAssert("\(error)".contains("word-order, paraphrase"), "\(error)")
        }
    }

    /// A constant answer's best score, from the test labels and the task's own metrics:
    /// balanced splits give either class 50% accuracy and MCC 0; always answering "same verse"
    /// gives paraphrase F1 2/3 at accuracy 1/2, above the committed majority rule's F1 0.
    func testTheBestConstantAnswerIsTheChanceLevel() throws {
        let expected = ["word-order": 0, "paraphrase": 100 * (2.0 / 3 + 0.5) / 2, "definition": 50,
                        "continuation": 50, "similarity": 0]
        for (name, score) in expected {
            XCTAssertEqual(try MiniGLUE.constantBaseline(name), score, accuracy: 1e-9, name)
        }
        XCTAssertEqual(try MiniGLUE.baselines("paraphrase").trivial, 25, accuracy: 1e-9, "majority's F1 0, accuracy 50")
        XCTAssertGreaterThan(try MiniGLUE.constantBaseline("paraphrase"), try MiniGLUE.baselines("paraphrase").trivial)
    }

    /// A report's table: per task its scores and the three baseline columns, then the averages
    /// (paraphrase's majority 25.0 and constant answer 58.3; word order's 0.0 and 0.0).
    func testTheTableRowsCarryTheBaselineColumns() throws {
        let report = MiniGLUEReport(tasks: [
            .init(task: "paraphrase", metrics: ["F1", "accuracy"], scores: [60, 62], devScores: [0, 0]),
            .init(task: "word-order", metrics: ["MCC"], scores: [40, 50], devScores: [0, 0]),
        ], seeds: [1, 2], settings: FinetuningSettings())
        let rows = try MiniGLUETable.rows(report)
        XCTAssertEqual(rows.count, 3)
        XCTAssert(rows.allSatisfy { $0.count == MiniGLUETable.headers.count }, "\(rows)")
        XCTAssertEqual(Array(rows[0].prefix(5)), ["paraphrase", "F1 & accuracy", "61.0", "60.0–62.0", "60.0, 62.0"])
        let paraphrase = try MiniGLUE.baselines("paraphrase"), wordOrder = try MiniGLUE.baselines("word-order")
        XCTAssertEqual(Array(rows[0].suffix(3)), ["25.0", "58.3", MiniGLUETable.format(paraphrase.bagOfWords)])
        XCTAssertEqual(Array(rows[1].suffix(3)), ["0.0", "0.0", MiniGLUETable.format(wordOrder.bagOfWords)])
        XCTAssertEqual(rows[2], ["average (Tenfold score)", "", "53.0", "", "", "12.5", "29.2",
                                 MiniGLUETable.format((paraphrase.bagOfWords + wordOrder.bagOfWords) / 2)])
    }

    func testTheReportsMedianAndAverage() {
        let report = MiniGLUEReport(tasks: [
            .init(task: "a", metrics: ["accuracy"], scores: [50, 70, 60], devScores: [0, 0, 0]),
            .init(task: "b", metrics: ["MCC"], scores: [10, 20], devScores: [0, 0]),
        ], seeds: [1, 2, 3], settings: FinetuningSettings())
        XCTAssertEqual(report.tasks[0].median, 60)
        XCTAssertEqual(report.tasks[1].median, 15)
        XCTAssertEqual(report.average, 37.5)
        XCTAssertEqual(report.tasks[0].minimum, 50)
        XCTAssertEqual(report.tasks[0].maximum, 70)
    }
}
