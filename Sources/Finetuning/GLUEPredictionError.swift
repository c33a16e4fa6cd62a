/// Predictions that do not fit the examples or the task they are meant for: the wrong number,
/// the wrong kind (a class for STS-B, a score for a classification task), a class the task
/// does not have, or a score that is not a number.
///
///     do { _ = try dev.evaluate(predictions) }
///     catch let error as GLUEPredictionError {
///         print(error)   // "RTE: 276 predictions for the 277 examples of glue_data/RTE/dev.tsv; …"
///     }
///
/// Introduced in Chapter 3.
public enum GLUEPredictionError: Error, CustomStringConvertible, Equatable {
    /// Not one prediction per example.
    case countMismatch(task: String, path: String, predictions: Int, examples: Int)
    /// A class where a score was expected, or a score where a class was.
    case wrongKind(task: String, position: Int, expected: String)
    /// A class outside `0..<labels.count`.
    case categoryOutOfRange(task: String, position: Int, category: Int, labels: [String])
    /// A NaN or infinite score.
    case nonFiniteScore(task: String, position: Int)
    /// An example without a gold label, in data to evaluate against.
    case missingLabel(task: String, path: String, line: Int)

    public var description: String {
        switch self {
        case let .countMismatch(task, path, predictions, examples):
            return "\(task): \(predictions) predictions for the \(examples) examples of \(path); "
                + "predict each example of that file once, in file order."
        case let .wrongKind(task, position, expected):
            return "\(task): prediction \(position) is not \(expected); give every prediction "
                + "as \(expected)."
        case let .categoryOutOfRange(task, position, category, labels):
            return "\(task): prediction \(position) is class \(category), but the task has "
                + "\(labels.count) classes (0 to \(labels.count - 1): "
                + labels.joined(separator: ", ") + "); check the size of the model's output."
        case let .nonFiniteScore(task, position):
            return "\(task): prediction \(position) is not a finite number; check the model "
                + "for a diverged (NaN) output."
        case let .missingLabel(task, path, line):
            return "\(task): the example on line \(line) of \(path) has no gold label; evaluate "
                + "on a training or development file (test labels are kept by GLUE's server)."
        }
    }
}
