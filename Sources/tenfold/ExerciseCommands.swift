import ArgumentParser
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

/// `tenfold progress`: every exercise, solved or not.
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress", abstract: "Run every exercise's checks and list which are solved.")

    func run() throws {
        // Not solving every exercise is not an error of this command.
        _ = ExerciseCommandLine.progress(implementation: Implementation.self)
    }
}

/// `tenfold exercises stubs [--check]` and `tenfold exercises copy DIR`.
struct ExercisesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercises", abstract: "Maintain the exercises: regenerate the stubs, or copy them out of the repository.",
        subcommands: [Stubs.self, Copy.self])

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
}

/// An unknown exercise or hint level: one line on standard error and the usage-error status,
/// never a trace.
private func exerciseErrorsAreValidationErrors(_ body: () throws -> Int32) throws -> Int32 {
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
