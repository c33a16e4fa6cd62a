import Foundation

/// What `tenfold check|hint|progress` and a learner copy's `swift run check` print.
///
/// `check` prints the diagnosis only, and one line saying how to ask for a hint; the hints
/// print only on request, tier by tier: `hint` (level 1) is a nudge, `hint --level 2` the
/// derivation. Each function writes to `output` (standard output by default) and returns the
/// process's exit status: 0 when the exercise (or every exercise) passes, 1 otherwise.
public enum ExerciseCommandLine {
    /// How the learner's commands are spelled where they run: in the repository (`make …`) or
    /// in a learner's copy (`swift run check …`).
    public struct Commands: Sendable {
        /// The command that checks exercise `id`.
        public let check: @Sendable (_ id: String) -> String
        /// The command that prints hint `level` of exercise `id`.
        public let hint: @Sendable (_ id: String, _ level: Int) -> String

        public init(check: @escaping @Sendable (String) -> String, hint: @escaping @Sendable (String, Int) -> String) {
            (self.check, self.hint) = (check, hint)
        }

        /// `make exercise N=1.1`, `make hint N=1.1`, `make hint N=1.1 LEVEL=2`.
        public static let repository = Commands(check: { "make exercise N=\($0)" },
                                                hint: { $1 == 1 ? "make hint N=\($0)" : "make hint N=\($0) LEVEL=\($1)" })
        /// `swift run check 1.1`, `swift run check --hint 1.1`, `swift run check --hint 1.1 --level 2`.
        public static let learnerCopy = Commands(
            check: { "swift run check \($0)" },
            hint: { $1 == 1 ? "swift run check --hint \($0)" : "swift run check --hint \($0) --level \($1)" })
    }

    /// Runs one exercise's checks and prints the diagnosis; while it fails, one more line says
    /// how to ask for a hint (never the hint itself).
    public static func check(_ id: String, implementation: ExerciseSet.Type, exercisesFolder: String = "Exercises",
                             commands: Commands = .repository, output: (String) -> Void = { print($0) }) throws -> Int32 {
        let exercise = try ExerciseCatalog.lookup(id)
        let result = exercise.check(implementation)
        output("\(exercise.id) \(exercise.title)  (\(exercisesFolder)/\(exercise.file))")
        output(result.report)
        if !result.passed {
            output("\nstuck? `\(commands.hint(exercise.id, 1))` prints a nudge, "
                   + "`\(commands.hint(exercise.id, exercise.hints.count))` the derivation")
        }
        return result.passed ? 0 : 1
    }

    /// Prints one tier of an exercise's hints: level 1 is a nudge, the last level the
    /// derivation. A level the exercise does not have throws `NoSuchHint`.
    public static func hint(_ id: String, level: Int = 1, exercisesFolder: String = "Exercises",
                            commands: Commands = .repository, output: (String) -> Void = { print($0) }) throws -> Int32 {
        let exercise = try ExerciseCatalog.lookup(id)
        let text = try exercise.hint(level: level)
        let levels = exercise.hints.count
        output("\(exercise.id) \(exercise.title)  (\(exercisesFolder)/\(exercise.file))")
        output("hint \(level) of \(levels), \(Exercise.tierName(level: level, of: levels)):\n")
        output(text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n"))
        if level < levels {
            output("\nmore: `\(commands.hint(exercise.id, level + 1))` "
                   + "(\(Exercise.tierName(level: level + 1, of: levels)))")
        } else {
            output("\nthat is the last hint; check your code with `\(commands.check(exercise.id))`")
        }
        return 0
    }

    /// Runs every exercise and prints a table: solved, not implemented, or failing.
    public static func progress(implementation: ExerciseSet.Type, exercisesFolder: String = "Exercises",
                                commands: Commands = .repository, output: (String) -> Void = { print($0) }) -> Int32 {
        let report = ProgressReport.run(implementation, exercisesFolder: exercisesFolder)
        table(report, commands: commands, output: output)
        return report.allSolved ? 0 : 1
    }

    /// Prints `report` as the learner's table, one exercise a line, and how many are solved.
    public static func table(_ report: ProgressReport, commands: Commands = .repository, output: (String) -> Void = { print($0) }) {
        let width = report.entries.map(\.title.count).max() ?? 0
        for entry in report.entries {
            let mark = entry.result.passed ? "✓" : entry.result.status == .notImplemented ? "·" : "✗"
            output("\(mark) \(entry.id)  \(entry.title.padding(toLength: width, withPad: " ", startingAt: 0))  \(entry.result.status.rawValue)")
        }
        output("\(report.solved) of \(report.entries.count) solved. Check one with `\(commands.check("<id>"))`, "
               + "ask for a hint with `\(commands.hint("<id>", 1))`; edit files under \(report.exercisesFolder)/.")
    }

    static let usage = """
        usage: swift run check <id>                        check one exercise (a diagnosis)
               swift run check --hint <id> [--level <n>]   its hint: level 1 a nudge, 2 the derivation
               swift run check --progress                  every exercise: solved or not
        """

    /// The learner copy's `check` executable: `check 1.1`, `check --hint 1.1 [--level 2]`,
    /// `check --progress`. Errors (an unknown id, a hint level that does not exist) go to
    /// `errorOutput` with status 2.
    public static func main(_ arguments: [String], implementation: ExerciseSet.Type, exercisesFolder: String,
                            output: (String) -> Void = { print($0) },
                            errorOutput: (String) -> Void = { try? FileHandle.standardError.write(contentsOf: Data(($0 + "\n").utf8)) }) -> Int32 {
        do {
            switch arguments.first {
            case "--progress", "progress":
                guard arguments.count == 1 else { break }
                return progress(implementation: implementation, exercisesFolder: exercisesFolder, commands: .learnerCopy,
                                output: output)
            case "--hint", "hint":
                guard let parsed = hintArguments(Array(arguments.dropFirst())) else { break }
                return try hint(parsed.id, level: parsed.level, exercisesFolder: exercisesFolder, commands: .learnerCopy, output: output)
            case let id? where arguments.count == 1 && !id.hasPrefix("-"):
                return try check(id, implementation: implementation, exercisesFolder: exercisesFolder,
                                 commands: .learnerCopy, output: output)
            default: break
            }
            let help = arguments.first == "--help" || arguments.first == "-h"
            (help ? output : errorOutput)(usage + "\nexercises: " + ExerciseCatalog.all.map(\.id).joined(separator: ", "))
            return help ? 0 : 2
        } catch {
            errorOutput("error: \(error)")
            return 2
        }
    }

    /// `<id>`, `<id> --level <n>`, `--level <n> <id>` or `--level=<n>`: the id and the level (1 if
    /// not given), or nil when the arguments do not fit.
    static func hintArguments(_ arguments: [String]) -> (id: String, level: Int)? {
        var rest = arguments, level = 1
        if let i = rest.firstIndex(where: { $0 == "--level" || $0.hasPrefix("--level=") }) {
            let value: String
            if rest[i] == "--level" {
                guard i + 1 < rest.count else { return nil }
                value = rest[i + 1]
                rest.removeSubrange(i...(i + 1))
            } else {
                value = String(rest[i].dropFirst("--level=".count))
                rest.remove(at: i)
            }
            guard let number = Int(value) else { return nil }
            level = number
        }
        guard rest.count == 1, !rest[0].hasPrefix("-") else { return nil }
        return (rest[0], level)
    }
}
