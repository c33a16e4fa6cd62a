import Foundation
import XCTest
@testable import Finetuning

/// Shared by the Finetuning tests: temporary task folders and the GLUE-format files the tests
/// write into them (no GLUE data is shipped or downloaded).
enum Fixture {
    /// A fresh temporary folder, removed by the caller's `tearDown`.
    static func temporaryFolder() -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tenfold-finetuning-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `lines`, each ending in `\n`, into `folder/name` as UTF-8; returns the path.
    @discardableResult
    static func write(_ lines: [String], to name: String, in folder: URL) -> String {
        write(Array(lines.map { $0 + "\n" }.joined().utf8), to: name, in: folder)
    }

    /// Writes `bytes` into `folder/name`; returns the path.
    @discardableResult
    static func write(_ bytes: [UInt8], to name: String, in folder: URL) -> String {
        let url = folder.appendingPathComponent(name)
        try! Data(bytes).write(to: url)
        return url.path
    }

    /// Columns joined by tabs: one line of a TSV file.
    static func row(_ columns: String...) -> String { columns.joined(separator: "\t") }
}

extension XCTestCase {
    /// Asserts that `body` throws a `GLUEDataError` equal to `expected` whose message names
    /// `place` ("path, line N", or just the path).
    func assertDataError<T>(_ expected: GLUEDataError, naming place: String,
                            file: StaticString = #filePath, line: UInt = #line,
                            _ body: () throws -> T) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? GLUEDataError, expected, file: file, line: line)
            XCTAssertTrue("\(error)".contains(place), "«\(error)» does not name \(place)",
                          file: file, line: line)
        }
    }
}
