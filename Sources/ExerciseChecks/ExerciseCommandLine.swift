import Foundation

/// What `tenfold check|hint|progress` and a learner copy's `swift run check` print.
///
/// Each function prints to standard output and returns the process's exit status:
/// 0 when the exercise (or every exercise) passes, 1 otherwise.
public enum ExerciseCommandLine {
    /// Runs one exercise's checks and prints the diagnosis, plus the hint when it does not pass.
    public static func check(_ id: String, implementation: ExerciseSet.Type, exercisesFolder: String = "Exercises") throws -> Int32 {
        let exercise = try ExerciseCatalog.lookup(id)
        let result = exercise.check(implementation)
        print("\(exercise.id) \(exercise.title)  (\(exercisesFolder)/\(exercise.file))")
        print(result.report)
        if !result.passed {
            print("\nhint: " + exercise.hint.replacingOccurrences(of: "\n", with: "\n      "))
        }
        return result.passed ? 0 : 1
    }

    /// Prints one exercise's hint.
    public static func hint(_ id: String, exercisesFolder: String = "Exercises") throws -> Int32 {
        let exercise = try ExerciseCatalog.lookup(id)
        print("\(exercise.id) \(exercise.title)  (\(exercisesFolder)/\(exercise.file))")
        print(exercise.hint)
        return 0
    }

    /// Runs every exercise and prints a table: solved, not implemented, or failing.
    public static func progress(implementation: ExerciseSet.Type, exercisesFolder: String = "Exercises",
                                checkCommand: String = "make exercise N=<id>") -> Int32 {
        let results = ExerciseCatalog.all.map { ($0, $0.check(implementation)) }
        let width = ExerciseCatalog.all.map(\.title.count).max() ?? 0
        for (exercise, result) in results {
            let mark = result.passed ? "✓" : result.status == .notImplemented ? "·" : "✗"
            print("\(mark) \(exercise.id)  \(exercise.title.padding(toLength: width, withPad: " ", startingAt: 0))  \(result.status.rawValue)")
        }
        let solved = results.filter { $0.1.passed }.count
        print("\(solved) of \(results.count) solved. Check one with `\(checkCommand)`; edit files under \(exercisesFolder)/.")
        return solved == results.count ? 0 : 1
    }

    /// The learner copy's `check` executable: `check 1.1`, `check --hint 1.1`, `check --progress`.
    public static func main(_ arguments: [String], implementation: ExerciseSet.Type, exercisesFolder: String) -> Int32 {
        do {
            switch arguments.first {
            case "--progress", "progress":
                return progress(implementation: implementation, exercisesFolder: exercisesFolder, checkCommand: "swift run check <id>")
            case "--hint", "hint":
                guard arguments.count == 2 else { break }
                return try hint(arguments[1], exercisesFolder: exercisesFolder)
            case let id? where arguments.count == 1 && !id.hasPrefix("-"):
                return try check(id, implementation: implementation, exercisesFolder: exercisesFolder)
            default: break
            }
            print("usage: swift run check <id> | swift run check --hint <id> | swift run check --progress")
            print("exercises: " + ExerciseCatalog.all.map(\.id).joined(separator: ", "))
            return arguments.first == "--help" ? 0 : 2
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 2
        }
    }
}
