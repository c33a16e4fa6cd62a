/// One exercise: what to build, its hints, and the checks that decide whether it is built.
public struct Exercise {
    /// "chapter.number", e.g. "3.2".
    public let id: String
    public let chapter: Int
    public let title: String
    /// The file the learner edits, relative to `Exercises/`.
    public let file: String
    /// The hints, tier by tier, printed only on request (`make hint N=<id> LEVEL=<n>`): first a
    /// nudge (what to think about, no formula that gives the answer away), last the derivation
    /// (the equations step by step, enough to write the code). At least two.
    public let hints: [String]
    let run: (ExerciseSet.Type) -> CheckResult

    init(id: String, chapter: Int, title: String, file: String, nudge: String, derivation: String,
         run: @escaping (ExerciseSet.Type) -> CheckResult) {
        (self.id, self.chapter, self.title, self.file, self.hints, self.run) = (id, chapter, title, file, [nudge, derivation], run)
    }

    /// Runs every check of this exercise against `implementation`.
    public func check(_ implementation: ExerciseSet.Type) -> CheckResult { run(implementation) }

    /// The hint of tier `level` (1 is the first), or a typed error naming the tiers there are.
    public func hint(level: Int) throws -> String {
        guard hints.indices.contains(level - 1) else { throw NoSuchHint(id: id, level: level, levels: hints.count) }
        return hints[level - 1]
    }

    /// What tier `level` of `levels` is: "a nudge", "the derivation", or in between "a closer hint".
    public static func tierName(level: Int, of levels: Int) -> String {
        level == 1 ? "a nudge" : level == levels ? "the derivation" : "a closer hint"
    }
}

/// Every exercise, in book order.
public enum ExerciseCatalog {
    public static let all: [Exercise] = chapter1 + chapter2 + chapter3 + chapter4 + chapter5 + chapter6

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

/// A hint level an exercise does not have (0, negative, or beyond its last tier).
public struct NoSuchHint: Error, CustomStringConvertible {
    public let id: String, level: Int, levels: Int
    public var description: String {
        let tiers = (1...levels).map { "\($0) \(Exercise.tierName(level: $0, of: levels))" }.joined(separator: ", ")
        return level > levels
            ? "exercise \(id) has no hint level \(level): level \(levels) is the last (levels: \(tiers))"
            : "hint levels start at 1 (exercise \(id)'s levels: \(tiers))"
    }
}
