import ArgumentParser
import Book
import Foundation

/// `tenfold slides`: each chapter's run record as a self-contained slide deck.
struct SlidesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slides",
        abstract: "Turn every chapter's run record into a slide deck for a lecture (make slides).",
        discussion: """
        Reads <records>/chapterN/record.json for every chapter that has run (make book, or make chapterN, \
        runs them) and writes <out>/chapterN.html, one file per chapter with its style and figures \
        embedded, and <out>/index.html. A deck holds a title slide, one slide per section of the chapter \
        (its heading, first sentence, displayed formulas and list items), and one per result table and \
        figure. Open it in a browser offline, go full screen and step with Page Down; printing gives one \
        slide per page. make slides-check opens each deck in headless Chromium.
        """)

    @Option(help: "The folder holding chapterN/record.json.")
    var records = "out"

    @Option(help: "The folder to write the decks into.")
    var out = "out/slides"

    func run() throws {
        let decks: [SlideDeck], pages: [URL]
        let folder = URL(fileURLWithPath: out).standardizedFileURL
        do {
            decks = try BookWeaver.chapters(in: URL(fileURLWithPath: records)).map(SlideDeck.init)
            pages = try SlideDeck.write(decks, to: folder)
        } catch let error as BookError {
            // A missing record or figure: one line and a failing status, as `tenfold book` does.
            try? FileHandle.standardError.write(contentsOf: Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        for deck in decks {
            print("chapter \(deck.chapter.record.chapter): \(deck.slides.count) slides → \(out)/\(deck.chapter.pageName)")
        }
        print("Wrote \(pages.count) pages to \(out); open \(folder.appendingPathComponent("index.html").absoluteString)")
    }
}
