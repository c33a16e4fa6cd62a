import Foundation
import XCTest
import Tensors
import Transformer

/// Checkpoints: what goes in comes back bit for bit, a resumed run continues exactly, and a
/// checkpoint that does not fit the model says precisely how.
final class CheckpointTests: XCTestCase {
    struct ToyConfig: Codable, Equatable {
        var hidden: Int
        var learningRate: Float
        var corpus: String
    }

    /// A stand-in for a training run: one parameter, AdamW's update, and "gradients" drawn
    /// from the run's generator — every piece of state a checkpoint must carry.
    struct ToyRun {
        var weight: Tensor
        var m: Tensor
        var v: Tensor
        var step = 0
        var rng: SeededGenerator

        init(seed: UInt64) {
            rng = SeededGenerator(seed: seed)
            weight = .normal([3, 4], std: 0.1, using: &rng)   // [3, 4]
            m = .zeros([3, 4])
            v = .zeros([3, 4])
        }

        mutating func train(steps: Int) {
            let (eta, beta1, beta2, epsilon): (Float, Float, Float, Float) = (1e-2, 0.9, 0.999, 1e-6)
            for _ in 0..<steps {
                step += 1
                let gradient = Tensor.normal([3, 4], using: &rng).scalars
                var (w, mm, vv) = (weight.scalars, m.scalars, v.scalars)
                let correction1 = 1 - pow(beta1, Float(step)), correction2 = 1 - pow(beta2, Float(step))
                for i in w.indices {
                    mm[i] = beta1 * mm[i] + (1 - beta1) * gradient[i]
                    vv[i] = beta2 * vv[i] + (1 - beta2) * gradient[i] * gradient[i]
                    w[i] -= eta * (mm[i] / correction1) / ((vv[i] / correction2).squareRoot() + epsilon)
                }
                (weight, m, v) = (Tensor(shape: [3, 4], scalars: w), Tensor(shape: [3, 4], scalars: mm),
                                  Tensor(shape: [3, 4], scalars: vv))
            }
        }

        func checkpoint(config: ToyConfig) throws -> Checkpoint {
            try Checkpoint(config: config, step: step, rng: rng, parameters: ["w": weight],
                           firstMoments: ["w": m], secondMoments: ["w": v])
        }

        init(resumingFrom checkpoint: Checkpoint) {
            weight = checkpoint.parameters["w"]!
            m = checkpoint.firstMoments["w"]!
            v = checkpoint.secondMoments["w"]!
            step = checkpoint.step
            rng = checkpoint.rng
        }
    }

    let config = ToyConfig(hidden: 16, learningRate: 1e-4, corpus: "embedded")

    func testResumingContinuesTheRunExactly() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("step4.safetensors")

        var straight = ToyRun(seed: 2024)
        straight.train(steps: 8)

        var first = ToyRun(seed: 2024)
        first.train(steps: 4)
        try first.checkpoint(config: config).write(to: url)
        let loaded = try Checkpoint(contentsOf: url, matching: ["w": [3, 4]])
        XCTAssertEqual(try loaded.config(as: ToyConfig.self), config)
        var resumed = ToyRun(resumingFrom: loaded)
        resumed.train(steps: 4)

        XCTAssertEqual(resumed.step, 8)
        XCTAssertEqual(resumed.rng, straight.rng)
        assertSameBits(resumed.weight, straight.weight, "w")
        assertSameBits(resumed.m, straight.m, "m")
        assertSameBits(resumed.v, straight.v, "v")
    }

    func testRoundTripOfEveryField() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("all.safetensors")
        // State words above 2⁵³, which a JSON number would round.
        var rng = SeededGenerator(state: [UInt64.max, 0x9E37_79B9_7F4A_7C15, 1, (1 << 53) + 1])
        let parameters = ["layer.weight": Tensor.normal([4, 2], using: &rng),
                          "layer.bias": Tensor.normal([2], using: &rng),
                          "frozen.table": Tensor.normal([3], using: &rng)]
        let m = ["layer.weight": Tensor.normal([4, 2], using: &rng), "layer.bias": Tensor.normal([2], using: &rng)]
        let v = ["layer.weight": Tensor.uniform([4, 2], using: &rng), "layer.bias": Tensor.uniform([2], using: &rng)]
        let state = ["input.notes": Tensor.normal([5, 2], using: &rng)]
        let checkpoint = try Checkpoint(config: config, step: 123_456, rng: rng, parameters: parameters,
                                        firstMoments: m, secondMoments: v, state: state, metadata: ["run": "toy ✓"])
        try checkpoint.write(to: url)

        let back = try Checkpoint(contentsOf: url)
        XCTAssertEqual(back.step, 123_456)
        XCTAssertEqual(back.rng.stateWords, rng.stateWords)
        XCTAssertEqual(back.metadata, ["run": "toy ✓"])
        XCTAssertEqual(back.configJSON, checkpoint.configJSON)
        XCTAssertEqual(try back.config(as: ToyConfig.self), config)
        for (name, tensor) in parameters { assertSameBits(back.parameters[name], tensor, name) }
        for (name, tensor) in m { assertSameBits(back.firstMoments[name], tensor, "m of " + name) }
        for (name, tensor) in v { assertSameBits(back.secondMoments[name], tensor, "v of " + name) }
        XCTAssertEqual(Set(back.state.keys), ["input.notes"])
        assertSameBits(back.state["input.notes"], state["input.notes"]!, "state input.notes")
        XCTAssertNil(back.parameters["state.input.notes"], "a state buffer is not a parameter")

        // The restored generator draws the same stream as the saved one.
        var original = rng, restored = back.rng
        for _ in 0..<100 { XCTAssertEqual(original.next(), restored.next()) }
    }

    func testTheFileLayoutIsTheDocumentedOne() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("layout.safetensors")
        let rng = SeededGenerator(state: [1, 2, 3, UInt64.max])
        try Checkpoint(configJSON: "{\"hidden\":4}", step: 7, rng: rng,
                       parameters: ["p": Tensor(shape: [2], scalars: [1, 2])],
                       firstMoments: ["p": Tensor(shape: [2], scalars: [3, 4])],
                       secondMoments: ["p": Tensor(shape: [2], scalars: [5, 6])]).write(to: url)
        let raw = try SafetensorsFile(contentsOf: url)
        XCTAssertEqual(Set(raw.tensors.keys), ["p", "optimizer.m.p", "optimizer.v.p"])
        XCTAssertEqual(raw.tensors["optimizer.v.p"]?.scalars, [5, 6])
        // The checksums are Python's: zlib.crc32 of the data buffer (p, m, v as F32) and of the
        // other entries as key NUL value NUL in sorted order (Checkpoint's documentation).
        XCTAssertEqual(raw.metadata, [
            "tenfold.format": "checkpoint", "tenfold.version": "3", "tenfold.config": "{\"hidden\":4}",
            "tenfold.step": "7", "tenfold.rng": "[\"1\",\"2\",\"3\",\"18446744073709551615\"]",
            "tenfold.crc32.data": "70e9564b", "tenfold.crc32.metadata": "c269bc98",
        ])
    }

    func testSameCheckpointGivesTheSameBytes() throws {
        let folder = try makeScratchFolder(self)
        var run = ToyRun(seed: 5)
        run.train(steps: 2)
        let a = folder.appendingPathComponent("a.safetensors"), b = folder.appendingPathComponent("b.safetensors")
        try run.checkpoint(config: config).write(to: a)
        try run.checkpoint(config: config).write(to: b)
        XCTAssertEqual(try Data(contentsOf: a), try Data(contentsOf: b))
    }

    // MARK: Mismatches with the model

    func write(_ parameters: [String: [Int]], to url: URL) throws {
        let tensors = parameters.mapValues { Tensor.zeros($0) }
        try Checkpoint(configJSON: "{}", step: 0, rng: SeededGenerator(seed: 1), parameters: tensors)
            .write(to: url)
    }

    func testMismatchListsMissingUnexpectedAndShapes() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("other.safetensors")
        try write(["a": [3, 2], "b": [4], "d": [5]], to: url)
        XCTAssertThrowsError(try Checkpoint(contentsOf: url, matching: ["a": [2, 3], "b": [4], "c": [1]])) { error in
            XCTAssertEqual(error as? CheckpointError, .mismatch(
                file: url.path, missing: ["c"], unexpected: ["d"],
                shapes: [.init(name: "a", model: [2, 3], file: [3, 2])]))
            XCTAssertTrue("\(error)".hasPrefix("checkpoint \(url.path) does not match the model: "
                + "missing c; unexpected d; shape of a is [2, 3] here, [3, 2] in the file. "), "\(error)")
        }
    }

    func testMismatchListsOnlyTheFirstFew() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("small.safetensors")
        try write(["kept": [1]], to: url)
        var expected = ["kept": [1]]
        for i in 0..<8 { expected["layer\(i)"] = [2] }
        XCTAssertThrowsError(try Checkpoint(contentsOf: url, matching: expected)) { error in
            XCTAssertTrue("\(error)".contains("missing layer0, layer1, layer2, layer3, layer4 (and 3 more)."),
                          "\(error)")
        }
    }

    // MARK: Files that are not valid checkpoints

    func assertReadFails(_ url: URL, with expected: CheckpointError, mentioning phrase: String,
                         file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Checkpoint(contentsOf: url), file: file, line: line) { error in
            XCTAssertEqual(error as? CheckpointError, expected, file: file, line: line)
            XCTAssertTrue("\(error)".contains(phrase), "\"\(phrase)\" not in: \(error)", file: file, line: line)
        }
    }

    func testAPlainSafetensorsFileIsNotACheckpoint() throws {
        let url = try makeScratchFolder(self).appendingPathComponent("plain.safetensors")
        try SafetensorsFile(tensors: ["w": Tensor(shape: [1], scalars: [1])]).write(to: url)
        assertReadFails(url, with: .notACheckpoint(file: url.path, missingKey: "tenfold.format"),
                        mentioning: "not a Tenfold checkpoint")
    }

    func validMetadata() -> [String: String] {
        ["tenfold.format": "checkpoint", "tenfold.version": "1", "tenfold.config": "{}",
         "tenfold.step": "3", "tenfold.rng": "[\"1\",\"2\",\"3\",\"4\"]"]
    }

    func testNewerVersionAndBadMetadata() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("meta.safetensors")
        var metadata = validMetadata()
        metadata["tenfold.version"] = "4"
        try SafetensorsFile(metadata: metadata).write(to: url)
        assertReadFails(url, with: .unsupportedVersion(file: url.path, found: "4", supported: 3),
                        mentioning: "version 4")

        metadata = validMetadata()
        metadata["tenfold.rng"] = "[1,2,3,4]"
        try SafetensorsFile(metadata: metadata).write(to: url)
        assertReadFails(url, with: .invalidMetadata(file: url.path, key: "tenfold.rng", value: "[1,2,3,4]",
                                                    expected: "a JSON array of 4 decimal strings, not all zero"),
                        mentioning: "tenfold.rng")

        metadata = validMetadata()
        metadata["tenfold.step"] = "-1"
        try SafetensorsFile(metadata: metadata).write(to: url)
        assertReadFails(url, with: .invalidMetadata(file: url.path, key: "tenfold.step", value: "-1",
                                                    expected: "a whole number ≥ 0"),
                        mentioning: "tenfold.step")
    }

    func testInconsistentOptimizerStateInAFile() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("optimizer.safetensors")
        let one = Tensor(shape: [1], scalars: [1])
        try SafetensorsFile(tensors: ["w": one, "optimizer.m.w": one], metadata: validMetadata()).write(to: url)
        assertReadFails(url, with: .inconsistentOptimizerState(
            file: url.path, reason: "parameter \"w\" has only one of its two moments"), mentioning: "only one")

        try SafetensorsFile(tensors: ["w": one, "optimizer.m.w": .zeros([2]), "optimizer.v.w": .zeros([2])],
                            metadata: validMetadata()).write(to: url)
        assertReadFails(url, with: .inconsistentOptimizerState(
            file: url.path, reason: "the first moment of \"w\" has shape [2], the parameter [1]"),
                        mentioning: "shape [2]")

        try SafetensorsFile(tensors: ["optimizer.m.x": one, "optimizer.v.x": one],
                            metadata: validMetadata()).write(to: url)
        assertReadFails(url, with: .inconsistentOptimizerState(
            file: url.path, reason: "moments are stored for \"x\", which is not a parameter"),
                        mentioning: "not a parameter")
    }

    func testReservedNamesAreRefusedOnWrite() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("reserved.safetensors")
        let rng = SeededGenerator(seed: 1)
        let badParameter = Checkpoint(configJSON: "{}", step: 0, rng: rng,
                                      parameters: ["optimizer.lr": Tensor(shape: [1], scalars: [1])])
        XCTAssertThrowsError(try badParameter.write(to: url)) { error in
            guard case .reservedName(url.path, "optimizer.lr", _)? = error as? CheckpointError else {
                return XCTFail("expected reservedName, got \(error)")
            }
        }
        let stateNamed = Checkpoint(configJSON: "{}", step: 0, rng: rng,
                                    parameters: ["state.notes": Tensor(shape: [1], scalars: [1])])
        XCTAssertThrowsError(try stateNamed.write(to: url)) { error in
            guard case .reservedName(url.path, "state.notes", _)? = error as? CheckpointError else {
                return XCTFail("expected reservedName, got \(error)")
            }
        }
        let badNote = Checkpoint(configJSON: "{}", step: 0, rng: rng, parameters: [:],
                                 metadata: ["tenfold.step": "9"])
        XCTAssertThrowsError(try badNote.write(to: url)) { error in
            guard case .reservedName(url.path, "tenfold.step", _)? = error as? CheckpointError else {
                return XCTFail("expected reservedName, got \(error)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }

    func testAConfigOfTheWrongTypeIsAClearError() throws {
        let checkpoint = Checkpoint(configJSON: "{\"layers\": 4}", step: 0, rng: SeededGenerator(seed: 1),
                                    parameters: [:])
        XCTAssertThrowsError(try checkpoint.config(as: ToyConfig.self)) { error in
            guard case .invalidConfig? = error as? CheckpointError else {
                return XCTFail("expected invalidConfig, got \(error)")
            }
            XCTAssertTrue("\(error)".contains("does not decode as ToyConfig"), "\(error)")
        }
    }
}
