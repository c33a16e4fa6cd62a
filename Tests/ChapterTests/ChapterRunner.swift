import Foundation
import XCTest

/// Runs a built chapter executable the way a reader would, capturing what it prints.
struct ChapterRun {
    var status: Int32
    var output: String
    var errors: String
}

enum ChapterRunner {
    /// The folder holding the built products (the chapters sit beside the test bundle).
    static var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> ChapterRun {
        let url = productsDirectory.appendingPathComponent(executable)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw XCTSkip("\(url.path) is not built; run `swift build` (make test builds it) first")
        }
        return try run(executable: url, arguments)
    }

    /// Runs any program (a shell, for redirections and limits) the same way.
    static func run(executable url: URL, _ arguments: [String]) throws -> ChapterRun {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        // Files, not pipes: a chatty chapter can never block on a full pipe.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return ChapterRun(status: process.terminationStatus,
                          output: String(decoding: outData, as: UTF8.self),
                          errors: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory(_ test: XCTestCase) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tenfold-chapter-\(UUID().uuidString)")
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
