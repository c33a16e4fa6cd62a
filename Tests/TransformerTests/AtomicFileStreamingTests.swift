import Foundation
import XCTest
import Tensors
import AtomicFiles
import Transformer

/// A failed write leaves the previous file exactly as it was, and no temporary file behind.
final class AtomicFileStreamingTests: XCTestCase {
    struct SimulatedFailure: Error {}

    func contents(of folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    func testWritesAndReplaces() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("note.txt")
        try AtomicFile.write(to: url) { try $0.write(Array("first".utf8)) }
        try AtomicFile.write(to: url) { try $0.write(Array("second".utf8)) }
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "second")
        XCTAssertEqual(try contents(of: folder), ["note.txt"])
    }

    func testAFailureHalfwayLeavesTheOldFileAndNoTemporary() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("model.safetensors")
        let original = SafetensorsFile(tensors: ["w": Tensor(shape: [2], scalars: [1, 2])])
        try original.write(to: url)
        let before = try Data(contentsOf: url)

        XCTAssertThrowsError(try AtomicFile.write(to: url) { sink in
            try sink.write(Array(repeating: 0xAB, count: 4096))
            throw SimulatedFailure()   // as a full disk would, halfway through
        }) { error in XCTAssertTrue(error is SimulatedFailure, "\(error)") }

        XCTAssertEqual(try Data(contentsOf: url), before)
        XCTAssertEqual(try contents(of: folder), ["model.safetensors"])
    }

    func testAFailedRenameLeavesTheDestinationAndNoTemporary() throws {
        // The destination is a non-empty folder: rename(2) refuses to replace it, after the
        // temporary file has been written and synced.
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: url.appendingPathComponent("inside.txt"))

        let file = SafetensorsFile(tensors: ["w": Tensor(shape: [1], scalars: [3])])
        XCTAssertThrowsError(try file.write(to: url)) { error in
            guard case .renameFailed(url.path, _)? = error as? AtomicFileError else {
                return XCTFail("expected renameFailed, got \(error)")
            }
            XCTAssertTrue("\(error)".contains("unchanged"), "\(error)")
        }
        XCTAssertEqual(try contents(of: folder), ["occupied"])
        XCTAssertEqual(try String(contentsOf: url.appendingPathComponent("inside.txt"), encoding: .utf8), "keep")
    }

    func testAMissingFolderIsAClearError() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("no/such/folder/model.safetensors")
        XCTAssertThrowsError(try SafetensorsFile().write(to: url)) { error in
            guard case .cannotCreateTemporary(url.path, _, _)? = error as? AtomicFileError else {
                return XCTFail("expected cannotCreateTemporary, got \(error)")
            }
            XCTAssertTrue("\(error)".contains("exists and is writable"), "\(error)")
        }
        XCTAssertEqual(try contents(of: folder), [])
    }
}
