import XCTest
@testable import Notebook

/// Source extraction on code that fools a naive brace counter.
final class SourceExtractorTests: XCTestCase {
    /// Extracts from `text` (the call on line `line`) and fails with the text when nothing was found.
    func extract(_ text: String, line: Int = 1, file: StaticString = #filePath, at testLine: UInt = #line)
        -> SourceExtractor.Extracted? {
        let result = SourceExtractor.extract(from: text, callLine: line)
        if result == nil { XCTFail("nothing extracted from:\n\(text)", file: file, line: testLine) }
        return result
    }

    func testSimpleCellKeepsRelativeIndentationAndDropsSignature() {
        let text = """
            import Notebook
                try book.cell("three tokens") { cell in
                    let x = 1
                    if x > 0 {
                        cell.print(x)
                    }
                }
            book.prose("after")
            """
        let cell = extract(text, line: 2)
        XCTAssertEqual(cell?.startLine, 2)
        XCTAssertEqual(cell?.endLine, 7)
        XCTAssertEqual(cell?.body, "let x = 1\nif x > 0 {\n    cell.print(x)\n}")
        XCTAssertEqual(cell?.source, """
            try book.cell("three tokens") { cell in
                let x = 1
                if x > 0 {
                    cell.print(x)
                }
            }
            """)
    }

    func testBracesInsideStringsAndInterpolations() {
        let text = #"""
            book.cell("a {name}") { cell in
                cell.print("}}} not code {")
                cell.print("escaped \" } quote")
                cell.print("interpolated \(["}": 1]["}"]!) and \(f("{")) }")
            }
            after { }
            """#
        let cell = extract(text)
        XCTAssertEqual(cell?.endLine, 5)
        XCTAssertEqual(cell?.body.split(separator: "\n").count, 3)
        XCTAssertTrue(cell?.body.hasSuffix(#"\(f("{")) }")"#) ?? false, cell?.body ?? "")
    }

    func testMultiLineAndRawStrings() {
        let text = ##"""
            book.cell("strings") { cell in
                let dot = """
                    digraph {
                      a -> b [label="}"]
                    """
                let raw = #"a raw } with "quotes" and \(not interpolated }"#
                let rawInterpolated = #"\#(raw.count) }"#
                cell.print(dot, raw, rawInterpolated)
            }
            """##
        let cell = extract(text)
        XCTAssertEqual(cell?.endLine, 9)
        XCTAssertEqual(cell?.body.split(separator: "\n", omittingEmptySubsequences: false).first, #"let dot = """"#)
        XCTAssertTrue(cell?.body.contains("    digraph {\n      a -> b") ?? false, "multi-line string keeps its shape")
    }

    func testCommentsWithBraces() {
        let text = """
            book.cell("comments") { cell in   // opens { here?
                /* a block comment } with
                   /* a nested one { */ still comment } */
                let total = [1, 2].reduce(0) { $0 + $1 }   // }}}
                cell.print(total)
            }
            """
        let cell = extract(text)
        XCTAssertEqual(cell?.endLine, 6)
        XCTAssertTrue(cell?.body.hasPrefix("/* a block comment }") ?? false, cell?.body ?? "")
    }

    func testNestedClosuresAndOneLineCells() {
        let nested = """
            let result = try book.cell("nested") { cell -> Int in
                let squares = (0..<3).map { i in
                    { (x: Int) in x * x }(i)
                }
                return squares.reduce(0, +)
            }
            """
        XCTAssertEqual(extract(nested)?.endLine, 6)
        XCTAssertEqual(extract(nested)?.body.split(separator: "\n").first, "let squares = (0..<3).map { i in")

        let oneLine = #"book.cell("one") { cell in cell.print("{") }"#
        XCTAssertEqual(extract(oneLine)?.body, #"cell.print("{")"#)
        XCTAssertEqual(extract(oneLine)?.endLine, 1)

        let loop = #"book.cell("loop") { for x in [1] { print(x) } }"#
        XCTAssertEqual(extract(loop)?.body, "for x in [1] { print(x) }", "a loop is not a closure signature")
    }

    func testCallSpanningLinesAndUnicode() {
        let text = """
            try book.cell(
                "α = softmax(QKᵀ/√D)"
            ) { cell in
                let α = "√D"  // ᵀ
                cell.print(α)
            }
            """
        let cell = extract(text)
        XCTAssertEqual(cell?.endLine, 6)
        XCTAssertEqual(cell?.body, "let α = \"√D\"  // ᵀ\ncell.print(α)")
    }

    func testUnbalancedOrMissingGivesNil() {
        XCTAssertNil(SourceExtractor.extract(from: "book.cell(\"x\") { cell in\n  cell.print(1)\n", callLine: 1))
        XCTAssertNil(SourceExtractor.extract(from: "one line", callLine: 5))
        XCTAssertNil(SourceExtractor.extract(from: "one line", callLine: 0))
    }

    func testDedentKeepsInnerBlankLinesAndDropsOuterOnes() {
        XCTAssertEqual(SourceExtractor.dedent("\n    a\n\n      b\n   \n"), "a\n\n  b")
    }
}
