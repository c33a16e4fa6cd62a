import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// The `tenfold` tool as a user meets it: training, resuming, predicting, exporting, and
/// clear errors (non-zero exit, no crash trace) for what a user can get wrong.
final class ToolTests: XCTestCase {
    func tenfold(_ arguments: String...) throws -> ChapterRun {
        try ChapterRunner.run("tenfold", arguments)
    }

    func assertCleanFailure(_ run: ChapterRun, mentions text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(run.status, 0, "should fail", file: file, line: line)
        XCTAssert(run.errors.contains(text), "the message should mention “\(text)”: \(run.errors)", file: file, line: line)
        XCTAssertFalse(run.errors.contains("Fatal error") || run.errors.contains("Stack dump"), run.errors, file: file, line: line)
    }

    func testTrainPredictExportAndResume() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        // --length above the preset's T (tiny's 32) grows the position table.
        let train = try tenfold("train", "--preset", "tiny", "--steps", "6", "--batch-size", "4", "--length", "48",
                                "--validate-every", "3", "--checkpoint-every", "3", "--out", out.path)
        XCTAssertEqual(train.status, 0, train.errors)
        XCTAssert(train.output.contains("T=48"), train.output)
        XCTAssert(train.output.contains("Done: validation loss"), train.output)
        let checkpoint = out.appendingPathComponent("checkpoint.safetensors").path
        XCTAssert(FileManager.default.fileExists(atPath: checkpoint))
        XCTAssert(FileManager.default.fileExists(atPath: out.appendingPathComponent("loss-curve.svg").path))

        let predict = try tenfold("predict", "--checkpoint", checkpoint, "--text", "the [MASK] sat on the [MASK].",
                                  "--top-k", "3", "--json")
        XCTAssertEqual(predict.status, 0, predict.errors)
        let json = try JSONSerialization.jsonObject(with: Data(predict.output.utf8)) as? [String: Any]
        let predictions = try XCTUnwrap(json?["predictions"] as? [[[String: Any]]])
        XCTAssertEqual(predictions.count, 2)
        XCTAssertEqual(predictions[0].count, 3)
        XCTAssertNotNil(predictions[0][0]["token"] as? String)
        XCTAssertNotNil(predictions[0][0]["score"] as? Double)

        let exported = out.appendingPathComponent("hf")
        let export = try tenfold("export", "--checkpoint", checkpoint, "--format", "huggingface", "--out", exported.path)
        XCTAssertEqual(export.status, 0, export.errors)
        for file in ["model.safetensors", "config.json", "vocab.txt", "tokenizer_config.json"] {
            XCTAssert(FileManager.default.fileExists(atPath: exported.appendingPathComponent(file).path), file)
        }

        let resume = try tenfold("train", "--out", out.path, "--resume")
        XCTAssertEqual(resume.status, 0, resume.errors)
        XCTAssert(resume.output.contains("after update 6 of 6"), resume.output)
    }

    /// `--stop-after` says where `--resume` will continue — the last checkpoint, which may lie
    /// before the stop or not exist yet — and every run ends with its timing line.
    func testStopAfterSaysWhereResumeContinues() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        func stop(after update: Int, _ folder: String) throws -> ChapterRun {
            try tenfold("train", "--preset", "tiny", "--steps", "8", "--batch-size", "4", "--checkpoint-every", "4",
                        "--stop-after", "\(update)", "--out", out.appendingPathComponent(folder).path)
        }
        let before = try stop(after: 3, "before")
        XCTAssertEqual(before.status, 0, before.errors)
        XCTAssert(before.output.contains("Stopped after update 3 of 8 before the first checkpoint (every 4 updates)"), before.output)
        let between = try stop(after: 6, "between")
        XCTAssert(between.output.contains("the last checkpoint is after update 4, so tenfold train --out "), between.output)
        XCTAssert(between.output.contains("repeating updates 5–6 exactly"), between.output)
        let at = try stop(after: 4, "at")
        XCTAssert(at.output.contains("Stopped after update 4 of 8; continue with tenfold train --out"), at.output)
        // The header comes before the progress lines, and the run ends with where its time went.
        let lines = at.output.split(separator: "\n").map(String.init)
        XCTAssert(lines.first?.hasPrefix("Training bert-a (tiny") == true, at.output)
        // B = 4: one validation pass costs 512 / 12 ≈ 43 updates, so the default interval is 4300.
        XCTAssertEqual(lines.dropFirst().first, "Validation after the last update (the default interval at this batch size "
                       + "is 4300 updates; --validate-every N for a curve).", at.output)
        let timing = try XCTUnwrap(lines.first { $0.hasPrefix("Timing: median update ") }, at.output)
        XCTAssert(timing.contains("over 4 updates") && timing.contains("(0 passes)") && timing.contains("(1 write)"), timing)

        let resumed = try tenfold("train", "--out", out.appendingPathComponent("between").path, "--resume")
        XCTAssertEqual(resumed.status, 0, resumed.errors)
        XCTAssert(resumed.output.contains("Resuming") && resumed.output.contains("after update 4 of 8"), resumed.output)
        XCTAssert(resumed.output.contains("Timing: median update ") && resumed.output.contains("over 4 updates"), resumed.output)
    }

    /// An ELECTRA or MC-BERT checkpoint exports its main encoder as a BertModel: the `bert.*`
    /// tensors a masked-LM export has (its checked part), without the helper network's or any
    /// head's.
    func testExportOfAnELECTRACheckpointIsItsMainEncoder() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        var names: [String: Set<String>] = [:]
        for objective in ["mlm", "electra", "mc-bert"] {
            let run = out.appendingPathComponent(objective)
            let train = try tenfold("train", "--preset", "tiny", "--objective", objective, "--steps", "2", "--batch-size", "4",
                                    "--validate-every", "2", "--checkpoint-every", "2", "--out", run.path)
            XCTAssertEqual(train.status, 0, train.errors)
            let exported = run.appendingPathComponent("hf")
            let export = try tenfold("export", "--checkpoint", run.appendingPathComponent("checkpoint.safetensors").path,
                                     "--out", exported.path)
            XCTAssertEqual(export.status, 0, export.errors)
            let header = try safetensorsNames(exported.appendingPathComponent("model.safetensors"))
            names[objective] = header
            let config = try String(contentsOf: exported.appendingPathComponent("config.json"), encoding: .utf8)
            XCTAssert(config.contains(objective == "mlm" ? "\"BertForMaskedLM\"" : "\"BertModel\""), config)
        }
        let encoder = Set(try XCTUnwrap(names["mlm"]).filter { $0.hasPrefix("bert.") })
        XCTAssertFalse(encoder.isEmpty)
        XCTAssertEqual(names["electra"], encoder, "the discriminator's encoder, nothing of the generator")
        XCTAssertEqual(names["mc-bert"], encoder, "the main encoder, nothing of the meta controller")
    }

    /// The tensor names in a safetensors file's JSON header.
    func safetensorsNames(_ url: URL) throws -> Set<String> {
        let data = try Data(contentsOf: url)
        let length = data.prefix(8).enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as? [String: Any]
        return Set(try XCTUnwrap(header).keys.filter { $0 != "__metadata__" })
    }

    /// Downstream evaluation as a user runs it: fine-tuning on GLUE-format files (written here),
    /// the submission file, the classifier's export and predictions, and mini-GLUE's table.
    func testFinetuneEvaluateAndExportAClassifier() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        let train = try tenfold("train", "--preset", "tiny", "--steps", "2", "--batch-size", "4", "--out", out.path)
        XCTAssertEqual(train.status, 0, train.errors)
        let checkpoint = out.appendingPathComponent("checkpoint.safetensors").path

        // An RTE-format task folder: a header, index, two sentences, the label words.
        let data = out.appendingPathComponent("RTE")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        func rows(_ count: Int, labelled: Bool) -> String {
            (0..<count).map { i in
                "\(i)\tthe king went to the house number \(i).\tthe king went home."
                    + (labelled ? "\t" + (i % 2 == 0 ? "entailment" : "not_entailment") : "")
            }.joined(separator: "\n") + "\n"
        }
        try ("index\tsentence1\tsentence2\tlabel\n" + rows(24, labelled: true)).write(to: data.appendingPathComponent("train.tsv"), atomically: true, encoding: .utf8)
        try ("index\tsentence1\tsentence2\tlabel\n" + rows(8, labelled: true)).write(to: data.appendingPathComponent("dev.tsv"), atomically: true, encoding: .utf8)
        try ("index\tsentence1\tsentence2\n" + rows(5, labelled: false)).write(to: data.appendingPathComponent("test.tsv"), atomically: true, encoding: .utf8)
        let result = out.appendingPathComponent("rte")
        let finetune = try tenfold("finetune", "--checkpoint", checkpoint, "--task", "glue:rte", "--data", data.path,
                                   "--epochs", "1", "--out", result.path)
        XCTAssertEqual(finetune.status, 0, finetune.errors)
        XCTAssert(finetune.output.contains("dev (epoch 1): RTE: accuracy"), finetune.output)
        let submission = try String(contentsOf: result.appendingPathComponent("RTE.tsv"), encoding: .utf8)
        XCTAssertEqual(submission.split(separator: "\n").first, "index\tprediction")
        XCTAssertEqual(submission.split(separator: "\n").count, 6)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: result.appendingPathComponent("summary.json"))) as? [String: Any]
        XCTAssertEqual(summary?["chosenEpoch"] as? Int, 1)

        let classifier = result.appendingPathComponent("classifier.safetensors").path
        let predict = try tenfold("predict", "--checkpoint", classifier, "--text", "the king went home.",
                                  "--pair", "the king went to the house.", "--json")
        XCTAssertEqual(predict.status, 0, predict.errors)
        let prediction = try JSONSerialization.jsonObject(with: Data(predict.output.utf8)) as? [String: Any]
        XCTAssertEqual((prediction?["outputs"] as? [Double])?.count, 2)
        XCTAssert(["entailment", "not_entailment"].contains(prediction?["prediction"] as? String ?? ""), predict.output)
        let exported = out.appendingPathComponent("hf")
        let export = try tenfold("export", "--checkpoint", classifier, "--out", exported.path)
        XCTAssertEqual(export.status, 0, export.errors)
        let config = try String(contentsOf: exported.appendingPathComponent("config.json"), encoding: .utf8)
        XCTAssert(config.contains("BertForSequenceClassification") && config.contains("\"num_labels\": 2"), config)

        // A bad line names the file and the line; a GLUE task needs its folder.
        try ("index\tsentence1\tsentence2\tlabel\n0\ta\tb\tmaybe\n").write(to: data.appendingPathComponent("train.tsv"), atomically: true, encoding: .utf8)
        assertCleanFailure(try tenfold("finetune", "--checkpoint", checkpoint, "--task", "glue:rte", "--data", data.path),
                           mentions: "train.tsv, line 2")
        assertCleanFailure(try tenfold("finetune", "--checkpoint", checkpoint, "--task", "glue:rte"), mentions: "needs --data")
        assertCleanFailure(try tenfold("evaluate", "--checkpoint", checkpoint, "--tasks", "sentiment"), mentions: "unknown task 'sentiment'")

        let evaluate = try tenfold("evaluate", "--checkpoint", checkpoint, "--quick", "--json")
        XCTAssertEqual(evaluate.status, 0, evaluate.errors)
        let table = try JSONSerialization.jsonObject(with: Data(evaluate.output.utf8)) as? [String: Any]
        let tasks = (table?["report"] as? [String: Any])?["tasks"] as? [[String: Any]]
        XCTAssertEqual(tasks?.compactMap { $0["task"] as? String }, ["paraphrase", "similarity"])
        XCTAssertNotNil(table?["average"] as? Double)
        // Chance for paraphrase and similarity: always "same verse" (F1 2/3, accuracy 1/2) and 0.
        XCTAssertEqual(try XCTUnwrap(table?["chance"] as? Double), (100 * (2.0 / 3 + 0.5) / 2 + 0) / 2, accuracy: 1e-9)
    }

    /// The learner's commands on the committed stubs: each exercise reports itself unsolved and
    /// says how to ask for a hint; the hints come on request, a nudge first, then the derivation.
    func testExerciseCommands() throws {
        let check = try tenfold("check", "3.2")
        XCTAssertEqual(check.status, 1, check.errors)
        XCTAssert(check.output.contains("exercise 3.2 is not implemented yet"), check.output)
        XCTAssert(check.output.contains("`make hint N=3.2`") && check.output.contains("`make hint N=3.2 LEVEL=2`"), check.output)
        XCTAssertFalse(check.output.contains("hint 1 of") || check.output.contains("θ₁"), "no hint text: \(check.output)")
        let progress = try tenfold("progress")
        XCTAssertEqual(progress.status, 0, progress.errors)
        XCTAssert(progress.output.contains("0 of 21 solved"), progress.output)
        let nudge = try tenfold("hint", "1.3")
        XCTAssertEqual(nudge.status, 0, nudge.errors)
        XCTAssert(nudge.output.contains("hint 1 of 2, a nudge") && nudge.output.contains("Run the forward pass backwards"),
                  nudge.output)
        XCTAssertFalse(nudge.output.contains("∂ℓ/∂V = Pᵀ·G"), "the nudge gives no formula away: \(nudge.output)")
        XCTAssert(nudge.output.contains("`make hint N=1.3 LEVEL=2`"), nudge.output)
        let derivation = try tenfold("hint", "1.3", "--level", "2")
        XCTAssertEqual(derivation.status, 0, derivation.errors)
        XCTAssert(derivation.output.contains("hint 2 of 2, the derivation") && derivation.output.contains("∂ℓ/∂V = Pᵀ·G"),
                  derivation.output)
        assertCleanFailure(try tenfold("hint", "1.3", "--level", "3"), mentions: "exercise 1.3 has no hint level 3: level 2 is the last")
        assertCleanFailure(try tenfold("check", "9.9"), mentions: "no exercise '9.9'; the exercises are 1.1, 1.2")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let stubs = try tenfold("exercises", "stubs", "--check", "--root", root.path)
        if FileManager.default.fileExists(atPath: root.appendingPathComponent("Exercises/Solutions").path) {
            XCTAssertEqual(stubs.status, 0, stubs.output + stubs.errors)
        } else {   // the student edition: no solutions to generate the stubs from
            assertCleanFailure(stubs, mentions: "no solutions found")
        }
    }

    /// Grading as CI and GitHub Classroom run it, on the committed stubs: JSON, JUnit XML, and a
    /// failing exit status with --require-all; and watch mode, checking one exercise after another.
    func testGradingAndWatchCommands() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        let json = try tenfold("progress", "--json")
        XCTAssertEqual(json.status, 0, json.errors)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        XCTAssertEqual(document["solved"] as? Int, 0)
        let exercises = try XCTUnwrap(document["exercises"] as? [[String: Any]])
        XCTAssertEqual(exercises.count, document["total"] as? Int)
        XCTAssertEqual(exercises.first?["id"] as? String, "1.1")
        XCTAssertEqual(exercises.first?["status"] as? String, "not implemented")
        XCTAssertEqual(exercises.first?["diagnosis"] as? [String], ["exercise 1.1 is not implemented yet"])

        let report = out.appendingPathComponent("reports/junit.xml")
        let junit = try tenfold("progress", "--junit", report.path, "--require-all")
        XCTAssertEqual(junit.status, 1, "--require-all fails while an exercise is unsolved")
        XCTAssert(junit.errors.contains("\(exercises.count) of \(exercises.count) exercises are not solved"), junit.errors)
        let cases = try JUnitCases(contentsOf: report)
        XCTAssertEqual(cases.suites, 6)
        XCTAssertEqual(cases.names.map { String($0.prefix { $0 != " " }) }, exercises.compactMap { $0["id"] as? String })
        XCTAssertEqual(cases.failures.count, exercises.count)
        XCTAssert(cases.failures.allSatisfy { $0.type == "not implemented" && $0.message.hasSuffix("is not implemented yet") })
        assertCleanFailure(try tenfold("progress", "--junit", "/proc/no/such/folder/junit.xml"), mentions: "/proc/no/such/folder")

        // Watch mode with a check command that passes at once: 6.2, then 6.3, then done.
        let watch = try tenfold("watch", "6.2", "--command", "echo checked", "--interval", "0.05")
        XCTAssertEqual(watch.status, 0, watch.errors)
        XCTAssert(watch.output.contains("checked 6.2") && watch.output.contains("checked 6.3"), watch.output)
        XCTAssert(watch.output.contains("exercise 6.2 is solved; on to 6.3.")
                  && watch.output.contains("every exercise from 6.2 to 6.3 is solved."), watch.output)
        assertCleanFailure(try tenfold("watch", "9.9", "--command", "true"), mentions: "no exercise '9.9'")
        assertCleanFailure(try tenfold("watch", "--folder", "/no/such/folder"), mentions: "no folder /no/such/folder")
    }

    func testUserMistakesGiveClearErrors() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        assertCleanFailure(try tenfold("train", "--steps=-5", "--out", out.path), mentions: "--steps must be a positive number")
        assertCleanFailure(try tenfold("train", "--preset", "tiny", "--steps", "2", "--corpus", "/no/such/corpus", "--out", out.path),
                           mentions: "/no/such/corpus")
        assertCleanFailure(try tenfold("train", "--preset", "huge", "--out", out.path), mentions: "unknown --preset")
        assertCleanFailure(try tenfold("train", "--preset", "tiny", "--length", "513", "--out", out.path),
                           mentions: "--length must be in 8…512")
        assertCleanFailure(try tenfold("train", "--out", out.appendingPathComponent("empty").path, "--resume"),
                           mentions: "nothing to resume")

        // A corrupt checkpoint: cut a real one short.
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let corrupt = out.appendingPathComponent("corrupt.safetensors")
        try Data([0x10, 0, 0, 0, 0, 0, 0, 0, 0x7B]).write(to: corrupt)
        assertCleanFailure(try tenfold("predict", "--checkpoint", corrupt.path, "--text", "a [MASK]"), mentions: corrupt.lastPathComponent)
        assertCleanFailure(try tenfold("predict", "--checkpoint", out.appendingPathComponent("none.safetensors").path,
                                       "--text", "a [MASK]"), mentions: "no checkpoint")
    }

    /// The training-step benchmark's JSON line carries torch_reference.py's field names, with
    /// numbers that fit together (the shapes are the reference's mini preset).
    func testBenchPresetReportsTheReferenceFields() throws {
        let run = try tenfold("bench", "--preset", "mini", "--steps", "1", "--warmup", "0", "--json", "--peak", "100")
        XCTAssertEqual(run.status, 0, run.errors)
        let line = try XCTUnwrap(run.output.split(separator: "\n").last { $0.hasPrefix("{") })
        let record = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        for field in ["step_s_median", "step_s_min", "step_s_max", "fwd_s_median", "bwd_s_median", "opt_s_median",
                      "tokens_per_s", "gflop_step_executed", "achieved_gflops_executed", "n_pred", "loss_last",
                      "peak_rss_mb", "profile_s", "mfu_executed", "first_step_s", "params_total"] {
            XCTAssertNotNil(record[field], "missing \(field) in \(line)")
        }
        let step = try XCTUnwrap(record["step_s_median"] as? Double)
        let parts = ["fwd_s_median", "bwd_s_median", "opt_s_median"].compactMap { record[$0] as? Double }
        XCTAssertEqual(parts.reduce(0, +), step, accuracy: step * 0.01 + 1e-3, "forward + backward + optimizer = step")
        // torch_reference.py's formula for mini: ≈92 GFLOP (the reference's own count), 32·19 predictions.
        XCTAssertEqual(try XCTUnwrap(record["gflop_step_executed"] as? Double), 92.0, accuracy: 1)
        XCTAssertEqual(record["n_pred"] as? Int, 32 * 19)
        XCTAssertEqual(try XCTUnwrap(record["tokens_per_s"] as? Double), 32 * 128 / step, accuracy: 1)
        let loss = try XCTUnwrap(record["loss_last"] as? Double)
        XCTAssertEqual(loss, log(8192), accuracy: 0.5, "an untrained model predicts about uniformly")
        let profile = try XCTUnwrap(record["profile_s"] as? [String: Double])
        XCTAssertEqual(Set(profile.keys), ["matmul", "attention", "elementwise", "optimizer", "other"])
        XCTAssertGreaterThan(profile["matmul"]!, profile["optimizer"]!, "matrix products dominate a BERT step")
        // The ceiling: the linear layers' products are every counted FLOP but attention's
        // 3·L·4·B·T²·H; at the (given) peak, with the rest of the profiled step as it was.
        let products = try XCTUnwrap(record["product_gflop"] as? Double)
        XCTAssertEqual(products, 92.0 - 3 * 4 * 4 * 32 * 128 * 128 * 256 / 1e9, accuracy: 1)
        XCTAssertEqual(try XCTUnwrap(record["product_s"] as? Double), profile["matmul"]!, accuracy: 1e-12)
        let rest = try XCTUnwrap(record["rest_s"] as? Double)
        XCTAssertEqual(rest, profile.values.reduce(0, +) - profile["matmul"]!, accuracy: 1e-12)
        let bound = try XCTUnwrap(record["step_bound_s"] as? Double)
        XCTAssertEqual(bound, products / 100 + rest, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(record["mfu_bound"] as? Double),
                       try XCTUnwrap(record["gflop_step_executed"] as? Double) / bound / 100, accuracy: 1e-9)
        let (V, T, H, F, L) = (8192, 128, 256, 1024, 4)
        let perLayer = 4 * H * H + 4 * H + 2 * H * F + F + H + 4 * H   // attention, FFN, two LayerNorms
        XCTAssertEqual(try XCTUnwrap(record["params_total"] as? Int), V * H + T * H + 2 * H + L * perLayer + H * H + 3 * H + V,
                       "embeddings and their LayerNorm, L layers, the head's transform and LayerNorm, the vocabulary bias")

        assertCleanFailure(try tenfold("bench", "--preset", "huge"), mentions: "unknown preset")
        assertCleanFailure(try tenfold("bench"), mentions: "choose what to measure")
        XCTAssertNil(record["notes_s_median"], "no notes' time without --notes")
    }

    /// `bench --notes` times TNF on the mini step: the ids 5, 45, … are its rare words, every
    /// occurrence is noted, the intact ones that have a note are mixed, and the FLOPs stay those
    /// of the step without notes (the notes run no matrix product).
    func testBenchNotesTimesTNFOnTheDeclaredRareWords() throws {
        let run = try tenfold("bench", "--preset", "mini", "--notes", "--steps", "1", "--warmup", "1", "--json")
        XCTAssertEqual(run.status, 0, run.errors)
        let line = try XCTUnwrap(run.output.split(separator: "\n").last { $0.hasPrefix("{") })
        let record = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(record["notes"] as? Bool, true)
        XCTAssertEqual(record["rare_words"] as? Int, (8192 - 5 + 39) / 40, "ids 5, 45, …, 8165")
        let noted = try XCTUnwrap(record["noted_occurrences"] as? Int)
        let mixed = try XCTUnwrap(record["mixed_occurrences"] as? Int)
        // About 2.5% of 32·128 tokens; after the warm-up step every rare word has a note, so
        // exactly the occurrences not picked for prediction are mixed.
        XCTAssert((40...200).contains(noted), "\(noted) occurrences noted")
        XCTAssert(mixed > 0 && mixed < noted, "\(mixed) of \(noted) mixed: the picked ones are left out")
        let seconds = try XCTUnwrap(record["notes_s_median"] as? Double)
        XCTAssert(seconds > 0 && seconds < (record["step_s_median"] as? Double ?? 0), "notes' time \(seconds) s")
        XCTAssertEqual(try XCTUnwrap(record["gflop_step_executed"] as? Double), 92.0, accuracy: 1)
        assertCleanFailure(try tenfold("bench", "--preset", "mini", "--objective", "classify", "--notes"),
                           mentions: "pre-training step")
    }
}

/// The test cases of a JUnit XML report, read with Foundation's XML parser (which fails on XML
/// that is not well formed).
struct JUnitCases {
    var suites = 0
    var names: [String] = []
    var failures: [(type: String, message: String)] = []

    init(contentsOf url: URL) throws {
        let parser = XMLParser(data: try Data(contentsOf: url))
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
        (suites, names, failures) = (collector.suites, collector.names, collector.failures)
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var suites = 0
        var names: [String] = []
        var failures: [(type: String, message: String)] = []
        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch element {
            case "testsuite": suites += 1
            case "testcase": names.append(attributes["name"] ?? "")
            case "failure": failures.append((attributes["type"] ?? "", attributes["message"] ?? ""))
            default: break
            }
        }
    }
}
