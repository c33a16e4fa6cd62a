import Foundation

/// What can go wrong while Diagrams builds or writes a figure, each with what to do.
///
///     do { try chart.write(to: url) }
///     catch let error as DiagramError { print(error) }   // names the path and the fix
///
/// Introduced in Chapter 1 (Foundation).
public enum DiagramError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A folder for the output could not be created (`reason` from the system).
    case folderNotCreatable(path: String, reason: String)
    /// A file could not be written or moved into place (`reason` from the system).
    case fileNotWritten(path: String, reason: String)
    /// The `dot` program could not be started at all.
    case graphvizNotLaunchable(executable: String, reason: String)
    /// `dot` ran but failed; `message` is what it wrote to standard error.
    case graphvizFailed(format: String, dotFile: String, exitStatus: Int32, message: String)
    /// `dot` ran longer than the renderer's time limit and was stopped.
    case graphvizTimedOut(format: String, dotFile: String, seconds: Double)
    /// A heatmap was given a number of values that does not match its rows × columns.
    case matrixSizeMismatch(rows: Int, columns: Int, valueCount: Int)
    /// A heatmap was given labels for a different number of rows or columns.
    case labelCountMismatch(axis: String, expected: Int, got: Int)
    /// A tensor given to a heatmap is not a matrix.
    case notAMatrix(shape: [Int])

    public var description: String {
        switch self {
        case .folderNotCreatable(let path, let reason):
            return "Cannot create the folder \(path): \(reason). "
                + "Choose another output folder, or create it yourself and make it writable."
        case .fileNotWritten(let path, let reason):
            return "Could not write \(path): \(reason). "
                + "Check free disk space and the folder's permissions."
        case .graphvizNotLaunchable(let executable, let reason):
            return "Could not start Graphviz's dot at \(executable): \(reason). "
                + "Check that it is an executable file, or reinstall Graphviz "
                + "(Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz)."
        case .graphvizFailed(let format, let dotFile, let status, let message):
            let detail = message.trimmingCharacters(in: .whitespacesAndNewlines)
            return "Graphviz's dot could not render \(dotFile) as \(format) (exit status \(status))"
                + (detail.isEmpty ? "." : ":\n\(detail)\n")
                + " Open the .dot file to see the line dot complains about; for \(format.uppercased()) "
                + "output your Graphviz may also need its cairo plugin (Debian/Ubuntu: sudo apt-get install graphviz)."
        case .graphvizTimedOut(let format, let dotFile, let seconds):
            return "Graphviz's dot took longer than \(seconds) s to render \(dotFile) as \(format) and was stopped. "
                + "Draw a smaller graph (fewer layers or a shorter sequence), or raise the renderer's timeLimit."
        case .matrixSizeMismatch(let rows, let columns, let count):
            return "A heatmap of \(rows) × \(columns) needs \(rows * columns) values, but got \(count). "
                + "Pass the matrix row by row (row-major), with rows and columns matching its shape."
        case .labelCountMismatch(let axis, let expected, let got):
            return "The heatmap has \(expected) \(axis) but \(got) \(axis) labels were given. "
                + "Give one label per \(axis == "rows" ? "row" : "column"), or none to number them."
        case .notAMatrix(let shape):
            return "A heatmap draws a matrix, but the tensor has shape \(shape). "
                + "Select one matrix first (for attention [B, A, T, T], take one batch entry and one head)."
        }
    }

    public var errorDescription: String? { description }
}
