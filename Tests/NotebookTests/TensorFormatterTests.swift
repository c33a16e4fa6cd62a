import XCTest
import Tensors
@testable import Notebook

final class TensorFormatterTests: XCTestCase {
    let formatter = TensorFormatter()

    /// Compares line by line, so a failure shows the first line that differs.
    func assertLines(_ actual: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for (n, (x, y)) in zip(a, e).enumerated() where x != y {
            XCTFail("line \(n + 1) differs:\n  got      '\(x)'\n  expected '\(y)'\nwhole output:\n\(actual)",
                    file: file, line: line)
            return
        }
        XCTAssertEqual(a.count, e.count, "line count differs; whole output:\n\(actual)", file: file, line: line)
    }

    func testSmallMatrixAlignsNegativeNumbers() {
        let x = Tensor(shape: [2, 3], scalars: [1.5, -2, 0.25, 3, 4, -5])
        assertLines(formatter.format(x, name: "x"), """
            x: Tensor [2, 3]
               1.5000  -2.0000   0.2500
               3.0000   4.0000  -5.0000
            """)
    }

    func testFourDecimalsRoundAndNegativeZeroLosesItsSign() {
        let x = Tensor(shape: [4], scalars: [0.123456, -0.00001, 12.34567, -1])
        assertLines(formatter.format(x), """
            Tensor [4]
               0.1235   0.0000  12.3457  -1.0000
            """)
    }

    func testRank3PrintsEachMatrixWithItsIndex() {
        let x = Tensor(shape: [2, 2, 3], scalars: (0..<12).map { Float($0) - 5 })
        assertLines(formatter.format(x, name: "scores"), """
            scores: Tensor [2, 2, 3]
            [0, :, :]
              -5  -4  -3
              -2  -1   0
            [1, :, :]
               1   2   3
               4   5   6
            """)
    }

    func testRank4ElidesMatricesRowsAndColumns() {
        let x = Tensor(shape: [1, 8, 20, 30], scalars: (0..<4800).map { Float($0) / 8 })
        let text = formatter.format(x)
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "Tensor [1, 8, 20, 30]")
        XCTAssertEqual(lines[1], "[0, 0, :, :]")
        XCTAssertTrue(lines.contains("[0, 7, :, :]"), text)
        XCTAssertFalse(lines.contains("[0, 2, :, :]"), "matrices 2…5 are elided:\n\(text)")
        XCTAssertTrue(lines.contains("  ⋮"), "a ⋮ line stands for the elided matrices:\n\(text)")
        // Each shown matrix: 5 rows, a ⋮ row, 5 rows; each row 4 columns, ⋯, 4 columns.
        XCTAssertEqual(lines[2].split(separator: " ").count, 9, lines[2])
        XCTAssertTrue(lines[2].contains("⋯"), lines[2])
        XCTAssertEqual(lines[7].filter { $0 == "⋮" }.count, 9, lines[7])
        XCTAssertEqual(lines.count, 1 + 4 * (1 + 11) + 1)
        // Every data line has the same length: columns align across matrices.
        let dataLines = lines.filter { $0.hasPrefix("  ") && $0 != "  ⋮" && !$0.contains("⋮") }
        XCTAssertEqual(Set(dataLines.map(\.count)).count, 1, text)
    }

    func testLongVectorIsElided() {
        let x = Tensor(shape: [1000], scalars: (0..<1000).map { Float($0) * 0.5 })
        assertLines(formatter.format(x, name: "v"), """
            v: Tensor [1000]
                0.0000    0.5000    1.0000    1.5000         ⋯  498.0000  498.5000  499.0000  499.5000
            """)
    }

    func testNaNAndInfinities() {
        let x = Tensor(shape: [2, 2], scalars: [.nan, .infinity, -.infinity, 0.5])
        assertLines(formatter.format(x), """
            Tensor [2, 2]
                 nan     inf
                -inf  0.5000
            """)
    }

    func testScientificWhenMagnitudesSpanTooFar() {
        let x = Tensor(shape: [3], scalars: [1e-7, -2.5e6, 1])
        assertLines(formatter.format(x), """
            Tensor [3]
               1.0000e-07  -2.5000e+06   1.0000e+00
            """)
    }

    func testScientificWhenEveryValueIsTiny() {
        let gradient = Tensor(shape: [2], scalars: [3e-5, -1.25e-3])
        assertLines(formatter.format(gradient, name: "∂L/∂W"), """
            ∂L/∂W: Tensor [2]
               3.0000e-05  -1.2500e-03
            """)
    }

    func testScalarAndEmpty() {
        XCTAssertEqual(formatter.format(Tensor(3.14159), name: "loss"), "loss: Tensor []  3.1416")
        XCTAssertEqual(formatter.format(Tensor.zeros([0, 3])), "Tensor [0, 3]  (empty)")
    }

    func testIntegersPrintWithoutDecimals() {
        let ids = Tensor(shape: [1, 4], scalars: [101, 2023, 7, 102])
        assertLines(formatter.format(ids, name: "tokens"), """
            tokens: Tensor [1, 4]
               101  2023     7   102
            """)
    }
}
