import Foundation
import Ink

/// A heading of a page, for its table of contents.
public struct PageHeading: Equatable, Sendable {
    public var level: Int
    /// The `id` of the heading element.
    public var anchor: String
    /// The heading's HTML (inline markup kept, already escaped).
    public var html: String
}

/// Renders the book's Markdown prose to HTML with Ink, in the book's dialect:
///
///     var renderer = ProseRenderer()
///     let html = renderer.render("## Attention\n\nEach token…\n\n    αᵢⱼ = qᵢ·kⱼ / √D\n")
///     // <h2 id="attention">Attention</h2><p>Each token…</p>
///     // <pre class="display"><span class="line" style="--indent:0">αᵢⱼ = qᵢ·kⱼ / √D</span></pre>
///     renderer.headings   // [PageHeading(level: 2, anchor: "attention", html: "Attention")]
///
/// - Indented blocks are displayed formulas (the chapters write their equations that way);
///   they keep their spacing in a `<pre class="display">`. Ink reads only fenced code, so
///   they are turned into fenced `display` blocks first.
/// - Fenced Swift (or unlabelled) code is coloured by `SwiftHighlighter`; other fenced code
///   is shown as it is. Every line of a `pre` is its own span (`HTML.lines`), so that long
///   lines wrap with a hanging indent.
/// - Outside code, `x_w` and `b_{bucket(i−j)}` are subscripts, not emphasis, and mentions of
///   `Docs/Methods/…md` link to the woven notes (`InlineMarkup`).
/// - Tables sit in a `div.table` that scrolls sideways on a narrow screen.
/// - Headings get ids (unique across the page) and are collected for the contents.
/// - Void elements are written self-closed (`<br/>`, `<hr/>`), so a page parses as XHTML.
///
/// Introduced with the book.
public struct ProseRenderer {
    /// Every heading rendered so far, in order.
    public private(set) var headings: [PageHeading] = []
    /// Ids already used on the page (headings and anything the caller reserves).
    public var usedAnchors: Set<String> = []

    /// Where mentions of the method notes (`Docs/Methods/TUPE.md`) point, when they are woven.
    public var methodLinks: MethodLinks?

    public init(reservedAnchors: Set<String> = [], methodLinks: MethodLinks? = nil) {
        usedAnchors = reservedAnchors
        self.methodLinks = methodLinks
    }

    public mutating func render(_ markdown: String) -> String {
        let collector = Collector(usedAnchors: usedAnchors)
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .headings) { input in collector.heading(input.html) })
        parser.addModifier(Modifier(target: .codeBlocks) { input in Self.codeBlock(input.html, markdown: input.markdown) })
        let prepared = Self.rewritingInlineMarkup(Self.joiningSoftLineBreaks(Self.fencingIndentedBlocks(markdown)),
                                                  links: methodLinks)
        let html = InlineMarkup.html(parser.html(from: prepared))
            .replacingOccurrences(of: "<br>", with: "<br/>")
            .replacingOccurrences(of: "<hr>", with: "<hr/>")
            .replacingOccurrences(of: "<table>", with: "<div class=\"table\"><table>")
            .replacingOccurrences(of: "</table>", with: "</table></div>")
        headings += collector.headings
        usedAnchors = collector.usedAnchors
        return html
    }

    /// An id made from `title` that no heading on the page uses, now reserved.
    public mutating func uniqueAnchor(_ title: String) -> String {
        HTML.anchor(for: title, used: &usedAnchors)
    }

    /// Applies the book's inline dialect (`InlineMarkup`: subscripts, links to the method
    /// notes) to every line outside fenced blocks.
    static func rewritingInlineMarkup(_ markdown: String, links: MethodLinks?) -> String {
        var inFence = false
        return markdown.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("```") {
                inFence.toggle()
                return String(line)
            }
            return inFence ? String(line) : InlineMarkup.rewrite(String(line), links: links)
        }.joined(separator: "\n")
    }

    private final class Collector {
        var usedAnchors: Set<String>
        var headings: [PageHeading] = []
        init(usedAnchors: Set<String>) { self.usedAnchors = usedAnchors }

        /// `<h2>Title</h2>` → `<h2 id="title">Title</h2>`, remembered for the contents.
        func heading(_ html: String) -> String {
            guard html.hasPrefix("<h"), html.count > 4,
                  let level = Int(String(html[html.index(html.startIndex, offsetBy: 2)])),
                  let open = html.firstIndex(of: ">"),
                  let close = html.range(of: "</h", options: .backwards) else { return html }
            let inner = InlineMarkup.html(String(html[html.index(after: open)..<close.lowerBound]))
            let anchor = HTML.anchor(for: HTML.plainText(inner), used: &usedAnchors)
            headings.append(PageHeading(level: level, anchor: anchor, html: inner))
            return "<h\(level) id=\"\(anchor)\">\(inner)</h\(level)>"
        }
    }

    /// A fenced block's HTML: `display` blocks verbatim, Swift highlighted, others as Ink wrote them.
    static func codeBlock(_ html: String, markdown: Substring) -> String {
        var lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first else { return html }
        let language = first.drop { $0 == "`" }.trimmingCharacters(in: .whitespaces)
        lines.removeFirst()
        if let last = lines.last, last.trimmingCharacters(in: .whitespaces).hasPrefix("```") { lines.removeLast() }
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        let code = lines.joined(separator: "\n")
        switch language {
        case "display": return "<pre class=\"display\">\(HTML.lines(HTML.escape(code)))</pre>"
        case "", "swift": return "<pre class=\"code\"><code>\(HTML.lines(SwiftHighlighter.html(code)))</code></pre>"
        default: return "<pre class=\"code\"><code>\(HTML.lines(HTML.escape(code)))</code></pre>"
        }
    }

    /// Joins each paragraph or list item's wrapped lines into one, so that inline markup (a
    /// `code span`, *emphasis*) may cross a line break as CommonMark allows; Ink reads it
    /// only within a line. Fences, tables, headings and new list items start lines of their own.
    static func joiningSoftLineBreaks(_ markdown: String) -> String {
        func startsBlock(_ text: Substring) -> Bool {
            guard let first = text.first else { return true }
            if "#|>".contains(first) || text.hasPrefix("```") { return true }
            if "-*+".contains(first), text.dropFirst().first == " " || text.count == 1 { return true }
            let digits = text.prefix { $0.isASCII && $0.isNumber }
            return !digits.isEmpty && [".", ")"].contains(text.dropFirst(digits.count).first)
        }
        var output: [String] = []
        var inFence = false
        var joinable = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = line.drop { $0 == " " || $0 == "\t" }
            if text.hasPrefix("```") {
                inFence.toggle()
                output.append(String(line)); joinable = false
                continue
            }
            if inFence || text.isEmpty {
                output.append(String(line)); joinable = false
                continue
            }
            if joinable, !startsBlock(text) {
                output[output.count - 1] += " " + text
            } else {
                output.append(String(line))
                joinable = !(text.first == "#" || text.first == "|")
            }
        }
        return output.joined(separator: "\n")
    }

    /// Rewrites each indented block that starts after a blank line (and not inside a list or
    /// a fence) as a fenced `display` block with the common indentation removed.
    static func fencingIndentedBlocks(_ markdown: String) -> String {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        func isBlank(_ line: String) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }
        func isIndented(_ line: String) -> Bool { line.hasPrefix("    ") || line.hasPrefix("\t") }
        func isListItem(_ line: String) -> Bool {
            let text = line.drop { $0 == " " }
            if let first = text.first, "-*+".contains(first), text.dropFirst().first == " " { return true }
            let digits = text.prefix { $0.isASCII && $0.isNumber }
            return !digits.isEmpty && [".", ")"].contains(text.dropFirst(digits.count).first)
        }
        var output: [String] = []
        var inFence = false
        var inList = false
        var previousBlank = true
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.drop(while: { $0 == " " }).hasPrefix("```") { inFence.toggle() }
            if !inFence, previousBlank, !inList, isIndented(line), !isBlank(line) {
                var block: [String] = []
                while i < lines.count, isIndented(lines[i]) || isBlank(lines[i]) {
                    block.append(lines[i]); i += 1
                }
                while let last = block.last, isBlank(last) { block.removeLast() }
                let indent = block.filter { !isBlank($0) }.map { $0.prefix { $0 == " " || $0 == "\t" }.count }.min() ?? 0
                output.append("```display")
                output += block.map { isBlank($0) ? "" : String($0.dropFirst(indent)) }
                output.append("```")
                output.append("")
                previousBlank = true
                continue
            }
            if !inFence, !isBlank(line) {
                if isListItem(line) { inList = true } else if !isIndented(line), previousBlank { inList = false }
            }
            previousBlank = isBlank(line)
            output.append(line)
            i += 1
        }
        return output.joined(separator: "\n")
    }
}
