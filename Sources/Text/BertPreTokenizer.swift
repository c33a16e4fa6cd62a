/// The BERT-uncased normaliser and pre-tokeniser in one pass over UTF-8 bytes.
///
///     BertPreTokenizer().words(in: "Héllo, WORLD!中文")
///     // ["hello", ",", "world", "!", "中", "文"]
///
/// Normalising: control characters and U+FFFD are dropped, letters are lower-cased and
/// their accents stripped (NFD, then non-spacing marks removed). Pre-tokenising: whitespace
/// separates words; every punctuation character and every CJK ideograph is a word of its
/// own. This is BERT's `BasicTokenizer` (Devlin et al., 2019) as Hugging Face `tokenizers`
/// implements it (`BertNormalizer` with lowercase and strip_accents, then
/// `BertPreTokenizer`), so Tenfold's words equal theirs.
///
/// The pass is linear in the input and allocates nothing per word: ASCII bytes go through a
/// 128-entry table; other scalars through a cached `ScalarNormalizer`. A word's bytes are
/// handed to the caller in a scratch buffer that is reused for the next word.
/// Introduced in Chapter 1 (Text pipeline).
public struct BertPreTokenizer: Sendable {
    /// ASCII classes: 0 drop, 1 whitespace, 2 punctuation, 3 letter or digit, 4 upper case.
    static let asciiClasses: [UInt8] = (0..<128).map { (byte: Int) -> UInt8 in
        switch byte {
        case 0x09, 0x0A, 0x0D, 0x20: return 1
        case 0..<0x20, 0x7F: return 0
        case 33...47, 58...64, 91...96, 123...126: return 2
        case 65...90: return 4
        default: return 3
        }
    }

    public init() {}

    /// The normalised words of `text`, as strings (convenient, not fast).
    public func words(in text: String) -> [String] {
        var result: [String] = []
        forEachWord(in: text) { bytes, _ in result.append(String(decoding: bytes, as: UTF8.self)) }
        return result
    }

    /// Calls `body(wordUTF8, scalarCount)` for each normalised word of `text`, in order.
    ///
    /// - Parameters:
    ///   - text: any string.
    ///   - body: receives the word's UTF-8 bytes (valid only during the call) and its length
    ///     in Unicode scalars (what WordPiece's maximum word length counts).
    public func forEachWord(in text: String, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        var text = text
        text.withUTF8 { forEachWord(inUTF8: $0, body) }
    }

    /// The same over bytes that must be valid UTF-8 (as a Swift string's are).
    public func forEachWord(inUTF8 bytes: UnsafeBufferPointer<UInt8>,
                            _ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        var capacity = 64
        var word = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { word.deallocate() }
        var length = 0
        var scalars = 0

        @inline(__always) func append(_ byte: UInt8) {
            if length == capacity {
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                grown.update(from: word, count: length)
                word.deallocate()
                word = grown
                capacity *= 2
            }
            word[length] = byte
            length += 1
        }
        @inline(__always) func flush() {
            if length > 0 { body(UnsafeBufferPointer(start: word, count: length), scalars) }
            length = 0
            scalars = 0
        }

        let normalizer = ScalarNormalizer.shared
        Self.asciiClasses.withUnsafeBufferPointer { classes in
            let n = bytes.count
            var i = 0
            while i < n {
                let byte = bytes[i]
                if byte < 0x80 {
                    switch classes[Int(byte)] {
                    case 3: append(byte); scalars += 1
                    case 4: append(byte | 0x20); scalars += 1
                    case 1: flush()
                    case 2: flush(); append(byte); scalars = 1; flush()
                    default: break
                    }
                    i += 1
                    continue
                }
                // A multi-byte scalar: its length from the lead byte, its value from all.
                let width = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                var value = UInt32(byte) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
                var k = 1
                while k < width && i + k < n {
                    value = (value << 6) | (UInt32(bytes[i + k]) & 0x3F)
                    k += 1
                }
                i += width
                let mapping = normalizer.mapping(for: value)
                if mapping.isolated {
                    flush()
                    for piece in mapping.pieces {
                        for b in piece.utf8 { append(b) }
                        scalars += 1
                    }
                    flush()
                    continue
                }
                for piece in mapping.pieces {
                    switch piece.kind {
                    case .letter:
                        for b in piece.utf8 { append(b) }
                        scalars += 1
                    case .whitespace:
                        flush()
                    case .punctuation:
                        flush()
                        for b in piece.utf8 { append(b) }
                        scalars = 1
                        flush()
                    }
                }
            }
        }
        flush()
    }
}
