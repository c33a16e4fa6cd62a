import AtomicFiles
import Foundation
import XCTest

final class AtomicFileTests: XCTestCase {
    func testWritesReplacesAndCreatesFolders() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a/b/figure.svg")
        try AtomicFile.write("first", to: file)
        try AtomicFile.write("second", to: file)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "second")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path),
                       ["figure.svg"], "no temporary file is left behind")
    }

    func testAFileInThePlaceOfTheFolderIsATypedError() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let blocker = folder.appendingPathComponent("out")
        try AtomicFile.write("not a folder", to: blocker)
        XCTAssertThrowsError(try AtomicFile.write("x", to: blocker.appendingPathComponent("chart.svg"))) { error in
            guard case AtomicFileError.folderNotCreatable(let path, _) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(path, blocker.path)
        }
    }
}

/// A fresh folder name under the system's temporary folder (not created).
func temporaryFolder(_ name: String = #function) -> URL {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("tenfold-atomic-\(name.filter(\.isLetter))-\(UInt64.random(in: 0...UInt64.max))")
}
