import XCTest
@testable import Notebook

final class OutputFolderTests: XCTestCase {
    var url: URL!

    override func setUpWithError() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("output-folder-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: url) }

    func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasPrefix(".") }
    }

    func testAtomicWriteReplacesWholeFileAndLeavesNoTemporaryFile() throws {
        let folder = try OutputFolder(url.appendingPathComponent("nested/chapter1"))
        url = folder.url.deletingLastPathComponent().deletingLastPathComponent()
        try folder.writeAtomically(Data(String(repeating: "old ", count: 10_000).utf8), to: "record.json")
        try folder.writeAtomically(Data("new".utf8), to: "record.json")
        XCTAssertEqual(try String(contentsOf: folder.url.appendingPathComponent("record.json"), encoding: .utf8), "new")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), ["record.json"],
                       "no temporary or probe files are left behind")
    }

    func testFailedRenameKeepsTheTargetAndCleansUp() throws {
        let folder = try OutputFolder(url)
        // A folder where the file should go makes rename(2) fail after the data was written.
        try FileManager.default.createDirectory(at: url.appendingPathComponent("record.json/inside"),
                                                withIntermediateDirectories: true)
        XCTAssertThrowsError(try folder.writeAtomically(Data("x".utf8), to: "record.json")) { error in
            guard case NotebookError.fileNotWritten(let path, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, folder.url.appendingPathComponent("record.json").path)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.appendingPathComponent("record.json/inside").path))
        XCTAssertEqual(try leftovers(), [])
    }

    func testRelativePathOnlyForFilesInside() throws {
        let folder = try OutputFolder(url)
        XCTAssertEqual(folder.relativePath(of: url.appendingPathComponent("a/b.svg")), "a/b.svg")
        XCTAssertNil(folder.relativePath(of: URL(fileURLWithPath: "/etc/passwd")))
        XCTAssertEqual(PackageRoot.relativePath(of: #filePath), "Tests/NotebookTests/OutputFolderTests.swift")
    }
}
