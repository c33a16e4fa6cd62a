import Foundation
import AtomicFiles

/// Renders DOT documents with Graphviz's `dot` program into SVG and PNG files beside the
/// `.dot` file — and, when Graphviz is not installed, still writes the `.dot` and says how
/// to install it instead of failing.
///
///     let renderer = GraphvizRenderer()                        // finds dot on PATH
///     let result = try renderer.render(graph.dotDocument(), to: URL(fileURLWithPath: "out/chapter1/tape.dot"))
///     result.svgFile        // out/chapter1/tape.svg (nil when dot is missing)
///     result.note           // nil, or how to install Graphviz (also printed to standard error)
///
/// Every file is written atomically (to a temporary name in the same folder, then renamed),
/// and the folder is created when missing.
/// Introduced in Chapter 1 (Foundation).
public struct GraphvizRenderer: Sendable {
    /// An output format of `dot -T…`.
    public enum Format: String, CaseIterable, Sendable {
        case svg, png, pdf
    }

    /// The `dot` program used, or nil when none was found.
    public let executable: URL?
    /// Resolution of PNG output in dots per inch (Graphviz's default is 96).
    public var pngResolution: Double = 144
    /// Seconds `dot` may run per format before it is stopped (SIGTERM, then SIGKILL).
    public var timeLimit: Double = 120
    /// Receives the note printed when `dot` is missing; nil stays silent. By default the
    /// note goes to standard error, so a chapter's reader sees it even if the code ignores it.
    public var report: (@Sendable (String) -> Void)? = { message in
        try? FileHandle.standardError.write(contentsOf: Data((message + "\n").utf8))
    }

    /// A renderer using the `dot` found on the `PATH` environment variable, or else in the
    /// usual Homebrew folders (which apps started outside a shell may lack on `PATH`).
    public init() {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        executable = GraphvizRenderer.findExecutable(named: "dot", in: path)
            ?? GraphvizRenderer.findExecutable(named: "dot", in: "/opt/homebrew/bin:/usr/local/bin")
    }

    /// A renderer using the `dot` found in `searchPath` only (a `PATH`-style list of folders
    /// separated by `:`).
    public init(searchPath: String) {
        executable = GraphvizRenderer.findExecutable(named: "dot", in: searchPath)
    }

    /// A renderer using this `dot` program (nil: behave as if Graphviz were missing).
    public init(executable: URL?) {
        self.executable = executable
    }

    /// Whether `dot` was found, so rendering will produce images.
    public var isAvailable: Bool { executable != nil }

    /// The first executable file named `name` in the folders of `searchPath` (separated by
    /// `:`; empty entries are skipped rather than read as the current folder).
    public static func findExecutable(named name: String, in searchPath: String) -> URL? {
        for folder in searchPath.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }

    /// What to tell a reader whose machine lacks Graphviz.
    public static func missingGraphvizNote(dotFile: URL) -> String {
        "Graphviz's dot was not found; the diagram is at \(dotFile.path). Install Graphviz "
            + "(Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz) or run `make setup`."
    }

    /// Writes `document` to `dotFile` and renders it beside it (`tape.dot` → `tape.svg`, `tape.png`).
    ///
    /// - Parameters:
    ///   - document: the graph.
    ///   - dotFile: where the DOT source goes; its folder is created if needed.
    ///   - formats: the images to produce.
    /// - Returns: the files written; when `dot` is missing, only the `.dot` and a `note`.
    /// - Throws: `DiagramError` when a file cannot be written, `dot` cannot start, fails
    ///   (with its error output) or runs past `timeLimit`.
    @discardableResult
    public func render(_ document: DotDocument, to dotFile: URL,
                       formats: [Format] = [.svg, .png]) throws -> RenderedDiagram {
        try render(dot: document.text, to: dotFile, formats: formats)
    }

    /// Writes DOT source text to `dotFile` and renders it beside it (see `render(_:to:formats:)`).
    @discardableResult
    public func render(dot source: String, to dotFile: URL,
                       formats: [Format] = [.svg, .png]) throws -> RenderedDiagram {
        try FigureFile.write(source, to: dotFile)
        guard let executable else {
            let note = GraphvizRenderer.missingGraphvizNote(dotFile: dotFile)
            report?(note)
            return RenderedDiagram(dotFile: dotFile, images: [], note: note, warnings: "")
        }
        var images: [(Format, URL)] = []
        var warnings = ""
        let base = dotFile.pathExtension.lowercased() == "dot" ? dotFile.deletingPathExtension() : dotFile
        for format in formats where !images.contains(where: { $0.0 == format }) {
            let output = base.appendingPathExtension(format.rawValue)
            let message = try run(executable, format: format, dotFile: dotFile, output: output)
            if !message.isEmpty { warnings += message }
            images.append((format, output))
        }
        return RenderedDiagram(dotFile: dotFile, images: images, note: nil, warnings: warnings)
    }

    /// Runs `dot -T<format>` into a temporary file beside `output`, then renames it into place.
    /// Returns what dot wrote to standard error (warnings) when it succeeded.
    private func run(_ executable: URL, format: Format, dotFile: URL, output: URL) throws -> String {
        let temporary = try FigureFile.temporaryURL(beside: output)
        let process = Process()
        process.executableURL = executable
        var arguments = ["-T\(format.rawValue)", "-o", temporary.path]
        if format == .png { arguments.append("-Gdpi=\(SVGWriter.number(pngResolution))") }
        process.arguments = arguments + [dotFile.path]
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw DiagramError.graphvizNotLaunchable(executable: executable.path, reason: AtomicFile.reason(error))
        }
        let timedOut = TimeoutFlag()
        let deadline = DispatchWorkItem { [process] in
            guard process.isRunning else { return }
            timedOut.set()
            process.terminate()
            // A program that ignores SIGTERM is killed outright a moment later.
            let identifier = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + 2) {
                if process.isRunning { kill(identifier, SIGKILL) }
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + max(1, timeLimit), execute: deadline)
        // Read on another thread while waiting, so a chatty dot cannot fill the pipe and stall,
        // and a stopped one cannot keep us waiting on a pipe a leftover child holds open.
        let errorOutput = ErrorOutput()
        let reading = DispatchGroup()
        reading.enter()
        DispatchQueue.global().async {
            errorOutput.store((try? errorPipe.fileHandleForReading.readToEnd()) ?? Data())
            reading.leave()
        }
        process.waitUntilExit()
        deadline.cancel()
        _ = reading.wait(timeout: .now() + (timedOut.isSet ? 0.5 : 10))
        let message = String(decoding: errorOutput.data, as: UTF8.self)
        if timedOut.isSet {
            try? FileManager.default.removeItem(at: temporary)
            throw DiagramError.graphvizTimedOut(format: format.rawValue, dotFile: dotFile.path, seconds: timeLimit)
        }
        guard process.terminationStatus == 0, process.terminationReason == .exit else {
            try? FileManager.default.removeItem(at: temporary)
            throw DiagramError.graphvizFailed(format: format.rawValue, dotFile: dotFile.path,
                                              exitStatus: process.terminationStatus, message: message)
        }
        try FigureFile.moveIntoPlace(temporary, output)
        return message
    }
}

/// What `GraphvizRenderer.render` wrote.
/// Introduced in Chapter 1 (Foundation).
public struct RenderedDiagram: Sendable {
    /// The DOT source (always written).
    public let dotFile: URL
    /// The rendered images, in the order of the formats asked for (empty when dot is missing).
    public let images: [(format: GraphvizRenderer.Format, file: URL)]
    /// Set when Graphviz was not found: where the `.dot` is and how to install Graphviz.
    public let note: String?
    /// What dot printed as warnings while succeeding (empty when none).
    public let warnings: String

    init(dotFile: URL, images: [(GraphvizRenderer.Format, URL)], note: String?, warnings: String) {
        self.dotFile = dotFile
        self.images = images.map { (format: $0.0, file: $0.1) }
        self.note = note
        self.warnings = warnings
    }

    public var svgFile: URL? { images.first { $0.format == .svg }?.file }
    public var pngFile: URL? { images.first { $0.format == .png }?.file }

    /// The images then the `.dot` — the order a notebook figure wants (the first is shown).
    public var allFiles: [URL] { images.map(\.file) + [dotFile] }
}

/// A flag set from the timer's thread and read from the caller's.
private final class TimeoutFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// dot's error output, written by the reading thread and read after it finishes (or gives up).
private final class ErrorOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = Data()
    func store(_ data: Data) { lock.lock(); stored = data; lock.unlock() }
    var data: Data { lock.lock(); defer { lock.unlock() }; return stored }
}
