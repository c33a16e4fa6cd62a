import XCTest
import Foundation
import Tensors
import Autograd
import Text
import Transformer      // not @testable: only what a chapter's module can see
import BertBaseline

/// A toy objective: predict each token's own id at every real position, from the final
/// hidden states through the tied word table plus a bias of its own. It keeps a state buffer
/// (how many tokens it has trained on) to show that an objective's state resumes too.
final class OwnIdObjective: PretrainingObjective {
    static let name = "own-id"
    let encoder: Encoder
    let bias: Variable                 // [V]
    private(set) var seen = Tensor.zeros([1])

    init(_ context: ObjectiveContext) {
        encoder = context.encoder
        bias = context.seam.store.zeros("own_id.bias", [context.seam.config.vocabularySize])
    }

    var maskingPolicy: MaskingPolicy { .bert }

    func loss(_ batch: TrainingBatch, dropout: inout SeededGenerator?,
              sampling: inout SeededGenerator) -> ObjectiveOutput {
        let input = batch.input
        let hidden = encoder(input, rng: &dropout).hidden                        // [B, T, H]
        let positions = (0..<input.batchSize).flatMap { b in
            (0..<input.lengths[b]).map { Int32(b * input.length + $0) }
        }
        let rows = gatherRows(hidden.reshaped([-1, encoder.config.hiddenSize]), indices: positions)   // [N, H]
        let logits = linear(rows, weight: encoder.wordEmbeddings, bias: bias, transposedWeight: true)  // [N, V]
        let loss = crossEntropy(logits, targets: positions.map { input.ids[Int($0)] })
        if dropout != nil { seen = Tensor(shape: [1], scalars: [seen.scalars[0] + Float(positions.count)]) }
        return ObjectiveOutput(loss: loss, metrics: ["own_id": loss.value.item], count: positions.count,
                               hidden: hidden, input: input)
    }

    var state: [String: Tensor] { ["seen": seen] }
    func restore(state: [String: Tensor]) throws {
        guard let value = state["seen"], value.shape == [1] else {
            throw ConfigurationError(message: "own-id needs its 'seen' buffer")
        }
        seen = value
    }
}

/// A toy input augmentation: adds a remembered vector `c [H]` to the embeddings of tokens with
/// an even id, never at masked positions; after each update `c ← 0.9·c + 0.1·(mean final
/// hidden state)`. Its vector is state, not a parameter.
final class EvenTokenMarker: InputAugmentation {
    static let name = "marker"
    private(set) var vector: Tensor     // [H]

    init(_ context: SeamContext) {
        vector = Tensor(shape: [context.config.hiddenSize], repeating: 0.5)
    }

    func augment(_ embeddings: Variable, input: ModelInput, isTraining: Bool) -> Variable {
        let (B, T, H) = (input.batchSize, input.length, vector.count)
        let masked = Set(input.maskedPositions)
        var added = [Float](repeating: 0, count: B * T * H)
        for position in 0..<(B * T) where input.ids[position] % 2 == 0 && !masked.contains(Int32(position)) {
            for h in 0..<H { added[position * H + h] = vector.scalars[h] }
        }
        return embeddings + Variable(Tensor(shape: [B, T, H], scalars: added))
    }

    func observe(hidden: Tensor, input: ModelInput) {
        let H = vector.count, rows = hidden.count / H
        let values = hidden.scalars
        vector = Tensor(shape: [H], scalars: (0..<H).map { h in
            let mean = (0..<rows).reduce(Float(0)) { $0 + values[$1 * H + h] } / Float(rows)
            return 0.9 * vector.scalars[h] + 0.1 * mean
        })
    }

    var state: [String: Tensor] { ["vector": vector] }
    func restore(state: [String: Tensor]) throws {
        guard let value = state["vector"], value.shape == vector.shape else {
            throw ConfigurationError(message: "the marker needs its 'vector' buffer")
        }
        vector = value
    }
}

/// The three seams used from outside Transformer: a new objective and a new input
/// augmentation train through `PretrainingRun`, checkpoint their state, and resume bit-exactly.
final class SeamTests: XCTestCase {
    static let registry = ModelRegistry.core
        .registering(positions: AbsolutePositions.name, summary: "BERT-A", factory: AbsolutePositions.factory)
        .registering(input: EvenTokenMarker.name, summary: "toy", factory: { EvenTokenMarker($0) })
        .registering(objective: OwnIdObjective.name, summary: "toy", factory: { OwnIdObjective($0) })

    static let corpus: Corpus = {
        let all = try! Corpus.embedded()
        var picked: [Document] = []
        for source in all.sources { picked += all.documents.filter { $0.source == source }.prefix(30) }
        return Corpus(documents: picked)
    }()
    static let tokenizer = try! WordPieceTokenizer.embedded()

    func configuration(checkpointInterval: Int = 0) -> RunConfiguration {
        var model = ModelConfiguration.preset("tiny", vocabularySize: Self.tokenizer.vocabulary.count)!
        model.input = EvenTokenMarker.name
        model.objective = OwnIdObjective.name
        let training = TrainingSettings(steps: 8, peakLearningRate: 2e-3, warmupSteps: 2, validationInterval: 4,
                                        checkpointInterval: checkpointInterval, seed: 11)
        return RunConfiguration(model: model, training: training, batchSize: 4, dataSeed: 12)
    }

    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-seams-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testAToyObjectiveAndInputAugmentationTrainCheckpointAndResumeBitExactly() throws {
        let whole = try PretrainingRun(configuration: configuration(), registry: Self.registry, corpus: Self.corpus,
                                       tokenizer: Self.tokenizer, outputDirectory: nil)
        XCTAssert(whole.model.input is EvenTokenMarker && whole.model.objective is OwnIdObjective)
        let reference = try whole.train()
        XCTAssertEqual(reference.map(\.step), Array(1...8))
        XCTAssertEqual(reference.first?.metrics["own_id"], reference.first?.loss, "the objective's named metric")
        XCTAssertNotNil(reference.last?.validationMetrics?["own_id"])
        let referenceState = whole.model.state
        XCTAssertNotEqual(referenceState["input.vector"]?.scalars, Array(repeating: 0.5, count: 32),
                          "observe() ran after the updates")
        let trainedTokens = (1...8).map { whole.data.trainingBatch(step: $0).tokenCount }.reduce(0, +)
        XCTAssertEqual(referenceState["objective.seen"]?.scalars, [Float(trainedTokens)],
                       "the objective counted every training token, and no validation token")

        let directory = temporaryDirectory()
        let first = try PretrainingRun(configuration: configuration(checkpointInterval: 3), registry: Self.registry,
                                       corpus: Self.corpus, tokenizer: Self.tokenizer, outputDirectory: directory)
        try first.train(until: 5)
        let saved = try Checkpoint(contentsOf: directory.appendingPathComponent("checkpoint.safetensors"))
        XCTAssertEqual(saved.step, 3)
        XCTAssertEqual(Set(saved.state.keys), ["input.vector", "objective.seen"])
        XCTAssertNotNil(saved.parameters["own_id.bias"], "the objective's parameter is a parameter")

        let resumed = try PretrainingRun.resume(from: directory, registry: Self.registry, corpus: { _ in Self.corpus })
        XCTAssertEqual(resumed.trainer.completedSteps, 3)
        let continued = try resumed.train()
        XCTAssertEqual(continued.map(\.loss), reference.map(\.loss), "losses after resuming differ")
        XCTAssertEqual(continued.compactMap(\.validationLoss), reference.compactMap(\.validationLoss))
        XCTAssertEqual(resumed.model.state["input.vector"]?.scalars, referenceState["input.vector"]?.scalars)
        XCTAssertEqual(resumed.model.state["objective.seen"]?.scalars, referenceState["objective.seen"]?.scalars)
        for (name, value) in whole.model.parameters.values {
            XCTAssertEqual(resumed.model.parameters.values[name]?.scalars, value.scalars, name)
        }
        let logged = MetricsLog.read(directory.appendingPathComponent("metrics.jsonl"))
        XCTAssertEqual(logged.map(\.step), Array(1...8))
        XCTAssertEqual(logged.last?.metrics["own_id"], reference.last?.loss)
    }

    func testTheInputSeamSeesTheBatchAsItWasBeforeCorruption() throws {
        let run = try PretrainingRun(configuration: configuration(), registry: Self.registry, corpus: Self.corpus,
                                     tokenizer: Self.tokenizer, outputDirectory: nil)
        let batch = run.data.trainingBatch(step: 1)
        let input = batch.input
        XCTAssertEqual(input.maskedPositions, batch.targets.positions)
        XCTAssertEqual(input.maskedOriginals, batch.targets.labels)
        let original = input.originalIds
        let masked = Set(input.maskedPositions.map(Int.init))
        for position in input.ids.indices where !masked.contains(position) {
            XCTAssertEqual(original[position], input.ids[position])
        }
        XCTAssert(input.maskedPositions.contains { input.ids[Int($0)] != original[Int($0)] }, "some tokens were corrupted")
        XCTAssertEqual(input.wordSpans.count, input.batchSize)
        XCTAssert(input.wordSpans.allSatisfy { !$0.isEmpty }, "every packed sequence has its word spans")
    }

    func testInferenceLeavesTheInputAugmentationOut() throws {
        let directory = temporaryDirectory()
        let run = try PretrainingRun(configuration: configuration(checkpointInterval: 2), registry: Self.registry,
                                     corpus: Self.corpus, tokenizer: Self.tokenizer, outputDirectory: directory)
        try run.train(until: 2)
        let url = directory.appendingPathComponent("checkpoint.safetensors")
        let inference = try LoadedCheckpoint(contentsOf: url, registry: Self.registry)
        XCTAssertNil(inference.model.input)
        XCTAssert(inference.model.objective is OwnIdObjective)
        let training = try LoadedCheckpoint(contentsOf: url, registry: Self.registry, purpose: .training)
        XCTAssertEqual(training.model.state["input.vector"]?.scalars, run.model.state["input.vector"]?.scalars)
        // A registry that lacks a seam's name says which names it knows.
        XCTAssertThrowsError(try LoadedCheckpoint(contentsOf: url, registry: .core)) { error in
            XCTAssert("\(error)".contains("'bert-a' is not known"), "\(error)")
        }
    }
}

/// Two networks in one store (ELECTRA's generator beside its discriminator, chapter 5): a
/// narrower encoder reads the main one's word table through a projection, both train it.
final class SharedTableTests: XCTestCase {
    func testASecondEncoderReadsTheFirstOnesTableThroughAProjection() {
        let main = ModelConfiguration(vocabularySize: 30, hiddenSize: 16, layers: 1, heads: 2, feedForwardSize: 32,
                                      maxSequenceLength: 8, dropout: 0)
        var small = main
        small.hiddenSize = 8
        small.heads = 1
        small.feedForwardSize = 16
        let store = ParameterStore(seed: 3)
        let encoder = Encoder(store, config: main, positions: AbsolutePositions.factory)
        let generator = Encoder(store.scoped("generator"), config: small, positions: AbsolutePositions.factory,
                                sharedWordEmbeddings: encoder.wordEmbeddings)
        XCTAssertNil(store["generator.embeddings.word"], "the table is shared, not copied")
        XCTAssertEqual(store["generator.embeddings.projection.weight"]?.variable.shape, [16, 8])
        XCTAssertEqual(store["generator.embeddings.position"]?.variable.shape, [8, 8], "positions are the generator's own")
        let input = ModelInput(ids: [2, 7, 9, 3, 2, 11, 3, 0], batchSize: 2, length: 4, lengths: [4, 3])
        var none: SeededGenerator? = nil
        let a = encoder(input, rng: &none).hidden, b = generator(input, rng: &none).hidden
        XCTAssertEqual(a.shape, [2, 4, 16])
        XCTAssertEqual(b.shape, [2, 4, 8])
        sum(b).backward()
        XCTAssertNotNil(encoder.wordEmbeddings.gradient, "the generator's loss reaches the shared table")
    }
}
