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
/// - **Links to the method notes.** A mention of `Docs/Methods/TUPE.md` or
///   `Docs/Methods/TUPE.md#the-cls-buckets` (plain, or as a whole code span) becomes a link to
///   the woven note, and a link whose destination is such a file is pointed at the note's page
///   (`MethodLinks`). Mentions inside a link's text are left alone.
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
    static func rewrite(_ line: String, links: MethodLinks?) -> String {
        let characters = Array(line)
        return rewrite(characters, characters.indices, mentions: true, links: links)
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_")
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

    private static func rewrite(_ c: [Character], _ range: Range<Int>, mentions: Bool, links: MethodLinks?) -> String {
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
                let span = String(c[i..<(close + run)])
                let inner = String(c[(i + run)..<close]).trimmingCharacters(in: .whitespaces)
                if mentions, let href = links?.mention(inner) {
                    out += "[\(span)](\(href))"
                } else {
                    out += span
                }
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
                    let text = rewrite(c, (i + 1)..<closeBracket, mentions: false, links: links)
                    let destination = String(c[(closeBracket + 2)..<closeParen])
                    out += "[\(text)](\(links?.destination(destination) ?? destination))"
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
            case "D" where mentions && links != nil && (i == 0 || !(isNameCharacter(c[i - 1]) || c[i - 1] == "/")):
                if let (length, href) = mention(c, at: i, end: end, links: links!) {
                    out += "[\(String(c[i..<(i + length)]))](\(href))"
                    i += length
                } else {
                    out.append(character)
                    i += 1
                }
            default:
                out.append(character)
                i += 1
            }
        }
        return out
    }

    /// `Docs/Methods/NAME.md` with an optional `#fragment` starting at `start`, when it names a woven note.
    private static func mention(_ c: [Character], at start: Int, end: Int, links: MethodLinks) -> (Int, String)? {
        let prefix = Array(MethodLinks.folderPrefix)
        guard end - start > prefix.count, Array(c[start..<(start + prefix.count)]) == prefix else { return nil }
        var j = start + prefix.count
        while j < end, isNameCharacter(c[j]) { j += 1 }
        guard j + 3 <= end, String(c[j..<(j + 3)]) == ".md" else { return nil }
        j += 3
        if j + 1 < end, c[j] == "#", isNameCharacter(c[j + 1]) {
            j += 1
            while j < end, isNameCharacter(c[j]) { j += 1 }
            while c[j - 1] == "-" || c[j - 1] == "_" { j -= 1 }
        }
        guard j == end || !(c[j].isLetter || c[j].isNumber), let href = links.mention(String(c[start..<j])) else { return nil }
        return (j - start, href)
    }
}

/// Where the method notes are woven, seen from one page: turns `Docs/Methods/TUPE.md#anchor`
/// (and, on a note's own page, a sibling's `TUPE.md#anchor`) into the note page's address.
///
///     let links = MethodLinks(pages: ["TUPE.md": "tupe.html"], folder: "methods/")
///     links.mention("Docs/Methods/TUPE.md#the-cls-buckets")   // "methods/tupe.html#the-cls-buckets"
///
/// Introduced with the book's second pass.
public struct MethodLinks: Sendable, Equatable {
    /// The notes' source folder, as chapters and code cite it.
    public static let folderPrefix = "Docs/Methods/"
    /// Each note's file name (`TUPE.md`) and its page's file name (`tupe.html`).
    public var pages: [String: String]
    /// The notes' folder seen from the page: `methods/` from the book's root, `""` from a note.
    public var folder: String
    /// Whether a bare `TUPE.md` names a note (true on the notes' own pages).
    public var resolvesBareNames: Bool

    public init(pages: [String: String], folder: String, resolvesBareNames: Bool = false) {
        self.pages = pages
        self.folder = folder
        self.resolvesBareNames = resolvesBareNames
    }

    /// The address for exactly `Docs/Methods/NAME.md[#fragment]`, or nil.
    public func mention(_ text: String) -> String? {
        guard text.hasPrefix(Self.folderPrefix) else { return nil }
        return destination(text)
    }

    /// The address for a Markdown link destination that names a note, or nil to keep it.
    public func destination(_ destination: String) -> String? {
        let parts = destination.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        var path = String(parts[0])
        let fragment = parts.count > 1 ? "#" + parts[1] : ""
        if path.hasPrefix("./") { path.removeFirst(2) }
        let name: String
        if let range = path.range(of: Self.folderPrefix), range.upperBound < path.endIndex,
           path[..<range.lowerBound].allSatisfy({ $0 == "/" || $0 == "." }) {
            name = String(path[range.upperBound...])
        } else if resolvesBareNames, !path.contains("/") {
            name = path
        } else {
            return nil
        }
        guard let page = pages[name] else { return nil }
        return folder + page + fragment
    }
}
