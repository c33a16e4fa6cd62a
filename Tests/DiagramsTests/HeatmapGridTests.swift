import Diagrams
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

final class HeatmapGridTests: XCTestCase {
    func terms(scales: [Float]) throws -> [Heatmap] {
        let names = ["word → word", "word → position", "position → word", "position → position"]
        return try zip(names, scales).map { name, scale in
            try Heatmap(values: (0..<64).map { Float(($0 * 37) % 17 - 8) * scale }, rows: 8, columns: 8,
                        title: name, colourScale: .diverging)
        }
    }

    func testFourTermsShareOneScaleAndOneBar() throws {
        let grid = HeatmapGrid(try terms(scales: [1, 0.5, 0.25, 2]), columns: 2, title: "The four terms", colourBarLabel: "logit")
        XCTAssertEqual(grid.sharedRange, -16...16)
        let svg = grid.svg
        let document = parseSVG(svg)
        let drawn = texts(in: document)
        for name in ["word → word", "word → position", "position → word", "position → position", "The four terms", "logit"] {
            XCTAssertTrue(drawn.contains(name), "\(name) missing from \(drawn)")
        }
        let bars = elements("rect", in: document).filter { attribute("fill", of: $0)?.hasPrefix("url(") == true }
        XCTAssertEqual(bars.count, 1, "one shared colour bar")
        XCTAssertEqual(elements("linearGradient", in: document).count, 1)
        assertFiniteCoordinates(svg)
    }

    func testPanelsMayKeepTheirOwnScales() throws {
        let grid = HeatmapGrid(try terms(scales: [1, 2]), sharesColourScale: false)
        let document = parseSVG(grid.svg)
        let bars = elements("rect", in: document).filter { attribute("fill", of: $0)?.hasPrefix("url(") == true }
        XCTAssertEqual(bars.count, 2)
        XCTAssertEqual(elements("linearGradient", in: document).count, 1, "one gradient definition serves every bar")
        XCTAssertTrue(texts(in: document).contains("16") && texts(in: document).contains("8"))
    }

    func testAnEmptyGridIsStillAPicture() {
        let svg = HeatmapGrid([]).svg
        XCTAssertTrue(texts(in: parseSVG(svg)).contains("no panels"))
        assertFiniteCoordinates(svg)
    }
}
