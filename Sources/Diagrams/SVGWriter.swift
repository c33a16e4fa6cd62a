/// A small builder of SVG documents: shapes and text in user units (pixels), with every
/// number written finite and every text escaped, so the result is always well-formed XML.
///
///     var svg = SVGWriter(width: 200, height: 100)
///     svg.rect(x: 10, y: 10, width: 80, height: 40, fill: Colour(hex: 0x0072B2))
///     svg.text("loss", x: 100, y: 90, anchor: .middle)
///     let document = svg.document          // "<?xml …><svg …>…</svg>"
///
/// The charts and heatmaps of Diagrams draw through it; a chapter may too, for a one-off figure.
/// Introduced in Chapter 1 (Foundation).
public struct SVGWriter: Sendable {
    /// Where a text's `x` lies along the text.
    public enum Anchor: String, Sendable { case start, middle, end }
    /// Where a text's `y` lies: its baseline, or (approximately) its vertical middle or top.
    public enum VerticalAlignment: Sendable { case baseline, middle, top }

    public let width: Double
    public let height: Double
    private var definitions: [String] = []
    private var definedIDs: Set<String> = []
    private var body: [String] = []

    /// An empty picture of `width` × `height` pixels, on `background` (nil: transparent).
    public init(width: Double, height: Double, background: Colour? = .white) {
        self.width = max(1, SVGWriter.finite(width))
        self.height = max(1, SVGWriter.finite(height))
        if let background {
            rect(x: 0, y: 0, width: self.width, height: self.height, fill: background)
        }
    }

    /// A filled (and optionally outlined) rectangle.
    public mutating func rect(x: Double, y: Double, width: Double, height: Double,
                              fill: Colour?, stroke: Colour? = nil, strokeWidth: Double = 1,
                              fillReference: String? = nil) {
        var element = "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, width)))\" "
            + "height=\"\(n(max(0, height)))\""
        if let fillReference {
            element += " fill=\"url(#\(XMLText.escaped(fillReference)))\""
        } else {
            element += " fill=\"\(fill?.hex ?? "none")\""
        }
        if let stroke { element += " stroke=\"\(stroke.hex)\" stroke-width=\"\(n(strokeWidth))\"" }
        body.append(element + "/>")
    }

    /// A straight line; `dash` is an SVG dash pattern such as `[6, 4]`.
    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double,
                              stroke: Colour, strokeWidth: Double = 1, dash: [Double] = []) {
        body.append("<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" "
            + "stroke=\"\(stroke.hex)\" stroke-width=\"\(n(strokeWidth))\"\(dashAttribute(dash))/>")
    }

    /// A connected line through `points` (x, y); nothing when there are fewer than two.
    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: Colour,
                                  strokeWidth: Double = 1.5, dash: [Double] = []) {
        guard points.count >= 2 else { return }
        let coordinates = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
        body.append("<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(stroke.hex)\" "
            + "stroke-width=\"\(n(strokeWidth))\" stroke-linejoin=\"round\"\(dashAttribute(dash))/>")
    }

    /// A filled circle (a marker for a single point).
    public mutating func circle(cx: Double, cy: Double, radius: Double, fill: Colour) {
        body.append("<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(max(0, radius)))\" fill=\"\(fill.hex)\"/>")
    }

    /// A line of text; `rotation` in degrees turns it about (`x`, `y`), e.g. -90 to read upwards.
    public mutating func text(_ text: String, x: Double, y: Double, size: Double = 12,
                              anchor: Anchor = .start, alignment: VerticalAlignment = .baseline,
                              colour: Colour = .black, bold: Bool = false, rotation: Double = 0) {
        var element = "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\""
        if anchor != .start { element += " text-anchor=\"\(anchor.rawValue)\"" }
        switch alignment {
        case .baseline: break
        case .middle: element += " dy=\"0.35em\""
        case .top: element += " dy=\"0.8em\""
        }
        if colour != .black { element += " fill=\"\(colour.hex)\"" }
        if bold { element += " font-weight=\"bold\"" }
        if rotation != 0 { element += " transform=\"rotate(\(n(rotation)) \(n(x)) \(n(y)))\"" }
        body.append(element + ">" + XMLText.escaped(text) + "</text>")
    }

    /// A vertical linear gradient through `colours` (first at the bottom), defined once per
    /// `id`; fill a rectangle with it through `rect(…, fillReference: id)`.
    public mutating func defineVerticalGradient(id: String, colours: [Colour]) {
        guard !definedIDs.contains(id), !colours.isEmpty else { return }
        definedIDs.insert(id)
        var element = "<linearGradient id=\"\(XMLText.escaped(id))\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for (index, colour) in colours.enumerated() {
            let offset = colours.count == 1 ? 0 : Double(index) / Double(colours.count - 1)
            element += "<stop offset=\"\(n(offset))\" stop-color=\"\(colour.hex)\"/>"
        }
        definitions.append(element + "</linearGradient>")
    }

    /// Opens a group (`<g>`), optionally shifted by (`dx`, `dy`); close it with `endGroup()`.
    public mutating func beginGroup(dx: Double = 0, dy: Double = 0, crispEdges: Bool = false) {
        var element = "<g"
        if dx != 0 || dy != 0 { element += " transform=\"translate(\(n(dx)) \(n(dy)))\"" }
        if crispEdges { element += " shape-rendering=\"crispEdges\"" }
        body.append(element + ">")
    }

    public mutating func endGroup() { body.append("</g>") }

    /// A tooltip for the element drawn just before (shown on hover in a browser).
    public mutating func title(_ text: String) {
        guard let last = body.popLast() else { return }
        if last.hasSuffix("/>") {
            let open = String(last.dropLast(2))
            let tag = open.dropFirst().prefix { $0 != " " }
            body.append(open + "><title>" + XMLText.escaped(text) + "</title></" + tag + ">")
        } else {
            body.append(last)
        }
    }

    /// The whole SVG document.
    public var document: String {
        var parts = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" "
                        + "viewBox=\"0 0 \(n(width)) \(n(height))\" "
                        + "font-family=\"Helvetica, Arial, sans-serif\">"]
        if !definitions.isEmpty { parts.append("<defs>" + definitions.joined() + "</defs>") }
        parts.append(contentsOf: body)
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    /// `value` as SVG writes it: at most two decimals, never NaN or infinite (those become 0,
    /// and magnitudes are capped at 10⁷ so no exponent appears).
    public static func number(_ value: Double) -> String {
        let rounded = (finite(value) * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        let text = String(rounded)
        return text.contains("e") ? "0" : text
    }

    static func finite(_ value: Double) -> Double {
        guard value.isFinite else { return 0 }
        return min(max(value, -1e7), 1e7)
    }

    private func n(_ value: Double) -> String { SVGWriter.number(value) }

    private func dashAttribute(_ dash: [Double]) -> String {
        dash.isEmpty ? "" : " stroke-dasharray=\"\(dash.map(n).joined(separator: " "))\""
    }
}

/// Escaping of text placed in XML (SVG, and HTML-like Graphviz labels).
enum XMLText {
    /// `&`, `<`, `>`, `"` and `'` as entities; characters XML 1.0 forbids (most control
    /// characters) become U+FFFD.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result += " "
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF {
                    result += "\u{FFFD}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
