import Foundation
import Tensors
import AtomicFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Named Float32 tensors plus a map of strings, as a safetensors file — the format Hugging
/// Face uses, so PyTorch, `transformers` and the `safetensors` library read what Tenfold
/// writes, and Tenfold reads theirs.
///
///     var rng = SeededGenerator(seed: 1)
///     let file = SafetensorsFile(
///         tensors: ["embedding.word": .normal([8, 4], std: 0.02, using: &rng)],  // [V, H]
///         metadata: ["note": "a tiny example"])
///     try file.write(to: URL(fileURLWithPath: "tiny.safetensors"))
///     let back = try SafetensorsFile(contentsOf: URL(fileURLWithPath: "tiny.safetensors"))
///     // back.tensors["embedding.word"] holds the same bits.
///
/// Writing is deterministic: tensors in byte-wise name order, back to back, as little-endian
/// F32, after a compact header padded with spaces so the data starts 8-byte aligned. The
/// same tensors and metadata give the same bytes. It is also atomic (see `AtomicFile`).
///
/// Reading checks everything before it touches the data (see `SafetensorsHeader`) and throws a
/// `SafetensorsError` naming the file and the problem. The file is memory-mapped and each
/// tensor copied once into its own storage; F16 and BF16 tensors are widened to Float32.
/// Introduced in Chapter 1.
public struct SafetensorsFile {
    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// Free-form strings stored in the header under `__metadata__`.
    public var metadata: [String: String]
    /// The CRC-32 of the data buffer as read, when the reader asked for it (`Checkpoint`).
    var dataCRC32: UInt32?

    /// The largest header accepted, as in the reference implementation (100 MB): a larger
    /// size means a corrupt file, not a real header.
    public static let maximumHeaderByteCount = 100_000_000

    /// A file's contents, to write.
    ///
    /// - Parameters:
    ///   - tensors: the tensors by name; `__metadata__` cannot name a tensor.
    ///   - metadata: strings to store beside them (the format allows only strings).
    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads and checks the safetensors file at `url`.
    ///
    /// - Parameter url: a file written by Tenfold or any safetensors writer, with F32, F16
    ///   or BF16 tensors.
    /// - Throws: `SafetensorsError`, naming the file and what is wrong with it.
    public init(contentsOf url: URL) throws {
        try self.init(contentsOf: url, checksummingData: false)
    }

    /// Reads the file and, with `checksummingData`, the CRC-32 of its data buffer.
    init(contentsOf url: URL, checksummingData: Bool) throws {
        if let problem = Self.notARegularFile(url.path) {
            throw SafetensorsError.unreadable(file: url.path, reason: problem)
        }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw SafetensorsError.unreadable(file: url.path, reason: Self.reason(error))
        }
        self = try bytes.withUnsafeBytes {
            try Self(parsing: $0, fileName: url.path, checksummingData: checksummingData)
        }
    }

    /// Why `path` cannot be read as a file (a folder, a device, a pipe), or nil; a missing
    /// file is left to the read, which says so.
    static func notARegularFile(_ path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "it is a folder, not a regular file"
        default: return "it is not a regular file (a device, a pipe or a socket)"
        }
    }

    /// Parses a whole safetensors file held in memory.
    ///
    /// - Parameters:
    ///   - bytes: the file's bytes.
    ///   - fileName: how error messages name the file.
    /// - Throws: `SafetensorsError`.
    public init(parsing bytes: UnsafeRawBufferPointer, fileName: String) throws {
        try self.init(parsing: bytes, fileName: fileName, checksummingData: false)
    }

    init(parsing bytes: UnsafeRawBufferPointer, fileName: String, checksummingData: Bool) throws {
        // Pass 1: the header size, bounded before anything is read through it.
        guard bytes.count >= 8 else {
            throw SafetensorsError.tooShort(file: fileName, byteCount: bytes.count)
        }
        let declared = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(Self.maximumHeaderByteCount) else {
            throw SafetensorsError.oversizedHeader(file: fileName, declared: declared,
                                                   limit: Self.maximumHeaderByteCount)
        }
        let headerEnd = 8 + Int(declared)
        guard headerEnd <= bytes.count else {
            throw SafetensorsError.headerPastEndOfFile(file: fileName, declared: declared,
                                                       available: bytes.count - 8)
        }
        // Pass 2: the header, then the layout of the data buffer it describes.
        let header = try SafetensorsHeader(
            decoding: UnsafeRawBufferPointer(rebasing: bytes[8..<headerEnd]), fileName: fileName)
        let data = UnsafeRawBufferPointer(rebasing: bytes[headerEnd...])
        try header.checkLayout(dataByteCount: data.count, fileName: fileName)
        // Pass 3: one copy per tensor, from the file's bytes into the tensor's storage.
        var tensors: [String: Tensor] = [:]
        for entry in header.entries {
            tensors[entry.name] = Self.decode(
                UnsafeRawBufferPointer(rebasing: data[entry.begin..<entry.end]),
                dtype: entry.dtype, shape: entry.shape)
        }
        self.init(tensors: tensors, metadata: header.metadata)
        if checksummingData {
            var crc = CRC32()
            crc.update(data)
            dataCRC32 = crc.value
        }
    }

    /// Writes the file atomically: `url` afterwards holds either its old contents or all of
    /// the new ones.
    ///
    /// - Parameter url: the destination; its folder must exist.
    /// - Throws: `SafetensorsError.reservedName` for a tensor named `__metadata__`,
    ///   `AtomicFileError` when the system refuses the write.
    public func write(to url: URL) throws {
        if tensors[SafetensorsHeader.metadataKey] != nil {
            throw SafetensorsError.reservedName(file: url.path, name: SafetensorsHeader.metadataKey)
        }
        let names = tensors.keys.sorted(by: SafetensorsHeader.utf8Order)
        let header = SafetensorsHeader.encode(
            names: names, shapes: names.map { tensors[$0]!.shape }, metadata: metadata)
        try AtomicFile.write(to: url) { sink in
            var size = UInt64(header.count).littleEndian
            try withUnsafeBytes(of: &size) { try sink.write($0) }
            try sink.write(header)
            for name in names { try Self.encode(tensors[name]!, into: &sink) }
        }
    }

    // MARK: Element conversion

    /// Appends the elements of `tensor` as little-endian F32.
    static func encode(_ tensor: Tensor, into sink: inout AtomicFile.Sink) throws {
        try tensor.withUnsafeBufferPointer { elements in
            #if _endian(little)
            try sink.write(UnsafeRawBufferPointer(elements))
            #else
            let chunk = 1 << 16
            for start in stride(from: 0, to: elements.count, by: chunk) {
                let swapped = elements[start..<min(start + chunk, elements.count)].map {
                    $0.bitPattern.littleEndian
                }
                try swapped.withUnsafeBytes { try sink.write($0) }
            }
            #endif
        }
    }

    /// A Float32 tensor of `shape` from little-endian elements of `dtype`.
    static func decode(_ bytes: UnsafeRawBufferPointer, dtype: SafetensorsDType, shape: [Int]) -> Tensor {
        var tensor = Tensor(uninitializedShape: shape)
        tensor.withUnsafeMutableBufferPointer { out in
            switch dtype {
            case .float32:
                #if _endian(little)
                UnsafeMutableRawBufferPointer(out).copyMemory(from: bytes)
                #else
                for i in out.indices {
                    out[i] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(
                        fromByteOffset: 4 * i, as: UInt32.self)))
                }
                #endif
            case .float16:
                for i in out.indices {
                    out[i] = floatFromHalf(UInt16(littleEndian: bytes.loadUnaligned(
                        fromByteOffset: 2 * i, as: UInt16.self)))
                }
            case .bfloat16:
                // bfloat16 is the top half of a Float32: sign, 8 exponent bits, 7 mantissa bits.
                for i in out.indices {
                    let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                    out[i] = Float(bitPattern: UInt32(bits) << 16)
                }
            }
        }
        return tensor
    }

    /// An IEEE half (1 sign, 5 exponent bits biased by 15, 10 mantissa bits) widened exactly.
    /// Written out rather than through `Float16`, which Swift lacks on Intel Macs.
    static func floatFromHalf(_ half: UInt16) -> Float {
        let sign: Float = half & 0x8000 != 0 ? -1 : 1
        let exponent = UInt32(half >> 10) & 0x1F
        let mantissa = UInt32(half & 0x3FF)
        switch exponent {
        case 0:     // zero or subnormal: mantissa × 2⁻²⁴
            return sign * Float(mantissa) * 0x1p-24
        case 0x1F:  // infinity or NaN; the payload moves to the top of Float32's mantissa
            let bits = (half & 0x8000 != 0 ? 0x8000_0000 : 0) | 0x7F80_0000 | (mantissa << 13)
            return Float(bitPattern: UInt32(bits))
        default:    // normal: rebias the exponent from 15 to 127
            let bits = (half & 0x8000 != 0 ? 0x8000_0000 : 0) | ((exponent + 112) << 23) | (mantissa << 13)
            return Float(bitPattern: UInt32(bits))
        }
    }

    /// The useful part of a Foundation read error.
    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
