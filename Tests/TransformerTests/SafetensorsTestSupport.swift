import Foundation
import XCTest
import Tensors

/// A fresh, empty folder under the system's temporary folder, removed by `tearDown`.
func makeScratchFolder(_ test: XCTestCase) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("tenfold-tests-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    return folder
}

/// The bytes of a safetensors file assembled by hand: the header size (the true one unless
/// `declaredSize` says otherwise), the header text, the data.
func safetensorsBytes(header: String, data: [UInt8] = [], declaredSize: UInt64? = nil) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    var size = (declaredSize ?? UInt64(headerBytes.count)).littleEndian
    let sizeBytes = withUnsafeBytes(of: &size) { Array($0) }
    return sizeBytes + headerBytes + data
}

/// Little-endian bytes of Float32 values.
func float32Bytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value -> [UInt8] in
        var bits = value.bitPattern.littleEndian
        return withUnsafeBytes(of: &bits) { Array($0) }
    }
}

/// Little-endian bytes of 16-bit patterns (F16 or BF16).
func uint16Bytes(_ values: [UInt16]) -> [UInt8] {
    values.flatMap { value -> [UInt8] in [UInt8(value & 0xFF), UInt8(value >> 8)] }
}

/// Fails with the first entries whose bits differ, llm.c style, instead of a bare "false".
func assertSameBits(_ actual: Tensor?, _ expected: Tensor, _ name: String,
                    file: StaticString = #filePath, line: UInt = #line) {
    guard let actual else { return XCTFail("tensor \(name) is missing", file: file, line: line) }
    XCTAssertEqual(actual.shape, expected.shape, "shape of \(name)", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let differing = zip(actual.scalars, expected.scalars).enumerated()
        .filter { $0.element.0.bitPattern != $0.element.1.bitPattern }
    if !differing.isEmpty {
        let first = differing.prefix(4).map { "[\($0.offset)] \($0.element.0) vs \($0.element.1)" }
        XCTFail("\(name): \(differing.count) of \(expected.count) elements differ in bits, first: "
                + first.joined(separator: ", "), file: file, line: line)
    }
}
