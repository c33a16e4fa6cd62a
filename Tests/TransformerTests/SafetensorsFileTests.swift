import Foundation
import XCTest
import Tensors
import Transformer

/// Writing and reading safetensors files: values, metadata, layout, determinism.
final class SafetensorsFileTests: XCTestCase {
    func sampleTensors() -> [String: Tensor] {
        var rng = SeededGenerator(seed: 7)
        return [
            "encoder.layer.0.weight": .normal([3, 5], std: 0.5, using: &rng),
            "b.bias": Tensor(shape: [4], scalars: [0, -0.0, .infinity, .greatestFiniteMagnitude]),
            "scalar": Tensor(shape: [], scalars: [-1.25]),
            "empty": Tensor(shape: [0, 7], scalars: []),
            "nan.payload": Tensor(shape: [2], scalars: [Float(bitPattern: 0x7FC0_1234),
                                                        .leastNonzeroMagnitude]),
            "naïve ✓ \"quoted\"": Tensor(shape: [1, 1, 2], scalars: [1, 2]),
        ]
    }

    func testRoundTripKeepsEveryBitAndTheMetadata() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("round.safetensors")
        let metadata = ["step": "12", "config": "{\"hidden\": 16}", "line\nbreak": "tab\there\u{1}"]
        let tensors = sampleTensors()
        try SafetensorsFile(tensors: tensors, metadata: metadata).write(to: url)

        let back = try SafetensorsFile(contentsOf: url)
        XCTAssertEqual(back.metadata, metadata)
        XCTAssertEqual(Set(back.tensors.keys), Set(tensors.keys))
        for (name, tensor) in tensors { assertSameBits(back.tensors[name], tensor, name) }
    }

    func testSameInputGivesTheSameBytes() throws {
        let folder = try makeScratchFolder(self)
        let first = folder.appendingPathComponent("first.safetensors")
        let second = folder.appendingPathComponent("second.safetensors")
        let metadata = ["b": "2", "a": "1"]
        try SafetensorsFile(tensors: sampleTensors(), metadata: metadata).write(to: first)
        // A dictionary built in another order must not change the bytes.
        let reordered = Dictionary(uniqueKeysWithValues: sampleTensors().sorted { $0.key > $1.key })
        try SafetensorsFile(tensors: reordered, metadata: metadata).write(to: second)
        XCTAssertEqual(try Data(contentsOf: first), try Data(contentsOf: second))
    }

    func testLayoutIsSortedAlignedAndContiguous() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("layout.safetensors")
        let tensors = ["b": Tensor(shape: [3], scalars: [1, 2, 3]), "a": Tensor(shape: [1], scalars: [9])]
        try SafetensorsFile(tensors: tensors, metadata: ["k": "v"]).write(to: url)
        let bytes = [UInt8](try Data(contentsOf: url))

        let headerSize = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual((8 + headerSize) % 8, 0, "the data must start 8-byte aligned")
        let header = String(decoding: bytes[8..<(8 + headerSize)], as: UTF8.self)
        XCTAssertEqual(header.trimmingCharacters(in: .whitespaces),
                       #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"#
                       + #""b":{"dtype":"F32","shape":[3],"data_offsets":[4,16]}}"#)
        XCTAssertEqual(Array(bytes[(8 + headerSize)...]), float32Bytes([9, 1, 2, 3]))
    }

    func testNoTensorsAndNoMetadataIsAValidFile() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("empty.safetensors")
        try SafetensorsFile().write(to: url)
        let back = try SafetensorsFile(contentsOf: url)
        XCTAssertTrue(back.tensors.isEmpty)
        XCTAssertTrue(back.metadata.isEmpty)
    }

    func testReadsHeadersWithWhitespaceAndAnyMemberOrder() throws {
        let header = "  {\"z\": {\"data_offsets\": [4, 8], \"shape\": [1], \"dtype\": \"F32\"},\n"
            + " \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}   \n "
        let bytes = safetensorsBytes(header: header, data: float32Bytes([1, 2]))
        let file = try bytes.withUnsafeBytes { try SafetensorsFile(parsing: $0, fileName: "ws") }
        XCTAssertEqual(file.tensors["a"]?.scalars, [1])
        XCTAssertEqual(file.tensors["z"]?.scalars, [2])
    }

    /// Every one of the 65 536 half-precision patterns widens to the Float32 that Swift's own
    /// `Float16` gives (NaNs compared as NaN, since payload conventions may differ).
    func testF16WidensExactlyForEveryPattern() throws {
        let patterns = (0...UInt16.max).map { $0 }
        let header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[65536],\"data_offsets\":[0,131072]}}"
        let bytes = safetensorsBytes(header: header, data: uint16Bytes(patterns))
        let file = try bytes.withUnsafeBytes { try SafetensorsFile(parsing: $0, fileName: "f16") }
        let values = try XCTUnwrap(file.tensors["h"]).scalars
        #if !(os(macOS) && arch(x86_64))
        var wrong: [String] = []
        for (bits, value) in zip(patterns, values) {
            let expected = Float(Float16(bitPattern: bits))
            let same = expected.isNaN ? value.isNaN : expected.bitPattern == value.bitPattern
            if !same { wrong.append("0x\(String(bits, radix: 16)) → \(value), expected \(expected)") }
        }
        XCTAssertTrue(wrong.isEmpty, "\(wrong.count) patterns differ, first: \(wrong.prefix(4))")
        #endif
        XCTAssertEqual(values[0x3C00], 1)
        XCTAssertEqual(values[0x0001], 0x1p-24)
        XCTAssertEqual(values[0x7BFF], 65504)
        XCTAssertEqual(values[0xFC00], -.infinity)
    }

    func testBF16IsTheTopHalfOfFloat32() throws {
        let values: [Float] = [1, -2.5, .infinity, 0x1p-133, 3.0e38]
        let patterns = values.map { UInt16($0.bitPattern >> 16) }
        let header = "{\"b\":{\"dtype\":\"BF16\",\"shape\":[5],\"data_offsets\":[0,10]}}"
        let bytes = safetensorsBytes(header: header, data: uint16Bytes(patterns))
        let file = try bytes.withUnsafeBytes { try SafetensorsFile(parsing: $0, fileName: "bf16") }
        let expected = values.map { Float(bitPattern: $0.bitPattern & 0xFFFF_0000) }
        assertSameBits(file.tensors["b"], Tensor(shape: [5], scalars: expected), "b")
    }
}
