import XCTest
import Foundation
import Tensors
import Autograd
import Text
import Transformer
import BertBaseline
@testable import NoteTaking

/// One TNF training step of Tenfold's BERT-A with NoteTaking on its input seam, against the
/// same step written independently in PyTorch from Docs/Methods/TNF.md
/// (scripts/make_tnf_fixture.py): the mixed input and the hidden states, the loss to 1e-4
/// relative, every parameter gradient to 1e-3 of its scale, and the note dictionary after the
/// update to 1e-5. The batch covers a two- and a three-token rare word, one rare word twice
/// (once intact, once masked), windows clipped at a sequence's start, at its end and at its
/// padding, a rare word picked but kept, one replaced, one not seen before, one not in the batch,
/// and a corrupted token that spells a rare word only in the corrupted ids.
final class TNFReferenceTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tnf_reference.safetensors")

    struct Fixture {
        let t: [String: Tensor]
        let metadata: [String: String]
        func int(_ key: String) -> Int { Int(metadata[key]!)! }
        func float(_ key: String) -> Float { Float(metadata[key]!)! }
        func ints(_ key: String) -> [Int32] { t[key]!.scalars.map { Int32($0) } }
        /// The rows of a `[R, C]` tensor padded with −1, without the padding.
        func rows(_ key: String) -> [[Int32]] {
            let tensor = t[key]!, width = tensor.shape[1]
            return (0..<tensor.shape[0]).map { r in
                tensor.scalars[(r * width)..<((r + 1) * width)].filter { $0 >= 0 }.map { Int32($0) }
            }
        }

        /// The fixture's batch: corrupted ids, word spans, picked positions with their originals.
        var batch: TrainingBatch {
            let (B, T) = (int("B"), int("T"))
            let spans = zip(rows("input.word_starts"), rows("input.word_ends")).map { starts, ends in
                zip(starts, ends).map { WordSpan(start: $0, end: $1) }
            }
            let input = ModelInput(ids: ints("input.ids"), batchSize: B, length: T,
                                   lengths: t["input.lengths"]!.scalars.map { Int($0) }, wordSpans: spans,
                                   maskedPositions: ints("input.masked_positions"),
                                   maskedOriginals: ints("input.masked_originals"))
            return TrainingBatch(input: input, targets: MaskedTargets(positions: ints("input.masked_positions"),
                                                                      labels: ints("targets.labels")))
        }

        /// NoteTaking with the fixture's rare words, k, γ, λ and its dictionary before the step.
        func noteTaking() throws -> NoteTaking {
            var settings = NoteTaking.Settings()
            settings.halfWindow = int("k")
            settings.decay = float("gamma")
            settings.weight = float("lambda")
            let words = rows("notes.words")
            let notes = NoteTaking(settings: settings,
                                   rareWords: RareWords(band: settings.band, words: words,
                                                        counts: t["notes.counts"]!.scalars.map { Int($0) }),
                                   width: int("H"))
            try notes.restore(state: ["words": t["notes.words"]!, "counts": t["notes.counts"]!,
                                      "notes": t["notes.before"]!, "seen": t["notes.seen_before"]!])
            return notes
        }
    }

    func load() throws -> Fixture {
        let file = try SafetensorsFile(contentsOf: Self.fixture)
        return Fixture(t: file.tensors, metadata: file.metadata)
    }

    /// The leakage rule is exercised, not just allowed: the batch has rare words with a note and
    /// a picked token, whose inputs stay `E[id] + p`, and intact ones whose inputs change — in
    /// Tenfold's augmentation and in the fixture alike. And the notes move the loss far more than
    /// the tolerance, so a model that skipped them would fail the comparison below.
    func testTheFixtureExercisesTheLeakageRuleAndTheMixing() throws {
        let fixture = try load()
        let t = fixture.t
        let (B, T, H) = (fixture.int("B"), fixture.int("T"), fixture.int("H"))
        let batch = fixture.batch
        let notes = try fixture.noteTaking()
        let seenBefore = t["notes.seen_before"]!.scalars.map { $0 != 0 }

        // E[id] + p of the corrupted ids, as the encoder computes it before the input seam.
        let (E, P) = (t["embeddings.word"]!, t["embeddings.position"]!)
        var plain = [Float](repeating: 0, count: B * T * H)
        for b in 0..<B {
            for i in 0..<T {
                let id = Int(batch.input.ids[b * T + i])
                for h in 0..<H { plain[(b * T + i) * H + h] = E[id, h] + P[i, h] }
            }
        }
        let plainTensor = Tensor(shape: [B, T, H], scalars: plain)
        let mixed = notes.augment(Variable(plainTensor), input: batch.input, isTraining: true).value
        let expectedMixed = t["output.mixed"]!
        let (mixError, mixIndex) = relativeDifference(mixed, expectedMixed)
        print("TNF vs PyTorch: mixed input max relative error \(mixError)")
        XCTAssertLessThanOrEqual(mixError, 1e-5, "mixed input [\(mixIndex)]: \(mixed.pointer[mixIndex]) vs \(expectedMixed.pointer[mixIndex])")

        func rowsDiffer(_ a: Tensor, _ b: Tensor, _ occurrence: RareWords.Occurrence) -> Bool {
            (occurrence.start..<occurrence.end).contains { i in
                (0..<H).contains { h in abs(a[occurrence.sequence, i, h] - b[occurrence.sequence, i, h]) > 1e-3 }
            }
        }
        let occurrences = notes.rareWords.occurrences(in: batch.input)
        let leaked = occurrences.filter { !$0.isIntact && seenBefore[$0.word] }
        let noted = occurrences.filter { $0.isIntact && seenBefore[$0.word] }
        XCTAssertFalse(leaked.isEmpty, "the fixture has a rare word with a note and a picked token")
        XCTAssertFalse(noted.isEmpty, "the fixture has an intact rare word with a note")
        for occurrence in leaked {
            for i in occurrence.start..<occurrence.end {
                for h in 0..<H {
                    XCTAssertEqual(mixed[occurrence.sequence, i, h], plainTensor[occurrence.sequence, i, h],
                                   "a picked rare word keeps its plain input (\(occurrence))")
                }
            }
            XCTAssertFalse(rowsDiffer(expectedMixed, plainTensor, occurrence), "the fixture agrees (\(occurrence))")
        }
        for occurrence in noted {
            XCTAssert(rowsDiffer(mixed, plainTensor, occurrence), "an intact rare word with a note is mixed (\(occurrence))")
            XCTAssert(rowsDiffer(expectedMixed, plainTensor, occurrence), "the fixture agrees (\(occurrence))")
        }
        XCTAssertEqual(notes.mixedOccurrences, noted.count)

        let (with, without) = (t["output.loss"]!.item, t["output.loss_without_notes"]!.item)
        XCTAssertGreaterThan(abs(with - without) / abs(with), 1e-2, "the notes change the loss well beyond the tolerance")
    }

    func testOneStepWithNotesMatchesPyTorch() throws {
        let fixture = try load()
        let t = fixture.t
        let (V, H, L, A, F, T) = (fixture.int("V"), fixture.int("H"), fixture.int("L"), fixture.int("A"),
                                  fixture.int("F"), fixture.int("T"))
        // Dropout 0 with a dropout generator: the encoder runs as in training (the input seam
        // mixes notes only then), and nothing is dropped.
        let config = ModelConfiguration(vocabularySize: V, hiddenSize: H, layers: L, heads: A,
                                        feedForwardSize: F, maxSequenceLength: T, dropout: 0)
        let model = try PretrainingModel(config: config, seed: 0, positions: AbsolutePositions.factory)
        for p in model.parameters.parameters {
            let value = try XCTUnwrap(t[p.name], "the fixture has no \(p.name)")
            XCTAssertEqual(value.shape, p.variable.shape, p.name)
            p.variable.assign(value)
        }
        XCTAssertEqual(model.parameters.parameters.count * 2 + 17, t.count, "every fixture tensor is used")
        let notes = try fixture.noteTaking()
        model.encoder.input = notes
        let batch = fixture.batch

        var dropout: SeededGenerator? = SeededGenerator(seed: 1)
        let output = model.loss(batch, dropout: &dropout)
        XCTAssertGreaterThan(notes.mixedOccurrences, 0, "the training pass mixed notes in")

        let (hiddenError, hiddenIndex) = relativeDifference(output.hidden.value, t["output.hidden"]!)
        print("TNF vs PyTorch: hidden states max relative error \(hiddenError)")
        XCTAssertLessThanOrEqual(hiddenError, 1e-4, "hidden [\(hiddenIndex)]: \(output.hidden.value.pointer[hiddenIndex]) vs \(t["output.hidden"]!.pointer[hiddenIndex])")
        let expectedLoss = t["output.loss"]!.item
        let lossError = abs(output.loss.value.item - expectedLoss) / abs(expectedLoss)
        print("TNF vs PyTorch: loss \(output.loss.value.item) vs \(expectedLoss), relative error \(lossError)")
        XCTAssertLessThanOrEqual(lossError, 1e-4, "loss \(output.loss.value.item) vs \(expectedLoss)")

        output.loss.backward()
        var report: [String] = []
        var worst: (error: Float, name: String, index: Int) = (0, "", 0)
        for p in model.parameters.parameters {
            let expected = t["grad.\(p.name)"]!
            let gradient = p.variable.gradient ?? Tensor.zeros(p.variable.shape)
            if p.name.hasSuffix("attention.key.bias") {
                // b^K adds q_i·b^K to a whole row of logits, which softmax ignores: 0 in exact
                // arithmetic, rounding noise in both implementations (the others are ≥ 0.1 here).
                let noise = max(gradient.scalars.map(abs).max()!, expected.scalars.map(abs).max()!)
                if noise > 1e-5 { report.append("\(p.name) should be ~0, is \(noise) at most") }
                continue
            }
            let (error, index) = relativeDifference(gradient, expected)
            if error > worst.error { worst = (error, p.name, index) }
            if error > 1e-3 {
                report.append("\(p.name)[\(index)]: \(gradient.pointer[index]) vs \(expected.pointer[index]) (relative \(error))")
            }
        }
        print("TNF vs PyTorch: worst gradient relative error \(worst.error) (\(worst.name)[\(worst.index)])")
        XCTAssert(report.isEmpty, "gradients differ from PyTorch:\n" + report.joined(separator: "\n"))

        // The update after the step, from the step's hidden states (as the trainer calls it).
        model.observe(output)
        let after = notes.dictionary.notes, expectedAfter = t["notes.after"]!
        let (noteError, noteIndex) = relativeDifference(after, expectedAfter)
        print("TNF vs PyTorch: notes after the step max relative error \(noteError)")
        XCTAssertLessThanOrEqual(noteError, 1e-5, "note [\(noteIndex / H), \(noteIndex % H)]: \(after.pointer[noteIndex]) vs \(expectedAfter.pointer[noteIndex])")
        XCTAssertEqual(notes.dictionary.seenTensor.scalars, t["notes.seen_after"]!.scalars, "which words have a note")
        XCTAssertNotEqual(t["notes.seen_before"]!.scalars, t["notes.seen_after"]!.scalars, "a word got its first note")
    }
}
