import Foundation

/// Several heatmaps side by side in one SVG, by default on one shared colour scale so that
/// their colours compare — the four attention terms of Chapter 2 at a glance.
///
///     let terms = try zip(names, matrices).map { name, matrix in
///         try Heatmap(values: matrix, rows: T, columns: T, title: name, colourScale: .diverging)
///     }
///     let grid = HeatmapGrid(terms, columns: 2, title: "The four terms of αᵢⱼ, layer 1")
///     try grid.write(to: URL(fileURLWithPath: "out/chapter2/terms.svg"))
///
/// With `sharesColourScale`, the range covers every panel (symmetric about 0 when they are
/// diverging) and one colour bar is drawn; otherwise — or when the panels use different
/// colour scales — each panel keeps its own range and bar.
/// Introduced in Chapter 1 (Foundation).
public struct HeatmapGrid: Sendable {
    public var panels: [Heatmap]
    /// Panels per row; nil: one row for up to three panels, otherwise about a square grid.
    public var columns: Int?
    public var title: String?
    public var sharesColourScale: Bool
    /// A caption beside the shared colour bar.
    public var colourBarLabel: String?
    /// The side of one cell in every panel; nil fits each panel into about 720/columns pixels.
    public var cellSize: Double?

    public init(_ panels: [Heatmap], columns: Int? = nil, title: String? = nil,
                sharesColourScale: Bool = true, colourBarLabel: String? = nil, cellSize: Double? = nil) {
        self.panels = panels; self.columns = columns; self.title = title
        self.sharesColourScale = sharesColourScale; self.colourBarLabel = colourBarLabel
        self.cellSize = cellSize
    }

    /// Writes `svg` to `url` atomically, creating the folder if needed.
    ///
    /// - Throws: `DiagramError.folderNotCreatable` or `.fileNotWritten`.
    public func write(to url: URL) throws { try FigureFile.write(svg, to: url) }

    /// The colour range shared by all panels: the union of their ranges (symmetric about 0
    /// when the first panel is diverging).
    public var sharedRange: ClosedRange<Double> {
        let ranges = panels.map(\.resolvedRange)
        guard let low = ranges.map(\.lowerBound).min(), let high = ranges.map(\.upperBound).max() else { return 0...1 }
        return Heatmap.widened(low, high, panels.first?.colourScale ?? .sequential)
    }

    /// The grid as a standalone SVG document.
    public var svg: String {
        // One bar can only stand for panels that use one colour scale.
        let sharesColourScale = sharesColourScale && panels.allSatisfy { $0.colourScale == panels.first?.colourScale }
        let perRow = max(1, min(panels.count, columns ?? (panels.count <= 3 ? panels.count : Int(Double(panels.count).squareRoot().rounded(.up)))))
        let target = max(160, 720 / Double(perRow))
        let layouts = panels.map { panel in
            HeatmapLayout(panel, cellSize: cellSize ?? panel.cellSize
                          ?? HeatmapLayout.fittingCellSize(panel.rows, panel.columns, target),
                          showsColourBar: !sharesColourScale)
        }
        let slotWidth = (layouts.map(\.width).max() ?? 0) + 24
        let slotHeight = (layouts.map(\.height).max() ?? 0) + 12
        let rowCount = (panels.count + perRow - 1) / perRow
        let top = title == nil ? 8.0 : 36.0
        let barWidth = sharesColourScale ? HeatmapLayout.colourBarWidth(label: colourBarLabel) : 0
        let width = max(8 + Double(perRow) * slotWidth + barWidth, title.map { LineChart.textWidth($0, size: 15) + 16 } ?? 0)
        let height = top + max(Double(rowCount) * slotHeight, sharesColourScale ? 100 : 0) + 8

        var svg = SVGWriter(width: width, height: height)
        if let title { svg.text(title, x: width / 2, y: 24, size: 15, anchor: .middle, bold: true) }
        let shared = sharedRange
        for (index, (panel, layout)) in zip(panels, layouts).enumerated() {
            svg.beginGroup(dx: 8 + Double(index % perRow) * slotWidth, dy: top + Double(index / perRow) * slotHeight)
            layout.draw(panel, range: sharesColourScale ? shared : panel.resolvedRange, into: &svg)
            svg.endGroup()
        }
        if sharesColourScale, let first = panels.first, let firstLayout = layouts.first {
            let hasMissing = panels.contains { $0.values.contains { $0.isNaN } }
            HeatmapLayout.drawColourBar(scale: first.colourScale, range: shared, label: colourBarLabel,
                                        x: 8 + Double(perRow) * slotWidth, y: top + firstLayout.matrixY,
                                        height: max(80, firstLayout.matrixHeight), showsMissing: hasMissing, into: &svg)
        }
        if panels.isEmpty {
            svg.text("no panels", x: 8, y: top + 20, size: 12, colour: .grey)
        }
        return svg.document
    }
}
