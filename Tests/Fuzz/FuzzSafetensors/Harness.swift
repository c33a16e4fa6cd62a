import Foundation
import FuzzSupport
import Transformer

/// libFuzzer harness: the safetensors reader (header size, JSON header, duplicate keys,
/// offsets, dtypes, data layout) on arbitrary bytes. Any outcome but a trap is a pass: a
/// `SafetensorsError` is the reader doing its job.
///
/// `make fuzz` builds it for libFuzzer; built normally, it replays the files given as
/// arguments, which is how `make test` runs Tests/Fuzz/Corpora/safetensors (`runFuzzHarness`).
func fuzz(_ bytes: UnsafeRawBufferPointer) {
    guard let file = try? SafetensorsFile(parsing: bytes, fileName: "fuzz.safetensors") else { return }
    for (name, tensor) in file.tensors {
        // What the reader returns holds together: a shape and as many elements.
        precondition(tensor.count == tensor.shape.reduce(1, *), "tensor \(name): \(tensor.shape) vs \(tensor.count)")
    }
}

@main
enum Harness {
    static func main() { runFuzzHarness(fuzz) }
}
