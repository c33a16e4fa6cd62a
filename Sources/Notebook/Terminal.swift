import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a notebook echoes its narrative, and whether it may use ANSI styling there.
///
///     let book = try Notebook(chapter: 1, title: "Naive attention", terminal: .standardOutput)
///     let silent = Terminal.silent                       // what `quiet: true` uses
///     let capture = Terminal(styled: false) { text in log.append(text) }
///
/// Styling (bold, underline, dim) is used only when standard output is a terminal, `NO_COLOR`
/// is unset or empty (https://no-color.org) and `TERM` is not `dumb`; piped or redirected
/// output is plain text.
///
/// Introduced in Chapter 1.
public struct Terminal: Sendable {
    /// Whether ANSI escapes may be written.
    public var styled: Bool
    /// The column at which prose is wrapped.
    public var width: Int
    /// Receives every piece of text, in order.
    public var write: @Sendable (String) -> Void

    /// - Parameters:
    ///   - styled: whether ANSI escapes may be written.
    ///   - width: the column at which prose wraps (default 88).
    ///   - write: called with each piece of text, newlines included.
    public init(styled: Bool, width: Int = 88, write: @escaping @Sendable (String) -> Void) {
        self.styled = styled
        self.width = width
        self.write = write
    }

    /// Standard output, styled only when it is a terminal and the environment allows it.
    /// Each write is flushed, so live results show even through a pipe (`| tee log`), and
    /// stays in order with Swift's own `print`.
    public static var standardOutput: Terminal {
        let styled = allowsStyling(isTerminal: isatty(STDOUT_FILENO) == 1,
                                   environment: ProcessInfo.processInfo.environment)
        return Terminal(styled: styled) { text in
            print(text, terminator: "")
            fflush(stdout)
        }
    }

    /// Writes nothing: for tests and `quiet` runs, which still write the record.
    public static let silent = Terminal(styled: false) { _ in }

    /// Whether styling is allowed for an output that is (or is not) a terminal, in `environment`.
    public static func allowsStyling(isTerminal: Bool, environment: [String: String]) -> Bool {
        guard isTerminal else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    /// Writes `text` to standard error (for failures, so they survive `quiet`).
    static func writeToStandardError(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}

/// The few ANSI escapes the notebook uses.
enum ANSI {
    static let bold = "\u{1B}[1m"
    static let underline = "\u{1B}[4m"
    static let dim = "\u{1B}[2m"
    static let reset = "\u{1B}[0m"

    /// `text` wrapped in `codes` and a reset when `styled`, otherwise unchanged.
    static func style(_ text: String, _ codes: String, styled: Bool) -> String {
        styled ? codes + text + reset : text
    }
}
