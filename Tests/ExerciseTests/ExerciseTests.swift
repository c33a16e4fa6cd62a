import Foundation
import XCTest
import ExerciseChecks
import Exercises
import ExerciseSolutions
import Tensors
import Transformer
import ExpandedAttention

/// CI's half of the exercises (rustlings' rule): every reference solution passes its checks,
/// every stub fails with its own "not implemented" message, and the committed stubs are
/// exactly what the solutions generate.
final class ExerciseTests: XCTestCase {
    /// The repository root: Tests/ExerciseTests/ExerciseTests.swift → ../../..
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testEverySolutionPasses() {
        for exercise in ExerciseCatalog.all {
            let result = exercise.check(ExerciseSolutions.Implementation.self)
            XCTAssert(result.passed, "solution \(exercise.id):\n\(result.report)")
            XCTAssertGreaterThanOrEqual(result.passedChecks.count, 3, "exercise \(exercise.id) checks too little")
        }
    }

    func testEveryStubFailsWithItsOwnMessage() {
        for exercise in ExerciseCatalog.all {
            let result = exercise.check(Exercises.Implementation.self)
            XCTAssertEqual(result.status, .notImplemented, "stub \(exercise.id):\n\(result.report)")
            XCTAssertEqual(result.report, "exercise \(exercise.id) is not implemented yet")
        }
    }

    func testStubsAreUpToDate() throws {
        let stale = try StubGenerator.staleStubs(root: Self.root)
        XCTAssert(stale.isEmpty, "these stubs differ from what Exercises/Solutions generates; run `make exercise-stubs`: \(stale)")
    }

    func testAtLeastThreeExercisesPerChapterWithExistingFiles() {
        for chapter in 1...6 {
            XCTAssertGreaterThanOrEqual(ExerciseCatalog.all.filter { $0.chapter == chapter }.count, 3, "chapter \(chapter)")
        }
        XCTAssertEqual(Set(ExerciseCatalog.all.map(\.id)).count, ExerciseCatalog.all.count, "ids must be unique")
        for exercise in ExerciseCatalog.all {
            let file = Self.root.appendingPathComponent("Exercises").appendingPathComponent(exercise.file)
            XCTAssert(FileManager.default.fileExists(atPath: file.path), "\(exercise.id) names \(file.path)")
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            XCTAssert(text.contains("notImplemented(\"\(exercise.id)\")"), "\(exercise.file) should hold the stub of \(exercise.id)")
        }
    }

    /// Each chapter's text ends by naming its exercises.
    func testEveryChapterNamesItsExercises() throws {
        for chapter in 1...6 {
            let text = try String(contentsOf: Self.root.appendingPathComponent("Chapters/chapter\(chapter)/main.swift"), encoding: .utf8)
            for exercise in ExerciseCatalog.all where exercise.chapter == chapter {
                XCTAssert(text.contains("make exercise N=\(exercise.id)"), "chapter \(chapter) should name exercise \(exercise.id)")
            }
        }
    }

    func testStubGenerationReplacesTheMarkedSpan() throws {
        let solution = """
            import Tensors
            extension Implementation {
                /// Doc.
                public static func bucket(relativePosition n: Int, buckets: Int, maxDistance: Int) throws -> Int {
                    // BEGIN SOLUTION 3.1
                    // STUB: start from |n|
                    let m = abs(n)
                    return m
                    // END SOLUTION
                }
            }
            """
        let stub = try StubGenerator.stub(fromSolution: solution, path: "chapter3/Bucket.swift")
        XCTAssert(stub.hasPrefix(StubGenerator.header() + "\nimport Tensors"), stub)
        XCTAssert(stub.contains("make exercise N=<id>") && stub.contains("make hint N=<id>"), stub)
        XCTAssertFalse(stub.contains("Solutions"), "a stub never names its solution file: \(stub)")
        XCTAssert(stub.contains("""
                public static func bucket(relativePosition n: Int, buckets: Int, maxDistance: Int) throws -> Int {
                    // start from |n|
                    throw ExerciseError.notImplemented("3.1")
                }
            """), stub)
        XCTAssertFalse(stub.contains("let m"), stub)
        XCTAssertThrowsError(try StubGenerator.stub(fromSolution: "// BEGIN SOLUTION 3.1\n", path: "x.swift"))
        XCTAssertThrowsError(try StubGenerator.stub(fromSolution: "// BEGIN SOLUTION 9.9\n// END SOLUTION", path: "x.swift"))
        XCTAssertThrowsError(try StubGenerator.stub(fromSolution: "// END SOLUTION", path: "x.swift"))
    }

    /// A wrong answer gets a diagnosis naming entries and values, never a trap — wrong shapes included.
    func testWrongAnswersGetADiagnosis() {
        let naive = ExerciseCatalog.exercise("1.1")!.check(NaiveSoftmax.self)
        XCTAssertEqual(naive.status, .failed)
        XCTAssert(naive.report.contains("✓ matches the engine's softmax"), naive.report)
        XCTAssert(naive.report.contains("entries disagree"), naive.report)
        XCTAssert(naive.report.contains("expected"), naive.report)
        let transposed = ExerciseCatalog.exercise("1.2")!.check(NaiveSoftmax.self)
        XCTAssertEqual(transposed.status, .failed)
        XCTAssert(transposed.report.contains("has shape [6, 4], expected [4, 6]"), transposed.report)
        let stub = ExerciseCatalog.exercise("1.3")!.check(NaiveSoftmax.self)
        XCTAssertEqual(stub.report, "exercise 1.3 is not implemented yet")
    }

    /// `implementation` fails exercise `id`, with a report that mentions each of `mentions`.
    func failing(_ implementation: ExerciseSet.Type, _ id: String, _ mentions: String...,
                 file: StaticString = #filePath, line: UInt = #line) {
        let result = ExerciseCatalog.exercise(id)!.check(implementation)
        XCTAssertEqual(result.status, .failed, result.report, file: file, line: line)
        for text in mentions {
            XCTAssert(result.report.contains(text), "\(id) should mention “\(text)”: \(result.report)", file: file, line: line)
        }
    }

    /// Chapter 4's usual slips each fail the check that names them: a word looked up by its first
    /// token, a window clipped to T instead of the real tokens, one moving-average step per
    /// occurrence, and a note mixed into a word with a picked token.
    func testChapter4SlipsAreNamed() {
        failing(NaiveNotes.self, "4.1", "✗ every sequence", "not rare:", "word [20, 21], count 10")
        failing(NaiveNotes.self, "4.2", "✓ a word at the start", "✗ a word at the end, next to the padding", "entries disagree")
        failing(NaiveNotes.self, "4.3", "✗ notes [W, H] match the engine", "worst entries")
        failing(NaiveNotes.self, "4.4", "✗ x [T, H] (T = 15) matches the engine's NoteTaking.augment", "worst entries")
    }

    /// Chapter 5's usual slips each fail the check that names them: a sample equal to the original
    /// counted as replaced, the original put in slot 1 where the token was not replaced, a softmax
    /// over the whole vocabulary instead of K scores, and λ left out of the total.
    func testChapter5SlipsAreNamed() {
        failing(NaiveChoices.self, "5.1", "✗ a batch of 6 sequences", "the sample is the original): expected original, yours replaced")
        failing(NaiveChoices.self, "5.2", "✗ K = 10, [NOTA] = 40", "(not picked, token", "label 0; yours [40, ")
        failing(NaiveChoices.self, "5.3", "✗ M = 6 rows of K = 4", "entries disagree", "worst entries")
        failing(NaiveChoices.self, "5.4", "✗ M = 40 logits", "λ left out?")
    }

    /// Chapter 6's usual slips each fail the check that names them: the forward pass's FLOPs
    /// alone, the crossing put at the first validation at or below the target without
    /// interpolating, and a second name for a seam quietly replacing the first.
    func testChapter6SlipsAreNamed() {
        failing(NaiveTotals.self, "6.1", "✗ the chapter preset", "expected 7115636736 (7.116 GFLOP)", "the forward pass alone")
        failing(NaiveTotals.self, "6.2", "✗ a crossing between two validations",
                "expected 0.777778, yours 1;", "without the interpolation?")
        failing(NaiveTotals.self, "6.3", "✓ every position scheme with every objective", "✗ two names for one seam",
                "\"tupe-a+tupe-r\": expected an error naming tupe-a and tupe-r, yours returned (tupe-r, none, mlm)")
    }

    func testUnknownExerciseListsTheValidOnes() {
        XCTAssertThrowsError(try ExerciseCatalog.lookup("9.9")) { error in
            XCTAssert("\(error)".contains("no exercise '9.9'"), "\(error)")
            XCTAssert("\(error)".contains("1.1, 1.2"), "\(error)")
        }
    }

    func testLearnerCopyIsAPackageDependingOnTenfold() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-copy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let written = try LearnerCopy.write(to: directory, tenfoldRoot: Self.root)
        XCTAssert(written.contains("Package.swift"))
        XCTAssert(written.contains("Sources/check/main.swift"))
        XCTAssert(written.contains("Sources/MyExercises/Implementation.swift"))
        XCTAssert(written.contains("Sources/MyExercises/chapter3/Bucket.swift"))
        let manifest = try String(contentsOf: directory.appendingPathComponent("Package.swift"), encoding: .utf8)
        XCTAssert(manifest.contains(".package(path: \"\(Self.root.standardizedFileURL.path)\")"), manifest)
        XCTAssert(manifest.contains(".product(name: \"TenfoldExercises\", package: \"\(Self.root.standardizedFileURL.lastPathComponent)\")"), manifest)
        let stub = try String(contentsOf: directory.appendingPathComponent("Sources/MyExercises/chapter1/SoftmaxRows.swift"), encoding: .utf8)
        let committed = try String(contentsOf: Self.root.appendingPathComponent("Exercises/chapter1/SoftmaxRows.swift"), encoding: .utf8)
        XCTAssert(stub.hasPrefix(LearnerCopy.stubHeader), stub)
        XCTAssert(stub.contains("`swift run check <id>`") && stub.contains("`swift run check --hint <id>`"), stub)
        XCTAssertFalse(stub.contains("make exercise") || stub.contains("Solutions"), stub)
        XCTAssertEqual(stub.replacingOccurrences(of: LearnerCopy.stubHeader, with: StubGenerator.header()),
                       committed, "the copy holds the committed stubs, with the copy's own commands")
        let readme = try String(contentsOf: directory.appendingPathComponent("README.md"), encoding: .utf8)
        XCTAssert(readme.contains("swift run check --hint 1.1 --level 2"), readme)
        // Never over answers: a second copy into the same folder is refused.
        XCTAssertThrowsError(try LearnerCopy.write(to: directory, tenfoldRoot: Self.root))
    }
}

/// The exercises as a course uses them: `check` diagnoses and says how to ask for a hint; the
/// hints come only on request, a nudge first and the derivation second; the stubs state the task
/// without naming their solution or giving the recipe.
final class ExerciseHintTests: XCTestCase {
    /// Runs `body` with an output collector; returns what it printed and its status.
    func capture(_ body: (_ output: (String) -> Void) throws -> Int32) rethrows -> (text: String, status: Int32) {
        var lines: [String] = []
        let status = try body { lines.append($0) }
        return (lines.joined(separator: "\n"), status)
    }

    /// The lines of a hint long enough to be recognised in other output.
    func distinctiveLines(_ hint: String) -> [String] {
        hint.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count >= 24 }
    }

    func testEveryExerciseHasANudgeAndADerivation() {
        for exercise in ExerciseCatalog.all {
            XCTAssertGreaterThanOrEqual(exercise.hints.count, 2, exercise.id)
            let (nudge, derivation) = (exercise.hints[0], exercise.hints[exercise.hints.count - 1])
            XCTAssertGreaterThan(nudge.count, 200, "\(exercise.id)'s nudge is too thin")
            XCTAssertGreaterThan(derivation.count, nudge.count, "\(exercise.id)'s derivation should say more than its nudge")
            XCTAssert(nudge.contains("?"), "\(exercise.id)'s nudge should ask the questions to think about")
            XCTAssertFalse(nudge.contains("matmul(") || nudge.contains("splitHeads"),
                           "\(exercise.id)'s nudge should not hand over the engine calls")
            for line in distinctiveLines(derivation) {
                XCTAssertFalse(nudge.contains(line), "\(exercise.id): the nudge repeats the derivation's “\(line)”")
            }
        }
    }

    func testCheckOnAStubPrintsTheDiagnosisAndHowToAskNoHintText() throws {
        for exercise in ExerciseCatalog.all {
            let run = try capture { try ExerciseCommandLine.check(exercise.id, implementation: Exercises.Implementation.self,
                                                                  output: $0) }
            XCTAssertEqual(run.status, 1)
            XCTAssert(run.text.contains("exercise \(exercise.id) is not implemented yet"), run.text)
            XCTAssert(run.text.contains("`make hint N=\(exercise.id)`") && run.text.contains("LEVEL=2"), run.text)
            XCTAssertEqual(run.text.split(separator: "\n").count, 3, "a title, the diagnosis, one line on hints: \(run.text)")
            for line in exercise.hints.flatMap(distinctiveLines) {
                XCTAssertFalse(run.text.contains(line), "\(exercise.id): check printed hint text “\(line)”")
            }
        }
        // A solved exercise needs no pointer to a hint.
        let solved = try capture { try ExerciseCommandLine.check("1.2", implementation: ExerciseSolutions.Implementation.self,
                                                                 output: $0) }
        XCTAssertEqual(solved.status, 0)
        XCTAssertFalse(solved.text.contains("hint"), solved.text)
    }

    func testHintPrintsTheNudgeThenOnRequestTheDerivation() throws {
        let exercise = try ExerciseCatalog.lookup("1.2")
        let (nudge, derivation) = (exercise.hints[0], exercise.hints[1])
        let first = try capture { try ExerciseCommandLine.hint("1.2", output: $0) }
        XCTAssertEqual(first.status, 0)
        XCTAssert(first.text.contains("hint 1 of 2, a nudge"), first.text)
        for line in distinctiveLines(nudge) { XCTAssert(first.text.contains(line), "missing “\(line)”: \(first.text)") }
        for line in distinctiveLines(derivation) { XCTAssertFalse(first.text.contains(line), "level 1 printed “\(line)”") }
        XCTAssert(first.text.contains("`make hint N=1.2 LEVEL=2` (the derivation)"), first.text)

        let second = try capture { try ExerciseCommandLine.hint("1.2", level: 2, output: $0) }
        XCTAssertEqual(second.status, 0)
        XCTAssert(second.text.contains("hint 2 of 2, the derivation"), second.text)
        for line in distinctiveLines(derivation) { XCTAssert(second.text.contains(line), "missing “\(line)”: \(second.text)") }
        for line in distinctiveLines(nudge) { XCTAssertFalse(second.text.contains(line), "level 2 printed “\(line)”") }
        XCTAssert(second.text.contains("the last hint"), second.text)
        XCTAssert(second.text.contains("√D"), "the derivation states the scale: \(second.text)")
    }

    func testAHintLevelBeyondTheLastIsRefused() throws {
        var printed: [String] = []
        XCTAssertThrowsError(try ExerciseCommandLine.hint("1.2", level: 3) { printed.append($0) }) { error in
            XCTAssert(error is NoSuchHint, "\(error)")
            XCTAssert("\(error)".contains("exercise 1.2 has no hint level 3: level 2 is the last"), "\(error)")
        }
        XCTAssertThrowsError(try ExerciseCommandLine.hint("1.2", level: 0) { printed.append($0) }) { error in
            XCTAssert("\(error)".contains("hint levels start at 1"), "\(error)")
        }
        XCTAssertEqual(printed, [], "nothing is printed for a level that does not exist")
    }

    /// The learner copy's `swift run check` behaves the same, with the copy's own commands.
    func testTheLearnerCopysCommandLine() {
        func run(_ arguments: String...) -> (output: String, errors: String, status: Int32) {
            var output: [String] = [], errors: [String] = []
            let status = ExerciseCommandLine.main(arguments, implementation: Exercises.Implementation.self,
                                                  exercisesFolder: LearnerCopy.exercisesFolder,
                                                  output: { output.append($0) }, errorOutput: { errors.append($0) })
            return (output.joined(separator: "\n"), errors.joined(separator: "\n"), status)
        }
        let hints = ExerciseCatalog.exercise("3.1")!.hints
        let check = run("3.1")
        XCTAssertEqual(check.status, 1)
        XCTAssert(check.output.contains("Sources/MyExercises/chapter3/Bucket.swift"), check.output)
        XCTAssert(check.output.contains("`swift run check --hint 3.1`") && check.output.contains("--level 2"), check.output)
        XCTAssertFalse(check.output.contains("make "), check.output)
        for line in hints.flatMap(distinctiveLines) { XCTAssertFalse(check.output.contains(line), line) }

        let nudge = run("--hint", "3.1")
        XCTAssertEqual(nudge.status, 0, nudge.errors)
        XCTAssert(nudge.output.contains(distinctiveLines(hints[0])[0]), nudge.output)
        XCTAssert(nudge.output.contains("`swift run check --hint 3.1 --level 2`"), nudge.output)
        for arguments in [["--hint", "3.1", "--level", "2"], ["--hint", "--level", "2", "3.1"], ["--hint", "3.1", "--level=2"]] {
            var output: [String] = []
            let status = ExerciseCommandLine.main(arguments, implementation: Exercises.Implementation.self,
                                                  exercisesFolder: LearnerCopy.exercisesFolder, output: { output.append($0) })
            XCTAssertEqual(status, 0, "\(arguments)")
            XCTAssert(output.joined(separator: "\n").contains(distinctiveLines(hints[1])[0]), "\(arguments): \(output)")
        }
        let beyond = run("--hint", "3.1", "--level", "3")
        XCTAssertNotEqual(beyond.status, 0)
        XCTAssertEqual(beyond.output, "")
        XCTAssert(beyond.errors.contains("error: exercise 3.1 has no hint level 3: level 2 is the last"), beyond.errors)
        for arguments in [["--hint"], ["--hint", "3.1", "--level"], ["--hint", "3.1", "--level", "two"], ["--hint", "3.1", "3.2"]] {
            var errors: [String] = []
            let status = ExerciseCommandLine.main(arguments, implementation: Exercises.Implementation.self,
                                                  exercisesFolder: LearnerCopy.exercisesFolder, output: { _ in },
                                                  errorOutput: { errors.append($0) })
            XCTAssertEqual(status, 2, "\(arguments)")
            XCTAssert(errors.joined().contains("usage: swift run check"), "\(arguments): \(errors)")
        }
        let progress = run("--progress")
        XCTAssert(progress.output.contains("0 of 21 solved") && progress.output.contains("swift run check --hint <id>"),
                  progress.output)
    }

    /// No stub names its solution file, and what a stub's doc comment states is the task: no
    /// recipe in engine calls, no notes outside the repository.
    func testStubsStateTheTaskWithoutTheirSolution() throws {
        let folder = ExerciseTests.root.appendingPathComponent(StubGenerator.stubsPath)
        let stubs = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("chapter") }
            .flatMap { chapter in
                try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(chapter).path).map { "\(chapter)/\($0)" }
            } + ["Implementation.swift"]
        XCTAssertEqual(stubs.count, ExerciseCatalog.all.count + 1, "\(stubs)")
        for path in stubs {
            let text = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
            XCTAssertFalse(text.contains("Solutions"), "\(path) names the solutions")
            XCTAssertFalse(text.contains("METHODS.md"), "\(path) cites a file outside the repository")
            let documentation = text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("///") }
                .joined(separator: "\n")
            for recipe in ["matmul(", "transposeB", "splitHeads", "layerNorm(", "first compute", "then apply"] {
                XCTAssertFalse(documentation.contains(recipe), "\(path)'s doc comment gives the recipe (“\(recipe)”)")
            }
        }
        for exercise in ExerciseCatalog.all {
            let text = try String(contentsOf: folder.appendingPathComponent(exercise.file), encoding: .utf8)
            XCTAssert(text.contains("/// Exercise \(exercise.id) — "), "\(exercise.file) should state exercise \(exercise.id)")
            XCTAssert(text.contains("Docs/Methods/") || text.contains("§"), "\(exercise.file) should cite a method note or a paper")
        }
    }
}

/// What a slip enum below does not attempt: every exercise throws as its stub does, so each enum
/// writes only its own chapter's first attempts (visible to this file's conformances only).
private extension ExerciseSet {
    static func softmaxRows(_ x: Tensor) throws -> Tensor { throw ExerciseError.notImplemented("1.1") }
    static func attention(query: Tensor, key: Tensor, value: Tensor) throws -> (probabilities: Tensor, output: Tensor) {
        throw ExerciseError.notImplemented("1.2")
    }
    static func attentionBackward(query: Tensor, key: Tensor, value: Tensor,
                                  outputGradient: Tensor) throws -> (query: Tensor, key: Tensor, value: Tensor) {
        throw ExerciseError.notImplemented("1.3")
    }
    static func adamWStep(parameter: Tensor, gradient: Tensor, firstMoment: Tensor, secondMoment: Tensor, step: Int,
                          learningRate: Float, settings: AdamW.Settings, decays: Bool) throws
        -> (parameter: Tensor, firstMoment: Tensor, secondMoment: Tensor) { throw ExerciseError.notImplemented("1.4") }
    static func layerNormSplit(words: Tensor, positions: Tensor, gamma: Tensor, beta: Tensor,
                               epsilon: Float) throws -> (word: Tensor, position: Tensor) { throw ExerciseError.notImplemented("2.1") }
    static func fourTermLogits(word: Tensor, position: Tensor, queryWeight: Tensor, queryBias: Tensor, keyWeight: Tensor,
                               keyBias: Tensor, heads: Int) throws -> FourTerms<Tensor> { throw ExerciseError.notImplemented("2.2") }
    static func positionShare(_ term: Tensor) throws -> Double { throw ExerciseError.notImplemented("2.3") }
    static func bucket(relativePosition n: Int, buckets: Int, maxDistance: Int) throws -> Int { throw ExerciseError.notImplemented("3.1") }
    static func untiedPositionalTerm(positions: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float, queryWeight: Tensor,
                                     queryBias: Tensor, keyWeight: Tensor, keyBias: Tensor, heads: Int, clsToOthers: Tensor,
                                     othersToCLS: Tensor) throws -> Tensor { throw ExerciseError.notImplemented("3.2") }
    static func tupeLogits(x: Tensor, queryWeight: Tensor, queryBias: Tensor, keyWeight: Tensor, keyBias: Tensor,
                           heads: Int, positional: Tensor) throws -> Tensor { throw ExerciseError.notImplemented("3.3") }
    static func rareWordOccurrences(ids: [Int32], wordSpans: [(start: Int, end: Int)], counts: [[Int32]: Int],
                                    band: ClosedRange<Int>) throws -> [(start: Int, end: Int)] {
        throw ExerciseError.notImplemented("4.1")
    }
    static func occurrenceNote(hidden: Tensor, length: Int, start: Int, end: Int, halfWindow k: Int) throws -> Tensor {
        throw ExerciseError.notImplemented("4.2")
    }
    static func updateNotes(notes: Tensor, seen: [Bool], occurrences: [(word: Int, mean: Tensor)],
                            decay γ: Float) throws -> (notes: Tensor, seen: [Bool]) { throw ExerciseError.notImplemented("4.3") }
    static func mixedInput(embeddings: Tensor, occurrences: [(start: Int, end: Int, word: Int)], picked: [Int],
                           notes: Tensor, seen: [Bool], weight λ: Float) throws -> Tensor { throw ExerciseError.notImplemented("4.4") }
    static func replacedTokens(original: [Int32], length: Int, picked: [Int],
                               samples: [Int32]) throws -> (ids: [Int32], replaced: [Bool]) { throw ExerciseError.notImplemented("5.1") }
    static func candidateSet(original: Int32, picked: Bool, samples: [Int32],
                             nota: Int32) throws -> (candidates: [Int32], label: Int) { throw ExerciseError.notImplemented("5.2") }
    static func scoreCandidates(hidden: Tensor, candidates: [[Int32]], table: Tensor, bias: Tensor,
                                notaRow: Tensor, notaBias: Float) throws -> Tensor { throw ExerciseError.notImplemented("5.3") }
    static func electraLoss(generatorLoss: Float, logits: Tensor, replaced: [Bool],
                            weight λ: Float) throws -> Float { throw ExerciseError.notImplemented("5.4") }
    static func flopsPerUpdate(layers L: Int, hidden H: Int, heads A: Int, feedForward F: Int, vocabulary V: Int,
                               batchSize B: Int, length T: Int, predictions N: Int) throws -> Double {
        throw ExerciseError.notImplemented("6.1")
    }
    static func stepsToTarget(baseline: [(step: Int, loss: Float)], method: [(step: Int, loss: Float)]) throws -> Double? {
        throw ExerciseError.notImplemented("6.2")
    }
    static func seamChoice(parsing text: String, positions: [String], inputs: [String],
                           objectives: [String]) throws -> (positions: String, input: String, objective: String) {
        throw ExerciseError.notImplemented("6.3")
    }
}

/// A learner's typical first attempts: softmax without the maximum, attention with Kᵀ·Q.
private enum NaiveSoftmax: ExerciseSet {
    static func softmaxRows(_ x: Tensor) throws -> Tensor {
        let e = x.scalars.map { Foundation.exp($0) }
        let M = x.shape[1]
        return Tensor(shape: x.shape, scalars: e.indices.map { k in
            e[k] / e[(k / M * M)..<(k / M * M + M)].reduce(0, +)
        })
    }
    static func attention(query: Tensor, key: Tensor, value: Tensor) throws -> (probabilities: Tensor, output: Tensor) {
        let P = softmax(matmul(key, query, transposeB: true))
        return (P, value)
    }
}

/// Chapter 4's first attempts: the rare word looked up by its first token, the window clipped to
/// the padded length T (so padding enters the note), the moving average once per occurrence, and
/// every occurrence with a note mixed in (no leakage rule).
private enum NaiveNotes: ExerciseSet {
    static func rareWordOccurrences(ids: [Int32], wordSpans: [(start: Int, end: Int)], counts: [[Int32]: Int],
                                    band: ClosedRange<Int>) throws -> [(start: Int, end: Int)] {
        wordSpans.filter { counts[[ids[$0.start]]].map(band.contains) ?? false }
    }
    static func occurrenceNote(hidden: Tensor, length: Int, start: Int, end: Int, halfWindow k: Int) throws -> Tensor {
        let (low, high) = (max(0, start - k), min(hidden.shape[0], end + k))
        var note = Tensor.zeros([hidden.shape[1]])
        for j in low..<high { for h in 0..<hidden.shape[1] { note[h] += hidden[j, h] } }
        return note / Float(high - low)
    }
    static func updateNotes(notes: Tensor, seen: [Bool], occurrences: [(word: Int, mean: Tensor)],
                            decay γ: Float) throws -> (notes: Tensor, seen: [Bool]) {
        var (notes, seen) = (notes, seen)
        for (word, mean) in occurrences {
            for h in 0..<notes.shape[1] { notes[word, h] = seen[word] ? (1 - γ) * notes[word, h] + γ * mean[h] : mean[h] }
            seen[word] = true
        }
        return (notes, seen)
    }
    static func mixedInput(embeddings: Tensor, occurrences: [(start: Int, end: Int, word: Int)], picked: [Int],
                           notes: Tensor, seen: [Bool], weight λ: Float) throws -> Tensor {
        var mixed = embeddings
        for (start, end, word) in occurrences where seen[word] {
            for i in start..<end { for h in 0..<notes.shape[1] { mixed[i, h] = (1 - λ) * mixed[i, h] + λ * notes[word, h] } }
        }
        return mixed
    }
}

/// Chapter 5's first attempts: every picked position called replaced, the original always in
/// slot 1, the candidates' probabilities under a softmax over the whole vocabulary (and [NOTA]),
/// and ℒ_MLM + BCE without λ.
private enum NaiveChoices: ExerciseSet {
    static func replacedTokens(original: [Int32], length: Int, picked: [Int],
                               samples: [Int32]) throws -> (ids: [Int32], replaced: [Bool]) {
        var ids = original
        for (p, s) in zip(picked, samples) { ids[p] = s }
        return (ids, (0..<length).map(picked.contains))
    }
    static func candidateSet(original: Int32, picked: Bool, samples: [Int32],
                             nota: Int32) throws -> (candidates: [Int32], label: Int) {
        let replaced = picked && samples[0] != original
        return ([nota, original] + samples[2...], replaced ? 1 : 0)
    }
    static func scoreCandidates(hidden: Tensor, candidates: [[Int32]], table: Tensor, bias: Tensor,
                                notaRow: Tensor, notaBias: Float) throws -> Tensor {
        let (M, H, V) = (hidden.shape[0], hidden.shape[1], table.shape[0])
        let rows = Tensor(shape: [V + 1, H], scalars: table.scalars + notaRow.scalars)
        let biases = bias.scalars + [notaBias]
        var logits = matmul(hidden, rows, transposeB: true)
        for m in 0..<M { for c in 0...V { logits[m, c] += biases[c] } }
        let probabilities = softmax(logits)
        return Tensor(shape: [M, candidates[0].count], scalars: (0..<M).flatMap { m in candidates[m].map { probabilities[m, Int($0)] } })
    }
    static func electraLoss(generatorLoss: Float, logits: Tensor, replaced: [Bool], weight λ: Float) throws -> Float {
        let losses = zip(logits.scalars, replaced).map { z, y in
            Double(max(z, 0) - (y ? z : 0)) + Foundation.log1p(Foundation.exp(-Double(abs(z))))
        }
        return generatorLoss + Float(losses.reduce(0, +) / Double(losses.count))
    }
}

/// Chapter 6's first attempts: the forward pass's FLOPs only, the crossing put at the first point
/// at or below the target (no interpolation), and a later name for a seam overriding an earlier one.
private enum NaiveTotals: ExerciseSet {
    static func flopsPerUpdate(layers L: Int, hidden H: Int, heads A: Int, feedForward F: Int, vocabulary V: Int,
                               batchSize B: Int, length T: Int, predictions N: Int) throws -> Double {
        let perLayer = (3 * H * H + 3 * H) + (H * H + H) + 2 * (2 * H) + (H * F + F) + (F * H + H)
        return Double(2 * L * perLayer * B * T + L * 4 * B * T * T * H + 2 * N * H * H + 2 * N * H * V)
    }
    static func stepsToTarget(baseline: [(step: Int, loss: Float)], method: [(step: Int, loss: Float)]) throws -> Double? {
        method.first { $0.loss <= baseline.last!.loss }.map { Double($0.step) / Double(baseline.last!.step) }
    }
    static func seamChoice(parsing text: String, positions: [String], inputs: [String],
                           objectives: [String]) throws -> (positions: String, input: String, objective: String) {
        var choice = (positions: "bert-a", input: "none", objective: "mlm")
        for part in text.lowercased().split(separator: "+", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespacesAndNewlines)
            if positions.contains(name) { choice.positions = name }
            else if inputs.contains(name) { choice.input = name }
            else if objectives.contains(name) { choice.objective = name }
            else { throw ConfigurationError(message: "\"\(name)\" is not a name") }
        }
        return choice
    }
}
