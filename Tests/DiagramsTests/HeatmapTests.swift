import Diagrams
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Tensors
import XCTest

final class HeatmapTests: XCTestCase {
    /// Causal-looking attention probabilities, rows summing to 1.
    func probabilities(_ T: Int) -> [Float] {
        (0..<T).flatMap { i in (0..<T).map { j in j <= i ? 1 / Float(i + 1) : 0 } }
    }

    func testASmallLabelledHeatmapIsWellFormedAndShowsEveryLabel() throws {
        let tokens = ["[CLS]", "the", "cat", "sat", "##s", "[SEP]"]
        let map = try Heatmap(values: probabilities(6), rows: 6, columns: 6, rowLabels: tokens, columnLabels: tokens,
                              title: "α, head 0", xLabel: "key j", yLabel: "query i", valueRange: 0...1)
        let svg = map.svg
        let document = parseSVG(svg)
        let drawn = texts(in: document)
        for text in tokens + ["α, head 0", "key j", "query i", "0", "1"] {
            XCTAssertTrue(drawn.contains(text), "\(text) missing from \(drawn)")
        }
        XCTAssertEqual(drawn.filter { $0 == "##s" }.count, 2, "once per axis")
        XCTAssertEqual(elements("title", in: document).count, 36, "a tooltip per cell in a small matrix")
        assertFiniteCoordinates(svg)
    }

    func testLabelsAreThinnedWhenThereAreTooMany() throws {
        let T = 128
        let map = try Heatmap(values: probabilities(T), rows: T, columns: T,
                              rowLabels: (0..<T).map { "tok\($0)" }, columnLabels: (0..<T).map { "tok\($0)" })
        let svg = map.svg
        let drawn = texts(in: parseSVG(svg))
        let rowLabels = drawn.filter { $0.hasPrefix("tok") }
        XCTAssertGreaterThan(rowLabels.count, 8)
        XCTAssertLessThan(rowLabels.count, 2 * T / 2, "labels must be thinned: \(rowLabels.count)")
        XCTAssertTrue(drawn.contains("tok0"))
        assertFiniteCoordinates(svg)
        XCTAssertLessThan(svg.utf8.count, 2_000_000, "a 128 × 128 heatmap stays a reasonable size")
    }

    func testIndexLabelsUseRoundSteps() throws {
        let map = try Heatmap(values: probabilities(128), rows: 128, columns: 128)
        let numbers = texts(in: parseSVG(map.svg)).compactMap(Int.init)
        XCTAssertTrue(numbers.contains(0) && numbers.contains(10) || numbers.contains(20), "\(numbers)")
        XCTAssertTrue(numbers.filter { $0 > 1 }.allSatisfy { $0 % 5 == 0 }, "\(numbers)")
    }

    func testDivergingRangeIsCentredOnZero() throws {
        let map = try Heatmap(values: [-0.5, 2, 1, 0], rows: 2, columns: 2, colourScale: .diverging)
        XCTAssertEqual(map.resolvedRange, -2...2)
        let drawn = texts(in: parseSVG(map.svg))
        XCTAssertTrue(drawn.contains("-2") && drawn.contains("0") && drawn.contains("2"), "\(drawn)")
        let document = parseSVG(map.svg)
        let cells = elements("rect", in: document).filter { ($0.children ?? []).contains { $0.name == "title" } }
        XCTAssertEqual(cells.count, 4)
        guard cells.count == 4, let zero = attribute("fill", of: cells[3]) else { return }
        let whiteness = zero.dropFirst().chunked2().compactMap { UInt8($0, radix: 16) }
        XCTAssertTrue(whiteness.count == 3 && whiteness.allSatisfy { $0 > 230 }, "zero is drawn near white, not \(zero)")
        XCTAssertEqual(attribute("fill", of: cells[1]), ColourScale.diverging.colour(at: 1).hex,
                       "the maximum is drawn in the end colour")
    }

    func testNaNCellsAreGreyAndTheBarExplainsThem() throws {
        let map = try Heatmap(values: [1, .nan, 3, .infinity], rows: 2, columns: 2)
        let svg = map.svg
        let document = parseSVG(svg)
        let fills = elements("rect", in: document).compactMap { attribute("fill", of: $0) }
        XCTAssertTrue(fills.contains(ColourScale.missing.hex))
        XCTAssertTrue(texts(in: document).contains("NaN"))
        XCTAssertEqual(map.resolvedRange, 1...3, "infinite values do not stretch the range")
        assertFiniteCoordinates(svg)
    }

    func testConstantAllNaNAndEmptyMatricesDrawWithoutDividingByZero() throws {
        for map in [try Heatmap(values: [0.25, 0.25, 0.25, 0.25], rows: 2, columns: 2),
                    try Heatmap(values: [0, 0], rows: 1, columns: 2, colourScale: .diverging),
                    try Heatmap(values: [.nan, .nan], rows: 2, columns: 1),
                    try Heatmap(values: [], rows: 0, columns: 0)] {
            let svg = map.svg
            parseSVG(svg)
            assertFiniteCoordinates(svg)
            XCTAssertLessThan(map.resolvedRange.lowerBound, map.resolvedRange.upperBound)
        }
    }

    func testShapeAndLabelMistakesAreTypedErrors() {
        XCTAssertThrowsError(try Heatmap(values: [1, 2, 3], rows: 2, columns: 2)) { error in
            XCTAssertEqual(error as? DiagramError, .matrixSizeMismatch(rows: 2, columns: 2, valueCount: 3))
            XCTAssertTrue(String(describing: error).contains("needs 4 values"))
        }
        XCTAssertThrowsError(try Heatmap(values: [], rows: -1, columns: 0))
        XCTAssertThrowsError(try Heatmap(values: [1, 2], rows: 1, columns: 2, columnLabels: ["a"])) { error in
            XCTAssertEqual(error as? DiagramError, .labelCountMismatch(axis: "columns", expected: 2, got: 1))
        }
        XCTAssertThrowsError(try Heatmap(matrix: [[1, 2], [3]]))
        XCTAssertThrowsError(try Heatmap(tensor: Tensor(shape: [2, 2, 2], repeating: 0))) { error in
            XCTAssertEqual(error as? DiagramError, .notAMatrix(shape: [2, 2, 2]))
        }
    }

    func testATensorDrawsAsItsMatrix() throws {
        let map = try Heatmap(tensor: Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(map.rows, 2)
        XCTAssertEqual(map.columns, 3)
        XCTAssertEqual(map.resolvedRange, 1...6)
    }

    func testValuesCanBeWrittenInTheCells() throws {
        var map = try Heatmap(matrix: [[0.1, 0.9], [0.5, 0.5]], valueRange: 0...1)
        map.showsValues = true
        let drawn = texts(in: parseSVG(map.svg))
        XCTAssertTrue(drawn.contains("0.10") && drawn.contains("0.90"), "\(drawn)")
    }
}

private extension Substring {
    /// The text in pieces of two characters ("ffe0c1" → ["ff", "e0", "c1"]).
    func chunked2() -> [String] {
        var pieces: [String] = [], rest = self
        while !rest.isEmpty { pieces.append(String(rest.prefix(2))); rest = rest.dropFirst(2) }
        return pieces
    }
}
