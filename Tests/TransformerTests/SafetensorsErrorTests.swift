import Foundation
import XCTest
import Tensors
import Transformer

/// Every damaged or foreign file ends in a typed error whose message names the file, says
/// what is wrong and what to do — never in a trap.
final class SafetensorsErrorTests: XCTestCase {
    let good = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#

    /// Parses `bytes` as file "bad.safetensors" and returns the error, failing if none.
    func error(of bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> SafetensorsError? {
        do {
            _ = try bytes.withUnsafeBytes { try SafetensorsFile(parsing: $0, fileName: "bad.safetensors") }
            XCTFail("expected an error", file: file, line: line)
        } catch let error as SafetensorsError {
            XCTAssertTrue(error.description.contains("bad.safetensors"),
                          "the message must name the file: \(error)", file: file, line: line)
            return error
        } catch {
            XCTFail("expected a SafetensorsError, got \(error)", file: file, line: line)
        }
        return nil
    }

    func assertMessage(_ error: SafetensorsError?, contains phrases: String...,
                       file: StaticString = #filePath, line: UInt = #line) {
        let message = error?.description ?? ""
        for phrase in phrases {
            XCTAssertTrue(message.contains(phrase), "\"\(phrase)\" not in: \(message)", file: file, line: line)
        }
    }

    func testTheWellFormedBaselineReads() throws {
        let bytes = safetensorsBytes(header: good, data: float32Bytes([1, 2]))
        let file = try bytes.withUnsafeBytes { try SafetensorsFile(parsing: $0, fileName: "ok") }
        XCTAssertEqual(file.tensors["w"]?.scalars, [1, 2])
    }

    func testEmptyAndShortFiles() {
        let empty = error(of: [])
        XCTAssertEqual(empty, .tooShort(file: "bad.safetensors", byteCount: 0))
        assertMessage(empty, contains: "is empty", "write it again")
        XCTAssertEqual(error(of: [1, 0, 0]), .tooShort(file: "bad.safetensors", byteCount: 3))
    }

    func testHeaderSizeLargerThanTheFile() {
        let bytes = safetensorsBytes(header: good, data: float32Bytes([1, 2]), declaredSize: 500)
        let failure = error(of: bytes)
        XCTAssertEqual(failure, .headerPastEndOfFile(file: "bad.safetensors", declared: 500,
                                                     available: bytes.count - 8))
        assertMessage(failure, contains: "oversized header", "500")
    }

    func testHugeHeaderSize() {
        let bytes = safetensorsBytes(header: good, declaredSize: UInt64.max)
        let failure = error(of: bytes)
        XCTAssertEqual(failure, .oversizedHeader(file: "bad.safetensors", declared: UInt64.max,
                                                 limit: SafetensorsFile.maximumHeaderByteCount))
        assertMessage(failure, contains: "oversized header", "100000000")
    }

    func testGarbageJSON() {
        let failure = error(of: safetensorsBytes(header: "{\"w\": {\"dtype\": "))
        assertMessage(failure, contains: "invalid safetensors header", "not valid JSON")
        assertMessage(error(of: safetensorsBytes(header: "[1, 2, 3]")), contains: "invalid safetensors header")
    }

    /// Valid JSON whose number does not fit is not "not valid JSON".
    func testNumbersOutOfRange() {
        for number in ["99999999999999999999", "1e300", "1.5"] {
            let header = #"{"w":{"dtype":"F32","shape":["# + number + #"],"data_offsets":[0,8]}}"#
            let failure = error(of: safetensorsBytes(header: header, data: float32Bytes([1, 2])))
            assertMessage(failure, contains: "w.shape[0]", "whole number")
            XCTAssertFalse(failure?.description.contains("not valid JSON") ?? true, failure?.description ?? "")
        }
    }

    func testInvalidUTF8() {
        let bytes = safetensorsBytes(header: "{\"w\":1}").enumerated().map { $0.offset == 10 ? 0xFF : $0.element }
        assertMessage(error(of: bytes), contains: "not valid UTF-8")
    }

    func testMissingField() {
        let header = #"{"w":{"dtype":"F32","data_offsets":[0,8]}}"#
        assertMessage(error(of: safetensorsBytes(header: header, data: float32Bytes([1, 2]))),
                      contains: "w has no \"shape\" field")
    }

    func testMetadataMustBeStrings() {
        let header = #"{"__metadata__":{"step":12}}"#
        assertMessage(error(of: safetensorsBytes(header: header)), contains: "__metadata__", "step")
    }

    func testUnsupportedDTypeIsNamed() {
        let header = #"{"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#
        let failure = error(of: safetensorsBytes(header: header, data: Array(repeating: 0, count: 8)))
        XCTAssertEqual(failure, .unsupportedDType(file: "bad.safetensors", tensor: "ids", dtype: "I64"))
        assertMessage(failure, contains: "I64", "float32")
    }

    func testOffsetsThatDisagreeWithTheShape() {
        let header = #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        let failure = error(of: safetensorsBytes(header: header, data: float32Bytes([1, 2])))
        XCTAssertEqual(failure, .sizeMismatch(file: "bad.safetensors", tensor: "w", dtype: "F32",
                                              shape: [3], expectedByteCount: 12, offsets: [0, 8]))
        assertMessage(failure, contains: "needs 12 bytes", "span 8")
    }

    func testMalformedOffsetsAndShapes() {
        let reversed = #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#
        assertMessage(error(of: safetensorsBytes(header: reversed)), contains: "begin ≤ end")
        let three = #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[0,0,0]}}"#
        assertMessage(error(of: safetensorsBytes(header: three)), contains: "[begin, end]")
        let negative = #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}"#
        assertMessage(error(of: safetensorsBytes(header: negative)), contains: "negative dimension")
        let enormous = #"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#
        assertMessage(error(of: safetensorsBytes(header: enormous)), contains: "too large")
        let fractional = #"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#
        assertMessage(error(of: safetensorsBytes(header: fractional, data: float32Bytes([1]))),
                      contains: "invalid safetensors header")
    }

    func testOverlappingTensors() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let failure = error(of: safetensorsBytes(header: header, data: float32Bytes([1, 2, 3])))
        XCTAssertEqual(failure, .overlappingTensors(file: "bad.safetensors", first: "a", second: "b"))
        assertMessage(failure, contains: "overlap")
    }

    func testHoleBetweenTensors() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"#
            + #""b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        let failure = error(of: safetensorsBytes(header: header, data: float32Bytes([1, 2, 3])))
        XCTAssertEqual(failure, .holeInData(file: "bad.safetensors", before: "b", start: 4, end: 8))
        assertMessage(failure, contains: "belong to no tensor")
    }

    func testTruncatedData() {
        let failure = error(of: safetensorsBytes(header: good, data: float32Bytes([1, 2]).dropLast(3)))
        XCTAssertEqual(failure, .truncatedData(file: "bad.safetensors", expectedByteCount: 8,
                                               availableByteCount: 5))
        assertMessage(failure, contains: "is truncated", "8 bytes", "only 5", "write it again")
    }

    func testTrailingBytes() {
        let failure = error(of: safetensorsBytes(header: good, data: float32Bytes([1, 2, 3])))
        XCTAssertEqual(failure, .trailingBytes(file: "bad.safetensors", expectedByteCount: 8,
                                               availableByteCount: 12))
    }

    func testTruncatedFileOnDisk() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("cut.safetensors")
        let tensors = ["w": Tensor(shape: [64], repeating: 0.5)]
        try SafetensorsFile(tensors: tensors).write(to: url)
        let whole = try Data(contentsOf: url)
        try whole.prefix(whole.count - 10).write(to: url)
        XCTAssertThrowsError(try SafetensorsFile(contentsOf: url)) { error in
            guard case .truncatedData(url.path, 256, 246)? = error as? SafetensorsError else {
                return XCTFail("expected truncatedData, got \(error)")
            }
        }
    }

    func testMissingFile() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("absent.safetensors")
        XCTAssertThrowsError(try SafetensorsFile(contentsOf: url)) { error in
            guard case .unreadable(url.path, _)? = error as? SafetensorsError else {
                return XCTFail("expected unreadable, got \(error)")
            }
            XCTAssertTrue("\(error)".contains("cannot read \(url.path)"), "\(error)")
        }
    }

    func testReservedTensorNameIsRefusedOnWrite() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("reserved.safetensors")
        let file = SafetensorsFile(tensors: ["__metadata__": Tensor(shape: [1], scalars: [1])])
        XCTAssertThrowsError(try file.write(to: url)) { error in
            XCTAssertEqual(error as? SafetensorsError,
                           .reservedName(file: url.path, name: "__metadata__"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }
}
