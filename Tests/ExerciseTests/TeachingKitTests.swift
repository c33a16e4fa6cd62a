import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import ExerciseChecks
import Exercises
import ExerciseSolutions
import Tensors

/// What an instructor hands out and grades with: the progress report as JSON and JUnit XML,
/// watch mode, the learner's XCTest target, the autograding workflow and the student edition.
/// (`make test-student-edition` builds an edition from a fresh clone and runs its tests.)
final class TeachingKitTests: XCTestCase {
    static let root = ExerciseTests.root

    func testTheProgressReportAsJSON() throws {
        let stubs = ProgressReport.run(Exercises.Implementation.self)
        XCTAssertEqual(stubs.solved, 0)
        XCTAssertFalse(stubs.allSolved)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stubs.json().utf8)) as? [String: Any])
        XCTAssertEqual(document["total"] as? Int, ExerciseCatalog.all.count)
        let exercises = try XCTUnwrap(document["exercises"] as? [[String: Any]])
        XCTAssertEqual(exercises.compactMap { $0["id"] as? String }, ExerciseCatalog.all.map(\.id))
        XCTAssertEqual(exercises[4]["file"] as? String, "Exercises/chapter2/LayerNormSplit.swift")
        XCTAssertEqual(exercises[4]["solved"] as? Bool, false)

        let solutions = ProgressReport.run(ExerciseSolutions.Implementation.self, exercisesFolder: "Sources/MyExercises")
        XCTAssert(solutions.allSolved)
        let solved = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(solutions.json().utf8)) as? [String: Any])
        XCTAssertEqual(solved["solved"] as? Int, ExerciseCatalog.all.count)
        let first = try XCTUnwrap((solved["exercises"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["status"] as? String, "solved")
        XCTAssertEqual(first["file"] as? String, "Sources/MyExercises/chapter1/SoftmaxRows.swift")
        XCTAssertGreaterThanOrEqual((first["passedChecks"] as? [String])?.count ?? 0, 3)
    }

    func testTheProgressReportAsJUnitXML() throws {
        let stubs = try Cases(ProgressReport.run(Exercises.Implementation.self).junit())
        XCTAssertEqual(stubs.suites.map(\.name), (1...6).map { "chapter \($0)" })
        XCTAssertEqual(stubs.suites.map(\.tests), (1...6).map { chapter in ExerciseCatalog.all.filter { $0.chapter == chapter }.count })
        XCTAssertEqual(stubs.cases.map(\.name), ExerciseCatalog.all.map { "\($0.id) \($0.title)" })
        XCTAssertEqual(stubs.cases.first?.classname, "tenfold.exercises.chapter1")
        XCTAssertEqual(stubs.cases.compactMap(\.failure).count, ExerciseCatalog.all.count)
        XCTAssertEqual(stubs.cases.first?.failure, "exercise 1.1 is not implemented yet")
        XCTAssertEqual(stubs.totals, ["tests": "\(ExerciseCatalog.all.count)", "failures": "\(ExerciseCatalog.all.count)"])

        let solutions = try Cases(ProgressReport.run(ExerciseSolutions.Implementation.self).junit())
        XCTAssertEqual(solutions.cases.count, ExerciseCatalog.all.count)
        XCTAssertEqual(solutions.cases.compactMap(\.failure), [])
        XCTAssertEqual(solutions.totals["failures"], "0")

        // A diagnosis with markup characters and a control character still gives well-formed XML.
        var report = ProgressReport.run(Exercises.Implementation.self)
        report.entries = [report.entries[0]]
        report.entries[0].result.status = .failed
        report.entries[0].result.diagnosis = ["yours <1> & \"2\" differ\u{1B}[0m", "second line"]
        let odd = try Cases(report.junit())
        XCTAssertEqual(odd.cases.first?.failure, "yours <1> & \"2\" differ[0m")
        XCTAssert(odd.text.contains("second line"), odd.text)
    }

    /// Watch mode: checks, waits for a change while failing, rechecks, and moves on once passing.
    func testWatchChecksAgainOnEveryChangeAndMovesOn() throws {
        var passing: Set<String> = []
        var checked: [String] = [], printed: [String] = []
        var snapshot: ExerciseWatcher.Snapshot = ["chapter1/SoftmaxRows.swift": [10, 1]]
        var waits = 0
        let watcher = ExerciseWatcher(
            ids: try ExerciseWatcher.ids(from: "6.2"), folder: "Exercises",
            snapshot: { snapshot },
            check: { id in checked.append(id); return passing.contains(id) },
            wait: {
                waits += 1
                if waits == 3 { snapshot["chapter1/SoftmaxRows.swift"] = [12, 2] }          // an edit: check 6.2 again, still failing
                if waits == 5 { passing.insert("6.2"); passing.insert("6.3"); snapshot["chapter6/New.swift"] = [1, 3] }
            },
            output: { printed.append($0) })
        XCTAssertEqual(watcher.run(), 4)
        XCTAssertEqual(checked, ["6.2", "6.2", "6.2", "6.3"])
        XCTAssertEqual(waits, 5, "no check without a change")
        XCTAssert(printed.contains("exercise 6.2 is solved; on to 6.3."), "\(printed)")
        XCTAssertEqual(printed.last, "every exercise from 6.2 to 6.3 is solved.")
        XCTAssertEqual(try ExerciseWatcher.ids(from: nil), ExerciseCatalog.all.map(\.id))
        XCTAssertThrowsError(try ExerciseWatcher.ids(from: "9.9")) { XCTAssert("\($0)".contains("no exercise '9.9'")) }

        // The snapshot sees the learner's files, not the solutions.
        let snap = ExerciseWatcher.snapshot(of: Self.root.appendingPathComponent("Exercises"))
        XCTAssertNotNil(snap["chapter1/SoftmaxRows.swift"])
        XCTAssertFalse(snap.keys.contains { $0.hasPrefix("Solutions/") }, "\(snap.keys)")
    }

    /// The Swift primer of Docs/Teaching.md, compiled and run: the lines between the markers
    /// must be the guide's `swift` block, line for line.
    func testTheSwiftPrimerInTheGuideRuns() throws {
        // BEGIN PRIMER
        // let is a constant, var a variable; Swift infers the types (x is a Tensor).
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        var y = x                        // Tensor is a value (a struct): y is a copy of x …
        y[0, 1] = 10                     // … so writing y leaves x alone (a numpy view would share it)
        precondition(x[0, 1] == 2 && y[0, 1] == 10)

        // The three Tensor operations the exercises need:
        // 1. build and read: Tensor(shape:scalars:), x[i, j], x.scalars (row-major), x.shape
        let rows = x.shape[0], firstRow = Array(x.scalars[0..<x.shape[1]])    // 2, [1, 2, 3]
        // 2. matrix products, with transposes and no copies
        let w = Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
        let h = matmul(x, w)                               // [2, 3]·[3, 2] → [2, 2]    numpy: x @ w
        let scores = matmul(h, h, transposeB: true)        // [2, 2]·[2, 2]ᵀ → [2, 2]   numpy: h @ h.T
        // 3. elementwise arithmetic, a scalar or a trailing shape broadcast over the leading ones
        let centred = x - Tensor(shape: [3], scalars: [1, 1, 1]) * 2    // [2, 3] − [3]·2
        let p = softmax(scores / 4)                        // the engine's softmax of every row
        precondition(p.shape == [2, 2] && centred[1, 2] == 4 && rows == 2 && firstRow == [1, 2, 3])

        // Optionals: a value or nil, which must be unwrapped before use.
        let hidden = ["tiny": 16, "chapter": 128]           // a dictionary lookup gives an Int?
        if let h = hidden["chapter"] { print("H =", h) }    // runs only when there is a value
        let large = hidden["large"] ?? 0                    // or a default for nil

        // Closures: functions as values, `{ arguments in body }`; $0 is the first argument.
        let squares = x.scalars.map { $0 * $0 }             // numpy: x ** 2 (as a list)
        let total = squares.reduce(0, +)                    // Σ x² = 91
        precondition(large == 0 && total == 91)

        // Errors: a function marked `throws` may fail; the caller writes `try` and may catch.
        enum ShapeError: Error { case mismatch([Int], [Int]) }
        func add(_ a: Tensor, _ b: Tensor) throws -> Tensor {
            guard a.shape == b.shape else { throw ShapeError.mismatch(a.shape, b.shape) }
            return a + b
        }
        do {
            _ = try add(x, w)                                // [2, 3] + [3, 2]: refused
        } catch {
            print("refused:", error)                         // refused: mismatch([2, 3], [3, 2])
        }
        // END PRIMER
        let own = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8).components(separatedBy: "\n")
        let begin = try XCTUnwrap(own.firstIndex(of: "        // BEGIN PRIMER")), end = try XCTUnwrap(own.firstIndex(of: "        // END PRIMER"))
        let compiled = own[(begin + 1)..<end].map { String($0.dropFirst(min(8, $0.count))) }
        let guide = try String(contentsOf: Self.root.appendingPathComponent("Docs/Teaching.md"), encoding: .utf8)
        let primer = try XCTUnwrap(guide.components(separatedBy: "## A Swift primer").dropFirst().first)
        let block = try XCTUnwrap(primer.components(separatedBy: "```swift\n").dropFirst().first?.components(separatedBy: "\n```").first)
        XCTAssertEqual(compiled, block.components(separatedBy: "\n"), "Docs/Teaching.md's primer and this test differ")
    }

    func testTheLearnersXCTestsHaveOneTestPerExercise() throws {
        for place in [LearnerTests.Place.repository, .learnerCopy] {
            let source = LearnerTests.source(for: place)
            for exercise in ExerciseCatalog.all {
                XCTAssertEqual(source.components(separatedBy: "func \(LearnerTests.testName(exercise.id))() { expectSolved(\"\(exercise.id)\") }").count,
                               2, "one test for \(exercise.id)")
            }
            XCTAssertEqual(source.components(separatedBy: "func testExercise").count - 1, ExerciseCatalog.all.count)
            XCTAssert(source.contains("final class YourExercises: XCTestCase"), source)
        }
        XCTAssertEqual(LearnerTests.testName("1.1"), "testExercise1_1")
        let edition = LearnerTests.source(for: .repository), copy = LearnerTests.source(for: .learnerCopy)
        XCTAssert(edition.contains("import Exercises\n") && edition.contains("commands: .repository"), edition)
        XCTAssert(copy.contains("import MyExercises\n") && copy.contains("commands: .learnerCopy")
                  && copy.contains("(`Sources/MyExercises/chapter1/SoftmaxRows.swift`)"), copy)

        // The learner's copy carries the target.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-copy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try LearnerCopy.write(to: directory, tenfoldRoot: Self.root)
        let manifest = try String(contentsOf: directory.appendingPathComponent("Package.swift"), encoding: .utf8)
        XCTAssert(manifest.contains(".testTarget(name: \"LearnerExerciseTests\", dependencies: [\n            \"MyExercises\""), manifest)
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent(LearnerTests.path), encoding: .utf8), copy)
    }

    func testTheClassroomWorkflowIsCurrentAndGradesEveryExercise() throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent(ClassroomWorkflow.path), encoding: .utf8)
        XCTAssertEqual(committed, ClassroomWorkflow.yaml, "\(ClassroomWorkflow.path) is stale: run `make exercise-stubs`")
        for exercise in ExerciseCatalog.all {
            let id = exercise.id.replacingOccurrences(of: ".", with: "-")
            XCTAssert(committed.contains("      id: exercise-\(id)\n      uses: classroom-resources/autograding-command-grader@v1"), id)
            XCTAssert(committed.contains("        command: .build/debug/tenfold check \(exercise.id)\n"), id)
            XCTAssert(committed.contains("        EXERCISE-\(id)_RESULTS: \"${{steps.exercise-\(id).outputs.result}}\"\n"), id)
        }
        XCTAssertEqual(committed.components(separatedBy: "max-score: \(ClassroomWorkflow.points)\n").count - 1, ExerciseCatalog.all.count)
        XCTAssert(committed.contains("runners: " + ExerciseCatalog.all.map { "exercise-" + $0.id.replacingOccurrences(of: ".", with: "-") }
            .joined(separator: ",") + "\n"))
        XCTAssertFalse(committed.contains("\t"), "YAML allows no tabs")
    }

    /// The image cannot be built here (no images can be pulled), so its steps live in one script
    /// that `make test-student-edition` runs on a fresh clone; this checks the wiring around it.
    func testTheDevContainerRunsTheFirstBuildScript() throws {
        let folder = Self.root.appendingPathComponent(".devcontainer")
        let dockerfile = try String(contentsOf: folder.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let instructions = dockerfile.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        XCTAssertEqual(instructions.first, "FROM swift:6.3-noble", "the official Swift 6 image")
        XCTAssertEqual(instructions.filter { $0.hasPrefix("RUN ") }, ["RUN /opt/tenfold/scripts/first_build.sh /opt/tenfold"],
                       "every step is in the script")
        let configuration = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("devcontainer.json"))) as? [String: Any])
        XCTAssertEqual((configuration["build"] as? [String: String])?["dockerfile"], "Dockerfile")
        XCTAssertEqual(configuration["onCreateCommand"] as? String, "scripts/first_build.sh")
        let script = Self.root.appendingPathComponent("scripts/first_build.sh")
        XCTAssert(FileManager.default.isExecutableFile(atPath: script.path))
        let text = try String(contentsOf: script, encoding: .utf8)
        XCTAssert(text.contains("./scripts/setup.sh\n$SWIFT build -c release\n$SWIFT build\n"), text)
        let ignored = try String(contentsOf: Self.root.appendingPathComponent(".dockerignore"), encoding: .utf8)
        XCTAssert(ignored.contains(".build*/") && ignored.contains("out/"), "the image never copies build products")
    }

    func testTheStudentEditionLeavesOutTheSolutions() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-edition-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: parent) }
        let edition = parent.appendingPathComponent("class")
        let files = try StudentEdition.write(from: Self.root, to: edition)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent.path), ["class"], "no staging folder left behind")
        XCTAssertFalse(files.contains { $0.hasPrefix("Exercises/Solutions/") || $0.hasPrefix("Tests/ExerciseTests/") }, "\(files)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: edition.appendingPathComponent("Exercises/Solutions").path))
        XCTAssert(files.contains("Package.swift") && files.contains("Sources/Tensors/Tensor.swift") && files.contains("README.md"))
        for (path, stub) in try StubGenerator.generate(root: Self.root) {
            XCTAssertEqual(try String(contentsOf: edition.appendingPathComponent("Exercises/" + path), encoding: .utf8), stub, path)
        }
        XCTAssertEqual(try String(contentsOf: edition.appendingPathComponent(LearnerTests.path), encoding: .utf8),
                       LearnerTests.source(for: .repository))
        XCTAssertEqual(try String(contentsOf: edition.appendingPathComponent(ClassroomWorkflow.workflowPath), encoding: .utf8),
                       ClassroomWorkflow.yaml)
        XCTAssertEqual(try Data(contentsOf: edition.appendingPathComponent("Package.swift")),
                       try Data(contentsOf: Self.root.appendingPathComponent("Package.swift")), "the manifest adapts by itself")
        XCTAssert(FileManager.default.isExecutableFile(atPath: edition.appendingPathComponent("scripts/setup.sh").path))

        XCTAssertThrowsError(try StudentEdition.write(from: Self.root, to: edition)) {
            XCTAssert("\($0)".contains("already exists and is not an empty folder"), "\($0)")
        }
        XCTAssertThrowsError(try StudentEdition.write(from: edition, to: parent.appendingPathComponent("again"))) {
            XCTAssert("\($0)".contains("has no Exercises/Solutions"), "\($0)")
        }
    }
}

/// The suites and cases of a JUnit report, read by Foundation's XML parser (which refuses XML
/// that is not well formed).
private struct Cases {
    struct Case { var name: String, classname: String, failure: String? }
    var suites: [(name: String, tests: Int)] = []
    var cases: [Case] = []
    var totals: [String: String] = [:]
    var text: String

    init(_ xml: String) throws {
        text = xml
        let parser = XMLParser(data: Data(xml.utf8))
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
        (suites, cases, totals) = (collector.suites, collector.cases, collector.totals)
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var suites: [(name: String, tests: Int)] = []
        var cases: [Case] = []
        var totals: [String: String] = [:]
        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch element {
            case "testsuites": totals = attributes.filter { ["tests", "failures"].contains($0.key) }
            case "testsuite": suites.append((attributes["name"] ?? "", Int(attributes["tests"] ?? "") ?? -1))
            case "testcase": cases.append(Case(name: attributes["name"] ?? "", classname: attributes["classname"] ?? "", failure: nil))
            case "failure": cases[cases.count - 1].failure = attributes["message"]
            default: break
            }
        }
    }
}
