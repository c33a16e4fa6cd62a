import Foundation

/// Finds the source text of a cell's closure in a Swift file, given the line of the call.
///
///     let extracted = SourceExtractor.extract(from: text, callLine: 12)
///     extracted?.body        // the closure's body, common indentation removed
///     extracted?.endLine     // the line of the matching closing brace
///
/// Starting at `callLine`, it finds the first `{` that is code (not inside a string literal
/// or a comment) and follows braces to the matching `}`. Braces inside string literals —
/// single-line, multi-line `"""`, raw `#"…"#` — and inside `//` and nested `/* */`
/// comments are skipped; code inside string interpolations `\( … )` is followed, so a
/// string inside an interpolation is skipped too. Only the ASCII bytes of the syntax are
/// inspected, so any Unicode (α, √, ᵀ) passes through untouched.
///
/// Introduced in Chapter 1.
public enum SourceExtractor {
    /// The text of one cell call, as it stands in its file.
    public struct Extracted: Equatable, Sendable {
        /// The line of the call (1-based), as given.
        public var startLine: Int
        /// The line of the closure's closing brace (1-based).
        public var endLine: Int
        /// Every line from the call to the closing brace, common indentation removed.
        public var source: String
        /// The closure's body without its `{ cell in` and `}`, common indentation removed.
        public var body: String
    }

    /// Extracts the cell whose call starts on `callLine` (1-based) of the Swift text `text`.
    ///
    /// - Parameters:
    ///   - text: the whole source file.
    ///   - callLine: the line reported by `#line` at the call.
    /// - Returns: the extracted lines, or `nil` when the line does not exist or no balanced
    ///   closure starts there.
    public static func extract(from text: String, callLine: Int) -> Extracted? {
        let bytes = Array(text.utf8)
        guard callLine >= 1, let start = offsetOfLine(callLine, in: bytes) else { return nil }
        var scanner = SwiftScanner(bytes: bytes, position: start)
        guard let open = scanner.nextStructural(where: { $0 == UInt8(ascii: "{") }) else { return nil }
        var depth = 1
        var close: Int?
        while let index = scanner.nextStructural(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") }) {
            depth += bytes[index] == UInt8(ascii: "{") ? 1 : -1
            if depth == 0 { close = index; break }
        }
        guard let close else { return nil }

        let lineEnd = bytes[close...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        let endLine = callLine + bytes[start..<close].lazy.filter { $0 == UInt8(ascii: "\n") }.count
        let source = dedent(String(decoding: bytes[start..<lineEnd], as: UTF8.self))
        let bodyStart = skipClosureSignature(bytes, after: open)
        let body = dedent(String(decoding: bytes[bodyStart..<close], as: UTF8.self))
        return Extracted(startLine: callLine, endLine: endLine, source: source, body: body)
    }

    /// Removes the indentation common to every non-blank line, and leading and trailing
    /// blank lines; keeps relative indentation (and so the shape of multi-line strings).
    public static func dedent(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        func isBlank(_ line: String) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }
        while let first = lines.first, isBlank(first) { lines.removeFirst() }
        while let last = lines.last, isBlank(last) { lines.removeLast() }
        let indents = lines.filter { !isBlank($0) }.map { $0.prefix { $0 == " " || $0 == "\t" }.count }
        let common = indents.min() ?? 0
        return lines.map { isBlank($0) ? "" : String($0.dropFirst(common)).trailingSpacesRemoved }
            .joined(separator: "\n")
    }

    // MARK: Helpers

    /// The byte offset where line `line` (1-based) begins.
    static func offsetOfLine(_ line: Int, in bytes: [UInt8]) -> Int? {
        if line == 1 { return 0 }
        var seen = 1
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            seen += 1
            if seen == line { return i + 1 }
        }
        return nil
    }

    /// The offset just after a closure's signature (`cell in`, `(a, b) in`, `_ in`) when one
    /// follows the opening brace on its line; otherwise just after the brace.
    static func skipClosureSignature(_ bytes: [UInt8], after open: Int) -> Int {
        let lineEnd = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        func isSpace(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == 13 }
        // The words after the brace on its line, each with the offset just past it.
        var words: [(text: String, end: Int)] = []
        var i = open + 1
        while i < lineEnd {
            while i < lineEnd && isSpace(bytes[i]) { i += 1 }
            let wordStart = i
            while i < lineEnd && !isSpace(bytes[i]) { i += 1 }
            if wordStart < i { words.append((String(decoding: bytes[wordStart..<i], as: UTF8.self), i)) }
        }
        // `for x in xs` on a one-line body is a loop, not a signature.
        let keywords: Set<String> = ["for", "case", "let", "var", "if", "guard", "while", "return", "try"]
        let allowed = Set("_(),:[]<>?-.")
        guard let inIndex = words.firstIndex(where: { $0.text == "in" }), inIndex > 0,
              words[..<inIndex].allSatisfy({ word in
                  !keywords.contains(word.text)
                      && word.text.allSatisfy { $0.isLetter || $0.isNumber || allowed.contains($0) }
              })
        else { return restOfLineIfComment(bytes, from: open + 1, lineEnd: lineEnd) }
        return restOfLineIfComment(bytes, from: words[inIndex].end, lineEnd: lineEnd)
    }

    /// `lineEnd` when only spaces or a `//` comment follow `start` on its line (a comment
    /// there belongs to the call, not the body); otherwise `start`.
    static func restOfLineIfComment(_ bytes: [UInt8], from start: Int, lineEnd: Int) -> Int {
        let rest = String(decoding: bytes[start..<lineEnd], as: UTF8.self).trimmingSpaces
        return rest.isEmpty || rest.hasPrefix("//") ? lineEnd : start
    }
}

/// A forward scanner over Swift source bytes that steps over comments and string literals.
struct SwiftScanner {
    let bytes: [UInt8]
    var position: Int

    private func byte(at i: Int) -> UInt8? { i < bytes.count ? bytes[i] : nil }
    private func starts(with ascii: String, at i: Int) -> Bool {
        var j = i
        for b in ascii.utf8 {
            guard byte(at: j) == b else { return false }
            j += 1
        }
        return true
    }

    /// Advances to the next code byte (outside comments and strings) satisfying `isWanted`
    /// and returns its offset, leaving `position` just after it; `nil` at the end of input.
    mutating func nextStructural(where isWanted: (UInt8) -> Bool) -> Int? {
        while position < bytes.count {
            let b = bytes[position]
            if starts(with: "//", at: position) {
                while position < bytes.count && bytes[position] != UInt8(ascii: "\n") { position += 1 }
            } else if starts(with: "/*", at: position) {
                skipBlockComment()
            } else if b == UInt8(ascii: "\"") || (b == UInt8(ascii: "#") && startsRawString(at: position)) {
                skipString()
            } else {
                position += 1
                if isWanted(b) { return position - 1 }
            }
        }
        return nil
    }

    /// Whether `#…#"` starts a raw string at `i` (and not `#line`, `#if`, …).
    private func startsRawString(at i: Int) -> Bool {
        var j = i
        while byte(at: j) == UInt8(ascii: "#") { j += 1 }
        return byte(at: j) == UInt8(ascii: "\"")
    }

    /// Skips a block comment; Swift's block comments nest.
    private mutating func skipBlockComment() {
        var depth = 0
        while position < bytes.count {
            if starts(with: "/*", at: position) { depth += 1; position += 2 }
            else if starts(with: "*/", at: position) {
                depth -= 1; position += 2
                if depth == 0 { return }
            } else { position += 1 }
        }
    }

    /// Skips a string literal starting at `position`: `"…"`, `"""…"""`, or raw `#"…"#`,
    /// following interpolations `\(…)` (written `\#(…)` in raw strings) as code.
    private mutating func skipString() {
        var hashes = 0
        while byte(at: position) == UInt8(ascii: "#") { hashes += 1; position += 1 }
        let multiline = starts(with: "\"\"\"", at: position)
        position += multiline ? 3 : 1
        let delimiter = (multiline ? "\"\"\"" : "\"") + String(repeating: "#", count: hashes)
        let escape = "\\" + String(repeating: "#", count: hashes)
        while position < bytes.count {
            if starts(with: escape, at: position) {
                position += escape.utf8.count
                if byte(at: position) == UInt8(ascii: "(") {
                    position += 1
                    skipInterpolation()
                } else {
                    position += 1  // the escaped character
                }
            } else if starts(with: delimiter, at: position) {
                position += delimiter.utf8.count
                return
            } else if !multiline && bytes[position] == UInt8(ascii: "\n") {
                return  // an unterminated single-line string: stop at the line's end
            } else {
                position += 1
            }
        }
    }

    /// Skips the code of an interpolation up to its matching `)`.
    private mutating func skipInterpolation() {
        var depth = 1
        while let i = nextStructural(where: { $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: ")") }) {
            depth += bytes[i] == UInt8(ascii: "(") ? 1 : -1
            if depth == 0 { return }
        }
    }
}
