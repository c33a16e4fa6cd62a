import Foundation
import XCTest

/// The hostile user's cases (the reliability issue): each bad flag, file or disk ends in one
/// sentence on standard error and a non-zero exit — never a trap, a raw Foundation error or a
/// lost file.
final class ToolReliabilityTests: XCTestCase {
    func tenfold(_ arguments: String...) throws -> ChapterRun {
        try ChapterRunner.run("tenfold", arguments)
    }

    /// Runs `script` with `$TENFOLD` set to the built tool, through /bin/sh (for redirections
    /// and limits the test process cannot set for its child otherwise).
    func shell(_ script: String) throws -> ChapterRun {
        let tool = ChapterRunner.productsDirectory.appendingPathComponent("tenfold").path
        guard FileManager.default.isExecutableFile(atPath: tool) else { throw XCTSkip("tenfold is not built") }
        return try ChapterRunner.run(executable: URL(fileURLWithPath: "/bin/sh"),
                                     ["-c", "TENFOLD='\(tool)'; " + script])
    }

    func assertCleanFailure(_ run: ChapterRun, mentions phrases: String..., file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(run.status, 0, "should fail: \(run.output)", file: file, line: line)
        for phrase in phrases {
            XCTAssert(run.errors.contains(phrase), "the message should mention “\(phrase)”: \(run.errors)", file: file, line: line)
        }
        for raw in ["Fatal error", "Stack dump", "Error Domain", "NSCocoaErrorDomain", "EncodingError", "DecodingError",
                    "unexpectedly raised"] {
            XCTAssertFalse(run.errors.contains(raw), "no \(raw): \(run.errors)", file: file, line: line)
        }
    }

    /// A finished two-update run of the tiny model.
    func trainedRun() throws -> URL {
        let out = ChapterRunner.temporaryDirectory(self)
        let train = try tenfold("train", "--preset", "tiny", "--steps", "2", "--batch-size", "2", "--out", out.path)
        XCTAssertEqual(train.status, 0, train.errors)
        return out
    }

    // MARK: Crashes 5, 6, 7

    func testHugeStepCountsAreRefused() throws {
        assertCleanFailure(try tenfold("bench", "--preset", "mini", "--steps", "9223372036854775807"), mentions: "--steps")
        assertCleanFailure(try tenfold("bench", "--preset", "mini", "--seconds", "inf"), mentions: "--seconds")
        let out = ChapterRunner.temporaryDirectory(self)
        assertCleanFailure(try tenfold("train", "--steps", "9223372036854775807", "--out", out.path), mentions: "--steps")
        assertCleanFailure(try tenfold("train", "--steps", "5", "--warmup", "9223372036854775807", "--out", out.path),
                           mentions: "--warmup")
    }

    func testAHugeBatchIsRefusedWithTheMemoryItNeeds() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        assertCleanFailure(try tenfold("train", "--preset", "tiny", "--batch-size", "1000000000", "--out", out.path),
                           mentions: "GB")
    }

    func testWritingToAFullDiskIsAnErrorNotATrap() throws {
        let folder = ChapterRunner.temporaryDirectory(self)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = folder.appendingPathComponent("text.txt")
        try String(repeating: "in the beginning was the word\n", count: 5000).write(to: text, atomically: true, encoding: .utf8)
        assertCleanFailure(try shell("\"$TENFOLD\" tokenize '\(text.path)' > /dev/full"), mentions: "No space left on device")
    }

    /// A file-size limit stands in for a disk that fills during training: the first checkpoint
    /// does not fit, the run stops with a sentence, and metrics.jsonl holds only whole lines.
    func testADiskThatFillsDuringTrainingStopsTheRunCleanly() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        let run = try shell("trap '' XFSZ; ulimit -f 1024; exec \"$TENFOLD\" train --preset tiny --steps 4 --batch-size 2 "
                            + "--checkpoint-every 2 --out '\(out.path)'")
        assertCleanFailure(run, mentions: "checkpoint.safetensors")
        let metrics = try String(contentsOf: out.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        XCTAssert(metrics.hasSuffix("\n"), "no half line: \(metrics.suffix(80))")
        for line in metrics.split(separator: "\n") {
            XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(line.utf8)), String(line))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.contains(".tmp") }
        XCTAssertEqual(leftovers, [], "no temporary file is left behind")

        // A limit of 1 KiB (two 512-byte blocks): metrics.jsonl fills up after a few lines, in
        // the middle of one.
        let small = ChapterRunner.temporaryDirectory(self)
        let full = try shell("trap '' XFSZ; ulimit -f 2; exec \"$TENFOLD\" train --preset tiny --steps 20 --batch-size 2 "
                             + "--checkpoint-every 100 --out '\(small.path)'")
        assertCleanFailure(full, mentions: "metrics.jsonl")
        let lines = try String(contentsOf: small.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        XCTAssert(lines.hasSuffix("\n") && lines.split(separator: "\n").count >= 2, "whole lines only: \(lines)")
    }

    // MARK: Flags

    func testNegativeNumbersAreValuesNotMissing() throws {
        let out = ChapterRunner.temporaryDirectory(self)
        assertCleanFailure(try tenfold("train", "--steps", "-1", "--out", out.path), mentions: "--steps must be")
        assertCleanFailure(try tenfold("train", "--learning-rate", "-0.1", "--out", out.path), mentions: "--learning-rate")
        assertCleanFailure(try tenfold("train", "--learning-rate", "1e30", "--out", out.path), mentions: "--learning-rate")
    }

    /// A vocabulary of special tokens only gave a NaN loss and "Done" with exit 0.
    func testAVocabularyOfOnlySpecialTokensIsRefused() throws {
        let folder = ChapterRunner.temporaryDirectory(self)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let vocab = folder.appendingPathComponent("vocab.txt")
        try "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n[unused0]\n".write(to: vocab, atomically: true, encoding: .utf8)
        let run = try tenfold("train", "--preset", "tiny", "--steps", "2", "--batch-size", "2", "--vocab", vocab.path,
                              "--out", folder.appendingPathComponent("run").path)
        assertCleanFailure(run, mentions: "only special tokens")
        XCTAssertFalse(run.output.contains("Done"), run.output)
    }

    func testFineTuningNumbersAreBounded() throws {
        assertCleanFailure(try tenfold("finetune", "--checkpoint", "x.safetensors", "--task", "mini:paraphrase",
                                       "--epochs", "9223372036854775807"), mentions: "--epochs")
        assertCleanFailure(try tenfold("evaluate", "--checkpoint", "x.safetensors", "--learning-rate", "1e30"),
                           mentions: "learning rate")
    }

    func testAnEmptyOutputFolderIsRefused() throws {
        assertCleanFailure(try tenfold("train", "--steps", "1", "--out", ""), mentions: "--out")
        assertCleanFailure(try tenfold("export", "--checkpoint", "x.safetensors", "--out", ""), mentions: "--out")
    }

    func testARunFolderIsNotOverwrittenWithoutAWord() throws {
        let out = try trainedRun()
        let before = try Data(contentsOf: out.appendingPathComponent("checkpoint.safetensors"))
        assertCleanFailure(try tenfold("train", "--preset", "tiny", "--steps", "1", "--batch-size", "2", "--out", out.path),
                           mentions: "--resume", "--overwrite")
        XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("checkpoint.safetensors")), before)
        let again = try tenfold("train", "--preset", "tiny", "--steps", "1", "--batch-size", "2", "--overwrite", "--out", out.path)
        XCTAssertEqual(again.status, 0, again.errors)
    }

    func testAFileWhereTheRunFolderShouldBe() throws {
        let folder = ChapterRunner.temporaryDirectory(self)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("taken")
        try Data("x".utf8).write(to: file)
        assertCleanFailure(try tenfold("train", "--preset", "tiny", "--steps", "1", "--out", file.path), mentions: file.path)
        let run = try trainedRun()
        assertCleanFailure(try tenfold("export", "--checkpoint", run.appendingPathComponent("checkpoint.safetensors").path,
                                       "--out", file.path), mentions: file.path)
    }

    func testChaptersRefuseACheckpointTheyWouldIgnore() throws {
        let run1 = try ChapterRunner.run("chapter1", ["--quick", "--checkpoint", "/nonexistent.safetensors"])
        assertCleanFailure(run1, mentions: "--checkpoint")
        let run3 = try ChapterRunner.run("chapter3", ["--quick", "--checkpoint", "/nonexistent.safetensors"])
        assertCleanFailure(run3, mentions: "--checkpoint")
        let run2 = try ChapterRunner.run("chapter2", ["--quick", "--checkpoint", "/nonexistent.safetensors"])
        assertCleanFailure(run2, mentions: "/nonexistent.safetensors")
    }

    // MARK: Messages

    func testMessagesSayWhatIsWrong() throws {
        let run = try trainedRun()
        let checkpoint = run.appendingPathComponent("checkpoint.safetensors").path
        let noMask = try tenfold("predict", "--checkpoint", checkpoint, "--text", "no blank here")
        assertCleanFailure(noMask, mentions: "[MASK]")
        XCTAssertFalse(noMask.errors.contains("invalid model configuration"), noMask.errors)
        let device = try tenfold("predict", "--checkpoint", "/dev/zero", "--text", "a [MASK]")
        assertCleanFailure(device, mentions: "/dev/zero", "not a regular file")
        let folder = try tenfold("predict", "--checkpoint", run.path, "--text", "a [MASK]")
        assertCleanFailure(folder, mentions: run.path)
        let vocabulary = try tenfold("tokenize", "--vocab", "/dev/zero", checkpoint)
        assertCleanFailure(vocabulary, mentions: "/dev/zero")
    }

    func testAStaleTemporaryCheckpointIsRemovedOnResume() throws {
        let run = try trainedRun()
        let stale = run.appendingPathComponent(".checkpoint.safetensors.tmp-0123456789abcdef")
        try Data(count: 64).write(to: stale)
        let resume = try tenfold("train", "--out", run.path, "--resume")
        XCTAssertEqual(resume.status, 0, resume.errors)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path))
    }
}
