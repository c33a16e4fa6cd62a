import Foundation

/// Everything a user can get wrong when feeding text to Tenfold, with what to do about it.
///
///     do { _ = try Vocabulary(contentsOf: url) }
///     catch let error as TextError { print(error) }   // says what was wrong and what to do
///
/// Introduced in Chapter 1 (Text pipeline).
public enum TextError: Error, CustomStringConvertible, Equatable {
    /// No file or folder at this path.
    case missingPath(String)
    /// The file looks binary (it holds NUL bytes), so it is not read as text.
    case binaryFile(String)
    /// No text at all where some was needed (an empty file, folder, or corpus).
    case emptyCorpus(String)
    /// The file could not be read (permissions, a folder where a file was expected, …).
    case unreadable(path: String, reason: String)
    /// A vocab.txt lists the same token twice.
    case duplicateToken(path: String, token: String, firstLine: Int, secondLine: Int)
    /// A vocab.txt lacks one of the special tokens Tenfold needs.
    case missingSpecialTokens(path: String, missing: [String])
    /// A vocab.txt has an empty line where a token should be.
    case emptyToken(path: String, line: Int)
    /// A resource that ships inside the package was not found (a broken build).
    case missingResource(String)
    /// A setting that cannot work (a vocabulary smaller than its alphabet, T < 3, …).
    case invalidSetting(String)

    public var description: String {
        switch self {
        case .missingPath(let path):
            return "No file or folder at '\(path)'. Check the path (relative paths start from the current directory)."
        case .binaryFile(let path):
            return "'\(path)' looks like a binary file (it contains NUL bytes), not text. Give a UTF-8 text file."
        case .emptyCorpus(let what):
            return "\(what) holds no text. Give at least one non-empty UTF-8 text file."
        case .unreadable(let path, let reason):
            return "Could not read '\(path)': \(reason)."
        case .duplicateToken(let path, let token, let first, let second):
            return "\(path): token '\(token)' appears on line \(first) and again on line \(second). Each token of a vocab.txt must be unique; remove one of them."
        case .missingSpecialTokens(let path, let missing):
            return "\(path) lacks the special token(s) \(missing.joined(separator: " ")). A vocab.txt for Tenfold needs [PAD] [UNK] [CLS] [SEP] [MASK]; add them (by convention as the first lines)."
        case .emptyToken(let path, let line):
            return "\(path): line \(line) is empty. A vocab.txt has one token per line and no blank lines."
        case .missingResource(let name):
            return "The package resource '\(name)' is missing; rebuild Tenfold (swift build)."
        case .invalidSetting(let message):
            return message
        }
    }
}

extension TextError {
    /// The system's one-line reason inside a Foundation error ("Permission denied"), not
    /// Foundation's "The operation could not be completed" wrapping.
    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }
}
