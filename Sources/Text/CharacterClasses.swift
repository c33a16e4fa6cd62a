import Foundation

/// The character classes of BERT's basic tokenizer, decided one Unicode scalar at a time.
///
///     BertCharacter.isPunctuation("$")   // true: every ASCII non-alphanumeric counts
///     BertCharacter.isCJK("中")           // true: split into a word of its own
///
/// These follow the reference implementation (Devlin et al., 2019, `tokenization.py`) as
/// Hugging Face `tokenizers` has it (`BertNormalizer`, `BertPreTokenizer`):
/// - control: general category C* (Cc, Cf, Cs, Co, Cn) except tab, newline, return — dropped;
/// - whitespace: tab, newline, return, or the White_Space property — a word boundary;
/// - punctuation: ASCII 33–47, 58–64, 91–96, 123–126, or category P* — a word of its own;
/// - CJK: the CJK Unified Ideographs blocks BERT lists — a word of its own.
/// Introduced in Chapter 1 (Text pipeline).
public enum BertCharacter {
    /// Dropped by the normaliser: controls, formats, unassigned, private use, U+FFFD, NUL.
    public static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0, 0xFFFD: return true
        case 0x09, 0x0A, 0x0D: return false
        default: break
        }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// A word boundary.
    public static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20: return true
        default: return scalar.properties.isWhitespace
        }
    }

    /// Split off as a word of its own.
    public static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 33...47, 58...64, 91...96, 123...126: return true
        default: break
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    /// A CJK ideograph (BERT's list of blocks), split off one by one.
    public static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }
}

/// What the BERT-uncased normaliser makes of one non-ASCII scalar, cached.
///
/// The normaliser's steps, in `tokenizers`' order: drop controls; isolate CJK; canonical
/// decomposition (NFD) and removal of non-spacing marks (Mn) — "strip accents"; lower-case.
/// Then each resulting scalar is a letter, whitespace or punctuation for the pre-tokeniser.
///
///     "É" → [letter "e"]      "中" → isolated word "中"      "\u{200B}" → dropped
///
/// Decomposing scalar by scalar equals decomposing the whole string except for the canonical
/// reordering of combining marks, which only matters for marks that are kept (not Mn).
/// Introduced in Chapter 1 (Text pipeline).
final class ScalarNormalizer: @unchecked Sendable {
    enum PieceKind: UInt8 { case letter, whitespace, punctuation }

    struct Piece {
        var kind: PieceKind
        var utf8: [UInt8]
    }

    struct Mapping {
        /// A CJK ideograph: its pieces form a word of their own.
        var isolated: Bool
        var pieces: [Piece]
    }

    static let shared = ScalarNormalizer()

    private var cache: [UInt32: Mapping] = [:]
    private let lock = NSLock()

    func mapping(for value: UInt32) -> Mapping {
        lock.lock()
        defer { lock.unlock() }
        if let known = cache[value] { return known }
        let computed = Self.compute(value)
        cache[value] = computed
        return computed
    }

    static func compute(_ value: UInt32) -> Mapping {
        guard let scalar = Unicode.Scalar(value), !BertCharacter.isDropped(scalar) else {
            return Mapping(isolated: false, pieces: [])
        }
        if BertCharacter.isWhitespace(scalar) {
            return Mapping(isolated: false, pieces: [Piece(kind: .whitespace, utf8: [])])
        }
        let decomposed = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
        var pieces: [Piece] = []
        for part in decomposed where part.properties.generalCategory != .nonspacingMark {
            for lower in part.properties.lowercaseMapping.unicodeScalars {
                let kind: PieceKind = BertCharacter.isWhitespace(lower) ? .whitespace
                    : BertCharacter.isPunctuation(lower) ? .punctuation : .letter
                pieces.append(Piece(kind: kind, utf8: Array(String(lower).utf8)))
            }
        }
        return Mapping(isolated: BertCharacter.isCJK(scalar), pieces: pieces)
    }
}
