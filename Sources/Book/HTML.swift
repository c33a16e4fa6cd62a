import Foundation

/// Escaping for text placed in HTML (element content and double-quoted attributes).
///
///     HTML.escape("a < b & \"c\"")   // a &lt; b &amp; &quot;c&quot;
///
/// Only the five characters that XML defines are produced, so a page stays parseable as XHTML.
/// Introduced with the book.
public enum HTML {
    /// A whole page that needs nothing else: the doctype, the head (UTF-8, the viewport, `title`,
    /// the embedded style sheet), then `body` inside the body element.
    static func page(title: String, style: String = BookStyle.css, bodyClass: String? = nil, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(title)</title>
        <style>\(style)</style>
        </head>
        <body\(bodyClass.map { " class=\"\($0)\"" } ?? "")>
        \(body)
        </body>
        </html>

        """
    }

    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Text with tags removed and the basic entities decoded: what a heading reads as.
    static func plainText(_ html: String) -> String {
        var text = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag {
                text.append(character)
            }
        }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// An id made of the heading's lowercase letters and digits joined by hyphens
    /// (Unicode letters kept), unique among `used`.
    static func anchor(for title: String, used: inout Set<String>) -> String {
        var words: [String] = []
        var word = ""
        for character in title.lowercased() {
            if character.isLetter || character.isNumber { word.append(character) } else if !word.isEmpty {
                words.append(word); word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        let base = words.isEmpty ? "section" : words.joined(separator: "-")
        var candidate = base
        var suffix = 2
        while used.contains(candidate) { candidate = "\(base)-\(suffix)"; suffix += 1 }
        used.insert(candidate)
        return candidate
    }
}

extension HTML {
    /// The lines of a `<pre>`'s HTML (escaped text and `<span class="…">` runs), each wrapped in
    /// `<span class="line" style="--indent:N">`, where N is the line's leading spaces (a tab counts
    /// four). The style sheet wraps long lines and indents their continuations by N + 4
    /// characters, so a wrapped line hangs under its own start. A span that crosses a line
    /// break is closed at the end of the line and reopened on the next, so each line stays a
    /// well-formed element.
    ///
    ///     HTML.lines("a\n  <span class=\"kw\">b</span>")
    ///     // <span class="line" style="--indent:0">a\n</span><span class="line" style="--indent:2"><span class="kw">b</span></span>
    static func lines(_ html: String) -> String {
        var output = ""
        output.reserveCapacity(html.count + html.count / 4)
        var open: [Substring] = []
        let rows = html.split(separator: "\n", omittingEmptySubsequences: false)
        for (number, row) in rows.enumerated() {
            let reopened = open.joined()
            var indent = 0
            var counting = true
            var position = row.startIndex
            while position < row.endIndex {
                if row[position] == "<", let close = row[position...].firstIndex(of: ">") {
                    let tag = row[position...close]
                    if tag.hasPrefix("</") { if !open.isEmpty { open.removeLast() } } else if !tag.hasSuffix("/>") { open.append(tag) }
                    position = row.index(after: close)
                    continue
                }
                if counting {
                    switch row[position] {
                    case " ": indent += 1
                    case "\t": indent += 4
                    default: counting = false
                    }
                }
                position = row.index(after: position)
            }
            let last = number == rows.count - 1
            output += "<span class=\"line\" style=\"--indent:\(indent)\">" + reopened + row
            output += String(repeating: "</span>", count: open.count)
            output += last ? "</span>" : "\n</span>"
        }
        return output
    }
}
