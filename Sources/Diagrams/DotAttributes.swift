/// A value of a DOT attribute: text (written quoted and escaped) or an HTML-like label.
///
///     let plain: DotValue = "QKᵀ/√D"                    // a string literal is text
///     let table = DotValue.html("<b>softmax</b>")      // written as <<b>softmax</b>>
///
/// Introduced in Chapter 1 (Foundation).
public enum DotValue: Hashable, Sendable, ExpressibleByStringLiteral {
    /// Any text; escaped by `DotDocument.quoted`.
    case text(String)
    /// An HTML-like label body, written between `<` and `>` as it is: escape text inside it
    /// with `DotDocument.escapedForHTML`.
    case html(String)

    public init(stringLiteral value: String) { self = .text(value) }

    var written: String {
        switch self {
        case .text(let text): return DotDocument.quoted(text)
        case .html(let body): return "<" + body + ">"
        }
    }
}

/// An ordered list of DOT attributes (`name=value`), written in the order they were set.
///
///     var style: DotAttributes = ["shape": "box", "style": "rounded,filled"]
///     style["fillcolor"] = "#cfe2f3"
///
/// Setting a name that is already present replaces its value in place; setting nil removes it.
/// Introduced in Chapter 1 (Foundation).
public struct DotAttributes: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    public struct Entry: Hashable, Sendable {
        public var name: String
        public var value: DotValue
    }

    public private(set) var entries: [Entry] = []

    public init(dictionaryLiteral elements: (String, DotValue)...) {
        for (name, value) in elements { self[name] = value }
    }

    public var isEmpty: Bool { entries.isEmpty }

    public subscript(name: String) -> DotValue? {
        get { entries.first { $0.name == name }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(Entry(name: name, value: newValue))
            }
        }
    }

    /// `other`'s attributes set over these ones.
    public func merging(_ other: DotAttributes) -> DotAttributes {
        var result = self
        for entry in other.entries { result[entry.name] = entry.value }
        return result
    }

    /// `[name="value", …]`.
    var bracketed: String {
        "[" + entries.map { DotDocument.quoted($0.name) + "=" + $0.value.written }
            .joined(separator: ", ") + "]"
    }
}
