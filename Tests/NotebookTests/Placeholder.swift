import XCTest
final class PlaceholderNotebookTests: XCTestCase { func testNothing() {} }
