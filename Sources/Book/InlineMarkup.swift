import Foundation

/// The book's inline dialect, applied to each prose line before Ink reads it:
///
/// - **Subscripts.** An underscore between a letter, digit or closing bracket and a letter,
///   digit or `{` is a subscript, not emphasis: `μ_w + μ_p` renders as μ<sub>w</sub> + μ<sub>p</sub>,
///   `b_{bucket(i−j)}` as b<sub>bucket(i−j)</sub>. The subscript is the run of letters and
///   digits after the underscore, or the braces' balanced content. A `snake_case_name` (two
///   or more such underscores in a row of words) keeps its underscores as they are. Emphasis
///   with spaces around (`_word_`, `*word*`) is untouched, and so are code spans, link
///   destinations, HTML tags and backslash escapes.
///
/// Ink would read the subscript's underscore as emphasis, so the pass does not write HTML: it
/// leaves private-use marker characters, which Ink carries through as text, and `html(_:)`
/// turns them into tags after rendering.
///
/// Introduced with the book's second pass.
enum InlineMarkup {
    static let subscriptOpen: Character = "\u{E000}"
    static let subscriptClose: Character = "\u{E001}"
    static let literalUnderscore: Character = "\u{E002}"

    /// Rendered HTML with the markers turned into tags (and literal underscores).
    static func html(_ rendered: String) -> String {
        guard rendered.contains(where: { $0 == subscriptOpen || $0 == subscriptClose || $0 == literalUnderscore }) else {
            return rendered
        }
        var html = ""
        html.reserveCapacity(rendered.count + 16)
        for character in rendered {
            switch character {
            case subscriptOpen: html += "<sub>"
            case subscriptClose: html += "</sub>"
            case literalUnderscore: html += "_"
            default: html.append(character)
            }
        }
        return html
    }

    /// One line of Markdown (outside fences) rewritten as described above.
    static func rewrite(_ line: String) -> String {
        let characters = Array(line)
        return rewrite(characters, characters.indices)
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    private static func backtickRun(_ c: [Character], at start: Int, end: Int) -> Int {
        var i = start
        while i < end, c[i] == "`" { i += 1 }
        return i - start
    }

    /// The index of the bracket that closes the one at `open`, counting nesting and skipping escapes.
    private static func matching(_ c: [Character], open: Int, end: Int, closing: Character) -> Int? {
        let opening = c[open]
        var depth = 0
        var i = open
        while i < end {
            if c[i] == "\\" { i += 2; continue }
            if c[i] == opening { depth += 1 } else if c[i] == closing {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        return nil
    }

    private static func rewrite(_ c: [Character], _ range: Range<Int>) -> String {
        var out = ""
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let character = c[i]
            switch character {
            case "\\":
                out.append(character)
                if i + 1 < end { out.append(c[i + 1]) }
                i += 2
            case "`":
                let run = backtickRun(c, at: i, end: end)
                var j = i + run
                var close: Int?
                while j < end {
                    if c[j] == "`" {
                        let length = backtickRun(c, at: j, end: end)
                        if length == run { close = j; break }
                        j += length
                    } else {
                        j += 1
                    }
                }
                guard let close else {
                    out += String(repeating: "`", count: run)
                    i += run
                    continue
                }
                out += String(c[i..<(close + run)])
                i = close + run
            case "<":
                if i + 1 < end, c[i + 1].isLetter || c[i + 1] == "/" || c[i + 1] == "!",
                   let close = c[i..<end].firstIndex(of: ">") {
                    out += String(c[i...close])
                    i = close + 1
                } else {
                    out.append(character)
                    i += 1
                }
            case "[":
                if let closeBracket = matching(c, open: i, end: end, closing: "]"),
                   closeBracket + 1 < end, c[closeBracket + 1] == "(",
                   let closeParen = matching(c, open: closeBracket + 1, end: end, closing: ")") {
                    let text = rewrite(c, (i + 1)..<closeBracket)
                    out += "[\(text)](\(String(c[(closeBracket + 2)..<closeParen])))"
                    i = closeParen + 1
                } else {
                    out.append(character)
                    i += 1
                }
            case "_":
                let previous: Character? = i > 0 ? c[i - 1] : nil
                let next: Character? = i + 1 < end ? c[i + 1] : nil
                guard let previous, let next, isWordCharacter(previous) || ")]}".contains(previous) else {
                    out.append(character); i += 1; continue
                }
                if next == "{", let close = matching(c, open: i + 1, end: end, closing: "}") {
                    out.append(subscriptOpen)
                    out += String(c[(i + 2)..<close].map { $0 == "_" ? literalUnderscore : $0 })
                    out.append(subscriptClose)
                    i = close + 1
                    continue
                }
                guard isWordCharacter(next) else { out.append(character); i += 1; continue }
                var j = i + 1
                while j < end, isWordCharacter(c[j]) { j += 1 }
                if j + 1 < end, c[j] == "_", isWordCharacter(c[j + 1]) {
                    // snake_case_name: every underscore of the chain stays an underscore.
                    var k = i
                    while k + 1 < end, c[k] == "_", isWordCharacter(c[k + 1]) {
                        out.append(literalUnderscore)
                        k += 1
                        while k < end, isWordCharacter(c[k]) { out.append(c[k]); k += 1 }
                    }
                    i = k
                    continue
                }
                out.append(subscriptOpen)
                out += String(c[(i + 1)..<j])
                out.append(subscriptClose)
                i = j
            default:
                out.append(character)
                i += 1
            }
        }
        return out
    }
}
