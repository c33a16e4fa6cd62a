/// What can be wrong with a safetensors file, each case with a message that names the file,
/// says what is wrong and what to do about it.
///
///     do {
///         let file = try SafetensorsFile(contentsOf: url)
///     } catch let error as SafetensorsError {
///         print(error)   // "checkpoint.safetensors is truncated: …; write it again."
///     }
///
/// Reading never traps on a bad file: every check in `SafetensorsFile` ends in one of these.
/// Introduced in Chapter 1.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or read at all (missing, a folder, no permission).
    case unreadable(file: String, reason: String)
    /// Fewer than the 8 bytes that hold the header size (an empty file included).
    case tooShort(file: String, byteCount: Int)
    /// The header size is above `SafetensorsFile.maximumHeaderByteCount`.
    case oversizedHeader(file: String, declared: UInt64, limit: Int)
    /// The header size runs past the end of the file.
    case headerPastEndOfFile(file: String, declared: UInt64, available: Int)
    /// The header is not UTF-8, not JSON, or not the expected JSON object.
    case invalidHeader(file: String, reason: String)
    /// A tensor's dtype is not one Tenfold reads.
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// A tensor's byte span disagrees with its shape and dtype.
    case sizeMismatch(file: String, tensor: String, dtype: String, shape: [Int],
                      expectedByteCount: Int, offsets: [Int])
    /// Two tensors claim the same bytes.
    case overlappingTensors(file: String, first: String, second: String)
    /// Bytes of the data buffer that no tensor claims (between two tensors or at its start).
    case holeInData(file: String, before: String, start: Int, end: Int)
    /// The header describes more tensor bytes than the file holds.
    case truncatedData(file: String, expectedByteCount: Int, availableByteCount: Int)
    /// The file holds bytes after the last tensor.
    case trailingBytes(file: String, expectedByteCount: Int, availableByteCount: Int)
    /// A tensor name cannot be written (`__metadata__` is reserved by the format).
    case reservedName(file: String, name: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "cannot read \(file): \(reason). Check the path and that the file is readable."
        case let .tooShort(file, byteCount):
            let what = byteCount == 0 ? "is empty" : "holds only \(byteCount) bytes"
            return "\(file) \(what), but a safetensors file starts with an 8-byte header size. "
                + "It was probably cut off while being written or copied; write it again."
        case let .oversizedHeader(file, declared, limit):
            return "\(file) has an oversized header: its first 8 bytes declare a \(declared)-byte "
                + "header, above the limit of \(limit) bytes. It is not a safetensors file or it "
                + "is corrupt; write it again."
        case let .headerPastEndOfFile(file, declared, available):
            return "\(file) has an oversized header: it declares a \(declared)-byte header, but "
                + "only \(available) bytes follow the header size. The file is truncated or not a "
                + "safetensors file; write it again."
        case let .invalidHeader(file, reason):
            return "\(file) has an invalid safetensors header: \(reason). The file is corrupt or "
                + "was not written by a safetensors writer; write it again."
        case let .unsupportedDType(file, tensor, dtype):
            return "\(file): tensor \"\(tensor)\" has dtype \(dtype), which Tenfold does not read "
                + "(it reads F32, F16 and BF16, as Float32). Convert the tensor to float32 before "
                + "saving it (for example `tensor.float()` in PyTorch)."
        case let .sizeMismatch(file, tensor, dtype, shape, expected, offsets):
            let span = offsets.count == 2 ? offsets[1] - offsets[0] : 0
            return "\(file): tensor \"\(tensor)\" of shape \(shape) and dtype \(dtype) needs "
                + "\(expected) bytes, but its data_offsets \(offsets) span \(span). The header "
                + "is inconsistent; write the file again."
        case let .overlappingTensors(file, first, second):
            return "\(file): tensors \"\(first)\" and \"\(second)\" overlap in the data buffer. "
                + "The header is corrupt; write the file again."
        case let .holeInData(file, before, start, end):
            return "\(file): bytes \(start)..<\(end) of the data buffer (before tensor "
                + "\"\(before)\") belong to no tensor. The header is corrupt; write the file again."
        case let .truncatedData(file, expected, available):
            return "\(file) is truncated: its header describes \(expected) bytes of tensor data, "
                + "but only \(available) are present. It was probably cut off while being "
                + "written or copied; write it again."
        case let .trailingBytes(file, expected, available):
            return "\(file) holds \(available - expected) bytes after its last tensor (the header "
                + "describes \(expected) bytes of data, \(available) are present). The file is "
                + "corrupt or was appended to; write it again."
        case let .reservedName(file, name):
            return "cannot write \(file): \"\(name)\" is reserved by the safetensors format and "
                + "cannot name a tensor; rename the tensor."
        }
    }
}
