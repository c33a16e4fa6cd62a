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
        for chapter in 1...3 {
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
        for chapter in 1...3 {
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
        XCTAssert(stub.hasPrefix("// GENERATED from Exercises/Solutions/chapter3/Bucket.swift"), stub)
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
        XCTAssert(stub.contains("run `swift run check <id>` in this package"), stub)
        XCTAssertEqual(stub.replacingOccurrences(of: "run `swift run check <id>` in this package (see its README.md).",
                                                 with: "run `make exercise N=<id>` (Exercises/README.md explains the workflow)."),
                       committed, "the copy holds the committed stubs, with the copy's own command")
        // Never over answers: a second copy into the same folder is refused.
        XCTAssertThrowsError(try LearnerCopy.write(to: directory, tenfoldRoot: Self.root))
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
}
