import Diagrams
import XCTest

final class SVGWriterTests: XCTestCase {
    func testNumbersAreAlwaysFiniteAndShort() {
        XCTAssertEqual(SVGWriter.number(3), "3")
        XCTAssertEqual(SVGWriter.number(2.456), "2.46")
        XCTAssertEqual(SVGWriter.number(-0.001), "0")
        XCTAssertEqual(SVGWriter.number(.nan), "0")
        XCTAssertEqual(SVGWriter.number(.infinity), "0")
        XCTAssertEqual(SVGWriter.number(-1e12), "-10000000")
        XCTAssertEqual(SVGWriter.number(1e-9), "0")
    }

    func testTextIsEscapedAndControlCharactersReplaced() {
        var svg = SVGWriter(width: 10, height: 10)
        svg.text("<&>\"'\u{01}", x: 1, y: 1)
        let document = parseSVG(svg.document)
        XCTAssertEqual(texts(in: document), ["<&>\"'\u{FFFD}"])
    }

    func testTooltipsAttachToTheShapeBefore() {
        var svg = SVGWriter(width: 10, height: 10, background: nil)
        svg.rect(x: 0, y: 0, width: 5, height: 5, fill: .black)
        svg.title("value: 0.5")
        let rects = elements("rect", in: parseSVG(svg.document))
        XCTAssertEqual(rects.count, 1)
        XCTAssertEqual(rects.first?.stringValue, "value: 0.5")
    }
}
