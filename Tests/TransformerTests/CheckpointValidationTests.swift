import XCTest
import Foundation
import Tensors
import Text
@testable import Transformer
import BertBaseline

/// A checkpoint is input like any other: every value in it is checked before it is used, and a
/// damaged or edited one is refused with one sentence that names the file — never a trap, never
/// a model that quietly computes something else. (README, "What Tenfold promises".)
final class CheckpointValidationTests: XCTestCase {
    static let registry = PretrainingRunTests.registry

    /// A real run folder after 2 updates of the tiny model, copied fresh for each test.
    static let trainedFolder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-validation-\(UUID().uuidString)")
        var configuration = PretrainingRunTests.configuration(steps: 4, checkpointInterval: 2)
        configuration.model.maxSequenceLength = 16
        let run = try! PretrainingRun(configuration: configuration, registry: registry, corpus: PretrainingRunTests.corpus,
                                      tokenizer: PretrainingRunTests.tokenizer, outputDirectory: folder)
        try! run.train(until: 2)
        return folder
    }()

    func runFolder() throws -> URL {
        let folder = try makeScratchFolder(self).appendingPathComponent("run")
        try FileManager.default.copyItem(at: Self.trainedFolder, to: folder)
        return folder
    }

    func checkpointURL(_ folder: URL) -> URL { folder.appendingPathComponent("checkpoint.safetensors") }

    /// Rewrites the run's checkpoint after `edit` — a valid file (checksums and all) whose
    /// contents say something they should not.
    func edit(_ folder: URL, _ edit: (inout Checkpoint) throws -> Void) throws {
        var checkpoint = try Checkpoint(contentsOf: checkpointURL(folder))
        try edit(&checkpoint)
        try checkpoint.write(to: checkpointURL(folder))
    }

    /// Rewrites the configuration's JSON as a dictionary.
    func editConfiguration(_ folder: URL, _ change: (inout [String: Any]) -> Void) throws {
        try edit(folder) { checkpoint in
            var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(checkpoint.configJSON.utf8)) as? [String: Any])
            change(&json)
            checkpoint.configJSON = String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]),
                                           as: UTF8.self)
        }
    }

    func resume(_ folder: URL) throws -> PretrainingRun {
        try PretrainingRun.resume(from: folder, registry: Self.registry, corpus: { _ in PretrainingRunTests.corpus })
    }

    func load(_ folder: URL) throws -> LoadedCheckpoint {
        try LoadedCheckpoint(contentsOf: checkpointURL(folder), registry: Self.registry)
    }

    /// The error of `body`, whose message must name `file` and contain every phrase.
    func assertRefused<T>(_ body: @autoclosure () throws -> T, naming file: URL, _ phrases: String...,
                          line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { error in
            let message = "\(error)"
            XCTAssert(message.contains(file.lastPathComponent), "the message should name the file: \(message)", line: line)
            for phrase in phrases {
                XCTAssert(message.contains(phrase), "“\(phrase)” not in: \(message)", line: line)
            }
            XCTAssertFalse(message.contains("Error Domain") || message.contains("DecodingError"),
                           "a raw Foundation error: \(message)", line: line)
        }
    }

    // MARK: The vocabulary against the model (crashes 1 and 2)

    func testAVocabularyShorterThanTheModelIsRefused() throws {
        let folder = try runFolder()
        try edit(folder) { checkpoint in
            let tokens = try checkpoint.vocabularyTokens()
            checkpoint.metadata[Checkpoint.vocabularyKey] = tokens.dropLast().map { $0 + "\n" }.joined()
        }
        assertRefused(try load(folder), naming: checkpointURL(folder), "8191", "8192")
        assertRefused(try resume(folder), naming: checkpointURL(folder), "8191", "8192")
    }

    func testAVocabularyWithoutItsFinalNewlineKeepsItsLastToken() throws {
        let folder = try runFolder()
        try edit(folder) { checkpoint in
            checkpoint.metadata[Checkpoint.vocabularyKey] = try checkpoint.vocabularyTokens().joined(separator: "\n")
        }
        let loaded = try load(folder)
        XCTAssertEqual(loaded.tokenizer.vocabulary.count, 8192)
        XCTAssertEqual(loaded.tokenizer.vocabulary.tokens, PretrainingRunTests.tokenizer.vocabulary.tokens)
    }

    func testAVocabularyLongerThanTheModelIsRefused() throws {
        let folder = try runFolder()
        try edit(folder) { checkpoint in
            checkpoint.metadata[Checkpoint.vocabularyKey]! += (0..<1000).map { "extra\($0)\n" }.joined()
        }
        assertRefused(try load(folder), naming: checkpointURL(folder), "9192", "8192")
    }

    // MARK: Numbers in the checkpoint (crashes 3, 4, 6)

    func testAStepBeyondTheRunCannotBeResumed() throws {
        let folder = try runFolder()
        try edit(folder) { $0.step = Int.max }
        assertRefused(try resume(folder), naming: checkpointURL(folder), "\(Int.max)", "4")
    }

    func testHugeSizesAreRefusedBeforeAnythingIsAllocated() throws {
        for (field, value) in [("hiddenSize", 1_000_000), ("layers", 10_000_000), ("feedForwardSize", 1 << 45),
                               ("vocabularySize", 1 << 40), ("maxSequenceLength", 1 << 40), ("heads", -2)] {
            let folder = try runFolder()
            try editConfiguration(folder) { json in
                var model = json["model"] as! [String: Any]
                model[field] = value
                json["model"] = model
            }
            assertRefused(try load(folder), naming: checkpointURL(folder), field)
            assertRefused(try resume(folder), naming: checkpointURL(folder), field)
        }
    }

    /// Sizes that fit in memory but describe a model far larger than the file's weights are
    /// refused before the model is built (the fuzzer's small files must not allocate gigabytes).
    func testAModelLargerThanItsWeightsIsRefusedBeforeItIsBuilt() throws {
        let folder = try runFolder()
        try editConfiguration(folder) { json in
            var model = json["model"] as! [String: Any]
            model["hiddenSize"] = 2048
            model["feedForwardSize"] = 8192
            json["model"] = model
        }
        assertRefused(try load(folder), naming: checkpointURL(folder), "parameters", "values")
    }

    func testAModelLargerThanMemoryIsRefusedWithItsSize() throws {
        // 3·10¹² parameters: more memory than any machine has, with every size in its range.
        var model = ModelConfiguration.preset("base", vocabularySize: 30522)!
        (model.hiddenSize, model.heads, model.feedForwardSize, model.layers) = (16384, 16, 65536, 1000)
        XCTAssertThrowsError(try model.validate()) { error in
            XCTAssert("\(error)".contains("GB"), "\(error)")
        }
    }

    func testAHugeBatchSizeIsRefusedWithTheMemoryItNeeds() throws {
        let folder = try runFolder()
        try editConfiguration(folder) { $0["batchSize"] = 1_000_000_000 }
        assertRefused(try resume(folder), naming: checkpointURL(folder), "batch", "GB")
        var configuration = PretrainingRunTests.configuration(steps: 4)
        configuration.batchSize = 1_000_000_000
        XCTAssertThrowsError(try configuration.validate()) { error in
            XCTAssert("\(error)".contains("GB") && "\(error)".contains("1000000000"), "\(error)")
        }
    }

    // MARK: Unchecked training settings on resume

    func testTrainingSettingsOutOfRangeAreRefusedOnResume() throws {
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("peakLearningRate", { self.setTraining(&$0, "peakLearningRate", -0.001) }),
            ("checkpointInterval", { self.setTraining(&$0, "checkpointInterval", -1) }),
            ("validationInterval", { self.setTraining(&$0, "validationInterval", 0) }),
            ("warmupSteps", { self.setTraining(&$0, "warmupSteps", -1) }),
            ("steps", { self.setTraining(&$0, "steps", Int.max) }),
            ("maxGradientNorm", { self.setTraining(&$0, "maxGradientNorm", 0) }),
            ("beta1", { json in
                var training = json["training"] as! [String: Any]
                var adam = training["adam"] as! [String: Any]
                adam["beta1"] = 1.0
                training["adam"] = adam
                json["training"] = training
            }),
            ("layerNormEpsilon", { json in
                var model = json["model"] as! [String: Any]
                model["layerNormEpsilon"] = -1
                json["model"] = model
            }),
            ("initializerStd", { json in
                var model = json["model"] as! [String: Any]
                model["initializerStd"] = -1
                json["model"] = model
            }),
        ]
        for (field, change) in cases {
            let folder = try runFolder()
            try editConfiguration(folder, change)
            assertRefused(try resume(folder), naming: checkpointURL(folder), field)
        }
    }

    func setTraining(_ json: inout [String: Any], _ key: String, _ value: Any) {
        var training = json["training"] as! [String: Any]
        training[key] = value
        json["training"] = training
    }

    // MARK: Integrity

    func testFlippedDataBytesAreCaughtByTheChecksum() throws {
        let folder = try runFolder()
        var bytes = try Data(contentsOf: checkpointURL(folder))
        let headerEnd = 8 + Int(bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        for offset in [headerEnd, headerEnd + (bytes.count - headerEnd) / 2, bytes.count - 1] {
            var flipped = bytes
            flipped[offset] ^= 0x04
            try flipped.write(to: checkpointURL(folder))
            assertRefused(try load(folder), naming: checkpointURL(folder), "checksum")
        }
        // The same file restored reads again.
        bytes = try Data(contentsOf: Self.trainedFolder.appendingPathComponent("checkpoint.safetensors"))
        try bytes.write(to: checkpointURL(folder))
        XCTAssertNoThrow(try load(folder))
    }

    func testAnEditedHeaderIsCaughtByTheChecksum() throws {
        let folder = try runFolder()
        let original = try Data(contentsOf: checkpointURL(folder))
        // A token renamed in the vocabulary, and the head count changed from 2 to 1: both keep
        // every shape, so only the checksum can tell.
        for (from, to) in [("\\nthe\\n", "\\nthd\\n"), ("\\\"heads\\\":2", "\\\"heads\\\":1")] {
            var edited = original
            let range = try XCTUnwrap(original.range(of: Data(from.utf8)), "the header should hold \(from)")
            edited.replaceSubrange(range, with: Data(to.utf8))
            try edited.write(to: checkpointURL(folder))
            assertRefused(try load(folder), naming: checkpointURL(folder), "checksum")
        }
    }

    func testChecksumsCanBeSkippedForHugeFiles() throws {
        let folder = try runFolder()
        var bytes = try Data(contentsOf: checkpointURL(folder))
        bytes[bytes.count - 1] ^= 0x04
        try bytes.write(to: checkpointURL(folder))
        XCTAssertNoThrow(try Checkpoint(contentsOf: checkpointURL(folder), verifyingChecksums: false))
    }

    func testAMissingChecksumInANewCheckpointIsRefused() throws {
        let folder = try runFolder()
        let raw = try SafetensorsFile(contentsOf: checkpointURL(folder))
        var metadata = raw.metadata
        metadata[Checkpoint.Key.dataChecksum] = nil
        try SafetensorsFile(tensors: raw.tensors, metadata: metadata).write(to: checkpointURL(folder))
        assertRefused(try load(folder), naming: checkpointURL(folder), Checkpoint.Key.dataChecksum)
    }

    func testDuplicateKeysAreRefused() throws {
        let header = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let bytes = safetensorsBytes(header: header, data: float32Bytes([1]))
        XCTAssertThrowsError(try bytes.withUnsafeBytes { try SafetensorsFile(parsing: $0, fileName: "twice.safetensors") }) {
            XCTAssert("\($0)".contains("\"w\" twice"), "\($0)")
        }
        let nested = #"{"__metadata__":{"a":"1","\u0061":"2"}}"#
        XCTAssertThrowsError(try safetensorsBytes(header: nested).withUnsafeBytes {
            try SafetensorsFile(parsing: $0, fileName: "twice.safetensors")
        }) { XCTAssert("\($0)".contains("\"a\" twice in __metadata__"), "\($0)") }

        let checkpoint = Checkpoint(configJSON: #"{"hidden": 4, "hidden": 8, "learningRate": 1, "corpus": "x"}"#, step: 0,
                                    rng: SeededGenerator(seed: 1), parameters: [:])
        XCTAssertThrowsError(try checkpoint.config(as: CheckpointTests.ToyConfig.self)) {
            XCTAssert("\($0)".contains("\"hidden\" twice"), "\($0)")
        }
    }

    func testDuplicateKeyScanOnAwkwardText() {
        func first(_ text: String) -> String? { DuplicateJSONKeys.first(in: Array(text.utf8))?.key }
        XCTAssertNil(first(#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}"#), "the same key in different objects")
        XCTAssertEqual(first(#"{"x": [1, {"k": 1, "k": 2}]}"#), "k")
        XCTAssertEqual(first(#"{"\ud83d\ude00": 1, "😀": 2}"#), "😀", "escapes decode before comparing")
        XCTAssertNil(first(#"{"a\"b": 1, "a": "b\"\"", "ab": 0}"#))
        XCTAssertNil(first(String(repeating: "[", count: 100_000)), "deep nesting costs no stack")
        XCTAssertNil(first(#"{"unterminated"#))
        XCTAssertNil(first(#"{"\u12"#))
    }

    // MARK: Optimizer state and non-finite weights

    func testACheckpointWithoutOptimizerStateCannotResumeButCanPredict() throws {
        let folder = try runFolder()
        try edit(folder) { checkpoint in
            checkpoint.firstMoments = [:]
            checkpoint.secondMoments = [:]
        }
        assertRefused(try resume(folder), naming: checkpointURL(folder), "optimizer")
        let loaded = try load(folder)
        XCTAssertEqual(try fillMask(loaded.model, tokenizer: loaded.tokenizer, text: "the [MASK] sat", topK: 2).first?.count, 2)
    }

    func testNonFiniteWeightsAreRefusedNamingTheTensor() throws {
        for value in [Float.nan, .infinity, -.infinity] {
            let folder = try runFolder()
            // Checkpoint.write refuses such weights, so the file is assembled by hand, checksums and all.
            var raw = try SafetensorsFile(contentsOf: checkpointURL(folder))
            raw.tensors["embeddings.word"]!.withUnsafeMutableBufferPointer { $0[17] = value }
            raw.metadata[Checkpoint.Key.dataChecksum] = CRC32.hex(Checkpoint.dataCRC32(raw.tensors))
            try raw.write(to: checkpointURL(folder))
            assertRefused(try load(folder), naming: checkpointURL(folder), "embeddings.word", "\(value)")
            assertRefused(try resume(folder), naming: checkpointURL(folder), "embeddings.word")
        }
    }

    /// Finite weights so large that the forward pass overflows (found by the checkpoint
    /// fuzzer): predictions of NaN are refused, not ranked.
    func testWeightsThatOverflowGiveNoPredictions() throws {
        let folder = try runFolder()
        try edit(folder) { checkpoint in
            checkpoint.parameters["embeddings.word"]!.withUnsafeMutableBufferPointer { table in
                for i in table.indices { table[i] = 3e38 }
            }
        }
        let loaded = try load(folder)
        XCTAssertThrowsError(try fillMask(loaded.model, tokenizer: loaded.tokenizer, text: "the [MASK] sat", topK: 2)) {
            XCTAssert("\($0)".contains("not finite"), "\($0)")
        }
    }

    // MARK: The run folder

    func testStaleTemporaryFilesAreRemovedOnResume() throws {
        let folder = try runFolder()
        let stale = folder.appendingPathComponent(".checkpoint.safetensors.tmp-1234abcd")
        try Data(count: 100).write(to: stale)
        let other = folder.appendingPathComponent("notes.txt")
        try Data("mine".utf8).write(to: other)
        _ = try resume(folder)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path), "a torn checkpoint write is removed")
        XCTAssert(FileManager.default.fileExists(atPath: other.path), "other files are left alone")
    }

    func testCheckpointIntervalZeroStillWritesTheLastCheckpoint() throws {
        let folder = try makeScratchFolder(self).appendingPathComponent("run")
        let run = try PretrainingRun(configuration: PretrainingRunTests.configuration(steps: 4, checkpointInterval: 0),
                                     registry: Self.registry, corpus: PretrainingRunTests.corpus,
                                     tokenizer: PretrainingRunTests.tokenizer, outputDirectory: folder)
        try run.train()
        XCTAssertEqual(try Checkpoint(contentsOf: checkpointURL(folder)).step, 4)
    }
}
