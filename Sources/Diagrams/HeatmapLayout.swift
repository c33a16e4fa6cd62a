import Foundation

/// Where the parts of one heatmap panel go (title, labels, cells, colour bar), relative to
/// the panel's top-left corner; shared by `Heatmap` and `HeatmapGrid`.
struct HeatmapLayout {
    static let labelSize = 10.0
    static let labelPitch = 12.0

    let cell: Double
    let matrixX: Double, matrixY: Double
    let matrixWidth: Double, matrixHeight: Double
    let rowStride: Int, columnStride: Int
    let rotatesColumnLabels: Bool
    let columnLabelHeight: Double
    let showsColourBar: Bool
    let width: Double, height: Double

    /// The cell side that fits the larger of rows and columns into `target` pixels: whole
    /// pixels (crisp edges), between 1 and 32.
    static func fittingCellSize(_ rows: Int, _ columns: Int, _ target: Double) -> Double {
        let largest = Double(max(1, rows, columns))
        return max(1, min(32, (target / largest).rounded(.down)))
    }

    init(_ map: Heatmap, cellSize: Double, showsColourBar: Bool) {
        let size = HeatmapLayout.labelSize
        cell = max(0.5, cellSize.isFinite ? cellSize : 1)
        self.showsColourBar = showsColourBar
        // Thin labels so neighbours never overlap: every k-th, k a 1-2-5 number for indices.
        rowStride = HeatmapLayout.stride(pitch: HeatmapLayout.labelPitch, cell: cell, numbered: map.rowLabels == nil)
        let columnTexts = Swift.stride(from: 0, to: map.columns, by: 1).map(map.columnLabel)
        let widestColumnLabel = columnTexts.map { LineChart.textWidth($0, size: size) }.max() ?? 0
        let horizontalStride = HeatmapLayout.stride(pitch: widestColumnLabel + 4, cell: cell,
                                                    numbered: map.columnLabels == nil)
        let verticalStride = HeatmapLayout.stride(pitch: HeatmapLayout.labelPitch, cell: cell,
                                                  numbered: map.columnLabels == nil)
        rotatesColumnLabels = horizontalStride > verticalStride && widestColumnLabel > 2 * size
        columnStride = rotatesColumnLabels ? verticalStride : horizontalStride
        columnLabelHeight = rotatesColumnLabels ? widestColumnLabel + 8 : size + 8

        let rowTexts = Swift.stride(from: 0, to: map.rows, by: 1).map(map.rowLabel)
        let rowLabelWidth = (rowTexts.map { LineChart.textWidth($0, size: size) }.max() ?? 0) + 6
        matrixX = (map.yLabel == nil ? 0 : 20) + rowLabelWidth
        matrixY = map.title == nil ? 2 : 26
        matrixWidth = Double(map.columns) * cell
        matrixHeight = Double(map.rows) * cell
        let barWidth = showsColourBar ? HeatmapLayout.colourBarWidth(label: map.colourBarLabel) : 0
        width = max(matrixX + matrixWidth + barWidth,
                    map.title.map { LineChart.textWidth($0, size: 13) + 4 } ?? 0)
        height = matrixY + max(matrixHeight, showsColourBar ? 80 : 0) + columnLabelHeight + (map.xLabel == nil ? 0 : 20)
    }

    /// Room taken right of the matrix by a colour bar with its tick labels.
    static func colourBarWidth(label: String?) -> Double {
        16 + 14 + 6 + 52 + (label == nil ? 0 : 18)
    }

    static func stride(pitch: Double, cell: Double, numbered: Bool) -> Int {
        let needed = max(1, Int((pitch / cell).rounded(.up)))
        guard numbered, needed > 1 else { return needed }
        return Int(AxisTicks.niceStep(Double(needed)))
    }

    /// Draws the panel with its top-left corner at the writer's current origin.
    func draw(_ map: Heatmap, range: ClosedRange<Double>, into svg: inout SVGWriter) {
        let size = HeatmapLayout.labelSize
        if let title = map.title {
            svg.text(title, x: matrixX + matrixWidth / 2, y: 16, size: 13, anchor: .middle, bold: true)
        }
        if map.rows == 0 || map.columns == 0 {
            svg.text("empty matrix", x: matrixX, y: matrixY + 12, size: size, colour: .grey)
        }

        // Cells, one rectangle per run of equal colour along a row (the colour is quantised
        // to 256 steps, finer than the eye tells apart).
        let table = (0..<256).map { map.colourScale.colour(at: Double($0) / 255) }
        let span = range.upperBound - range.lowerBound
        func colourIndex(_ value: Float) -> Int {
            guard !value.isNaN else { return -1 }
            let t = (Double(value) - range.lowerBound) / span
            return Int((min(max(t, 0), 1) * 255).rounded())
        }
        let annotates = map.showsValues && cell >= 24
        let tooltips = map.rows * map.columns <= 1024
        svg.beginGroup(crispEdges: true)
        for row in 0..<map.rows {
            var column = 0
            while column < map.columns {
                let index = colourIndex(map.values[row * map.columns + column])
                var end = column + 1
                while !tooltips, end < map.columns, colourIndex(map.values[row * map.columns + end]) == index { end += 1 }
                svg.rect(x: matrixX + Double(column) * cell, y: matrixY + Double(row) * cell,
                         width: Double(end - column) * cell, height: cell,
                         fill: index < 0 ? ColourScale.missing : table[index])
                if tooltips {
                    svg.title("\(map.rowLabel(row)) → \(map.columnLabel(column)): \(map.values[row * map.columns + column])")
                }
                column = end
            }
        }
        svg.endGroup()
        if annotates {
            for row in 0..<map.rows {
                for column in 0..<map.columns {
                    let value = map.values[row * map.columns + column]
                    let index = colourIndex(value)
                    let dark = index < 0 ? false : HeatmapLayout.isDark(table[index])
                    svg.text(value.isNaN ? "NaN" : String(format: "%.2f", Double(value)),
                             x: matrixX + (Double(column) + 0.5) * cell, y: matrixY + (Double(row) + 0.5) * cell,
                             size: min(10, cell / 3), anchor: .middle, alignment: .middle,
                             colour: dark ? .white : .black)
                }
            }
        }
        svg.rect(x: matrixX, y: matrixY, width: matrixWidth, height: matrixHeight, fill: nil, stroke: .grey, strokeWidth: 0.5)

        // Row labels on the left, column labels below, then the axis titles.
        for row in Swift.stride(from: 0, to: map.rows, by: rowStride) {
            svg.text(map.rowLabel(row), x: matrixX - 4, y: matrixY + (Double(row) + 0.5) * cell,
                     size: size, anchor: .end, alignment: .middle, colour: .grey)
        }
        let labelTop = matrixY + matrixHeight + 4
        for column in Swift.stride(from: 0, to: map.columns, by: columnStride) {
            let x = matrixX + (Double(column) + 0.5) * cell
            if rotatesColumnLabels {
                svg.text(map.columnLabel(column), x: x, y: labelTop, size: size, anchor: .end,
                         alignment: .middle, colour: .grey, rotation: -90)
            } else {
                svg.text(map.columnLabel(column), x: x, y: labelTop, size: size, anchor: .middle,
                         alignment: .top, colour: .grey)
            }
        }
        if let xLabel = map.xLabel {
            svg.text(xLabel, x: matrixX + matrixWidth / 2, y: labelTop + columnLabelHeight + 10, size: 12, anchor: .middle)
        }
        if let yLabel = map.yLabel {
            svg.text(yLabel, x: 12, y: matrixY + matrixHeight / 2, size: 12, anchor: .middle, rotation: -90)
        }
        if showsColourBar {
            let hasMissing = map.values.contains { $0.isNaN }
            HeatmapLayout.drawColourBar(scale: map.colourScale, range: range, label: map.colourBarLabel,
                                        x: matrixX + matrixWidth + 16, y: matrixY,
                                        height: max(80, matrixHeight), showsMissing: hasMissing, into: &svg)
        }
    }

    /// A vertical colour bar with ticks at the ends, and at 0 when 0 lies inside.
    static func drawColourBar(scale: ColourScale, range: ClosedRange<Double>, label: String?, x: Double,
                              y: Double, height: Double, showsMissing: Bool, into svg: inout SVGWriter) {
        let barWidth = 14.0
        let barHeight = showsMissing ? height - 22 : height
        let gradient = "tenfold-colour-scale-\(scale.rawValue)"
        svg.defineVerticalGradient(id: gradient, colours: scale.anchors)
        svg.rect(x: x, y: y, width: barWidth, height: barHeight, fill: nil, stroke: .grey, strokeWidth: 0.5,
                 fillReference: gradient)
        var ticks = [range.lowerBound, range.upperBound]
        if range.lowerBound < 0 && range.upperBound > 0 { ticks.insert(0, at: 1) }
        for value in ticks {
            let tickY = y + barHeight * (1 - (value - range.lowerBound) / (range.upperBound - range.lowerBound))
            svg.line(x1: x + barWidth, y1: tickY, x2: x + barWidth + 4, y2: tickY, stroke: .grey)
            svg.text(formatTick(value), x: x + barWidth + 6, y: tickY, size: 10, alignment: .middle, colour: .grey)
        }
        if showsMissing {
            svg.rect(x: x, y: y + height - 14, width: barWidth, height: 14, fill: ColourScale.missing)
            svg.text("NaN", x: x + barWidth + 6, y: y + height - 7, size: 10, alignment: .middle, colour: .grey)
        }
        if let label {
            svg.text(label, x: x + barWidth + 64, y: y + barHeight / 2, size: 12, anchor: .middle, rotation: -90)
        }
    }

    /// A colour-bar tick: three significant digits, no trailing zeros.
    static func formatTick(_ value: Double) -> String {
        value == 0 ? "0" : String(format: "%.3g", value)
    }

    static func isDark(_ colour: Colour) -> Bool {
        0.299 * Double(colour.red) + 0.587 * Double(colour.green) + 0.114 * Double(colour.blue) < 128
    }
}
