/// Colours Swift source for a page: keywords, strings, comments, numbers, types and attributes
/// become `<span class="…">` runs; everything else is escaped text.
///
///     SwiftHighlighter.html("let x = 1 // one")
///     // <span class="kw">let</span> x = <span class="num">1</span> <span class="com">// one</span>
///
/// It is a tokenizer, not a parser: enough to read a cell at a glance. Strings handle
/// escapes, `\(…)` interpolation (highlighted as code) and `"""` blocks; comments nest like
/// Swift's. The classes are styled by `BookStyle.css`.
///
/// Introduced with the book.
public enum SwiftHighlighter {
    static let keywords: Set<String> = [
        "as", "associatedtype", "async", "await", "break", "case", "catch", "class", "continue",
        "default", "defer", "deinit", "do", "else", "enum", "extension", "fallthrough", "false",
        "fileprivate", "for", "func", "guard", "if", "import", "in", "init", "inout", "internal",
        "is", "let", "nil", "open", "operator", "private", "protocol", "public", "repeat",
        "rethrows", "return", "self", "Self", "static", "struct", "subscript", "super", "switch",
        "throw", "throws", "true", "try", "typealias", "var", "where", "while", "some", "any",
        "mutating", "nonmutating", "override", "final", "lazy", "weak", "unowned", "convenience",
        "required", "indirect",
    ]

    /// The highlighted HTML of `source` (no surrounding `<pre>`).
    public static func html(_ source: String) -> String {
        var scanner = Scanner(Array(source))
        return scanner.code(until: nil)
    }

    private struct Scanner {
        let characters: [Character]
        var position = 0

        init(_ characters: [Character]) { self.characters = characters }

        func peek(_ offset: Int = 0) -> Character? {
            position + offset < characters.count ? characters[position + offset] : nil
        }

        func starts(with text: String) -> Bool {
            var offset = 0
            for character in text {
                guard peek(offset) == character else { return false }
                offset += 1
            }
            return true
        }

        /// Code up to the `)` that closes an interpolation (`closing` = ")"), or to the end.
        mutating func code(until closing: Character?) -> String {
            var html = ""
            var depth = 0
            while let character = peek() {
                if let closing, character == closing, depth == 0 { break }
                if character == "(" { depth += 1 }
                if character == ")" { depth -= 1 }
                if starts(with: "//") {
                    html += span("com", take { $0 != "\n" })
                } else if starts(with: "/*") {
                    html += span("com", blockComment())
                } else if character == "\"" {
                    html += string()
                } else if character.isNumber, character.isASCII {
                    html += span("num", number())
                } else if character == "@" || character == "#" {
                    position += 1
                    html += span("attr", String(character) + take(Scanner.isIdentifier))
                } else if Scanner.isIdentifierStart(character) {
                    let word = take(Scanner.isIdentifier)
                    if keywords.contains(word) {
                        html += span("kw", word)
                    } else if Scanner.isTypeName(word) {
                        html += span("ty", word)
                    } else {
                        html += HTML.escape(word)
                    }
                } else {
                    html += HTML.escape(String(character))
                    position += 1
                }
            }
            return html
        }

        /// Digits, hex letters, `_`, exponents and a decimal point followed by a digit.
        mutating func number() -> String {
            var text = ""
            while let character = peek() {
                let decimalPoint = character == "." && peek(1)?.isNumber == true
                guard character.isNumber || character.isLetter || character == "_" || decimalPoint else { break }
                text.append(character)
                position += 1
            }
            return text
        }

        /// `Tensor`, `WordPieceTokenizer`: a capital then a lowercase letter somewhere. Single
        /// capitals and all-caps names (`X`, `WQ`, `D`) are the paper's variables, not types.
        static func isTypeName(_ word: String) -> Bool {
            guard let first = word.first, first.isASCII, first.isUppercase else { return false }
            return word.contains { $0.isASCII && $0.isLowercase }
        }

        static func isIdentifierStart(_ character: Character) -> Bool {
            character.isLetter || character == "_" || character == "$"
        }
        static func isIdentifier(_ character: Character) -> Bool { isIdentifierStart(character) || character.isNumber }

        mutating func take(_ predicate: (Character) -> Bool) -> String {
            var text = ""
            while let character = peek(), predicate(character) {
                text.append(character)
                position += 1
            }
            return text
        }

        mutating func blockComment() -> String {
            var text = ""
            var depth = 0
            while peek() != nil {
                if starts(with: "/*") { depth += 1; text += "/*"; position += 2; continue }
                if starts(with: "*/") {
                    depth -= 1; text += "*/"; position += 2
                    if depth == 0 { break }
                    continue
                }
                text.append(peek()!)
                position += 1
            }
            return text
        }

        /// A string literal from its opening quote; interpolations are highlighted as code.
        mutating func string() -> String {
            let delimiter = starts(with: "\"\"\"") ? "\"\"\"" : "\""
            var html = "<span class=\"str\">"
            var literal = delimiter
            position += delimiter.count
            while let character = peek() {
                if starts(with: delimiter) {
                    literal += delimiter
                    position += delimiter.count
                    break
                }
                if delimiter == "\"", character == "\n" { break }
                if character == "\\", peek(1) == "(" {
                    html += HTML.escape(literal) + "\\(</span>"
                    literal = ""
                    position += 2
                    html += code(until: ")")
                    if peek() == ")" { position += 1 }
                    html += "<span class=\"str\">)"
                    continue
                }
                if character == "\\", let escaped = peek(1) {
                    literal.append(character)
                    literal.append(escaped)
                    position += 2
                    continue
                }
                literal.append(character)
                position += 1
            }
            return html + HTML.escape(literal) + "</span>"
        }

        func span(_ kind: String, _ text: String) -> String {
            "<span class=\"\(kind)\">\(HTML.escape(text))</span>"
        }
    }
}
