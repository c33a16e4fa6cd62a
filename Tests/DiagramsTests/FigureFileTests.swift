import Diagrams
import Foundation
import XCTest

/// A figure that cannot be written says so as a `DiagramError` naming the path.
final class FigureFileTests: XCTestCase {
    func testAFileInThePlaceOfTheFolderIsAFolderError() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let blocker = folder.appendingPathComponent("out")
        try Data("not a folder".utf8).write(to: blocker)
        var chart = LineChart(title: "t", xLabel: "x", yLabel: "y")
        chart.add(.init("a", x: [0, 1], y: [1, 2]))
        XCTAssertThrowsError(try chart.write(to: blocker.appendingPathComponent("chart.svg"))) { error in
            guard case DiagramError.folderNotCreatable(let path, _) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(path, blocker.path)
        }
    }
}
