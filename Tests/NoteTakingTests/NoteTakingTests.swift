import XCTest
import Foundation
import Tensors
import Autograd
import Text
import Transformer
import BertBaseline
@testable import NoteTaking

/// TNF's pieces: rare words and their occurrences, the window a note averages, the moving
/// average, the mixed input and its leakage rule, and the dictionary's life across checkpoints.
final class NoteTakingTests: XCTestCase {
    /// Sequences of whole-word ids: word "a" = [10], "bc" = [11, 12] (two tokens), "d" = [13].
    func sequence(_ words: [[Int32]]) -> TokenSequence {
        var ids: [Int32] = [2], spans: [WordSpan] = []
        for word in words {
            spans.append(WordSpan(start: Int32(ids.count), end: Int32(ids.count + word.count)))
            ids += word
        }
        return TokenSequence(ids: ids + [3], wordSpans: spans, source: "toy", document: 0)
    }

    let a: [Int32] = [10], bc: [Int32] = [11, 12], d: [Int32] = [13]

    func testRareWordsAreCountedWholeAndKeptInTheirBand() {
        let sequences = [sequence([a, bc, d]), sequence([a, a, d]), sequence([a, d]), sequence([d, d])]
        // Counts: a 4, bc 1, d 5.
        let rare = RareWords(counting: sequences, band: 1...4)
        XCTAssertEqual(rare.words, [a, bc], "by decreasing count; d (5) is too frequent")
        XCTAssertEqual(rare.counts, [4, 1])
        XCTAssertEqual(rare.word([11, 12][...]), 1)
        XCTAssertNil(rare.word([11][...]), "a word is all its tokens")
        XCTAssertEqual(rare.sequenceShare(sequences), 0.75)
        XCTAssertEqual(RareWords(counting: sequences, band: 2...4).words, [a])
    }

    func input(_ sequences: [TokenSequence], length T: Int, masked: [Int32] = [], maskId: Int32 = 4) -> ModelInput {
        let batch = Batch(sequences: sequences, length: T, padId: 0)
        var ids = batch.ids
        let originals = masked.map { ids[Int($0)] }
        for position in masked { ids[Int(position)] = maskId }
        return ModelInput(ids: ids, batchSize: sequences.count, length: T, lengths: batch.lengths,
                          wordSpans: batch.wordSpans, maskedPositions: masked, maskedOriginals: originals)
    }

    func testOccurrencesAreFoundInTheOriginalTokensAndMarkedIntactOrNot() {
        let rare = RareWords(band: 1...9, words: [a, bc], counts: [3, 2])
        // [CLS] a bc bc d [SEP] : positions 1 | 2 3 | 4 5 | 6 ; the second bc has its "12" masked.
        let batch = input([sequence([a, bc, bc, d])], length: 10, masked: [5])
        let found = rare.occurrences(in: batch)
        XCTAssertEqual(found, [
            .init(sequence: 0, start: 1, end: 2, word: 0, isIntact: true),
            .init(sequence: 0, start: 2, end: 4, word: 1, isIntact: true),
            .init(sequence: 0, start: 4, end: 6, word: 1, isIntact: false),
        ], "a masked rare word is still recognised, but not intact")
    }

    func testTheWindowIsClippedToTheSequenceAndNeverReadsPadding() {
        // hidden[b, t, h] = 100·b + t (one feature), T = 6, sequence 0 has 4 real tokens.
        let hidden = Tensor(shape: [2, 6, 1], scalars: (0..<12).map { Float(100 * ($0 / 6) + $0 % 6) })
        XCTAssertEqual(windowMean(hidden, sequence: 0, start: 1, end: 2, length: 4, halfWindow: 1), [1])    // mean(0, 1, 2)
        XCTAssertEqual(windowMean(hidden, sequence: 0, start: 0, end: 1, length: 4, halfWindow: 2), [1])    // 0,1,2: clipped left
        XCTAssertEqual(windowMean(hidden, sequence: 0, start: 3, end: 4, length: 4, halfWindow: 2), [2])    // 1,2,3: padding 4,5 skipped
        XCTAssertEqual(windowMean(hidden, sequence: 1, start: 2, end: 4, length: 6, halfWindow: 0), [102.5]) // the word alone
        XCTAssertEqual(windowMean(hidden, sequence: 1, start: 2, end: 4, length: 6, halfWindow: 16), [102.5]) // the whole sequence
    }

    func testTheFirstNoteIsStoredThenAveragedAndABatchsNotesAreAveragedFirst() {
        var dictionary = NoteDictionary(words: 2, width: 2)
        XCTAssertNil(dictionary.note(0))
        dictionary.update([0: [1, 2]], decay: 0.1)
        XCTAssertEqual(Array(dictionary.note(0)!), [1, 2], "the first note is taken as it is")
        dictionary.update([0: [11, 2]], decay: 0.1)
        XCTAssertEqual(Array(dictionary.note(0)!), [2, 2], "0.9·1 + 0.1·11")
        XCTAssertNil(dictionary.note(1))

        // Two occurrences of one word in a batch: their means are averaged, then one update,
        // whatever the order of the sequences.
        let rare = RareWords(band: 1...9, words: [a], counts: [2])
        var settings = NoteTaking.Settings()
        settings.halfWindow = 0
        settings.decay = 0.5
        func noted(_ order: [Int]) -> [Float] {
            let notes = NoteTaking(settings: settings, rareWords: rare, width: 1)
            let sequences = order.map { [sequence([a, d]), sequence([d, a])][$0] }
            let batch = input(sequences, length: 4)
            // hidden = 10 at the first sequence's "a", 30 at the second's.
            var values = [Float](repeating: 0, count: 8)
            for (b, which) in order.enumerated() { values[b * 4 + (which == 0 ? 1 : 2)] = which == 0 ? 10 : 30 }
            notes.observe(hidden: Tensor(shape: [2, 4, 1], scalars: values), input: batch)
            notes.observe(hidden: Tensor(shape: [2, 4, 1], scalars: values.map { $0 * 2 }), input: batch)
            return Array(notes.dictionary.note(0)!)
        }
        XCTAssertEqual(noted([0, 1]), [30], "first note mean(10, 30) = 20, then 0.5·20 + 0.5·40")
        XCTAssertEqual(noted([1, 0]), noted([0, 1]))
    }

    func testMixRowsValuesAndGradients() {
        var rng = SeededGenerator(seed: 4)
        let x = Tensor.normal([2, 3, 4], using: &rng)
        let vectors = Tensor.normal([2, 4], using: &rng)
        let y = mixRows(Variable(x), rows: [1, 5], vectors: vectors, weight: 0.25).value
        for h in 0..<4 {
            XCTAssertEqual(y[0, 1, h], 0.75 * x[0, 1, h] + 0.25 * vectors[0, h], accuracy: 1e-6)
            XCTAssertEqual(y[1, 2, h], 0.75 * x[1, 2, h] + 0.25 * vectors[1, h], accuracy: 1e-6)
            XCTAssertEqual(y[0, 0, h], x[0, 0, h])
        }
        let three = Tensor.normal([3, 4], using: &rng)
        let report = gradcheck(inputs: [x], using: &rng) { v in mixRows(v[0], rows: [1, 5, 1], vectors: three, weight: 0.25) }
        XCTAssert(report.passed, report.description)
    }

    func testNotesAreMixedOnlyIntoIntactOccurrencesWithANoteAndOnlyInTraining() {
        let rare = RareWords(band: 1...9, words: [a, bc], counts: [3, 2])
        let notes = NoteTaking(settings: NoteTaking.Settings(), rareWords: rare, width: 2)
        notes.observe(hidden: Tensor(shape: [1, 8, 2], repeating: 1), input: input([sequence([a, bc])], length: 8))
        // Now both words have the note [1, 1]. A batch: a (intact) bc (its 12 masked) d.
        let batch = input([sequence([a, bc, d])], length: 8, masked: [3])
        let embeddings = Variable(Tensor(shape: [1, 8, 2], repeating: 3))
        let mixed = notes.augment(embeddings, input: batch, isTraining: true).value
        XCTAssertEqual(mixed[0, 1, 0], 2, "a: (1 − 0.5)·3 + 0.5·1")
        XCTAssertEqual([mixed[0, 2, 0], mixed[0, 3, 0]], [3, 3], "bc has a masked token: its note would leak it")
        XCTAssertEqual(mixed[0, 4, 0], 3)
        XCTAssertEqual(notes.augment(embeddings, input: batch, isTraining: false).value.scalars, embeddings.value.scalars,
                       "evaluation reads the plain model")
    }

    // MARK: Through a real run

    static let corpus: Corpus = {
        let all = try! Corpus.embedded()
        var picked: [Document] = []
        for source in all.sources { picked += all.documents.filter { $0.source == source }.prefix(40) }
        return Corpus(documents: picked)
    }()
    static let tokenizer = try! WordPieceTokenizer.embedded()
    static let registry = ModelRegistry.core
        .registering(positions: AbsolutePositions.name, summary: "", factory: AbsolutePositions.factory)
        .registering(input: NoteTaking.name, summary: "", factory: NoteTaking.factory)

    static func configuration(checkpointInterval: Int = 0) -> RunConfiguration {
        var model = ModelConfiguration.preset("tiny", vocabularySize: Self.tokenizer.vocabulary.count)!
        model.input = NoteTaking.name
        var settings = NoteTaking.Settings()
        settings.band = 2...20
        model.options = settings.options
        let training = TrainingSettings(steps: 8, peakLearningRate: 2e-3, warmupSteps: 2, validationInterval: 4,
                                        checkpointInterval: checkpointInterval, seed: 5)
        return RunConfiguration(model: model, training: training, batchSize: 8, dataSeed: 6)
    }

    func testANotesRunCheckpointsItsDictionaryAndResumesBitExactly() throws {
        let whole = try PretrainingRun(configuration: Self.configuration(), registry: Self.registry, corpus: Self.corpus,
                                       tokenizer: Self.tokenizer, outputDirectory: nil)
        let notes = try XCTUnwrap(whole.model.input as? NoteTaking)
        XCTAssertGreaterThan(notes.rareWords.count, 100)
        let reference = try whole.train()
        XCTAssertGreaterThan(notes.mixedOccurrences, 0, "notes were used")
        XCTAssertGreaterThan(notes.dictionary.seen.filter { $0 }.count, 10, "notes were taken")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-notes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try PretrainingRun(configuration: Self.configuration(checkpointInterval: 3), registry: Self.registry,
                                       corpus: Self.corpus, tokenizer: Self.tokenizer, outputDirectory: directory)
        try first.train(until: 5)
        let saved = try Checkpoint(contentsOf: directory.appendingPathComponent("checkpoint.safetensors"))
        XCTAssertEqual(Set(saved.state.keys), ["input.words", "input.counts", "input.notes", "input.seen"])
        let resumed = try PretrainingRun.resume(from: directory, registry: Self.registry, corpus: { _ in Self.corpus })
        let continued = try resumed.train()
        XCTAssertEqual(continued.map(\.loss), reference.map(\.loss), "a resumed --notes run repeats the uninterrupted one")
        let resumedNotes = try XCTUnwrap(resumed.model.input as? NoteTaking)
        XCTAssertEqual(resumedNotes.dictionary.notes.scalars, notes.dictionary.notes.scalars)
        XCTAssertEqual(resumedNotes.dictionary.seen, notes.dictionary.seen)

        // Restored from the checkpoint alone (no corpus): the rare words come back from the state.
        let loaded = try LoadedCheckpoint(contentsOf: directory.appendingPathComponent("checkpoint.safetensors"),
                                          registry: Self.registry, purpose: .training)
        XCTAssertEqual((loaded.model.input as? NoteTaking)?.rareWords.words, notes.rareWords.words)
        XCTAssertNil(try LoadedCheckpoint(contentsOf: directory.appendingPathComponent("checkpoint.safetensors"),
                                          registry: Self.registry).model.input, "prediction and fine-tuning drop the notes")
    }
}

final class RareWordBatchesTests: XCTestCase {
    func testTheSubsetKeepsOnlySequencesWithARareWordAndTheirMasking() throws {
        let run = try PretrainingRun(configuration: NoteTakingTests.configuration(), registry: NoteTakingTests.registry,
                                     corpus: NoteTakingTests.corpus, tokenizer: NoteTakingTests.tokenizer, outputDirectory: nil)
        let notes = try XCTUnwrap(run.model.input as? NoteTaking)
        let all = run.data.validationBatches
        let subset = notes.rareWords.batchesContainingRareWords(all, batchSize: 8)
        let total = all.reduce(0) { $0 + $1.input.batchSize }, kept = subset.reduce(0) { $0 + $1.input.batchSize }
        XCTAssertGreaterThan(kept, 0)
        XCTAssertLessThan(kept, total)
        for batch in subset {
            let occurrences = notes.rareWords.occurrences(in: batch.input)
            XCTAssertEqual(Set(occurrences.map(\.sequence)), Set(0..<batch.input.batchSize), "every kept sequence has one")
            XCTAssertEqual(batch.targets.positions, batch.input.maskedPositions)
            for (position, label) in zip(batch.targets.positions, batch.targets.labels) {
                XCTAssertEqual(batch.input.originalIds[Int(position)], label)
            }
        }
        // Every picked token of the kept sequences is kept: the subset's prediction count is
        // the count in those sequences of the full set.
        let picked = subset.reduce(0) { $0 + $1.targets.labels.count }
        XCTAssertGreaterThan(picked, kept)
    }
}
