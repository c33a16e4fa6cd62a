import XCTest
@testable import Notebook

final class MarkdownTerminalTests: XCTestCase {
    let plain = MarkdownTerminal(styled: false, width: 40)

    func testHeadingsAndMathPassThrough() {
        XCTAssertEqual(plain.render("""
            # Chapter
            ## Scaled dot-product attention
            α_ij = q_i·k_j / √D, then softmax over j.
            """), """
            Chapter
            ═══════

            Scaled dot-product attention
            ────────────────────────────

            α_ij = q_i·k_j / √D, then softmax over
            j.

            """)
    }

    func testParagraphsWrapButCodeSpansStayWhole() {
        let text = plain.render("Each token asks `matmul(q, k, transposeB: true)` and then **normalises** the row.")
        XCTAssertEqual(text, """
            Each token asks
            `matmul(q, k, transposeB: true)` and
            then normalises the row.

            """)
        for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 40, String(line)) }
    }

    func testCodeBlocksAreVerbatim() {
        let markdown = """
            The product:

            ```swift
            let scores = matmul(q, k, transposeB: true)    // [B, A, T, T] — a very long line kept whole
            ```

                softmax(QKᵀ / √D) V
            """
        XCTAssertEqual(plain.render(markdown), """
            The product:

                let scores = matmul(q, k, transposeB: true)    // [B, A, T, T] — a very long line kept whole

                softmax(QKᵀ / √D) V

            """)
    }

    func testListsWrapWithHangingIndent() {
        XCTAssertEqual(plain.render("""
            - positions are added to the word embeddings before the first layer
            - one QKᵀ per head
            1. numbered
            """), """
            - positions are added to the word
              embeddings before the first layer
            - one QKᵀ per head
            1. numbered

            """)
    }

    func testStyledHeadingsUseANSIAndPlainHasNone() {
        let markdown = "## Heading\n\nSome **bold** text and a `code` span.\n\n| a | b |\n|---|---|\n| 1 | 2 |"
        let styled = MarkdownTerminal(styled: true).render(markdown)
        XCTAssertTrue(styled.contains(ANSI.bold + ANSI.underline + "Heading" + ANSI.reset), styled)
        XCTAssertTrue(styled.contains(ANSI.bold + "bold" + ANSI.reset), styled)
        let plainText = MarkdownTerminal(styled: false).render(markdown)
        XCTAssertFalse(plainText.contains("\u{1B}"), plainText)
        XCTAssertTrue(plainText.contains("| a | b |\n|---|---|\n| 1 | 2 |"), "tables stay verbatim:\n\(plainText)")
    }

    func testTerminalStylingNeedsATTYAndNoNO_COLOR() {
        XCTAssertTrue(Terminal.allowsStyling(isTerminal: true, environment: [:]))
        XCTAssertFalse(Terminal.allowsStyling(isTerminal: false, environment: [:]))
        XCTAssertFalse(Terminal.allowsStyling(isTerminal: true, environment: ["NO_COLOR": "1"]))
        XCTAssertTrue(Terminal.allowsStyling(isTerminal: true, environment: ["NO_COLOR": ""]))
        XCTAssertFalse(Terminal.allowsStyling(isTerminal: true, environment: ["TERM": "dumb"]))
    }
}
