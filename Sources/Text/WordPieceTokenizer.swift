import Foundation

/// WordPiece encoding: BERT-uncased words, each split greedily into the longest vocabulary
/// tokens, continuations marked `##`.
///
///     let tokenizer = try WordPieceTokenizer.embedded()
///     tokenizer.tokens("Unbelievable!")      // e.g. ["un", "##believ", "##able", "!"]
///     tokenizer.encode("Unbelievable!").ids  // their ids; no [CLS]/[SEP]
///
/// For each word (`BertPreTokenizer`): a word longer than `maxWordCharacters` scalars is one
/// [UNK]; otherwise, from its start, take the longest token in the vocabulary that prefixes
/// the rest (written `##…` after the first piece), and repeat; if at some point no token
/// matches, the whole word becomes one [UNK]. This is the algorithm of Wu et al. (2016) as
/// BERT ships it, and gives the same ids as Hugging Face's `BertTokenizer` and `tokenizers`
/// BertWordPiece (lowercase, strip accents) for the same vocab.txt.
///
/// Cost: linear in the text (a trie walk per piece). A token id costs 4 bytes of output.
/// Introduced in Chapter 1 (Text pipeline).
public struct WordPieceTokenizer: Sendable {
    /// The vocabulary encoded into.
    public let vocabulary: Vocabulary
    /// Words longer than this (in Unicode scalars, after normalising) become [UNK]. BERT: 100.
    public let maxWordCharacters: Int
    /// The normaliser and pre-tokeniser.
    public let preTokenizer = BertPreTokenizer()
    let trie: TokenTrie

    /// - Parameters:
    ///   - vocabulary: the tokens to encode into.
    ///   - maxWordCharacters: the longest word (in scalars) not replaced by [UNK].
    public init(vocabulary: Vocabulary, maxWordCharacters: Int = 100) {
        self.vocabulary = vocabulary
        self.maxWordCharacters = maxWordCharacters
        trie = TokenTrie(vocabulary)
    }

    /// The tokenizer of the default 8 192-token vocabulary of the embedded corpus.
    public static func embedded() throws -> WordPieceTokenizer {
        WordPieceTokenizer(vocabulary: try Vocabulary.embedded())
    }

    /// Token ids and word spans of `text` (no [CLS]/[SEP]).
    public func encode(_ text: String) -> Encoding {
        var encoding = Encoding()
        encode(text, into: &encoding)
        return encoding
    }

    /// Appends the ids and word spans of `text` to `encoding` (spans count from its end).
    public func encode(_ text: String, into encoding: inout Encoding) {
        var text = text
        text.withUTF8 { bytes in
            trie.withView { trie in
                preTokenizer.forEachWord(inUTF8: bytes) { word, scalars in
                    let start = Int32(encoding.ids.count)
                    appendWord(word, scalars: scalars, trie: trie, to: &encoding.ids)
                    encoding.wordSpans.append(WordSpan(start: start, end: Int32(encoding.ids.count)))
                }
            }
        }
    }

    /// Token ids of `text` only (no [CLS]/[SEP]); the fastest path.
    public func ids(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        appendIds(text, to: &ids)
        return ids
    }

    /// Appends the token ids of `text` to `ids`.
    public func appendIds(_ text: String, to ids: inout [Int32]) {
        var text = text
        text.withUTF8 { bytes in
            trie.withView { trie in
                preTokenizer.forEachWord(inUTF8: bytes) { word, scalars in
                    appendWord(word, scalars: scalars, trie: trie, to: &ids)
                }
            }
        }
    }

    /// Token strings of `text` (for reading, not speed).
    public func tokens(_ text: String) -> [String] { ids(text).map { vocabulary[$0] } }

    /// The tokens of one word: greedy longest match, or one [UNK].
    @inline(__always)
    func appendWord(_ word: UnsafeBufferPointer<UInt8>, scalars: Int, trie: TokenTrie.View,
                    to ids: inout [Int32]) {
        if scalars > maxWordCharacters {
            ids.append(vocabulary.unknownId)
            return
        }
        let first = ids.count
        var start = 0
        while start < word.count {
            let (id, end) = trie.longestMatch(word, from: start)
            if id < 0 {
                ids.removeSubrange(first...)
                ids.append(vocabulary.unknownId)
                return
            }
            ids.append(id)
            start = end
        }
    }
}
