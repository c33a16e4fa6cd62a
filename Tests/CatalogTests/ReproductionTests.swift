import XCTest
import Foundation
import Transformer
@testable import Catalog

/// The reproduction table's arithmetic on hand-made results: step ratios, mini-GLUE targets,
/// the findings' verdicts, the file format and its refusals; and the full-scale plan.
final class ReproductionTests: XCTestCase {
    typealias Results = ReproductionResults

    func point(_ step: Int, _ score: Double) -> Results.Point { Results.Point(step: step, score: score) }

    /// BERT-A, TUPE-R (faster on MLM), MC-BERT (no MLM head, 1.5× the FLOPs); two seeds, N = 200.
    func results(bertGLUE: [Double] = [40, 42], mcGLUE: [Double] = [50, 52], mcHalf: [Double] = [41, 43],
                 majority: Double = 25, chance: Double? = 25) -> Results {
        var settings = Reproduction.Settings(preset: "chapter", steps: 200, seeds: [1, 2])
        settings.evaluateAlso = [100]
        func seedRun(_ seed: UInt64, _ validation: [Results.Point]?, _ glue: [Double], equal: Double? = nil) -> Results.SeedRun {
            Results.SeedRun(seed: seed, seconds: 1, validation: validation,
                            miniGLUE: [point(100, glue[0]), point(200, glue[1])], equalFLOPs: equal.map { point(133, $0) })
        }
        let rows = [
            Results.RowResult(name: "BERT-A", seams: "bert-a", flopsPerUpdate: 2e9, parameters: 10, helperParameters: 0, runs: [
                seedRun(1, [point(100, 5.0), point(200, 4.0)], [30, bertGLUE[0]]),
                seedRun(2, [point(100, 5.2), point(200, 4.2)], [31, bertGLUE[1]]),
            ]),
            Results.RowResult(name: "TUPE-R", seams: "tupe-r", flopsPerUpdate: 2e9, parameters: 11, helperParameters: 0, runs: [
                seedRun(1, [point(100, 4.5), point(200, 3.5)], [35, 41]),      // crosses 4.0 at 150
                seedRun(2, [point(100, 4.1), point(200, 3.9)], [35, 41]),      // crosses 4.2 at its first point
            ]),
            Results.RowResult(name: "MC-BERT", seams: "mc-bert", flopsPerUpdate: 3e9, parameters: 14, helperParameters: 3, runs: [
                seedRun(1, nil, [mcHalf[0], mcGLUE[0]], equal: 45), seedRun(2, nil, [mcHalf[1], mcGLUE[1]], equal: 47),
            ]),
        ]
        var results = Results(settings: settings, majorityAverage: majority, rows: rows,
                              provenance: .init(command: "chapter6 --reproduce", commit: "abc", machine: "test", date: "today"))
        results.chanceAverage = chance
        return results
    }

    func testStepRatiosInterpolateAndNeedAnMLMHead() throws {
        let r = results()
        XCTAssertEqual(r.lossRatios(r.rows[1])?.map { $0! }, [0.75, 0.5])
        XCTAssertNil(r.lossRatios(r.rows[2]), "MC-BERT's main model has no MLM loss to compare")
        // mini-GLUE: BERT-A's final mean is 41; MC-BERT's mean at 100 is 42 ≥ 41.
        XCTAssertEqual(r.miniGLUERatio(r.rows[2]), 0.5)
        XCTAssertEqual(r.miniGLUERatio(r.rows[1]), 1.0, "TUPE-R's mean 41 reaches 41 only at N")
        XCTAssertNil(results(mcGLUE: [30, 30], mcHalf: [20, 20]).miniGLUERatio(results(mcGLUE: [30, 30], mcHalf: [20, 20]).rows[2]))
    }

    func testTheTableSaysWhatEachCellIs() throws {
        let (header, rows) = results().table
        XCTAssertEqual(header.count, rows[0].count)
        XCTAssertEqual(rows[0][0], "BERT-A")
        XCTAssertEqual(rows[1][4], "0.62 ± 0.18", "mean ± sample standard deviation of 0.75 and 0.5")
        XCTAssertEqual(rows[2][2], "3.00 (1.50)")
        XCTAssertEqual(rows[2][3], "— (no MLM head)")
        XCTAssertEqual(rows[2][5], "51.0 ± 1.4")
        XCTAssertEqual(rows[2][6], "46.0 ± 1.4 (133 updates)")
        XCTAssertEqual(rows[1][6], "= at N updates", "same FLOPs per update: equal FLOPs is equal updates")
        XCTAssertEqual(rows[2][7], "≤ 0.50 (FLOPs ≤ 0.75)")
        XCTAssert(rows[1][8].hasPrefix("0.3 — TUPE"))
    }

    func testFindingsFollowTheNumbers() {
        let clear = results().findings
        XCTAssert(clear[0].hasPrefix("TUPE-R: reaches BERT-A's final validation MLM loss in 0.62 of its updates (2 of 2 seeds below 1)"), clear[0])
        XCTAssert(clear[1].hasSuffix("on mini-GLUE it scores 51.0 against BERT-A's 41.0 (+10.0, ± 0.0 standard error over 2 "
                                     + "paired seeds): better in every seed, by more than two standard errors."), clear[1])
        let mixed = results(mcGLUE: [41, 42]).findings   // paired gaps +1 and 0
        XCTAssert(mixed[1].contains("(+0.5, ± 0.5 standard error over 2 paired seeds): no evidence either way"), mixed[1])
        let noisy = results(mcGLUE: [45, 43]).findings   // paired gaps +5 and +1: same sign, 3 ± 2
        XCTAssert(noisy[1].contains("(+3.0, ± 2.0 standard error over 2 paired seeds): no evidence either way"), noisy[1])
        let chance = results(bertGLUE: [26, 27], mcGLUE: [27, 28], majority: 25).findings
        XCTAssert(chance[1].contains("neither is 5 points above chance (25.0, the best constant answer): no evidence either way"), chance[1])
        // A table written before the chance level was recorded takes the suite's: for the five
        // tasks 31.7, paraphrase's best constant answer being 58.3, not the majority's 25.
        let older = results(bertGLUE: [33, 34], mcGLUE: [35, 36], majority: 25, chance: nil)
        XCTAssertEqual(try XCTUnwrap(older.chance), (100 * (2.0 / 3 + 0.5) / 2 + 50 + 50) / 5, accuracy: 1e-9)
        XCTAssert(older.findings[1].contains("(+2.0, ± 0.0 standard error over 2 paired seeds); neither is 5 points above chance "
                                             + "(31.7, the best constant answer): no evidence either way"), older.findings[1])
        XCTAssert(older.markdown.contains("×100 (majority-class average 25.0; best constant answer 31.7)."), older.markdown)
    }

    func testTheFileReadsBackAndADamagedOneIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-repro-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let original = results()
        try original.write(to: folder)
        let url = folder.appendingPathComponent("reproduction.json")
        XCTAssertEqual(try Results(contentsOf: url), original)
        let markdown = try String(contentsOf: folder.appendingPathComponent("reproduction.md"), encoding: .utf8)
        XCTAssert(markdown.contains("- MC-BERT: `swift run -c release chapter6 --reproduce --preset chapter --steps 200 --seed 1 --seeds 2 --rows mc-bert`"), markdown)
        try Data("{\"version\": 1}".utf8).write(to: url)
        XCTAssertThrowsError(try Results(contentsOf: url)) { XCTAssert("\($0)".contains("is not a reproduction table"), "\($0)") }
        XCTAssertThrowsError(try Results(contentsOf: folder.appendingPathComponent("missing.json"))) {
            XCTAssert("\($0)".contains("cannot read"), "\($0)")
        }
    }

    func testTheRowsAndTheirClaims() throws {
        XCTAssertEqual(Reproduction.standardRows.map(\.name),
                       ["BERT-A", "TUPE-R", "BERT-A + TNF", "TUPE-R + TNF", "MC-BERT", "TUPE-R + TNF + MC-BERT"])
        XCTAssertEqual(Reproduction.claimedRatio(try SeamChoice(parsing: "tupe-r"))?.ratio, 0.3)
        XCTAssertEqual(Reproduction.claimedRatio(try SeamChoice(parsing: "notes"))?.ratio, 0.4)
        XCTAssertEqual(Reproduction.claimedRatio(try SeamChoice(parsing: "tupe-r+notes+mc-bert"))?.ratio, 0.1)
        XCTAssertNil(Reproduction.claimedRatio(try SeamChoice(parsing: "tupe-r+notes")))
    }

    /// The committed long table's Markdown is what its JSON renders to: the numbers and the
    /// sentences cannot drift apart.
    func testTheCommittedTableIsItsJSONRendered() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/results/chapter6")
        let results = try Results(contentsOf: folder.appendingPathComponent("reproduction.json"))
        let markdown = try String(contentsOf: folder.appendingPathComponent("reproduction.md"), encoding: .utf8)
        XCTAssertEqual(markdown, results.markdown, "run `swift run chapter6 --render Docs/results/chapter6`")
        XCTAssertEqual(results.rows.map(\.name), Reproduction.standardRows.map(\.name))
        XCTAssertEqual(results.settings.seeds.count, 3)
        XCTAssertFalse(results.provenance.commit.contains("+changes"), "the committed table came from committed code")
    }

    /// `tenfold plan`'s numbers for BERT-base (README, Full-scale training): 77.1 TFLOP per
    /// update of 256 × 512, 438 s at 176 GFLOP/s, 96% efficiency on 16 ranks.
    func testThePlanPricesBERTBase() throws {
        let plan = try TrainingPlan(ModelConfiguration.preset("base", vocabularySize: 30522)!, batchSize: 256, length: 512)
        XCTAssertEqual(plan.flops.total / 1e12, 77.1, accuracy: 0.05)
        XCTAssertEqual(plan.update(ranks: 1).total, 438.3, accuracy: 0.5)
        XCTAssertEqual(plan.update(ranks: 1).allreduce, 0)
        let sixteen = plan.update(ranks: 16)
        XCTAssertEqual(plan.update(ranks: 1).total / sixteen.total / 16, 0.96, accuracy: 0.01)
        XCTAssertEqual(TrainingPlan.rankCounts(upTo: 16), [1, 2, 4, 8, 16])
        XCTAssertEqual(TrainingPlan.rankCounts(upTo: 12), [1, 2, 4, 8, 12])
        XCTAssertEqual(TrainingPlan.duration(3 * 86_400), "3.0 days")
        XCTAssertEqual(TrainingPlan.duration(2 * 365 * 86_400), "2.0 years")
        let mini = ModelConfiguration.preset("mini", vocabularySize: 8192)!
        let alone = try TrainingPlan(mini, batchSize: 32, length: 128)
        let combined = try TrainingPlan(try SeamChoice(parsing: "tupe-r+notes+mc-bert").applied(to: mini), batchSize: 32, length: 128)
        XCTAssertGreaterThan(combined.flops.total, alone.flops.total, "the controller costs FLOPs")
        XCTAssertGreaterThan(combined.parameters, alone.parameters)
    }
}
