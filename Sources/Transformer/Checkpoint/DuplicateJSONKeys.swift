/// Finds a key that appears twice in one JSON object.
///
///     DuplicateJSONKeys.first(in: Array(#"{"a": 1, "b": {"c": 2, "c": 3}}"#.utf8))
///     // ("b", "c")
///
/// Readers disagree about duplicate keys — Foundation keeps the first value, Python's `json`
/// the last — so a file with one means different things to different readers, and Tenfold
/// refuses it. Keys are compared after decoding their escapes (`"\u0061"` is `"a"`).
///
/// This is a scan, not a parser: it never fails and never recurses (deep nesting costs no
/// stack), linear in the text; malformed JSON is left to the real parser to report.
/// Introduced in Chapter 1 (checkpoints).
enum DuplicateJSONKeys {
    /// The first repeated key and the path of the object holding it (keys joined by ".",
    /// "the top level" for the outermost object), or nil when every object's keys differ.
    static func first(in bytes: UnsafeRawBufferPointer) -> (path: String, key: String)? {
        struct Frame {
            var isObject: Bool
            var label: String
            var keys: Set<String> = []
            var expectingKey: Bool
        }
        var stack: [Frame] = []
        var lastKey = ""
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "{"):
                stack.append(Frame(isObject: true, label: lastKey, expectingKey: true))
                i += 1
            case UInt8(ascii: "["):
                stack.append(Frame(isObject: false, label: lastKey, expectingKey: false))
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
                i += 1
            case UInt8(ascii: ","):
                if let top = stack.indices.last, stack[top].isObject { stack[top].expectingKey = true }
                i += 1
            case UInt8(ascii: "\""):
                let (text, end) = string(in: bytes, from: i + 1)
                i = end
                guard let top = stack.indices.last, stack[top].isObject, stack[top].expectingKey else { continue }
                stack[top].expectingKey = false
                if !stack[top].keys.insert(text).inserted {
                    let labels = stack.dropFirst().map(\.label)
                    return (labels.isEmpty ? "the top level" : labels.joined(separator: "."), text)
                }
                lastKey = text
            default:
                i += 1
            }
        }
        return nil
    }

    /// The same, for an array of bytes.
    static func first(in bytes: [UInt8]) -> (path: String, key: String)? {
        bytes.withUnsafeBytes { first(in: $0) }
    }

    /// The decoded string that starts at `start` (after its opening quote), and the index
    /// after its closing quote (or the end of the text).
    static func string(in bytes: UnsafeRawBufferPointer, from start: Int) -> (String, Int) {
        var decoded: [UInt8] = []
        var i = start
        var pendingHighSurrogate: UInt32?
        func append(scalar value: UInt32) {
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            decoded.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        // A high surrogate not followed by a low one stands for itself, as U+FFFD.
        func flushSurrogate() {
            if pendingHighSurrogate != nil { append(scalar: 0xFFFD) }
            pendingHighSurrogate = nil
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") { i += 1; break }
            guard byte == UInt8(ascii: "\\"), i + 1 < bytes.count else {
                flushSurrogate()
                decoded.append(byte)
                i += 1
                continue
            }
            let escaped = bytes[i + 1]
            i += 2
            if escaped != UInt8(ascii: "u") { flushSurrogate() }
            switch escaped {
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "u"):
                guard i + 4 <= bytes.count,
                      let value = UInt32(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[i..<i + 4]),
                                                as: UTF8.self), radix: 16) else {
                    flushSurrogate()
                    decoded.append(UInt8(ascii: "u"))
                    continue
                }
                i += 4
                if (0xDC00..<0xE000).contains(value), let high = pendingHighSurrogate {
                    append(scalar: 0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00))
                    pendingHighSurrogate = nil
                } else {
                    flushSurrogate()
                    if (0xD800..<0xDC00).contains(value) { pendingHighSurrogate = value } else { append(scalar: value) }
                }
            default: decoded.append(escaped)   // \" \\ \/ and anything the parser will reject
            }
        }
        flushSurrogate()
        return (String(decoding: decoded, as: UTF8.self), i)
    }
}
