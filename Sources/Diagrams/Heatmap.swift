import Foundation
import Tensors

/// A matrix drawn as coloured cells, with labelled axes and a colour bar — attention maps
/// from Chapter 1 on.
///
///     let attention = try Heatmap(values: probabilities, rows: T, columns: T,   // [T, T]
///                                 rowLabels: tokens, columnLabels: tokens,
///                                 title: "head 0", xLabel: "key j", yLabel: "query i",
///                                 colourScale: .sequential, valueRange: 0...1)
///     try attention.write(to: URL(fileURLWithPath: "out/chapter1/attention.svg"))
///
/// `.sequential` suits values of one sign (probabilities); `.diverging` suits signed values
/// (logits, the four attention terms): blue below zero, white at zero, red above, over a
/// range centred on 0. NaN cells are grey. When there are more labels than fit, every k-th
/// one is shown; without labels, rows and columns are numbered from 0.
/// Introduced in Chapter 1 (Foundation).
public struct Heatmap: Sendable {
    /// The number of rows (drawn top to bottom) and columns (left to right).
    public let rows: Int
    public let columns: Int
    /// The matrix, row by row: `values[i * columns + j]` is row i, column j.
    public let values: [Float]
    /// One label per row / column (tokens); nil numbers them 0, 1, 2, …
    public var rowLabels: [String]?
    public var columnLabels: [String]?
    public var title: String?
    /// The title under the columns (e.g. "key position j").
    public var xLabel: String?
    /// The title beside the rows (e.g. "query position i").
    public var yLabel: String?
    public var colourScale: ColourScale
    /// The values at the two ends of the colour bar; nil takes them from the data
    /// (for `.diverging`, ±max|v|). Values outside are drawn in the end colours.
    public var valueRange: ClosedRange<Double>?
    /// The side of one cell in pixels; nil fits the matrix into about 480 pixels.
    public var cellSize: Double?
    /// Writes each value inside its cell (sensible for small matrices only).
    public var showsValues: Bool
    /// A caption beside the colour bar (e.g. "α" or "logit").
    public var colourBarLabel: String?

    /// A heatmap of a row-major matrix.
    ///
    /// - Parameters:
    ///   - values: rows × columns numbers, row by row.
    ///   - rows, columns: the matrix's shape.
    ///   - rowLabels, columnLabels: one per row / column, or nil to number them.
    ///   - title, xLabel, yLabel: the figure's title and axis titles.
    ///   - colourScale: `.sequential` (one sign) or `.diverging` (signed, centred on 0).
    ///   - valueRange: fixed ends of the colour scale (e.g. `0...1` for probabilities).
    /// - Throws: `DiagramError.matrixSizeMismatch` or `.labelCountMismatch`.
    public init(values: [Float], rows: Int, columns: Int, rowLabels: [String]? = nil,
                columnLabels: [String]? = nil, title: String? = nil, xLabel: String? = nil,
                yLabel: String? = nil, colourScale: ColourScale = .sequential,
                valueRange: ClosedRange<Double>? = nil, cellSize: Double? = nil,
                showsValues: Bool = false, colourBarLabel: String? = nil) throws {
        guard rows >= 0, columns >= 0, rows.multipliedReportingOverflow(by: columns).partialValue == values.count,
              !rows.multipliedReportingOverflow(by: columns).overflow else {
            throw DiagramError.matrixSizeMismatch(rows: rows, columns: columns, valueCount: values.count)
        }
        if let rowLabels, rowLabels.count != rows {
            throw DiagramError.labelCountMismatch(axis: "rows", expected: rows, got: rowLabels.count)
        }
        if let columnLabels, columnLabels.count != columns {
            throw DiagramError.labelCountMismatch(axis: "columns", expected: columns, got: columnLabels.count)
        }
        self.values = values; self.rows = rows; self.columns = columns
        self.rowLabels = rowLabels; self.columnLabels = columnLabels
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
        self.colourScale = colourScale; self.valueRange = valueRange; self.cellSize = cellSize
        self.showsValues = showsValues; self.colourBarLabel = colourBarLabel
    }

    /// A heatmap of nested rows (all of one length).
    ///
    /// - Throws: `DiagramError.matrixSizeMismatch` when the rows differ in length.
    public init(matrix: [[Float]], rowLabels: [String]? = nil, columnLabels: [String]? = nil,
                title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                colourScale: ColourScale = .sequential, valueRange: ClosedRange<Double>? = nil) throws {
        let columns = matrix.first?.count ?? 0
        let flat = matrix.flatMap { $0 }
        guard matrix.allSatisfy({ $0.count == columns }) else {
            throw DiagramError.matrixSizeMismatch(rows: matrix.count, columns: columns, valueCount: flat.count)
        }
        try self.init(values: flat, rows: matrix.count, columns: columns, rowLabels: rowLabels,
                      columnLabels: columnLabels, title: title, xLabel: xLabel, yLabel: yLabel,
                      colourScale: colourScale, valueRange: valueRange)
    }

    /// A heatmap of a matrix tensor ([rows, columns]).
    ///
    ///     let map = try Heatmap(tensor: alpha, title: "α, head 0")     // alpha: [T, T]
    ///
    /// - Throws: `DiagramError.notAMatrix` for a tensor of another rank, and the errors of
    ///   `init(values:rows:columns:…)`.
    public init(tensor: Tensor, rowLabels: [String]? = nil, columnLabels: [String]? = nil,
                title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                colourScale: ColourScale = .sequential, valueRange: ClosedRange<Double>? = nil) throws {
        guard tensor.rank == 2 else { throw DiagramError.notAMatrix(shape: tensor.shape) }
        try self.init(values: tensor.scalars, rows: tensor.shape[0], columns: tensor.shape[1],
                      rowLabels: rowLabels, columnLabels: columnLabels, title: title, xLabel: xLabel,
                      yLabel: yLabel, colourScale: colourScale, valueRange: valueRange)
    }

    /// Writes `svg` to `url` atomically, creating the folder if needed.
    ///
    /// - Throws: `DiagramError.folderNotCreatable` or `.fileNotWritten`.
    public func write(to url: URL) throws { try FigureFile.write(svg, to: url) }

    /// The heatmap as a standalone SVG document.
    public var svg: String {
        let layout = HeatmapLayout(self, cellSize: cellSize ?? HeatmapLayout.fittingCellSize(rows, columns, 480),
                                   showsColourBar: true)
        var svg = SVGWriter(width: layout.width + 16, height: layout.height + 16)
        svg.beginGroup(dx: 8, dy: 8)
        layout.draw(self, range: resolvedRange, into: &svg)
        svg.endGroup()
        return svg.document
    }

    /// The values at the ends of the colour bar: `valueRange`, else the data's finite
    /// extremes (symmetric about 0 for `.diverging`), widened when they coincide.
    public var resolvedRange: ClosedRange<Double> {
        if let valueRange, valueRange.lowerBound.isFinite, valueRange.upperBound.isFinite {
            return Heatmap.widened(valueRange.lowerBound, valueRange.upperBound, colourScale)
        }
        var low = Double.infinity, high = -Double.infinity
        for value in values where value.isFinite {
            low = min(low, Double(value)); high = max(high, Double(value))
        }
        if low > high { return colourScale == .diverging ? -1...1 : 0...1 }
        return Heatmap.widened(low, high, colourScale)
    }

    static func widened(_ low: Double, _ high: Double, _ scale: ColourScale) -> ClosedRange<Double> {
        if scale == .diverging {
            let magnitude = max(abs(low), abs(high))
            return magnitude > 0 ? -magnitude...magnitude : -1...1
        }
        if high > low { return low...high }
        let range = LineChart.range(of: [low], padding: 0)
        return range.lower...range.upper
    }

    /// The label of row `index` (its number when no labels are set).
    func rowLabel(_ index: Int) -> String {
        guard let rowLabels, rowLabels.indices.contains(index) else { return String(index) }
        return rowLabels[index]
    }

    func columnLabel(_ index: Int) -> String {
        guard let columnLabels, columnLabels.indices.contains(index) else { return String(index) }
        return columnLabels[index]
    }
}
