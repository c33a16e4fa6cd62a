import ArgumentParser
import AtomicFiles
import ExerciseChecks
import Exercises
import Foundation

/// `tenfold check 3.2`: one exercise's checks against the learner's `Exercises/`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run one exercise's checks against your code in Exercises/ (also: make exercise N=<id>).",
        discussion: """
            Prints which values disagree, by how much and what was expected. Hints print only on request: \
            tenfold hint <id> (make hint N=<id>).
            """)

    @Argument(help: "The exercise, e.g. 1.1 (tenfold progress lists them).")
    var id: String

    func run() throws {
        let status = try exerciseErrorsAreValidationErrors { try ExerciseCommandLine.check(id, implementation: Implementation.self) }
        if status != 0 { throw ExitCode(status) }
    }
}

/// `tenfold hint 3.2 [--level 2]`.
struct HintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hint", abstract: "Print one exercise's hint: a nudge, or with --level 2 the derivation.",
        discussion: "Also: make hint N=<id> [LEVEL=2]. Level 1 says what to think about; level 2 derives the equations step by step.")

    @Argument(help: "The exercise, e.g. 1.1.")
    var id: String

    @Option(help: "Which hint: 1 a nudge, 2 the derivation.")
    var level = 1

    func run() throws {
        _ = try exerciseErrorsAreValidationErrors { try ExerciseCommandLine.hint(id, level: level) }
    }
}

/// `tenfold progress [--json] [--junit FILE] [--require-all]`: every exercise, solved or not.
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress", abstract: "Run every exercise's checks and list which are solved.",
        discussion: """
            Prints a table (✓ solved, · not implemented, ✗ failing), or with --json one JSON object. For grading: \
            --junit FILE also writes JUnit XML (one test case per exercise, a failure with the diagnosis for each \
            unsolved one), and --require-all makes the exit status 1 unless every exercise is solved. Without \
            --require-all the exit status is 0: an unsolved exercise is not an error of this command.
            """)

    @Flag(help: "Print the results as JSON (solved, total, and each exercise's status and diagnosis) instead of the table.")
    var json = false

    @Option(help: ArgumentHelp("Also write the results as JUnit XML to this file, for CI systems and GitHub Classroom.",
                               valueName: "file"))
    var junit: String?

    @Flag(help: "Exit with status 1 unless every exercise is solved.")
    var requireAll = false

    func run() throws {
        let report = ProgressReport.run(Implementation.self)
        if json { print(report.json()) } else { ExerciseCommandLine.table(report) }
        if let junit {
            do {
                try AtomicFile.write(report.junit(), to: URL(fileURLWithPath: junit))
            } catch {
                try? FileHandle.standardError.write(contentsOf: Data("error: \(error)\n".utf8))
                throw ExitCode.failure
            }
            if !json { print("wrote the JUnit report to \(junit)") }
        }
        if requireAll && !report.allSolved {
            try? FileHandle.standardError.write(contentsOf: Data("\(report.entries.count - report.solved) of \(report.entries.count) exercises are not solved\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// `tenfold watch [ID]`: rustlings' watch mode.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Check an exercise again whenever a file under Exercises/ changes (also: make watch N=<id>).",
        discussion: """
            Checks the exercise (the first one, 1.1, when none is named); while it fails, waits for any .swift file \
            under the exercises folder to change, then rebuilds and checks it again. Once it passes, moves on to the \
            next exercise, until the last passes. Each check runs the --command with the exercise's id appended, \
            which rebuilds the tool with your code: the default, `swift run tenfold check`, suits the repository \
            and the student edition. Ctrl-C stops watching.
            """)

    @Argument(help: "The exercise to start from, e.g. 1.1 (default: the first).")
    var id: String?

    @Option(help: "The command that rebuilds and checks one exercise; the exercise's id is appended.")
    var command = "swift run tenfold check"

    @Option(help: "The folder of your exercise files.")
    var folder = "Exercises"

    @Option(help: "Seconds between two looks at the files.")
    var interval = 0.5

    func validate() throws {
        guard interval > 0, interval.isFinite else { throw ValidationError("--interval must be a positive number of seconds, not \(interval)") }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("no folder \(folder) here; run this from the repository root or name the folder with --folder")
        }
    }

    func run() throws {
        let ids = try exerciseErrorsAreValidationErrors { try ExerciseWatcher.ids(from: id) }
        let folderURL = URL(fileURLWithPath: folder)
        let (command, interval) = (command, interval)
        ExerciseWatcher(ids: ids, folder: folder,
                        snapshot: { ExerciseWatcher.snapshot(of: folderURL) },
                        check: { id in
                            let process = Process()
                            process.executableURL = URL(fileURLWithPath: "/bin/sh")
                            process.arguments = ["-c", command + " " + id]
                            do { try process.run() } catch { return false }
                            process.waitUntilExit()
                            return process.terminationStatus == 0
                        },
                        wait: { Thread.sleep(forTimeInterval: interval) }).run()
    }
}

/// `tenfold exercises stubs [--check]` and `tenfold exercises copy DIR`.
struct ExercisesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercises",
        abstract: "Maintain the exercises: regenerate the stubs and the autograding workflow, copy them out of the repository, "
            + "or write the student edition.",
        subcommands: [Stubs.self, Copy.self, StudentEditionCommand.self, Classroom.self])

    struct Stubs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Regenerate Exercises/ from Exercises/Solutions/ (make exercise-stubs).",
            discussion: "The solutions are the single source; this overwrites the stubs, so a learner should not run it over their answers.")

        @Flag(help: "Only report stale stubs (non-zero exit status when there are any); write nothing.")
        var check = false

        @Option(help: "Tenfold's repository root.")
        var root = "."

        func run() throws {
            let url = URL(fileURLWithPath: root)
            do {
                if check {
                    let stale = try StubGenerator.staleStubs(root: url)
                    guard stale.isEmpty else {
                        print("stale stubs (run `make exercise-stubs`):\n  " + stale.joined(separator: "\n  "))
                        throw ExitCode.failure
                    }
                    print("the stubs are up to date")
                } else {
                    let written = try StubGenerator.write(root: url)
                    print(written.isEmpty ? "the stubs were already up to date" : "wrote " + written.joined(separator: ", "))
                }
            } catch let error as StubError {
                throw ValidationError(error.description)
            }
        }
    }

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a copy of the exercises to DIR, a package of its own: `git pull` never meets your answers.",
            discussion: "Then: cd DIR && swift run check 1.1 (the first run builds Tenfold there, a few minutes).")

        @Argument(help: "A new or empty folder outside the repository.")
        var directory: String

        @Option(help: "Tenfold's repository root.")
        var root = "."

        func run() throws {
            do {
                let target = URL(fileURLWithPath: directory)
                let root = URL(fileURLWithPath: root).standardizedFileURL
                let files = try LearnerCopy.write(to: target, tenfoldRoot: root)
                print("wrote \(files.count) files to \(target.standardizedFileURL.path); now:")
                print("  cd \(target.standardizedFileURL.path) && swift run check 1.1")
            } catch let error as LearnerCopyError {
                throw ValidationError(error.description)
            }
        }
    }

    struct StudentEditionCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "student-edition",
            abstract: "Write the student edition to DIR: the repository without Exercises/Solutions (make student-edition DEST=DIR).",
            discussion: """
                The edition holds every file git sees here except the reference solutions and the tests that need \
                them; the stubs freshly generated from the solutions; an XCTest target with one test per exercise \
                (swift test --filter LearnerExerciseTests); and the GitHub Classroom autograding workflow in \
                .github/workflows/classroom.yml. It builds and passes its tests without the solutions; only the \
                exercises' own tests fail until they are solved. Docs/Teaching.md says how to hand it out.
                """)

        @Argument(help: "A new or empty folder outside the repository.")
        var directory: String

        @Option(help: "The instructor's repository root (a git clone of Tenfold).")
        var root = "."

        func run() throws {
            let target = URL(fileURLWithPath: directory).standardizedFileURL
            do {
                let files = try StudentEdition.write(from: URL(fileURLWithPath: root).standardizedFileURL, to: target)
                print("wrote the student edition (\(files.count) files, no solutions) to \(target.path); now:")
                print("  cd \(target.path) && make exercise N=1.1      # or: swift test --filter \(LearnerTests.target)")
            } catch let error as StudentEditionError {
                throw ValidationError(error.description)
            } catch let error as StubError {
                throw ValidationError(error.description)
            }
        }
    }

    struct Classroom: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Regenerate the GitHub Classroom autograding workflow, \(ClassroomWorkflow.path), from the exercise catalog.",
            discussion: """
                One step per exercise runs `tenfold check <id>` for \(ClassroomWorkflow.points) points. The student edition \
                carries it as \(ClassroomWorkflow.workflowPath); Docs/classroom/README.md says how to use it.
                """)

        @Flag(help: "Only report whether the committed workflow is current (non-zero exit status when not); write nothing.")
        var check = false

        @Option(help: "Tenfold's repository root.")
        var root = "."

        func run() throws {
            let url = URL(fileURLWithPath: root).appendingPathComponent(ClassroomWorkflow.path)
            let current = (try? String(contentsOf: url, encoding: .utf8)) == ClassroomWorkflow.yaml
            if check {
                guard current else {
                    print("\(ClassroomWorkflow.path) is stale or missing (run `make exercise-stubs`)")
                    throw ExitCode.failure
                }
                print("\(ClassroomWorkflow.path) is up to date")
            } else if current {
                print("\(ClassroomWorkflow.path) was already up to date")
            } else {
                do {
                    try AtomicFile.write(ClassroomWorkflow.yaml, to: url)
                } catch {
                    throw ValidationError("\(error)")
                }
                print("wrote \(ClassroomWorkflow.path)")
            }
        }
    }
}

/// An unknown exercise or hint level: one line on standard error and the usage-error status,
/// never a trace.
private func exerciseErrorsAreValidationErrors<Result>(_ body: () throws -> Result) throws -> Result {
    do {
        return try body()
    } catch let error as UnknownExercise {
        try? FileHandle.standardError.write(contentsOf: Data("error: \(error)\n".utf8))
        throw ExitCode.validationFailure
    } catch let error as NoSuchHint {
        try? FileHandle.standardError.write(contentsOf: Data("error: \(error)\n".utf8))
        throw ExitCode.validationFailure
    }
}
