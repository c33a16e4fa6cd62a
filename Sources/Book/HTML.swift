import Foundation

/// Escaping for text placed in HTML (element content and double-quoted attributes).
///
///     HTML.escape("a < b & \"c\"")   // a &lt; b &amp; &quot;c&quot;
///
/// Only the five characters that XML defines are produced, so a page stays parseable as XHTML.
/// Introduced with the book.
public enum HTML {
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
