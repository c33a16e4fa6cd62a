/// Renders the book's Markdown prose for a terminal.
///
///     let renderer = MarkdownTerminal(styled: false, width: 88)
///     print(renderer.render("## Attention\nα_ij = q_i·k_j / √D, then softmax over j."))
///     // Attention
///     // ─────────
///     // α_ij = q_i·k_j / √D, then softmax over j.
///
/// Paragraphs, list items and quotes are re-wrapped at `width` columns; code blocks (fenced
/// or indented) and pipe tables are kept verbatim, and a `code span` is never split across
/// lines. Headings are bold and underlined when `styled`; otherwise they are underlined with
/// `═` (level 1) or `─` (level 2). `**strong**` text is bold when styled and loses its
/// asterisks otherwise. Nothing else is interpreted: Unicode math (α, √, ᵀ, q_i) and single
/// `*` or `_` pass through untouched.
///
/// Introduced in Chapter 1.
public struct MarkdownTerminal: Sendable {
    /// Whether ANSI escapes may be written.
    public var styled: Bool
    /// The column at which text wraps.
    public var width: Int

    /// - Parameters:
    ///   - styled: use ANSI bold and underline (only for a terminal; see `Terminal`).
    ///   - width: wrap column (default 88).
    public init(styled: Bool, width: Int = 88) {
        self.styled = styled
        self.width = width
    }

    /// The terminal rendering of `markdown`, blocks separated by blank lines, ending in a newline.
    public func render(_ markdown: String) -> String {
        var blocks: [String] = []
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        var i = 0
        func isBlank(_ line: String) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }

        while i < lines.count {
            let line = lines[i]
            let trimmed = line.drop { $0 == " " }
            if isBlank(line) { i += 1; continue }

            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                // A fenced code block: the contents verbatim, indented, fences dropped.
                let fence = String(trimmed.prefix(3))
                var code: [String] = []
                i += 1
                while i < lines.count, !lines[i].drop(while: { $0 == " " }).hasPrefix(fence) {
                    code.append(lines[i]); i += 1
                }
                i += 1
                blocks.append(code.map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n"))
            } else if line.hasPrefix("    ") || line.hasPrefix("\t") {
                // An indented code block (often a displayed equation): verbatim.
                var code: [String] = []
                while i < lines.count, lines[i].hasPrefix("    ") || lines[i].hasPrefix("\t") || isBlank(lines[i]) {
                    code.append(isBlank(lines[i]) ? "" : lines[i]); i += 1
                }
                while code.last == "" { code.removeLast() }
                blocks.append(code.joined(separator: "\n"))
            } else if let level = headingLevel(trimmed) {
                let text = trimmed.dropFirst(level).trimmingSpaces
                blocks.append(heading(text, level: level))
                i += 1
            } else if trimmed.hasPrefix("|") {
                var table: [String] = []
                while i < lines.count, lines[i].drop(while: { $0 == " " }).hasPrefix("|") {
                    table.append(lines[i]); i += 1
                }
                blocks.append(table.joined(separator: "\n"))
            } else if isRule(trimmed) {
                blocks.append(String(repeating: "─", count: min(width, 40)))
                i += 1
            } else if trimmed.hasPrefix(">") {
                var quoted: [String] = []
                while i < lines.count, lines[i].drop(while: { $0 == " " }).hasPrefix(">") {
                    quoted.append(String(lines[i].drop(while: { $0 == " " }).dropFirst().drop { $0 == " " }))
                    i += 1
                }
                blocks.append(wrap(paragraphText(quoted), firstPrefix: "│ ", restPrefix: "│ "))
            } else if listMarker(line) != nil {
                // Consecutive items form one block; continuation lines join their item.
                var items: [String] = []
                while i < lines.count, let (indent, marker) = listMarker(lines[i]) {
                    var text = [String(lines[i].dropFirst(indent + marker.count).drop { $0 == " " })]
                    i += 1
                    while i < lines.count, !isBlank(lines[i]), listMarker(lines[i]) == nil,
                          !startsBlock(lines[i].drop { $0 == " " }) {
                        text.append(lines[i].trimmingSpaces); i += 1
                    }
                    let lead = String(repeating: " ", count: indent) + marker + " "
                    items.append(wrap(paragraphText(text), firstPrefix: lead,
                                      restPrefix: String(repeating: " ", count: lead.count)))
                }
                blocks.append(items.joined(separator: "\n"))
            } else {
                var text: [String] = []
                while i < lines.count, !isBlank(lines[i]), !(text.count > 0 && startsBlock(lines[i].drop { $0 == " " })),
                      !(text.count > 0 && listMarker(lines[i]) != nil) {
                    text.append(lines[i]); i += 1
                }
                blocks.append(wrap(paragraphText(text), firstPrefix: "", restPrefix: ""))
            }
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    // MARK: Blocks

    func heading(_ text: String, level: Int) -> String {
        var bold = false
        let plain = inline(text, styled: false, boldOpen: &bold)
        if styled {
            bold = false
            return ANSI.bold + ANSI.underline + inline(text, styled: false, boldOpen: &bold) + ANSI.reset
        }
        switch level {
        case 1: return plain + "\n" + String(repeating: "═", count: plain.count)
        case 2: return plain + "\n" + String(repeating: "─", count: plain.count)
        default: return plain
        }
    }

    func headingLevel(_ line: Substring) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        return rest.isEmpty || rest.first == " " ? hashes : nil
    }

    func isRule(_ line: Substring) -> Bool {
        let compact = line.filter { $0 != " " }
        guard compact.count >= 3, let first = compact.first, "-*_".contains(first) else { return false }
        return compact.allSatisfy { $0 == first }
    }

    /// The indentation and marker (`-`, `*`, `+`, `1.`, `1)`) of a list item line.
    func listMarker(_ line: String) -> (indent: Int, marker: String)? {
        let indent = line.prefix { $0 == " " }.count
        let rest = line.dropFirst(indent)
        if let first = rest.first, "-*+".contains(first), rest.dropFirst().first == " " {
            if isRule(rest) { return nil }
            return (indent, String(first))
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 9 {
            let after = rest.dropFirst(digits.count)
            if let mark = after.first, mark == "." || mark == ")", after.dropFirst().first == " " {
                return (indent, String(digits) + String(mark))
            }
        }
        return nil
    }

    /// Whether a line starts a block other than a paragraph (ending the paragraph before it).
    func startsBlock(_ line: Substring) -> Bool {
        line.hasPrefix("```") || line.hasPrefix("~~~") || line.hasPrefix(">") || line.hasPrefix("|")
            || headingLevel(line) != nil
    }

    /// Joins a paragraph's source lines with spaces, keeping hard breaks (two trailing
    /// spaces or a trailing backslash) as newlines.
    func paragraphText(_ lines: [String]) -> String {
        var out = ""
        for (n, raw) in lines.enumerated() {
            let hardBreak = raw.hasSuffix("  ") || raw.hasSuffix("\\")
            var line = raw.trimmingSpaces
            if line.hasSuffix("\\") { line.removeLast() }
            out += line
            if n < lines.count - 1 { out += hardBreak ? "\n" : " " }
        }
        return out
    }

    // MARK: Wrapping

    /// Greedy wrapping at `width`, never inside a code span; explicit newlines are kept.
    func wrap(_ text: String, firstPrefix: String, restPrefix: String) -> String {
        var lines: [String] = []
        var boldOpen = false
        var prefix = firstPrefix
        for hardLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var current: [String] = []
            var used = 0
            func flush() {
                var line = prefix
                if styled && boldOpen { line += ANSI.bold }
                line += inline(current.joined(separator: " "), styled: styled, boldOpen: &boldOpen)
                if styled && boldOpen { line += ANSI.reset }
                lines.append(line)
                prefix = restPrefix
                current = []; used = 0
            }
            for word in words(String(hardLine)) {
                var ignored = false
                let visible = inline(word, styled: false, boldOpen: &ignored).count
                if !current.isEmpty && prefix.count + used + 1 + visible > width { flush() }
                used += (current.isEmpty ? 0 : 1) + visible
                current.append(word)
            }
            flush()
        }
        return lines.map(\.trailingSpacesRemoved).joined(separator: "\n")
    }

    /// Splits on spaces, except inside code spans, which stay whole.
    func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        let characters = Array(text)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c == "`" {
                let run = characters[i...].prefix { $0 == "`" }.count
                if let close = closingRun(of: run, in: characters, from: i + run) {
                    current += String(characters[i..<(close + run)])
                    i = close + run
                    continue
                }
                current += String(repeating: "`", count: run)
                i += run
                continue
            }
            if c == " " {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(c)
            }
            i += 1
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    func closingRun(of length: Int, in characters: [Character], from start: Int) -> Int? {
        var j = start
        while j < characters.count {
            if characters[j] == "`" {
                let run = characters[j...].prefix { $0 == "`" }.count
                if run == length { return j }
                j += run
            } else {
                j += 1
            }
        }
        return nil
    }

    /// Applies `**strong**` outside code spans: ANSI bold when `styled`, else removes the
    /// markers. `boldOpen` carries an unclosed span across wrapped lines.
    func inline(_ text: String, styled: Bool, boldOpen: inout Bool) -> String {
        var out = ""
        let characters = Array(text)
        var i = 0
        while i < characters.count {
            if characters[i] == "`" {
                let run = characters[i...].prefix { $0 == "`" }.count
                let end = closingRun(of: run, in: characters, from: i + run).map { $0 + run } ?? i + run
                out += String(characters[i..<end])
                i = end
            } else if characters[i] == "*", i + 1 < characters.count, characters[i + 1] == "*" {
                boldOpen.toggle()
                if styled { out += boldOpen ? ANSI.bold : ANSI.reset }
                i += 2
            } else {
                out.append(characters[i])
                i += 1
            }
        }
        return out
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
