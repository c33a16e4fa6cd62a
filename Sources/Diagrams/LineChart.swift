import Foundation

/// A line chart as an SVG document: several named series, axes with nice ticks, a legend,
/// and optional horizontal reference lines — the loss curves of every chapter.
///
///     var chart = LineChart(title: "Masked-LM loss", xLabel: "step", yLabel: "loss")
///     chart.add(LineChart.Series("BERT-A train", values: trainLosses))           // x = 0, 1, 2, …
///     chart.add(LineChart.Series("BERT-A validation", points: validation,
///                                colour: Palette.categorical(0), dashed: true))
///     chart.addReferenceLine("unigram baseline", y: 7.1)
///     try chart.write(to: URL(fileURLWithPath: "out/chapter1/loss.svg"))
///
/// Points whose x or y is NaN or infinite (or, on a logarithmic axis, y ≤ 0) are skipped and
/// break the line there; a point with no neighbour is drawn as a dot. Empty series still
/// appear in the legend, marked "(no points)". A constant series or a single point gets a
/// small range around its value, so nothing divides by zero.
/// Introduced in Chapter 1 (Foundation).
public struct LineChart: Sendable {
    /// One (x, y) sample.
    public struct Point: Equatable, Sendable {
        public var x: Double
        public var y: Double
        public init(x: Double, y: Double) { self.x = x; self.y = y }
    }

    /// A named line.
    public struct Series: Sendable {
        public var name: String
        public var points: [Point]
        /// The line's colour; nil takes the next colour of `Palette.categorical`.
        public var colour: Colour?
        /// Dashed lines tell, say, validation from training curves of the same colour.
        public var dashed: Bool

        /// A series of (x, y) points, in the order they are joined.
        public init(_ name: String, points: [(x: Double, y: Double)], colour: Colour? = nil, dashed: Bool = false) {
            self.name = name
            self.points = points.map { Point(x: $0.x, y: $0.y) }
            self.colour = colour
            self.dashed = dashed
        }

        /// A series of y-values at x = `firstX`, `firstX + xStep`, … (steps of a training run).
        public init<Value: BinaryFloatingPoint>(_ name: String, values: [Value], firstX: Double = 0,
                                                xStep: Double = 1, colour: Colour? = nil, dashed: Bool = false) {
            self.init(name, points: values.enumerated().map { (firstX + Double($0.offset) * xStep, Double($0.element)) },
                      colour: colour, dashed: dashed)
        }

        /// A series of y-values at the given x-values (extra entries of the longer array are ignored).
        public init<Value: BinaryFloatingPoint>(_ name: String, x: [Double], y: [Value],
                                                colour: Colour? = nil, dashed: Bool = false) {
            self.init(name, points: zip(x, y).map { ($0, Double($1)) }, colour: colour, dashed: dashed)
        }
    }

    /// A horizontal line across the plot at `y`, labelled in the legend (a baseline to beat).
    public struct ReferenceLine: Sendable {
        public var name: String
        public var y: Double
        public var colour: Colour
        public var dashed: Bool
        public init(_ name: String, y: Double, colour: Colour = .grey, dashed: Bool = true) {
            self.name = name; self.y = y; self.colour = colour; self.dashed = dashed
        }
    }

    /// How y-values map to height.
    public enum Scale: Sendable {
        case linear
        /// Equal ratios take equal heights (losses spanning decades); y ≤ 0 cannot be drawn.
        case logarithmic
    }

    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var series: [Series]
    public var referenceLines: [ReferenceLine]
    public var yScale: Scale
    /// The picture's size in pixels (it grows taller if the legend needs it).
    public var width: Double
    public var height: Double

    /// An empty chart.
    ///
    /// - Parameters:
    ///   - title: drawn above the plot.
    ///   - xLabel, yLabel: the axis titles (e.g. "step", "loss").
    ///   - series: the lines; more can be added with `add(_:)`.
    ///   - yScale: linear (the default) or logarithmic.
    ///   - width, height: the picture's size in pixels.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, series: [Series] = [],
                referenceLines: [ReferenceLine] = [], yScale: Scale = .linear,
                width: Double = 720, height: Double = 420) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
        self.series = series; self.referenceLines = referenceLines; self.yScale = yScale
        self.width = width; self.height = height
    }

    public mutating func add(_ series: Series) { self.series.append(series) }

    public mutating func addReferenceLine(_ name: String, y: Double, colour: Colour = .grey) {
        referenceLines.append(ReferenceLine(name, y: y, colour: colour))
    }

    /// Writes `svg` to `url` atomically, creating the folder if needed.
    ///
    /// - Throws: `DiagramError.folderNotCreatable` or `.fileNotWritten`.
    public func write(to url: URL) throws { try FigureFile.write(svg, to: url) }

    /// The chart as a standalone SVG document.
    public var svg: String {
        // 1. Which points can be drawn, and the ranges they span.
        let drawable = series.map { $0.points.filter(isDrawable) }
        let references = referenceLines.filter { $0.y.isFinite && (yScale == .linear || $0.y > 0) }
        let xs = drawable.joined().map(\.x)
        let ys = drawable.joined().map { transformedY($0.y) } + references.map { transformedY($0.y) }
        let xRange = LineChart.range(of: xs, padding: 0)
        let yRange = LineChart.range(of: ys, padding: 0.05)
        let xTicks = AxisTicks(from: xRange.lower, to: xRange.upper, approximateCount: 8)
        let yTicks = yScale == .linear
            ? AxisTicks(from: yRange.lower, to: yRange.upper)
            : AxisTicks.logarithmic(from: pow(10, yRange.lower), to: pow(10, yRange.upper))

        // 2. Layout: title on top, y ticks on the left, legend on the right.
        let fontSize = 12.0
        let legend = legendEntries(drawable: drawable, references: references)
        let legendTextWidth = legend.map { LineChart.textWidth($0.name, size: fontSize) }.max() ?? 0
        let legendWidth = legend.isEmpty ? 0 : 24 + 8 + legendTextWidth + 20
        let yTickWidth = yTicks.labels.map { LineChart.textWidth($0, size: 11) }.max() ?? 0
        let left = 16 + (yLabel == nil ? 0 : 22) + yTickWidth + 8
        let top = title == nil ? 16.0 : 44.0
        let bottom = 34.0 + (xLabel == nil ? 0 : 22)
        let right = 16 + legendWidth
        let legendHeight = Double(legend.count) * 20 + 12
        let totalHeight = max(height, top + bottom + legendHeight)
        let plotWidth = max(40, width - left - right), plotHeight = max(40, totalHeight - top - bottom)
        let totalWidth = left + plotWidth + right

        func px(_ x: Double) -> Double { left + (x - xRange.lower) / (xRange.upper - xRange.lower) * plotWidth }
        func py(_ y: Double) -> Double {
            top + plotHeight - (transformedY(y) - yRange.lower) / (yRange.upper - yRange.lower) * plotHeight
        }

        var svg = SVGWriter(width: totalWidth, height: totalHeight)
        if let title {
            svg.text(title, x: left + plotWidth / 2, y: 26, size: 15, anchor: .middle, bold: true)
        }

        // 3. Grid, axes and ticks.
        for (value, label) in zip(yTicks.values, yTicks.labels) {
            let y = py(value)
            svg.line(x1: left, y1: y, x2: left + plotWidth, y2: y, stroke: .lightGrey)
            svg.line(x1: left - 4, y1: y, x2: left, y2: y, stroke: .grey)
            svg.text(label, x: left - 7, y: y, size: 11, anchor: .end, alignment: .middle, colour: .grey)
        }
        for (value, label) in zip(xTicks.values, xTicks.labels) {
            let x = px(value)
            svg.line(x1: x, y1: top, x2: x, y2: top + plotHeight, stroke: .lightGrey)
            svg.line(x1: x, y1: top + plotHeight, x2: x, y2: top + plotHeight + 4, stroke: .grey)
            svg.text(label, x: x, y: top + plotHeight + 8, size: 11, anchor: .middle, alignment: .top, colour: .grey)
        }
        svg.rect(x: left, y: top, width: plotWidth, height: plotHeight, fill: nil, stroke: .grey)
        if let xLabel {
            svg.text(xLabel, x: left + plotWidth / 2, y: totalHeight - 12, size: fontSize, anchor: .middle)
        }
        if let yLabel {
            svg.text(yLabel, x: 20, y: top + plotHeight / 2, size: fontSize, anchor: .middle, rotation: -90)
        }
        if xs.isEmpty {
            svg.text("no data", x: left + plotWidth / 2, y: top + plotHeight / 2, size: fontSize,
                     anchor: .middle, alignment: .middle, colour: .grey)
        }

        // 4. Reference lines under the data, then each series as its unbroken runs.
        for reference in references {
            svg.line(x1: left, y1: py(reference.y), x2: left + plotWidth, y2: py(reference.y),
                     stroke: reference.colour, strokeWidth: 1.25, dash: reference.dashed ? [6, 4] : [])
        }
        for (index, line) in series.enumerated() {
            let colour = line.colour ?? Palette.categorical(index)
            for run in runs(of: line.points) {
                if run.count == 1 {
                    svg.circle(cx: px(run[0].x), cy: py(run[0].y), radius: 3, fill: colour)
                } else {
                    svg.polyline(run.map { (px($0.x), py($0.y)) }, stroke: colour, strokeWidth: 1.75,
                                 dash: line.dashed ? [6, 4] : [])
                }
            }
        }

        // 5. The legend, one row per series and reference line.
        if !legend.isEmpty {
            let x = left + plotWidth + 16, y = top
            svg.rect(x: x, y: y, width: legendWidth - 16, height: legendHeight, fill: .white, stroke: .lightGrey)
            for (row, entry) in legend.enumerated() {
                let rowY = y + 16 + Double(row) * 20
                svg.line(x1: x + 8, y1: rowY, x2: x + 32, y2: rowY, stroke: entry.colour, strokeWidth: 2,
                         dash: entry.dashed ? [6, 4] : [])
                svg.text(entry.name, x: x + 40, y: rowY, size: fontSize, alignment: .middle)
            }
        }
        return svg.document
    }

    // MARK: Helpers

    private struct LegendEntry { var name: String; var colour: Colour; var dashed: Bool }

    private func legendEntries(drawable: [[Point]], references: [ReferenceLine]) -> [LegendEntry] {
        var entries = series.enumerated().map { index, line in
            LegendEntry(name: line.name + (drawable[index].isEmpty ? " (no points)" : ""),
                        colour: line.colour ?? Palette.categorical(index), dashed: line.dashed)
        }
        entries += references.map { LegendEntry(name: $0.name, colour: $0.colour, dashed: $0.dashed) }
        return entries
    }

    private func isDrawable(_ point: Point) -> Bool {
        point.x.isFinite && point.y.isFinite && (yScale == .linear || point.y > 0)
    }

    private func transformedY(_ y: Double) -> Double { yScale == .linear ? y : log10(y) }

    /// The maximal runs of consecutive drawable points.
    private func runs(of points: [Point]) -> [[Point]] {
        var result: [[Point]] = [], current: [Point] = []
        for point in points {
            if isDrawable(point) { current.append(point) } else if !current.isEmpty {
                result.append(current); current = []
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// The span of `values` widened by `padding` of itself on each side; an empty list gives
    /// 0…1 and a single value a span of about 10 % of its magnitude, so scales never divide by 0.
    static func range(of values: [Double], padding: Double) -> (lower: Double, upper: Double) {
        guard let low = values.min(), let high = values.max() else { return (0, 1) }
        if high - low <= max(abs(high), abs(low)) * 1e-12 {
            let half = low == 0 ? 1 : abs(low) * 0.1
            return (low - half, high + half)
        }
        let margin = (high - low) * padding
        return (low - margin, high + margin)
    }

    /// An estimate of a text's width in pixels (no font metrics are at hand when writing SVG).
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * 0.6
    }
}
