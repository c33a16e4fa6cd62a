import XCTest
@testable import Notebook

final class TableTextTests: XCTestCase {
    let table = TableText(headers: ["model", "loss", "note"],
                          rows: [["BERT-A", "6.41", "absolute"], ["TUPE-A", "12.02", "α | √D"], ["BERT-R", "-1"]])

    func testTerminalColumnsAlignAndNumbersAreRightAligned() {
        XCTAssertEqual(table.terminal(styled: false), """
            model    loss  note
            ──────  ─────  ────────
            BERT-A   6.41  absolute
            TUPE-A  12.02  α | √D
            BERT-R     -1
            """)
    }

    func testMarkdownPipeTableEscapesPipes() {
        XCTAssertEqual(table.markdown, """
            | model  |  loss | note     |
            | ------ | ----: | -------- |
            | BERT-A |  6.41 | absolute |
            | TUPE-A | 12.02 | α \\| √D  |
            | BERT-R |    -1 |          |
            """)
    }

    func testStyledHeaderIsBoldAndShortRowsArePadded() {
        XCTAssertTrue(table.terminal(styled: true).hasPrefix(ANSI.bold))
        XCTAssertEqual(table.rows[2], ["BERT-R", "-1", ""])
    }
}
