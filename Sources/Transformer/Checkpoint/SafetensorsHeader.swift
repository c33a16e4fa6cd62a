import Foundation
import Tensors

/// The element types of the safetensors format that Tenfold reads, all into Float32.
///
/// F32 is copied as is; F16 and BF16 (common in Hugging Face checkpoints) widen exactly,
/// since every half and bfloat16 value is a Float32 value. Tenfold writes F32 only.
/// Introduced in Chapter 1.
enum SafetensorsDType: String {
    case float32 = "F32"
    case float16 = "F16"
    case bfloat16 = "BF16"

    /// Bytes per element.
    var byteCount: Int { self == .float32 ? 4 : 2 }
}

/// One tensor's line in the header: `"name": {"dtype", "shape", "data_offsets"}`.
struct SafetensorsEntry {
    var name: String
    var dtype: SafetensorsDType
    var shape: [Int]
    /// Byte range in the data buffer (which starts right after the header).
    var begin: Int
    var end: Int
}

/// The JSON header of a safetensors file: what each tensor is and where its bytes lie, plus
/// the optional `__metadata__` map of strings.
///
/// On disk (safetensors format):
///
///     [8 bytes]  N, the header size, unsigned little-endian
///     [N bytes]  {"__metadata__": {"k": "v"}, "name": {"dtype": "F32", "shape": [2, 3],
///                 "data_offsets": [0, 24]}, …}   UTF-8 JSON, may end in spaces
///     [rest]     the data buffer; offsets count from its first byte, and the tensors must
///                tile it exactly: no holes, no overlaps, nothing after the last one
///
/// Introduced in Chapter 1.
struct SafetensorsHeader {
    var entries: [SafetensorsEntry]
    var metadata: [String: String]

    static let metadataKey = "__metadata__"

    // MARK: Writing

    /// The header bytes for `tensors` laid out back to back in `names` order, padded with
    /// spaces so that the data buffer starts 8-byte aligned (8 + N is a multiple of 8).
    static func encode(names: [String], shapes: [[Int]], metadata: [String: String]) -> [UInt8] {
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted(by: utf8Order).map { key in
                jsonString(key) + ":" + jsonString(metadata[key]!)
            }
            members.append(jsonString(metadataKey) + ":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, shape) in zip(names, shapes) {
            let end = offset + Tensor.elementCount(shape) * SafetensorsDType.float32.byteCount
            let dimensions = shape.map(String.init).joined(separator: ",")
            members.append(jsonString(name) + ":{\"dtype\":\"F32\",\"shape\":[\(dimensions)],"
                           + "\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var bytes = Array(("{" + members.joined(separator: ",") + "}").utf8)
        while bytes.count % 8 != 0 { bytes.append(UInt8(ascii: " ")) }
        return bytes
    }

    /// Byte-wise (code point) order: the same on every platform and in Python's `sorted`.
    static func utf8Order(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, everything
    /// else written as UTF-8.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    // MARK: Reading

    /// Parses and checks the header bytes; `fileName` goes into every error message.
    ///
    /// Checks, in order: UTF-8; a JSON object whose members are tensor entries (with `dtype`,
    /// `shape`, `data_offsets`) or the `__metadata__` map of strings; each dtype supported;
    /// each shape non-negative and its byte size equal to the span of its offsets.
    init(decoding bytes: UnsafeRawBufferPointer, fileName: String) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.elementsEqual(bytes) else {
            throw SafetensorsError.invalidHeader(file: fileName, reason: "it is not valid UTF-8")
        }
        if let (path, key) = DuplicateJSONKeys.first(in: bytes) {
            throw SafetensorsError.invalidHeader(
                file: fileName, reason: "it holds the key \"\(key)\" twice in \(path), and readers disagree "
                    + "about which one counts")
        }
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: Data(bytes))
        } catch {
            var reason = (error as? DecodingError).map(Self.explain) ?? "\(error)"
            // Foundation on Linux reports a value of the wrong type (1.5 for a size) as invalid
            // JSON, with no path: if the JSON parses, find the value ourselves.
            if case .dataCorrupted(let context)? = error as? DecodingError, context.codingPath.isEmpty,
               let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
               let problem = Self.schemaProblem(object) {
                reason = problem
            }
            throw SafetensorsError.invalidHeader(file: fileName, reason: reason)
        }
        metadata = raw.metadata
        entries = []
        for (name, entry) in raw.entries.sorted(by: { Self.utf8Order($0.0, $1.0) }) {
            entries.append(try Self.check(entry, named: name, fileName: fileName))
        }
    }

    /// Turns one raw JSON entry into a checked `SafetensorsEntry`.
    static func check(_ raw: RawEntry, named name: String, fileName: String) throws -> SafetensorsEntry {
        func invalid(_ reason: String) -> SafetensorsError {
            .invalidHeader(file: fileName, reason: "tensor \"\(name)\" \(reason)")
        }
        guard let dtype = SafetensorsDType(rawValue: raw.dtype) else {
            throw SafetensorsError.unsupportedDType(file: fileName, tensor: name, dtype: raw.dtype)
        }
        guard raw.shape.allSatisfy({ $0 >= 0 }) else {
            throw invalid("has a negative dimension in its shape \(raw.shape)")
        }
        guard raw.dataOffsets.count == 2 else {
            throw invalid("has data_offsets \(raw.dataOffsets); expected [begin, end]")
        }
        let (begin, end) = (raw.dataOffsets[0], raw.dataOffsets[1])
        guard begin >= 0, end >= begin else {
            throw invalid("has data_offsets [\(begin), \(end)]; expected 0 ≤ begin ≤ end")
        }
        var byteCount = dtype.byteCount
        for dimension in raw.shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw invalid("has a shape \(raw.shape) too large to address") }
            byteCount = product
        }
        guard byteCount == end - begin else {
            throw SafetensorsError.sizeMismatch(
                file: fileName, tensor: name, dtype: raw.dtype, shape: raw.shape,
                expectedByteCount: byteCount, offsets: raw.dataOffsets)
        }
        return SafetensorsEntry(name: name, dtype: dtype, shape: raw.shape, begin: begin, end: end)
    }

    /// Checks that the tensors tile a data buffer of `byteCount` bytes exactly.
    func checkLayout(dataByteCount byteCount: Int, fileName: String) throws {
        let byPosition = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var cursor = 0
        var previous = ""
        for entry in byPosition {
            if entry.begin < cursor {
                throw SafetensorsError.overlappingTensors(file: fileName, first: previous, second: entry.name)
            }
            if entry.begin > cursor {
                throw SafetensorsError.holeInData(file: fileName, before: entry.name,
                                                  start: cursor, end: entry.begin)
            }
            cursor = entry.end
            previous = entry.name
        }
        if cursor > byteCount {
            throw SafetensorsError.truncatedData(file: fileName, expectedByteCount: cursor,
                                                 availableByteCount: byteCount)
        }
        if cursor < byteCount {
            throw SafetensorsError.trailingBytes(file: fileName, expectedByteCount: cursor,
                                                 availableByteCount: byteCount)
        }
    }

    /// The first value of a parsed header that is not what the format allows, in words, or nil.
    static func schemaProblem(_ object: Any) -> String? {
        guard let members = object as? [String: Any] else { return "the top level is not a JSON object" }
        func wholeNumbers(_ value: Any?, _ path: String) -> String? {
            guard let array = value as? [Any] else { return "\(path) is not an array of whole numbers" }
            for (i, element) in array.enumerated() {
                // An integer that fits in 64 bits (parsed as an integer type, not a double or a
                // boolean); 1.5, 1e300 and 2⁶⁴ do not.
                guard let number = element as? NSNumber,
                      ["i", "l", "q", "s"].contains(String(cString: number.objCType)) else {
                    return "\(path)[\(i)] is \(element), not a whole number that fits in 64 bits"
                }
            }
            return nil
        }
        for name in members.keys.sorted(by: utf8Order) {
            let value = members[name]!
            if name == metadataKey {
                guard let map = value as? [String: Any] else { return "\(metadataKey) is not a JSON object" }
                if let key = map.keys.sorted(by: utf8Order).first(where: { !(map[$0] is String) }) {
                    return "\(metadataKey).\(key) is not a string (the format allows only strings there)"
                }
                continue
            }
            guard let entry = value as? [String: Any] else { return "\(name) is not a JSON object" }
            guard entry["dtype"] is String else { return "\(name).dtype is missing or not a string" }
            if let problem = wholeNumbers(entry["shape"], name + ".shape") { return problem }
            if let problem = wholeNumbers(entry["data_offsets"], name + ".data_offsets") { return problem }
        }
        return nil
    }

    /// A decoding error in words, with the JSON path where it happened.
    static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context):
            return "\(path(context)) has no \"\(key.stringValue)\" field"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "\(path(context)) has the wrong type (\(context.debugDescription))"
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty {
                return "it is not valid JSON (\(context.debugDescription))"
            }
            return "\(path(context)) is invalid (\(context.debugDescription))"
        @unknown default:
            return "\(error)"
        }
    }
}

/// The header exactly as the JSON has it, before any check beyond the types.
struct RawHeader: Decodable {
    var entries: [(String, RawEntry)] = []
    var metadata: [String: String] = [:]

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys {
            if key.stringValue == SafetensorsHeader.metadataKey {
                metadata = try container.decode([String: String].self, forKey: key)
            } else {
                entries.append((key.stringValue, try container.decode(RawEntry.self, forKey: key)))
            }
        }
    }
}

/// One tensor entry as the JSON has it.
struct RawEntry: Decodable {
    var dtype: String
    var shape: [Int]
    var dataOffsets: [Int]

    enum CodingKeys: String, CodingKey {
        case dtype, shape
        case dataOffsets = "data_offsets"
    }
}

/// A coding key for JSON objects whose member names are data (tensor names).
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
