import Foundation

/// A chapter run as a notebook: prose, named cells and their results, echoed to the terminal
/// and recorded in `out/chapterN/record.json` for the page a weaver makes of it.
///
///     import Notebook
///     let book = try Notebook(chapter: 1, title: "Naive attention")   // writes to out/chapter1
///     book.prose("""
///         ## Scaled dot-product attention
///         Each token asks a question q = xWᵠ of every other token's key k = xWᴷ:
///         α_ij = q_i·k_j / √D, then softmax over j.
///         """)
///     try book.cell("three tokens") { cell in
///         let scores = matmul(q, k, transposeB: true)    // [T, T]
///         cell.show(scores, name: "scores")
///     }
///     try book.finish()
///
/// Each cell's code is read back from its source file (`#filePath`, `#line`), so the record
/// holds exactly what ran. Cells run immediately, in order; they do not nest.
///
/// Introduced in Chapter 1.
public final class Notebook {
    public let chapter: Int
    public let title: String
    /// The output folder, created and checked when the notebook starts.
    public let folder: OutputFolder
    /// The output folder's URL (`out/chapterN` unless another was given).
    public var outputDirectory: URL { folder.url }
    /// The record so far (complete after `finish()`).
    public private(set) var record: NotebookRecord

    let terminal: Terminal
    private var cellCount = 0
    private var figurePaths: Set<String> = []
    private var sources: [String: String] = [:]
    private var unreadableSources: Set<String> = []
    private let figureLock = NSLock()

    /// Starts a chapter: creates (and checks) its output folder and prints its title.
    ///
    /// - Parameters:
    ///   - chapter: the chapter's number.
    ///   - title: the chapter's title.
    ///   - outputDirectory: where figures and `record.json` go (default `out/chapterN`,
    ///     relative to the current directory).
    ///   - quiet: write nothing to the terminal (the record is still written).
    ///   - arguments: the command line, for the record (default this process's).
    /// - Throws: `NotebookError` when the folder cannot be created or written.
    public convenience init(chapter: Int, title: String, outputDirectory: URL? = nil, quiet: Bool = false,
                            arguments: [String] = CommandLine.arguments) throws {
        try self.init(chapter: chapter, title: title, outputDirectory: outputDirectory,
                      terminal: quiet ? .silent : .standardOutput, arguments: arguments)
    }

    /// Starts a chapter writing to the folder at `outputDirectory` (a path, as a `--out` flag gives it).
    public convenience init(chapter: Int, title: String, outputDirectory: String, quiet: Bool = false,
                            arguments: [String] = CommandLine.arguments) throws {
        try self.init(chapter: chapter, title: title, outputDirectory: URL(fileURLWithPath: outputDirectory),
                      quiet: quiet, arguments: arguments)
    }

    /// Starts a chapter echoing to `terminal` (for example a capture in tests).
    public init(chapter: Int, title: String, outputDirectory: URL?, terminal: Terminal,
                arguments: [String] = CommandLine.arguments) throws {
        self.chapter = chapter
        self.title = title
        self.terminal = terminal
        folder = try OutputFolder(outputDirectory ?? URL(fileURLWithPath: "out/chapter\(chapter)"))
        let now = Date()
        record = NotebookRecord(formatVersion: NotebookRecord.currentFormatVersion, chapter: chapter,
                                title: title, startTime: now, endTime: now, completed: false,
                                arguments: arguments, entries: [])
        let heading = "Chapter \(chapter) · \(title)"
        terminal.write(terminal.styled
            ? ANSI.bold + heading + ANSI.reset + "\n\n"
            : heading + "\n" + String(repeating: "═", count: heading.count) + "\n\n")
    }

    // MARK: Prose

    /// Prints a block of Markdown prose and records it.
    ///
    ///     book.prose("""
    ///         Dividing by √D keeps the logits' variance near 1 (Vaswani et al., §3.2.1).
    ///         """)
    ///
    /// - Parameters:
    ///   - markdown: CommonMark-style text; Unicode math is kept as written.
    ///   - file: the source file (leave the default).
    ///   - line: the source line (leave the default).
    public func prose(_ markdown: String, file: String = #filePath, line: Int = #line) {
        record.entries.append(.prose(ProseRecord(markdown: markdown, sourceFile: PackageRoot.relativePath(of: file),
                                                 line: line)))
        terminal.write(MarkdownTerminal(styled: terminal.styled, width: terminal.width).render(markdown) + "\n")
    }

    // MARK: Cells

    /// Runs a named cell: prints its header, runs `body` with the cell to print into, and
    /// records its code, output, tables, figures and duration. Returns what `body` returns.
    ///
    ///     let scores = try book.cell("scores") { cell in
    ///         let scores = matmul(q, k, transposeB: true)    // [T, T]
    ///         cell.show(scores, name: "scores")
    ///         return scores
    ///     }
    ///
    /// - Parameters:
    ///   - name: a few words that say what the cell shows.
    ///   - file: the source file (leave the default: the code is read from it).
    ///   - line: the line of the call (leave the default).
    ///   - body: the cell's code.
    /// - Throws: whatever `body` throws, after recording it in the cell and writing the
    ///   record so far.
    @discardableResult
    public func cell<Result>(_ name: String, file: String = #filePath, line: Int = #line,
                             _ body: (Cell) throws -> Result) rethrows -> Result {
        cellCount += 1
        let cell = Cell(name: name, index: cellCount, notebook: self)
        let header = "── [\(cell.index)] \(name) "
        let rule = header + String(repeating: "─", count: max(2, terminal.width - header.count))
        terminal.write(ANSI.style(rule, ANSI.bold, styled: terminal.styled) + "\n")

        let start = Date()
        func finishCell(error: Error?) {
            let duration = Date().timeIntervalSince(start)
            let extracted = source(file: file).flatMap { SourceExtractor.extract(from: $0, callLine: line) }
            record.entries.append(.cell(cell.makeRecord(
                sourceFile: PackageRoot.relativePath(of: file), extracted: extracted, startLine: line,
                duration: duration, error: error.map { String(describing: $0) })))
            if duration >= 1 {
                terminal.write(ANSI.style(String(format: "(%.1f s)", duration), ANSI.dim, styled: terminal.styled) + "\n")
            }
        }
        do {
            let result = try body(cell)
            finishCell(error: nil)
            terminal.write("\n")
            return result
        } catch {
            finishCell(error: error)
            record.endTime = Date()
            let written = (try? writeRecord()) != nil
            terminal.write("✗ Cell [\(cell.index)] “\(name)” (\(PackageRoot.relativePath(of: file)):\(line)) failed: \(error)\n"
                + (written ? "  The record so far is in \(displayPath(recordURL)).\n" : ""))
            throw error
        }
    }

    // MARK: Finishing

    /// Where the record is written: `record.json` in the output folder.
    public var recordURL: URL { folder.url.appendingPathComponent("record.json") }

    /// Writes `record.json` atomically and prints what the chapter wrote.
    ///
    /// - Throws: `NotebookError.fileNotWritten` when the record cannot be written.
    public func finish() throws {
        record.completed = true
        record.endTime = Date()
        try writeRecord()
        let cells = record.cells
        let figureFiles = cells.flatMap { $0.figures.flatMap { $0.files.map(\.path) } }
        let proseCount = record.entries.count - cells.count
        var summary = "Wrote \(displayPath(recordURL)): \(cells.count) cell\(cells.count == 1 ? "" : "s"), "
            + "\(proseCount) prose block\(proseCount == 1 ? "" : "s")"
        summary += figureFiles.isEmpty ? ", no figures" : "; figures: " + figureFiles.joined(separator: ", ")
        summary += String(format: " (%.1f s)", record.endTime.timeIntervalSince(record.startTime))
        terminal.write(ANSI.style(summary, ANSI.dim, styled: terminal.styled) + "\n")
    }

    func writeRecord() throws {
        let data: Data
        do { data = try NotebookRecord.encoder.encode(record) } catch {
            throw NotebookError.fileNotWritten(path: recordURL.path, reason: "\(error)")
        }
        try folder.writeAtomically(data, to: "record.json")
    }

    // MARK: Helpers

    /// Reserves a figure file name, so two figures cannot overwrite each other.
    func claimFigurePath(_ path: String) throws {
        try figureLock.withLock {
            guard figurePaths.insert(path).inserted else {
                throw NotebookError.duplicateFigure(path: folder.url.appendingPathComponent(path).path)
            }
        }
    }

    /// The text of a source file, read once; `nil` when it cannot be read (a moved binary).
    func source(file: String) -> String? {
        if let text = sources[file] { return text }
        if unreadableSources.contains(file) { return nil }
        guard let data = FileManager.default.contents(atPath: file) else {
            unreadableSources.insert(file)
            return nil
        }
        let text = String(decoding: data, as: UTF8.self)
        sources[file] = text
        return text
    }

    /// `url`'s path relative to the current directory when it lies below it.
    func displayPath(_ url: URL) -> String {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(current) ? String(path.dropFirst(current.count)) : path
    }
}
