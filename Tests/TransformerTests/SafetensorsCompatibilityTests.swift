import Foundation
import XCTest
import Tensors
import Transformer

/// Tenfold reads a file written by the official Python `safetensors` library
/// (scripts/make_safetensors_fixture.py wrote the fixture; this test needs no Python).
final class SafetensorsCompatibilityTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/safetensors_python.safetensors")

    func testReadsTheFileThePythonLibraryWrote() throws {
        let file = try SafetensorsFile(contentsOf: Self.fixture)
        XCTAssertEqual(file.metadata["format"], "np")
        XCTAssertEqual(file.metadata["unicode"], "naïve ✓ \"quoted\"")
        XCTAssertTrue(file.metadata["writer"]?.hasPrefix("safetensors ") ?? false)
        XCTAssertEqual(Set(file.tensors.keys),
                       ["a.weight", "b.special", "c.scalar", "d.empty", "e.half", "f.half_special", "z.matrix"])

        let expected: [String: Tensor] = [
            "a.weight": Tensor(shape: [2, 3], scalars: [0, -0.0, 1.5, -2.25, .greatestFiniteMagnitude,
                                                       .leastNonzeroMagnitude]),
            "b.special": Tensor(shape: [3], scalars: [.infinity, -.infinity, Float(bitPattern: 0x7FC0_0000)]),
            "c.scalar": Tensor(shape: [], scalars: [42]),
            "d.empty": Tensor(shape: [0, 4], scalars: []),
            "e.half": Tensor(shape: [2, 2], scalars: [1.5, -2, 65504, 0x1p-24]),
            "f.half_special": Tensor(shape: [3], scalars: [.infinity, -0.0, 0.333251953125]),
            "z.matrix": Tensor(shape: [4, 5], scalars: (0..<20).map { Float($0) * 0.25 - 2 }),
        ]
        for (name, tensor) in expected { assertSameBits(file.tensors[name], tensor, name) }
    }

    /// Writing what was read gives a file the Python library reads back (checked by hand with
    /// `scripts/make_safetensors_fixture.py <file>`); here, that it reads back in Tenfold the same.
    func testRewritingThePythonFileKeepsEveryValue() throws {
        let original = try SafetensorsFile(contentsOf: Self.fixture)
        let url = try makeScratchFolder(self).appendingPathComponent("rewritten.safetensors")
        try original.write(to: url)
        let back = try SafetensorsFile(contentsOf: url)
        XCTAssertEqual(back.metadata, original.metadata)
        for (name, tensor) in original.tensors { assertSameBits(back.tensors[name], tensor, name) }
    }
}
