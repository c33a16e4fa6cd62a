import Foundation
import Tensors

/// One running cell of a chapter: what it prints, shows, tabulates and draws is echoed to
/// the terminal and kept for the record.
///
///     try book.cell("three tokens") { cell in
///         cell.show(scores, name: "scores")               // a legible tensor
///         cell.print("max attention weight:", m)          // plain printed output
///         cell.table(["model", "loss"], rows: [["BERT-A", "6.41"]])
///         try cell.figure("attention", svg: svg, caption: "Attention weights of head 1")
///     }
///
/// Only what goes through the cell is recorded: inside a cell, write `cell.print`, not
/// `print`. A cell's methods may be called from several threads.
///
/// Introduced in Chapter 1.
public final class Cell {
    /// The cell's name, as given to `Notebook.cell`.
    public let name: String
    /// 1-based position among the chapter's cells.
    public let index: Int

    let notebook: Notebook
    private let lock = NSLock()
    private(set) var output = ""
    private(set) var blocks: [OutputBlock] = []
    private(set) var tables: [TableRecord] = []
    private(set) var figures: [FigureRecord] = []

    init(name: String, index: Int, notebook: Notebook) {
        self.name = name
        self.index = index
        self.notebook = notebook
    }

    // MARK: Printing

    /// Prints `items` like Swift's `print`, into the terminal and the record.
    ///
    /// - Parameters:
    ///   - items: values written with `String(describing:)`.
    ///   - separator: between items (default one space).
    ///   - terminator: after the last item (default a newline).
    public func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
        emit(items.map { String(describing: $0) }.joined(separator: separator) + terminator)
    }

    /// Shows a tensor with its shape, aligned columns and elided long dimensions.
    ///
    ///     cell.show(scores, name: "scores")
    ///     // scores: Tensor [3, 3]
    ///     //   0.5000  0.2500  0.2500
    ///     //   …
    ///
    /// - Parameters:
    ///   - tensor: any rank.
    ///   - name: printed before the shape (the variable's name in the chapter).
    ///   - formatter: how many rows and columns to show before eliding, and the decimals.
    public func show(_ tensor: Tensor, name: String?, formatter: TensorFormatter) {
        emit(formatter.format(tensor, name: name) + "\n")
    }

    /// Shows a tensor with the default `TensorFormatter` (12 rows, 10 columns, 4 decimals).
    /// (Not `name: String?`: the optional would lose overload resolution to `show(_:name:)`
    /// for any value, which prints `Tensor.description`.)
    public func show(_ tensor: Tensor, name: String) {
        show(tensor, name: name, formatter: TensorFormatter())
    }

    /// Shows an unnamed tensor with the default `TensorFormatter`.
    public func show(_ tensor: Tensor) {
        show(tensor, name: nil, formatter: TensorFormatter())
    }

    /// Shows any value as `name: value`.
    ///
    ///     cell.show(loss, name: "loss")     // loss: 6.4123
    public func show<Value>(_ value: Value, name: String) {
        emit("\(name): \(value)\n")
    }

    /// Prints a table aligned in columns, and records its headers, rows and Markdown form.
    ///
    ///     cell.table(["model", "loss"], rows: [["BERT-A", "6.41"], ["TUPE-A", "6.02"]])
    ///
    /// - Parameters:
    ///   - headers: one per column.
    ///   - rows: the cells as strings, row by row (short rows are padded).
    ///   - caption: printed under the table and kept for the page.
    public func table(_ headers: [String], rows: [[String]], caption: String? = nil) {
        let text = TableText(headers: headers, rows: rows)
        let record = TableRecord(headers: text.headers, rows: text.rows, caption: caption, markdown: text.markdown)
        let plain = text.terminal(styled: false) + (caption.map { "\n" + $0 } ?? "") + "\n"
        let styled = text.terminal(styled: true) + (caption.map { "\n" + ANSI.style($0, ANSI.dim, styled: true) } ?? "") + "\n"
        lock.withLock {
            tables.append(record)
            blocks.append(OutputBlock(kind: .table, text: nil, index: tables.count - 1))
            output += plain
        }
        notebook.terminal.write(notebook.terminal.styled ? styled : plain)
    }

    // MARK: Figures

    /// Saves an SVG figure as `<name>.svg` in the output folder and records it.
    ///
    ///     try cell.figure("attention", svg: heatmap.svg, caption: "α for the first sentence")
    ///
    /// - Parameters:
    ///   - name: the file name without extension: letters, digits, `-`, `_`.
    ///   - svg: the whole SVG document.
    ///   - caption: shown under the figure on the page.
    /// - Throws: `NotebookError` when the name is not a file name, is used twice, or the
    ///   file cannot be written.
    public func figure(_ name: String, svg: String, caption: String? = nil) throws {
        try writeFigure(name, contents: Data(svg.utf8), kind: .svg, caption: caption)
    }

    /// Saves a Graphviz DOT document as `<name>.dot` and records it (a page links to it;
    /// render it to SVG with Diagrams and pass both files to `figure(_:files:)` to inline it).
    public func figure(_ name: String, dot: String, caption: String? = nil) throws {
        try writeFigure(name, contents: Data(dot.utf8), kind: .dot, caption: caption)
    }

    /// Saves PNG bytes as `<name>.png` and records them.
    public func figure(_ name: String, png: Data, caption: String? = nil) throws {
        try writeFigure(name, contents: png, kind: .png, caption: caption)
    }

    /// Records files already written (for example a graph Diagrams rendered to `.svg` with
    /// its `.dot` source) as one figure. Files outside the output folder are copied into it.
    ///
    ///     try cell.figure("graph", files: [svgURL, dotURL], caption: "The tape of one step")
    ///
    /// - Parameters:
    ///   - name: the figure's name (its files keep their own names).
    ///   - files: `.svg`, `.png` or `.dot` files, the one to show first.
    ///   - caption: shown under the figure on the page.
    /// - Throws: `NotebookError` when a file is missing, of another kind, or cannot be copied.
    public func figure(_ name: String, files: [URL], caption: String? = nil) throws {
        var recorded: [FigureFile] = []
        for file in files {
            guard let kind = FigureFile.Kind(rawValue: file.pathExtension.lowercased()) else {
                throw NotebookError.unsupportedFigureKind(path: file.path)
            }
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw NotebookError.figureFileMissing(path: file.path)
            }
            if let inside = notebook.folder.relativePath(of: file) {
                try notebook.claimFigurePath(inside)
                recorded.append(FigureFile(path: inside, kind: kind))
            } else {
                let fileName = file.lastPathComponent
                try notebook.claimFigurePath(fileName)
                let data: Data
                do { data = try Data(contentsOf: file) } catch {
                    throw NotebookError.fileNotWritten(path: notebook.folder.url.appendingPathComponent(fileName).path,
                                                       reason: OutputFolder.reason(error))
                }
                try notebook.folder.writeAtomically(data, to: fileName)
                recorded.append(FigureFile(path: fileName, kind: kind))
            }
        }
        record(FigureRecord(name: name, caption: caption, files: recorded))
    }

    // MARK: Helpers

    private func writeFigure(_ name: String, contents: Data, kind: FigureFile.Kind, caption: String?) throws {
        let valid = !name.isEmpty && !name.hasPrefix(".")
            && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
        guard valid else { throw NotebookError.invalidFigureName(name) }
        let fileName = name + "." + kind.rawValue
        try notebook.claimFigurePath(fileName)
        try notebook.folder.writeAtomically(contents, to: fileName)
        record(FigureRecord(name: name, caption: caption, files: [FigureFile(path: fileName, kind: kind)]))
    }

    private func record(_ figure: FigureRecord) {
        // The record names files relative to its folder; the terminal says where that is.
        func line(folder: String) -> String {
            let files = figure.files.map { folder + $0.path }.joined(separator: ", ")
            return "▣ figure “\(figure.name)”: \(files)" + (figure.caption.map { " — \($0)" } ?? "")
        }
        lock.withLock {
            figures.append(figure)
            blocks.append(OutputBlock(kind: .figure, text: nil, index: figures.count - 1))
            output += line(folder: "") + "\n"
        }
        let shown = line(folder: notebook.displayPath(notebook.folder.url) + "/")
        notebook.terminal.write(ANSI.style(shown, ANSI.dim, styled: notebook.terminal.styled) + "\n")
    }

    /// Appends printed text, merging it with a text block just before.
    private func emit(_ text: String) {
        lock.withLock {
            output += text
            if let last = blocks.last, last.kind == .text {
                blocks[blocks.count - 1].text = (last.text ?? "") + text
            } else {
                blocks.append(OutputBlock(kind: .text, text: text, index: nil))
            }
        }
        notebook.terminal.write(text)
    }

    /// The finished record of this cell.
    func makeRecord(sourceFile: String, extracted: SourceExtractor.Extracted?, startLine: Int,
                    duration: Double, error: String?) -> CellRecord {
        lock.withLock {
            CellRecord(index: index, name: name, sourceFile: sourceFile,
                       startLine: startLine, endLine: extracted?.endLine ?? startLine,
                       source: extracted?.source ?? "", body: extracted?.body ?? "",
                       output: output, blocks: blocks, tables: tables, figures: figures,
                       duration: duration, error: error)
        }
    }
}
