/// One exercise: what to build, a hint, and the checks that decide whether it is built.
public struct Exercise {
    /// "chapter.number", e.g. "3.2".
    public let id: String
    public let chapter: Int
    public let title: String
    /// The file the learner edits, relative to `Exercises/`.
    public let file: String
    public let hint: String
    let run: (ExerciseSet.Type) -> CheckResult

    /// Runs every check of this exercise against `implementation`.
    public func check(_ implementation: ExerciseSet.Type) -> CheckResult { run(implementation) }
}

/// Every exercise, in book order.
public enum ExerciseCatalog {
    public static let all: [Exercise] = chapter1 + chapter2 + chapter3

    /// The exercise with this id, or nil.
    public static func exercise(_ id: String) -> Exercise? { all.first { $0.id == id } }

    /// A typed error for an unknown id, listing the valid ones.
    public static func lookup(_ id: String) throws -> Exercise {
        guard let exercise = exercise(id) else { throw UnknownExercise(id: id) }
        return exercise
    }
}

/// An exercise id that does not exist.
public struct UnknownExercise: Error, CustomStringConvertible {
    public let id: String
    public var description: String {
        "no exercise '\(id)'; the exercises are " + ExerciseCatalog.all.map(\.id).joined(separator: ", ")
    }
}
