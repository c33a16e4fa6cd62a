import Diagrams
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

final class LineChartTests: XCTestCase {
    func lossCurves() -> LineChart {
        var chart = LineChart(title: "Masked-LM loss", xLabel: "step", yLabel: "loss")
        let models = ["BERT-A", "BERT-R", "TUPE-A", "TUPE-R"]
        for (index, model) in models.enumerated() {
            let start = 9 - 0.2 * Double(index)
            let train: [Float] = (0..<200).map { (step: Int) -> Float in
                let decay: Double = exp(-Double(step) / 80)
                return Float(start * decay + 2)
            }
            chart.add(LineChart.Series("\(model) train", values: train, colour: Palette.categorical(index)))
            let validation: [(x: Double, y: Double)] = (0...4).map { (k: Int) -> (x: Double, y: Double) in
                (x: Double(k * 50), y: 2.5 + Double(4 - k) * 0.8)
            }
            chart.add(LineChart.Series("\(model) validation", points: validation,
                                       colour: Palette.categorical(index), dashed: true))
        }
        chart.addReferenceLine("unigram baseline", y: 7.1)
        return chart
    }

    func testALossChartIsWellFormedWithLegendTicksAndTitles() {
        let svg = lossCurves().svg
        let document = parseSVG(svg)
        let drawn = texts(in: document)
        for name in ["BERT-A train", "TUPE-R validation", "unigram baseline", "Masked-LM loss", "step", "loss"] {
            XCTAssertTrue(drawn.contains(name), "\(name) missing from \(drawn)")
        }
        XCTAssertTrue(drawn.contains("0") && drawn.contains("100"), "x tick labels: \(drawn)")
        XCTAssertTrue(drawn.contains("4") && drawn.contains("8"), "y tick labels: \(drawn)")
        XCTAssertEqual(elements("polyline", in: document).count, 8, "one line per series")
        let dashed = elements("polyline", in: document).filter { attribute("stroke-dasharray", of: $0) != nil }
        XCTAssertEqual(dashed.count, 4, "validation curves are dashed")
        assertFiniteCoordinates(svg)
    }

    func testSeriesWithoutAColourGetDistinctPaletteColours() {
        let chart = LineChart(series: (0..<3).map { LineChart.Series("s\($0)", values: [Double($0), 1, 2]) })
        let strokes = elements("polyline", in: parseSVG(chart.svg)).compactMap { attribute("stroke", of: $0) }
        XCTAssertEqual(strokes, (0..<3).map { Palette.categorical($0).hex })
    }

    func testNonFinitePointsAreSkippedAndBreakTheLine() {
        let chart = LineChart(series: [LineChart.Series("loss", values: [3, 2, .nan, 1.5, 1.2, .infinity, 1.0, -.infinity])])
        let svg = chart.svg
        let document = parseSVG(svg)
        XCTAssertEqual(elements("polyline", in: document).count, 2, "two runs of two or more points")
        XCTAssertEqual(elements("circle", in: document).count, 1, "the lone point between inf and -inf")
        assertFiniteCoordinates(svg)
    }

    func testASinglePointIsADot() {
        let svg = LineChart(series: [LineChart.Series("only", points: [(x: 10, y: 0.5)])]).svg
        let document = parseSVG(svg)
        XCTAssertEqual(elements("circle", in: document).count, 1)
        XCTAssertTrue(texts(in: document).contains("only"))
        assertFiniteCoordinates(svg)
    }

    func testEmptyAndConstantSeriesDoNotDivideByZero() {
        let constant = LineChart(series: [LineChart.Series("flat", values: [2, 2, 2, 2]),
                                          LineChart.Series("nothing", values: [Float]())])
        let svg = constant.svg
        let document = parseSVG(svg)
        XCTAssertTrue(texts(in: document).contains("nothing (no points)"))
        XCTAssertEqual(elements("polyline", in: document).count, 1)
        assertFiniteCoordinates(svg)

        let empty = LineChart(title: "nothing yet").svg
        XCTAssertTrue(texts(in: parseSVG(empty)).contains("no data"))
        assertFiniteCoordinates(empty)

        let allNaN = LineChart(series: [LineChart.Series("diverged", values: [Float.nan, .nan])]).svg
        XCTAssertTrue(texts(in: parseSVG(allNaN)).contains("diverged (no points)"))
        assertFiniteCoordinates(allNaN)
    }

    func testLogarithmicScaleSkipsNonPositiveValues() {
        var chart = LineChart(yScale: .logarithmic)
        chart.add(LineChart.Series("loss", values: [10, 1, 0, 0.1, 0.01]))
        chart.addReferenceLine("zero", y: 0)
        let svg = chart.svg
        let document = parseSVG(svg)
        XCTAssertEqual(elements("polyline", in: document).count, 2)
        XCTAssertFalse(texts(in: document).contains("zero"), "a reference line at 0 cannot be drawn on a log axis")
        XCTAssertTrue(texts(in: document).contains("0.01"), "\(texts(in: document))")
        assertFiniteCoordinates(svg)
    }

    func testTextIsEscaped() {
        let chart = LineChart(title: "loss < 3 & \"falling\"", series: [LineChart.Series("a<b>", values: [1, 2])])
        let drawn = texts(in: parseSVG(chart.svg))
        XCTAssertTrue(drawn.contains("loss < 3 & \"falling\""))
        XCTAssertTrue(drawn.contains("a<b>"))
    }

    func testWritesTheFile() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("chapter1/loss.svg")
        try lossCurves().write(to: file)
        parseSVG(try String(contentsOf: file, encoding: .utf8))
    }
}
