import Foundation

/// What can go wrong while a notebook writes its output folder, each with what to do.
///
///     do { let book = try Notebook(chapter: 1, title: "…", outputDirectory: url) }
///     catch let error as NotebookError { print(error) }   // says which path and what to do
///
/// Introduced in Chapter 1.
public enum NotebookError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The output folder could not be created (`reason` from the system).
    case outputDirectoryNotCreatable(path: String, reason: String)
    /// The path exists but is a file, not a folder.
    case outputDirectoryIsAFile(path: String)
    /// The folder exists but a file could not be written in it.
    case outputDirectoryNotWritable(path: String, reason: String)
    /// Writing a figure or the record failed.
    case fileNotWritten(path: String, reason: String)
    /// A figure name that cannot be a file name.
    case invalidFigureName(String)
    /// Two figures of one chapter would write the same file.
    case duplicateFigure(path: String)
    /// `figure(_:files:)` was given a file that does not exist.
    case figureFileMissing(path: String)
    /// A figure file whose extension is none of `.svg`, `.png`, `.dot`.
    case unsupportedFigureKind(path: String)

    public var description: String {
        switch self {
        case .outputDirectoryNotCreatable(let path, let reason):
            return "Cannot create the output folder \(path): \(reason). "
                + "Choose another folder with --out, or create it yourself and make it writable."
        case .outputDirectoryIsAFile(let path):
            return "The output folder \(path) is a file, not a folder. "
                + "Remove or rename that file, or choose another folder with --out."
        case .outputDirectoryNotWritable(let path, let reason):
            return "Cannot write in the output folder \(path): \(reason). "
                + "Make it writable (chmod u+w \(path)) or choose another folder with --out."
        case .fileNotWritten(let path, let reason):
            return "Could not write \(path): \(reason). Check free disk space and the folder's permissions."
        case .invalidFigureName(let name):
            return "The figure name '\(name)' cannot be a file name: "
                + "use letters, digits, '-' and '_' (no '/', no leading '.')."
        case .duplicateFigure(let path):
            return "Two figures in this chapter would both write \(path): give them different names."
        case .figureFileMissing(let path):
            return "The figure file \(path) does not exist: render it before calling figure(_:files:)."
        case .unsupportedFigureKind(let path):
            return "The figure file \(path) is not one of the kinds a page can show "
                + "(\(FigureFile.Kind.allCases.map { "." + $0.rawValue }.joined(separator: ", ")))."
        }
    }

    public var errorDescription: String? { description }
}
