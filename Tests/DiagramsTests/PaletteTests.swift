import Diagrams
import XCTest

final class PaletteTests: XCTestCase {
    func testHexAndMixing() {
        XCTAssertEqual(Colour(hex: 0x0072B2).hex, "#0072b2")
        XCTAssertEqual(Colour.black.mixed(with: .white, 0.5).hex, "#808080")
        XCTAssertEqual(Colour.black.mixed(with: .white, 7), .white, "fractions are clamped")
        XCTAssertEqual(Colour.black.mixed(with: .white, .nan), .black)
    }

    func testCategoricalColoursAreDistinctAndCycle() {
        let first = (0..<8).map(Palette.categorical)
        XCTAssertEqual(Set(first).count, 8)
        XCTAssertEqual(Palette.categorical(8), Palette.categorical(0))
        XCTAssertEqual(Palette.categorical(-1), Palette.categorical(7))
    }

    func testScalesRunFromEndToEnd() {
        XCTAssertEqual(ColourScale.sequential.colour(at: 0).hex, "#440154")
        XCTAssertEqual(ColourScale.sequential.colour(at: 1).hex, "#fde725")
        XCTAssertEqual(ColourScale.diverging.colour(at: 0.5).hex, "#f7f7f7", "white in the middle")
        XCTAssertEqual(ColourScale.diverging.colour(at: -3), ColourScale.diverging.colour(at: 0))
        XCTAssertEqual(ColourScale.diverging.colour(at: .nan), ColourScale.missing)
        let blue = ColourScale.diverging.colour(at: 0.1), red = ColourScale.diverging.colour(at: 0.9)
        XCTAssertGreaterThan(blue.blue, blue.red)
        XCTAssertGreaterThan(red.red, red.blue)
    }
}
