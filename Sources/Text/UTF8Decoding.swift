/// Bytes decoded as UTF-8, with every invalid sequence replaced by U+FFFD and counted.
///
///     let decoded = DecodedText(bytes: [0x68, 0x69, 0xFF])
///     decoded.text            // "hi\u{FFFD}"
///     decoded.invalidSequences // 1
///
/// Tenfold never refuses text for a bad byte: it decodes with replacement (as Python's
/// `errors="replace"` does, one U+FFFD per maximal invalid subpart) and reports how many
/// replacements it made. The BERT normaliser then drops U+FFFD, so a bad byte costs a
/// character, never a crash. Introduced in Chapter 1 (Text pipeline).
public struct DecodedText: Sendable {
    /// The decoded text.
    public let text: String
    /// How many invalid UTF-8 sequences were replaced by U+FFFD.
    public let invalidSequences: Int

    /// Decodes `bytes`; linear in their length.
    public init<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        if let valid = String(validating: bytes, as: UTF8.self) {
            text = valid
            invalidSequences = 0
            return
        }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var scalars = String.UnicodeScalarView()
        var errors = 0
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): scalars.append(Unicode.UTF8.decode(encoded))
            case .error:
                scalars.append("\u{FFFD}")
                errors += 1
            case .emptyInput: break loop
            }
        }
        text = String(scalars)
        invalidSequences = errors
    }
}

/// Whether the first bytes of a file look binary: Tenfold, like git, calls a file binary
/// when its first 8 000 bytes hold a NUL byte. Introduced in Chapter 1 (Text pipeline).
@inlinable
public func looksBinary<Bytes: Collection>(_ prefix: Bytes) -> Bool where Bytes.Element == UInt8 {
    prefix.prefix(8000).contains(0)
}
