/// What an unsolved exercise throws instead of trapping, so that one unsolved exercise never
/// stops the checks of the others.
///
///     throw ExerciseError.notImplemented("3.2")
public enum ExerciseError: Error, CustomStringConvertible, Equatable {
    /// The exercise with this id ("1.1", …) still has its stub body.
    case notImplemented(String)

    public var description: String {
        switch self {
        case .notImplemented(let id): return "exercise \(id) is not implemented yet"
        }
    }
}
