import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// Parses `svg` as XML, failing the test with the parser's message when it is not well-formed.
@discardableResult
func parseSVG(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> XMLDocument? {
    do {
        let document = try XMLDocument(data: Data(svg.utf8), options: [])
        XCTAssertEqual(document.rootElement()?.name, "svg", "the root element is not <svg>", file: file, line: line)
        return document
    } catch {
        XCTFail("not well-formed XML: \(error)\nfirst 400 characters:\n\(svg.prefix(400))", file: file, line: line)
        return nil
    }
}

/// The text of every `<text>` element, in document order.
func texts(in document: XMLDocument?) -> [String] {
    guard let nodes = try? document?.nodes(forXPath: "//*[local-name()='text']") else { return [] }
    return nodes.compactMap(\.stringValue)
}

/// The elements named `name`, anywhere.
func elements(_ name: String, in document: XMLDocument?) -> [XMLElement] {
    guard let nodes = try? document?.nodes(forXPath: "//*[local-name()='\(name)']") else { return [] }
    return nodes.compactMap { $0 as? XMLElement }
}

/// Fails when any attribute of a drawing element holds a non-finite number: SVG renderers
/// drop or misplace shapes with "nan" or "inf" coordinates.
func assertFiniteCoordinates(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
    for word in ["nan", "NaN", "inf", "Infinity"] {
        for attribute in ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "points", "transform"] {
            let pattern = " \(attribute)=\"[^\"]*\(word)"
            if svg.range(of: pattern, options: .regularExpression) != nil {
                XCTFail("attribute \(attribute) contains \(word)", file: file, line: line)
            }
        }
    }
}

/// A fresh empty folder for one test, removed afterwards by the caller.
func temporaryFolder(_ name: String = #function) -> URL {
    let cleaned = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("tenfold-diagrams-\(cleaned)-\(UUID().uuidString.prefix(8))")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The value of attribute `name` of `element` (looked up by scanning, which works the same
/// with every Foundation's XML parser).
func attribute(_ name: String, of element: XMLElement) -> String? {
    element.attributes?.first { $0.name == name }?.stringValue
}
