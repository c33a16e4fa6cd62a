import XCTest
import Foundation
import Text
@testable import Transformer

/// Where a run's time goes (`RunTiming`) and the default validation interval that keeps
/// validation a small share of it. No timing is asserted: only counts, shares that add up,
/// and the wording.
final class RunTimingTests: XCTestCase {
    func testDefaultValidationIntervalKeepsValidationNearOnePercent() {
        // 512 validation sequences at B = 32 cost 512 / 96 = 5.3 updates: 6 × 100 = 600.
        XCTAssertEqual(TrainingSettings.defaultValidationInterval(globalBatchSize: 32), 600)
        // Never below 100, however large the batch.
        XCTAssertEqual(TrainingSettings.defaultValidationInterval(globalBatchSize: 256), 100)
        XCTAssertEqual(TrainingSettings.defaultValidationInterval(globalBatchSize: 1 << 20), 100)
        // A small batch makes each validation pass dearer, so the interval grows.
        XCTAssertEqual(TrainingSettings.defaultValidationInterval(globalBatchSize: 8), 2200)
        XCTAssertEqual(TrainingSettings.defaultValidationInterval(globalBatchSize: 32, validationSequences: 64), 100)
        // The share by this count stays at or under 1%.
        for batch in [1, 8, 32, 96, 256, 4096] {
            let interval = TrainingSettings.defaultValidationInterval(globalBatchSize: batch)
            let passCost = 512 / (3 * Double(batch))
            XCTAssert(passCost / Double(interval) <= 0.01 && interval % 100 == 0, "B = \(batch): every \(interval)")
        }
    }

    func testTheTrainerCountsValidationAndCheckpointsAndTheSummaryAddsUp() throws {
        var configuration = PretrainingRunTests.configuration(steps: 6, checkpointInterval: 3)
        configuration.training.validationInterval = 4
        let run = try PretrainingRun(configuration: configuration, registry: PretrainingRunTests.registry,
                                     corpus: PretrainingRunTests.corpus, tokenizer: PretrainingRunTests.tokenizer,
                                     outputDirectory: temporaryDirectory())
        var lines: [String] = []
        let progress = ProgressReporter(totalSteps: 6, isTerminal: false) { lines.append($0) }
        try run.train(progress: progress)

        let trainer = run.trainer
        XCTAssertEqual(trainer.validationPasses, 2, "after updates 4 and 6")
        XCTAssertEqual(trainer.checkpointWrites, 2, "after updates 3 and 6")
        let timing = RunTiming(trainer)
        XCTAssertEqual(timing.updates, 6)
        XCTAssertEqual(timing.tokens, trainer.runTokens)
        XCTAssertGreaterThan(timing.validationSeconds, 0)
        XCTAssertGreaterThan(timing.checkpointSeconds, 0)
        XCTAssertLessThanOrEqual(timing.batchSeconds, trainer.updateSeconds.reduce(0, +))
        XCTAssertLessThanOrEqual(trainer.updateSeconds.reduce(0, +) + timing.validationSeconds + timing.checkpointSeconds,
                                 timing.runSeconds)
        XCTAssert(timing.share > 0 && timing.share.isFinite)

        // The progress display ends with the summary, on a line of its own.
        let last = try XCTUnwrap(lines.last)
        XCTAssertEqual(last, timing.summary + "\n")
        XCTAssert(last.hasPrefix("Timing: median update "), last)
        for part in ["tokens/s in the updates alone", "over the whole run", "validation ", "(2 passes)",
                     "checkpoints ", "(2 writes)", "batch assembly "] {
            XCTAssert(last.contains(part), "\(part) in \(last)")
        }
    }

    /// A terminal's line is redrawn at most ten times a second, always at the first, last and
    /// validated updates; plain lines come at their interval and at those updates.
    func testTheProgressLineIsFormattedOnlyWhenShown() {
        func metrics(_ step: Int, validated: Bool = false) -> StepMetrics {
            StepMetrics(step: step, loss: 6, learningRate: 1e-3, gradientNorm: 1, tokensPerSecond: 1000,
                        validationLoss: validated ? 6.5 : nil)
        }
        var drawn: [String] = []
        let terminal = ProgressReporter(totalSteps: 100, isTerminal: true) { drawn.append($0) }
        for step in 1...100 { terminal.report(metrics(step, validated: step == 40)) }
        let redraws = drawn.filter { $0.contains("/100") }
        XCTAssertEqual(redraws.count, 3, "updates 1, 40 and 100 in well under 0.1 s: \(drawn)")
        XCTAssert(drawn[1].contains(" 40/100") && drawn[1].contains("val 6.500"), drawn[1])
        XCTAssertEqual(drawn.last, "\n")

        var lines: [String] = []
        let plain = ProgressReporter(totalSteps: 100, logInterval: 25, isTerminal: false) { lines.append($0) }
        for step in 1...100 { plain.report(metrics(step, validated: step == 40)) }
        XCTAssertEqual(lines.map { String($0.prefix(12)) },
                       ["step   1/100", "step  25/100", "step  40/100", "step  50/100", "step  75/100", "step 100/100"])
    }

    func testSummaryOfHandMadeTimes() {
        var timing = RunTiming(updates: 0, medianUpdateSeconds: .nan, totalUpdateSeconds: 0, tokens: 0, runSeconds: 0, validationSeconds: 0,
                               validationPasses: 0, checkpointSeconds: 0, checkpointWrites: 0, batchSeconds: 0,
                               medianAllreduceSeconds: nil)
        XCTAssertEqual(timing.summary, "Timing: no updates were run.")
        timing.updates = 100
        timing.medianUpdateSeconds = 0.1
        timing.totalUpdateSeconds = 10.1
        timing.tokens = 100 * 2048
        timing.runSeconds = 10.5
        timing.validationSeconds = 0.21
        timing.validationPasses = 1
        timing.checkpointSeconds = 0.105
        timing.checkpointWrites = 1
        timing.batchSeconds = 0.0105
        XCTAssertEqual(timing.updateRate, 20_480, accuracy: 1e-6)
        XCTAssertEqual(timing.share, 10 / 10.5, accuracy: 1e-12)
        XCTAssertEqual(timing.summary, "Timing: median update 0.100 s over 100 updates; 20480 tokens/s in the updates "
                       + "alone, 19505 over the whole run (95.2%): validation 2.0% (1 pass), checkpoints 1.0% (1 write), "
                       + "batch assembly 0.1% (inside the updates), updates beyond the median's time 1.0%, "
                       + "metrics, progress and the rest 0.8%.")
    }

    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-timing-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
