import XCTest
import Foundation
import Tensors
import Text
@testable import Transformer
import BertBaseline
#if canImport(Glibc)
import Glibc
#endif

/// Training that goes wrong stops cleanly: a non-finite loss or gradient ends the run with the
/// step named and the last good checkpoint kept; metrics lines are never dropped nor torn.
final class TrainingFailureTests: XCTestCase {
    func makeRun(steps: Int, checkpointInterval: Int, in folder: URL) throws -> PretrainingRun {
        try PretrainingRun(configuration: PretrainingRunTests.configuration(steps: steps, checkpointInterval: checkpointInterval),
                           registry: PretrainingRunTests.registry, corpus: PretrainingRunTests.corpus,
                           tokenizer: PretrainingRunTests.tokenizer, outputDirectory: folder)
    }

    func testANonFiniteLossStopsTrainingAndKeepsTheLastGoodCheckpoint() throws {
        let folder = try makeScratchFolder(self).appendingPathComponent("run")
        let run = try makeRun(steps: 8, checkpointInterval: 2, in: folder)
        try run.train(until: 4)
        let checkpoint = folder.appendingPathComponent("checkpoint.safetensors")
        let good = try Data(contentsOf: checkpoint)
        // Weights that overflow the forward pass: the loss of update 5 is not a number.
        let name = "embeddings.word"
        var values = run.model.parameters.values
        values[name]!.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = 3e38 } }
        run.model.parameters.load(values)

        XCTAssertThrowsError(try run.train()) { error in
            guard let failure = error as? TrainingError, case .nonFinite(let step, _, _, _) = failure else {
                return XCTFail("expected TrainingError.nonFinite, got \(error)")
            }
            XCTAssertEqual(step, 5)
            let message = "\(error)"
            XCTAssert(message.contains("update 5") && message.contains("update 4"), message)
        }
        XCTAssertEqual(try Data(contentsOf: checkpoint), good, "the last good checkpoint is kept")
        XCTAssertEqual(run.trainer.completedSteps, 4, "the bad update was not applied")
        let logged = MetricsLog.read(folder.appendingPathComponent("metrics.jsonl"))
        XCTAssertEqual(logged.map(\.step), [1, 2, 3, 4, 5], "the failed update is recorded, not dropped")
        XCTAssert(!logged[4].loss.isFinite || !logged[4].gradientNorm.isFinite, "\(logged[4])")
        XCTAssertEqual(logged[4].event, "stopped: non-finite loss")
        let lastLine = try String(contentsOf: folder.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            .split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(lastLine.utf8)), "still JSON: \(lastLine)")
    }

    func testANonFiniteCheckpointIsNeverWritten() throws {
        let folder = try makeScratchFolder(self).appendingPathComponent("run")
        let run = try makeRun(steps: 4, checkpointInterval: 2, in: folder)
        try run.train(until: 2)
        var values = run.model.parameters.values
        values["embeddings.norm.beta"]!.withUnsafeMutableBufferPointer { $0[0] = .nan }
        run.model.parameters.load(values)
        XCTAssertThrowsError(try run.saveCheckpoint()) { XCTAssert("\($0)".contains("embeddings.norm.beta"), "\($0)") }
        XCTAssertEqual(try Checkpoint(contentsOf: folder.appendingPathComponent("checkpoint.safetensors")).step, 2)
    }

    func testNonFiniteMetricsAreWrittenExplicitly() throws {
        let url = try makeScratchFolder(self).appendingPathComponent("metrics.jsonl")
        let log = try MetricsLog(url: url)
        try log.append(StepMetrics(step: 1, loss: .nan, metrics: ["mlm": .infinity], learningRate: 1e-3,
                                   gradientNorm: -.infinity, tokensPerSecond: 10, validationLoss: .nan))
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssert(text.contains("\"loss\":\"NaN\"") && text.contains("\"Infinity\"") && text.contains("\"-Infinity\""), text)
        let back = MetricsLog.read(url)
        XCTAssertEqual(back.count, 1)
        XCTAssert(back[0].loss.isNaN && back[0].metrics["mlm"] == .infinity && back[0].gradientNorm == -.infinity)
    }

    /// The hand-built metrics line is byte for byte what `JSONEncoder` writes, over random
    /// records with whole, tiny, huge, negative-zero and non-finite numbers; names or events
    /// that need escaping take the encoder itself.
    func testTheFastMetricsLineEqualsTheEncoders() throws {
        var rng = SeededGenerator(seed: 26)
        let specials: [Float] = [0, -0.0, 1, 6, 1e-5, 3e-45, 1e20, 123_456_789, .nan, .infinity, -.infinity,
                                 .greatestFiniteMagnitude, .leastNormalMagnitude]
        func float() -> Float {
            rng.next() % 3 == 0 ? specials[Int(rng.next() % UInt64(specials.count))]
                : Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
        }
        func double() -> Double {
            rng.next() % 3 == 0 ? Double(rng.next() % 100_000) : Double(bitPattern: rng.next())
        }
        let names = ["mlm", "rtd", "generator_mlm", "a", "b_", "x_y"]
        var fast = 0
        for trial in 0..<2000 {
            var metrics: [String: Float] = [:]
            for name in names where rng.next() % 2 == 0 { metrics[name] = float() }
            var m = StepMetrics(step: Int(rng.next() % 1_000_000), loss: float(), metrics: metrics,
                                learningRate: float(), gradientNorm: float(), tokensPerSecond: double())
            if rng.next() % 3 == 0 { m.validationLoss = float(); m.validationMetrics = metrics.mapValues { _ in float() } }
            if trial % 50 == 0 { m.event = "stopped: non-finite loss" }
            if trial % 97 == 0 { m.event = "a \"quoted\" / path\n" }
            if trial % 89 == 0 { m.metrics["Upper10"] = 1 }
            let expected = try MetricsLog.encodedLine(m)
            if let line = MetricsLog.fastLine(m) {
                fast += 1
                XCTAssertEqual(String(decoding: line, as: UTF8.self), String(decoding: expected, as: UTF8.self))
            }
            XCTAssertEqual(try MetricsLog.line(m), expected)
        }
        XCTAssertGreaterThan(fast, 1800, "the fast path covers plain records")
        XCTAssertLessThan(fast, 2000, "and leaves records that need escaping to the encoder")
    }

    /// A disk that fills in the middle of a line: the partial line is taken back, and the
    /// append throws a sentence naming the file.
    func testAFailedAppendLeavesNoHalfLine() throws {
        let url = try makeScratchFolder(self).appendingPathComponent("metrics.jsonl")
        let log = try MetricsLog(url: url)
        let line = StepMetrics(step: 1, loss: 6.5, learningRate: 1e-3, gradientNorm: 1, tokensPerSecond: 10)
        try log.append(line)
        let before = try Data(contentsOf: url)
        // A file-size limit a few bytes past the end: the next write is cut short, then refused.
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit)
        var lowered = limit
        lowered.rlim_cur = rlim_t(before.count + 10)
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &lowered)
        defer {
            setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit)
            signal(SIGXFSZ, previousHandler)
        }
        XCTAssertThrowsError(try log.append(StepMetrics(step: 2, loss: 6.4, learningRate: 1e-3, gradientNorm: 1,
                                                        tokensPerSecond: 10))) { error in
            XCTAssert("\(error)".contains("metrics.jsonl"), "\(error)")
        }
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit)
        XCTAssertEqual(try Data(contentsOf: url), before, "no torn line")
    }

    func testTheClockOfAHugeRemainingTimeStaysReadable() {
        XCTAssertEqual(ProgressReporter.clock(3600 * 5 + 61), "5:01:01")
        XCTAssertEqual(ProgressReporter.clock(1e30), "> 9999 h")
        XCTAssertEqual(ProgressReporter.clock(-5), "?")
        var lines: [String] = []
        let reporter = ProgressReporter(totalSteps: 1_000_000_000, isTerminal: false) { lines.append($0) }
        reporter.report(StepMetrics(step: 1, loss: 6, learningRate: 1e-3, gradientNorm: 1, tokensPerSecond: 10))
        XCTAssertFalse(lines.joined().contains("-"), "no negative hours: \(lines)")
    }
}
