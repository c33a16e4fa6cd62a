import ArgumentParser
import Foundation

/// The flags every chapter takes — one convention for the whole book.
///
///     swift run chapter1 --steps 300 --seed 7 --preset chapter --corpus embedded --out out/chapter1
///     swift run chapter1 --quick          # a few seconds: what the smoke tests run
///
/// Each chapter supplies its own defaults for the optional ones.
/// Introduced in Chapter 1.
public struct ChapterOptions: ParsableArguments {
    @Option(help: "Training updates (default: the chapter's own).")
    public var steps: Int?

    @Option(help: "The seed of every random draw: same seed, same numbers.")
    public var seed: UInt64 = 1

    @Option(help: "Model size preset: tiny, chapter, mini, small, base (default: the chapter's own).")
    public var preset: String?

    @Option(help: "\"embedded\" (the package's corpus), a text file, or a folder of text files.")
    public var corpus: String = "embedded"

    @Option(help: "Where figures and the run record go (default: out/chapterN).")
    public var out: String?

    @Option(help: "A BERT-A checkpoint (from chapter 1 or tenfold train) to study instead of training one; used by chapter 2.")
    public var checkpoint: String?

    /// The chapters that read `--checkpoint`; the others refuse it rather than ignore it.
    public static let checkpointChapters: Set<Int> = [2]

    @Option(help: "Train every model with this many seeds (seed, seed+1, …) and report the spread; used by chapter 3 (default 1).")
    public var seeds: Int?

    @Flag(help: "Fine-tune the chapter's models on the embedded mini-GLUE and show the table (minutes); used by chapter 3 on.")
    public var evaluate = false

    @Flag(help: "Run in seconds with a tiny model: for tests and a first look.")
    public var quick = false

    public init() {}

    public func validate() throws {
        if let steps, steps < 1 {
            throw ValidationError("--steps must be a positive number of updates, not \(steps)")
        }
        if let seeds, seeds < 1 {
            throw ValidationError("--seeds must be at least 1, not \(seeds)")
        }
        if let preset, !["tiny", "chapter", "mini", "small", "base"].contains(preset) {
            throw ValidationError("unknown --preset '\(preset)'; choose tiny, chapter, mini, small or base")
        }
    }

    /// The checks that need the chapter's number: only chapter 2 reads `--checkpoint`.
    func validate(chapter number: Int) throws {
        if checkpoint != nil && !Self.checkpointChapters.contains(number) {
            throw ValidationError("chapter \(number) trains its own models and does not read --checkpoint (chapter 2 does)")
        }
    }

    /// The output folder for chapter `number`.
    public func outputDirectory(chapter number: Int) -> URL {
        URL(fileURLWithPath: out ?? "out/chapter\(number)")
    }
}

/// Runs a chapter: parses the flags, opens its notebook, runs the body, writes the record,
/// and turns any error into a clear message and exit status 1 (never a crash trace).
///
///     runChapter(1, title: "Naive attention") { book, options in
///         book.prose("…")
///         try book.cell("…") { cell in … }
///     }
///
/// Introduced in Chapter 1.
public func runChapter(_ number: Int, title: String, arguments: [String] = Array(CommandLine.arguments.dropFirst()),
                       _ body: (Notebook, ChapterOptions) throws -> Void) {
    let options: ChapterOptions
    do {
        options = try ChapterOptions.parse(arguments)
        try options.validate(chapter: number)
    } catch {
        ChapterOptions.exit(withError: error)
    }
    runChapter(number, title: title, parsed: options, body)
}

/// Opens the chapter's notebook, runs the body and writes the record; errors become one line
/// on standard error and exit status 1.
func runChapter(_ number: Int, title: String, parsed options: ChapterOptions,
                _ body: (Notebook, ChapterOptions) throws -> Void) {
    do {
        let book = try Notebook(chapter: number, title: title, outputDirectory: options.outputDirectory(chapter: number))
        try body(book, options)
        try book.finish()
    } catch {
        try? FileHandle.standardError.write(contentsOf: Data("error: \(error)\n".utf8))
        exit(1)
    }
}

/// A chapter's flags with a chapter's own flags beside them (`--full`, `--reproduce` in
/// chapter 6): both groups parse from one command line, and `--help` lists both.
struct ChapterCommandLine<Extra: ParsableArguments>: ParsableArguments {
    @OptionGroup var options: ChapterOptions
    @OptionGroup var extra: Extra
}

/// Runs a chapter that has flags of its own: as `runChapter(_:title:_:)`, with `Extra`'s
/// flags parsed from the same command line and handed to the body.
///
///     struct Flags: ParsableArguments { @Flag var reproduce = false }
///     runChapter(6, title: "…", flags: Flags.self) { book, options, flags in … }
///
/// Introduced in Chapter 6.
public func runChapter<Extra: ParsableArguments>(_ number: Int, title: String, flags: Extra.Type,
                                                 arguments: [String] = Array(CommandLine.arguments.dropFirst()),
                                                 _ body: (Notebook, ChapterOptions, Extra) throws -> Void) {
    let parsed: ChapterCommandLine<Extra>
    do {
        parsed = try ChapterCommandLine<Extra>.parse(arguments)
        try parsed.options.validate(chapter: number)
    } catch {
        ChapterCommandLine<Extra>.exit(withError: error)
    }
    runChapter(number, title: title, parsed: parsed.options) { book, options in try body(book, options, parsed.extra) }
}
