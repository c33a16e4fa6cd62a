import Autograd
import Diagrams
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

final class GraphvizRendererTests: XCTestCase {
    var folder: URL!

    override func setUp() { folder = temporaryFolder(name) }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    var document: DotDocument {
        ComputationGraph(nodes: [
            .init(id: 0, op: "W^Q", shape: [3, 4], role: .parameter),
            .init(id: 1, op: "x", shape: [2, 3], role: .input),
            .init(id: 2, op: "matmul", label: "QKᵀ/√D", shape: [2, 4], role: .operation, inputs: [1, 0], group: "word → word"),
        ]).dotDocument()
    }

    func installedRenderer() throws -> GraphvizRenderer {
        let renderer = GraphvizRenderer()
        guard renderer.isAvailable else { throw XCTSkip("Graphviz's dot is not installed here") }
        return renderer
    }

    func testFindsAnExecutableOnlyInTheFoldersGiven() throws {
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let program = bin.appendingPathComponent("dot")
        try "#!/bin/sh\nexit 0\n".write(to: program, atomically: true, encoding: .utf8)
        XCTAssertNil(GraphvizRenderer.findExecutable(named: "dot", in: bin.path), "not executable yet")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        XCTAssertEqual(GraphvizRenderer.findExecutable(named: "dot", in: "/nonexistent::\(bin.path)")?.path, program.path)
        XCTAssertNil(GraphvizRenderer.findExecutable(named: "dot", in: "/nonexistent"))
        XCTAssertNil(GraphvizRenderer.findExecutable(named: "dot", in: ""))
        XCTAssertNil(GraphvizRenderer.findExecutable(named: "bin", in: folder.path), "a folder is not a program")
    }

    func testWithoutGraphvizTheDotFileIsWrittenAndTheReaderIsToldWhatToInstall() throws {
        var renderer = GraphvizRenderer(searchPath: folder.path + ":/nonexistent")
        XCTAssertFalse(renderer.isAvailable)
        let reported = Reports()
        renderer.report = { reported.append($0) }
        let dotFile = folder.appendingPathComponent("new folder/graph.dot")
        let result = try renderer.render(document, to: dotFile)
        XCTAssertEqual(try String(contentsOf: dotFile, encoding: .utf8), document.text)
        XCTAssertTrue(result.images.isEmpty)
        XCTAssertNil(result.svgFile)
        XCTAssertEqual(result.allFiles, [dotFile])
        let note = try XCTUnwrap(result.note)
        XCTAssertEqual(note, "Graphviz's dot was not found; the diagram is at \(dotFile.path). Install Graphviz "
            + "(Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz) or run `make setup`.")
        XCTAssertEqual(reported.messages, [note])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("new folder/graph.svg").path))
    }

    func testRendersAValidSVGAndPNGBesideTheDotFile() throws {
        let renderer = try installedRenderer()
        let dotFile = folder.appendingPathComponent("figures/attention.dot")
        let result = try renderer.render(document, to: dotFile)
        XCTAssertNil(result.note)
        let svgFile = try XCTUnwrap(result.svgFile)
        let pngFile = try XCTUnwrap(result.pngFile)
        XCTAssertEqual(svgFile.lastPathComponent, "attention.svg")
        XCTAssertEqual(pngFile.lastPathComponent, "attention.png")
        XCTAssertEqual(result.allFiles, [svgFile, pngFile, dotFile])

        let svg = try String(contentsOf: svgFile, encoding: .utf8)
        let parsed = parseSVG(svg)
        let drawn = texts(in: parsed)
        XCTAssertTrue(drawn.contains("QKᵀ/√D = matmul"), "labels survive dot with their Unicode: \(drawn)")
        XCTAssertTrue(drawn.contains("W^Q"), "\(drawn)")
        XCTAssertTrue(drawn.contains("word → word"), "the cluster's label: \(drawn)")

        let png = try Data(contentsOf: pngFile)
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dotFile.deletingLastPathComponent().path)
            .filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "temporary files must be renamed or removed")
    }

    func testEscapedQuotesAndBackslashesRenderAsWritten() throws {
        let renderer = try installedRenderer()
        var tricky = DotDocument()
        tricky.addNode("a", ["label": "say \"hi\" \\ back"])
        let result = try renderer.render(tricky, to: folder.appendingPathComponent("tricky.dot"), formats: [.svg])
        let svg = try String(contentsOf: try XCTUnwrap(result.svgFile), encoding: .utf8)
        XCTAssertEqual(texts(in: parseSVG(svg)), ["say \"hi\" \\ back"])
    }

    func testAFailingDotIsATypedErrorWithItsMessage() throws {
        let renderer = try installedRenderer()
        let dotFile = folder.appendingPathComponent("broken.dot")
        XCTAssertThrowsError(try renderer.render(dot: "digraph { a -> }", to: dotFile, formats: [.svg])) { error in
            guard case DiagramError.graphvizFailed(let format, let path, let status, let message) = error else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(format, "svg")
            XCTAssertEqual(path, dotFile.path)
            XCTAssertNotEqual(status, 0)
            XCTAssertTrue(message.lowercased().contains("syntax error"), message)
            XCTAssertTrue(String(describing: error).contains("broken.dot"))
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: dotFile.path), "the source stays for inspection")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("broken.svg").path))
    }

    func testADotThatHangsIsStoppedAfterTheTimeLimit() throws {
        let program = folder.appendingPathComponent("slow-dot")
        try "#!/bin/sh\n# a dot that hangs (exec: the hanging program is the one started, as dot would be)\nexec sleep 30\n".write(to: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        var renderer = GraphvizRenderer(executable: program)
        renderer.timeLimit = 1
        let start = Date()
        XCTAssertThrowsError(try renderer.render(document, to: folder.appendingPathComponent("slow.dot"))) { error in
            guard case DiagramError.graphvizTimedOut = error else { return XCTFail("unexpected error \(error)") }
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
    }

    func testAProgramThatCannotStartIsATypedError() throws {
        let notAProgram = folder.appendingPathComponent("plain.txt")
        try "text".write(to: notAProgram, atomically: true, encoding: .utf8)
        let renderer = GraphvizRenderer(executable: notAProgram)
        XCTAssertThrowsError(try renderer.render(document, to: folder.appendingPathComponent("g.dot"))) { error in
            guard case DiagramError.graphvizNotLaunchable = error else { return XCTFail("unexpected error \(error)") }
        }
    }
}

/// Messages collected from the renderer's report callback.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ message: String) { lock.lock(); stored.append(message); lock.unlock() }
    var messages: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}
