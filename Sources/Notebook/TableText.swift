/// Lays out a table of strings in aligned columns, for the terminal and as Markdown.
///
///     let table = TableText(headers: ["model", "loss"], rows: [["BERT-A", "6.41"], ["TUPE-A", "6.02"]])
///     print(table.terminal(styled: false))
///     // model   loss
///     // ──────  ────
///     // BERT-A  6.41
///     // TUPE-A  6.02
///     print(table.markdown)
///     // | model  | loss |
///     // | ------ | ---: |
///     // | BERT-A | 6.41 |
///     // | TUPE-A | 6.02 |
///
/// Columns whose every cell is a number (`6.41`, `-3`, `1.2e-5`, `12%`) are right-aligned.
/// Short rows are padded with empty cells. Widths count characters, so Unicode math
/// (`√D`, `QKᵀ`) lines up.
///
/// Introduced in Chapter 1.
public struct TableText: Sendable {
    public var headers: [String]
    public var rows: [[String]]

    /// - Parameters:
    ///   - headers: one per column.
    ///   - rows: the cells, row by row; a row may be shorter (padded) or longer (extra
    ///     columns get empty headers).
    public init(headers: [String], rows: [[String]]) {
        let columns = max(headers.count, rows.map(\.count).max() ?? 0)
        func padded(_ row: [String]) -> [String] { row + Array(repeating: "", count: columns - row.count) }
        self.headers = padded(headers)
        self.rows = rows.map(padded)
    }

    var widths: [Int] {
        headers.indices.map { c in ([headers[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
    }

    /// Whether column `c` holds only numbers (and at least one), so it is right-aligned.
    func isNumeric(_ c: Int) -> Bool {
        let cells = rows.map { $0[c].trimmingSpaces }.filter { !$0.isEmpty }
        return !cells.isEmpty && cells.allSatisfy { cell in
            let number = cell.hasSuffix("%") ? String(cell.dropLast()) : cell
            return Double(number) != nil || ["nan", "inf", "-inf", "—", "-"].contains(number)
        }
    }

    func align(_ text: String, width: Int, right: Bool) -> String {
        let pad = String(repeating: " ", count: max(0, width - text.count))
        return right ? pad + text : text + pad
    }

    /// Columns separated by two spaces, a rule under the headers (bold headers when styled).
    public func terminal(styled: Bool) -> String {
        let widths = self.widths
        func line(_ cells: [String]) -> String {
            cells.indices.map { align(cells[$0], width: widths[$0], right: isNumeric($0)) }
                .joined(separator: "  ").trailingSpacesRemoved
        }
        let header = ANSI.style(line(headers), ANSI.bold, styled: styled)
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([header, rule] + rows.map(line)).joined(separator: "\n")
    }

    /// A Markdown pipe table; `|` inside a cell is escaped.
    public var markdown: String {
        let escapedHeaders = headers.map { $0.replacingPipes }
        let escapedRows = rows.map { $0.map(\.replacingPipes) }
        let widths = headers.indices.map { c in
            max(3, ([escapedHeaders[c]] + escapedRows.map { $0[c] }).map(\.count).max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            "| " + cells.indices.map { align(cells[$0], width: widths[$0], right: isNumeric($0)) }
                .joined(separator: " | ") + " |"
        }
        let rule = "| " + widths.indices.map { c in
            isNumeric(c) ? String(repeating: "-", count: widths[c] - 1) + ":" : String(repeating: "-", count: widths[c])
        }.joined(separator: " | ") + " |"
        return ([line(escapedHeaders), rule] + escapedRows.map(line)).joined(separator: "\n")
    }
}

extension String {
    fileprivate var replacingPipes: String {
        var out = ""
        for c in self { out += c == "|" ? "\\|" : String(c) }
        return out
    }
}
