import ArgumentParser
import Book
import Foundation

/// `tenfold book`: weaves the chapters' run records into HTML pages.
struct BookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "book",
        abstract: "Weave every chapter's run record into the book's HTML pages.",
        discussion: """
        Reads <records>/chapterN/record.json for every chapter that has run and writes \
        <out>/index.html, <out>/chapterN.html and the figures under <out>/figures/, and the \
        method notes (<methods>/*.md) as <out>/methods/*.html, and the instructor's guide \
        (<teaching>) as <out>/teaching.html. `make book` runs the chapters \
        first, then this. Open <out>/index.html in a browser; the pages fetch nothing from the \
        network.
        """)

    @Option(help: "The folder holding chapterN/record.json.")
    var records = "out"

    @Option(help: "The folder to write the book into.")
    var out = "out/book"

    @Option(help: "The folder holding each chapter's exercises (Exercises/chapterN), when they exist.")
    var exercises = "Exercises"

    @Option(help: "The folder of the method notes (*.md) to weave as pages; none are woven if it does not exist.")
    var methods = "Docs/Methods"

    @Option(help: "The instructor's guide to weave as <out>/teaching.html; left out if the file does not exist.")
    var teaching = "Docs/Teaching.md"

    func run() throws {
        do {
            let chapters = try BookWeaver.chapters(in: URL(fileURLWithPath: records))
            var folders: [Int: String] = [:]
            for chapter in chapters {
                let folder = "\(exercises)/chapter\(chapter.record.chapter)"
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue {
                    folders[chapter.record.chapter] = folder + "/"
                }
            }
            let notes = try MethodNote.notes(in: URL(fileURLWithPath: methods))
            if notes.isEmpty { print("No method notes in \(methods); the book has the chapters only.") }
            let book = URL(fileURLWithPath: out).standardizedFileURL
            let guides = try MethodNote.guide(at: URL(fileURLWithPath: teaching)).map { [$0] } ?? []
            let pages = try BookWeaver(chapters: chapters, exerciseFolders: folders, methods: notes, guides: guides).write(to: book)
            let names = pages.map { String($0.standardizedFileURL.path.dropFirst(book.path.count + 1)) }
            print("Wrote \(pages.count) pages to \(out): \(names.joined(separator: ", "))")
            print("Open \(URL(fileURLWithPath: out).appendingPathComponent("index.html").standardizedFileURL.absoluteString)")
        } catch let error as BookError {
            try? FileHandle.standardError.write(contentsOf: Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
