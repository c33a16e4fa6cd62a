/// The learner's XCTest target: one test per exercise (`testExercise1_1`, …), each failing
/// with the diagnosis `tenfold check` prints until the exercise passes its checks, so that
/// `swift test --filter Exercise1_1` and the test navigators of Xcode and VS Code show each
/// exercise red or green.
///
/// It is generated from the catalog into the student edition (`StudentEdition`) and the
/// learner's copy (`LearnerCopy`), never into the instructor's repository, whose
/// `ExerciseTests` check the opposite (every stub fails, every solution passes).
///
/// Introduced with the teaching kit.
public enum LearnerTests {
    /// The test target's name, in the student edition and in a learner's copy.
    public static let target = "LearnerExerciseTests"
    /// The test class: `LearnerExerciseTests.YourExercises/testExercise1_1`.
    public static let className = "YourExercises"
    /// The file the target holds, relative to the package root.
    public static let path = "Tests/\(target)/\(className).swift"

    /// Where the tests run: the module of the stubs and how the diagnosis names the commands.
    public enum Place {
        /// The student edition: the stubs are the `Exercises` module, checked with `make exercise`.
        case repository
        /// A learner's copy: the stubs are `MyExercises`, checked with `swift run check`.
        case learnerCopy

        var module: String { self == .repository ? "Exercises" : "MyExercises" }
        var folder: String { self == .repository ? StubGenerator.stubsPath : LearnerCopy.exercisesFolder }
        var commands: String { self == .repository ? ".repository" : ".learnerCopy" }
        var checkCommand: ExerciseCommandLine.Commands { self == .repository ? .repository : .learnerCopy }
    }

    /// `testExercise1_1` for "1.1".
    public static func testName(_ id: String) -> String {
        "testExercise" + id.replacingOccurrences(of: ".", with: "_")
    }

    /// The generated test file.
    public static func source(for place: Place) -> String {
        let tests = ExerciseCatalog.all.map { exercise in
            """
                /// \(exercise.id) \(exercise.title) (`\(place.folder)/\(exercise.file)`).
                func \(testName(exercise.id))() { expectSolved("\(exercise.id)") }
            """
        }
        return """
            // GENERATED from Tenfold's exercise catalog: one test per exercise, failing with the diagnosis
            // `\(place.checkCommand.check("<id>"))` prints until your code passes the exercise's checks.
            //
            //     swift test --filter \(target)     every exercise
            //     swift test --filter Exercise1_1           one
            //
            // Edit your code under \(place.folder)/, not this file.
            import XCTest
            import ExerciseChecks
            import \(place.module)

            final class \(className): XCTestCase {
            \(tests.joined(separator: "\n\n"))

                /// Runs exercise `id`'s checks; while they fail, fails with what the check command prints.
                private func expectSolved(_ id: String, file: StaticString = #filePath, line: UInt = #line) {
                    var printed: [String] = []
                    do {
                        let status = try ExerciseCommandLine.check(id, implementation: Implementation.self,
                                                                   exercisesFolder: "\(place.folder)",
                                                                   commands: \(place.commands)) { printed.append($0) }
                        if status != 0 { XCTFail(printed.joined(separator: "\\n"), file: file, line: line) }
                    } catch {
                        XCTFail("\\(error)", file: file, line: line)
                    }
                }
            }

            """
    }
}
