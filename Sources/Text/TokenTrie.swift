/// A byte trie over a vocabulary, for WordPiece's longest-match-first search.
///
///     let trie = TokenTrie(vocabulary)
///     // from the root: the longest token that prefixes "playing" — "play";
///     // from the continuation root (the node of "##"): the longest "##…" token — "##ing".
///
/// Walking the trie finds the longest vocabulary token at a position in one pass over the
/// bytes, instead of hashing every candidate substring from the longest down (which is
/// quadratic in the word length). The root and the "##" node have dense 256-way child tables
/// (most walks begin there); deeper edges live in one open-addressing hash table keyed by
/// (node, byte). Tokens are whole UTF-8 strings, so a match always ends on a scalar boundary.
/// Introduced in Chapter 1 (Text pipeline).
struct TokenTrie: Sendable {
    /// The token id that ends at each node, or -1. [nodes]
    var tokenAtNode: [Int32] = [-1]
    /// Children of the root by byte, or -1. [256]
    var rootChildren = [Int32](repeating: -1, count: 256)
    /// Children of the "##" node by byte, or -1. [256]
    var continuationChildren = [Int32](repeating: -1, count: 256)
    /// The node of "##", or -1 when the vocabulary has no continuation tokens.
    var continuationRoot: Int32 = -1
    /// Edge table: key (node << 8 | byte), or `emptyKey`; value the child node.
    var edgeKeys: [UInt32]
    var edgeChildren: [Int32]
    var edgeShift: UInt32

    static let emptyKey = UInt32.max

    init(_ vocabulary: Vocabulary) {
        let totalBytes = vocabulary.tokens.reduce(0) { $0 + $1.utf8.count }
        var bits: UInt32 = 10
        while (1 << bits) < 2 * totalBytes + 16 { bits += 1 }
        edgeKeys = [UInt32](repeating: Self.emptyKey, count: 1 << bits)
        edgeChildren = [Int32](repeating: -1, count: 1 << bits)
        edgeShift = 32 - bits
        for (id, token) in vocabulary.tokens.enumerated() where !vocabulary.isSpecial[id] {
            var node: Int32 = 0
            for byte in token.utf8 { node = childOrInsert(node, byte) }
            tokenAtNode[Int(node)] = Int32(id)
        }
        // Dense tables for the two roots: copy the "##" node's children out of the hash.
        let hash = rootChildren[Int(UInt8(ascii: "#"))]
        if hash >= 0 {
            let node = child(hash, UInt8(ascii: "#"))
            if node >= 0 {
                continuationRoot = node
                for byte in 0..<256 { continuationChildren[byte] = child(node, UInt8(byte)) }
            }
        }
    }

    @inline(__always)
    func slot(_ key: UInt32) -> Int { Int((key &* 2_654_435_761) >> edgeShift) }

    func child(_ node: Int32, _ byte: UInt8) -> Int32 {
        if node == 0 { return rootChildren[Int(byte)] }
        let key = UInt32(node) << 8 | UInt32(byte)
        var s = slot(key)
        while edgeKeys[s] != Self.emptyKey {
            if edgeKeys[s] == key { return edgeChildren[s] }
            s = (s + 1) & (edgeKeys.count - 1)
        }
        return -1
    }

    private mutating func childOrInsert(_ node: Int32, _ byte: UInt8) -> Int32 {
        let existing = child(node, byte)
        if existing >= 0 { return existing }
        let created = Int32(tokenAtNode.count)
        tokenAtNode.append(-1)
        if node == 0 {
            rootChildren[Int(byte)] = created
            return created
        }
        let key = UInt32(node) << 8 | UInt32(byte)
        var s = slot(key)
        while edgeKeys[s] != Self.emptyKey { s = (s + 1) & (edgeKeys.count - 1) }
        edgeKeys[s] = key
        edgeChildren[s] = created
        return created
    }

    /// Raw views of the tables for the encoder's inner loop (no bounds checks, no retains).
    struct View {
        let tokenAtNode: UnsafeBufferPointer<Int32>
        let rootChildren: UnsafeBufferPointer<Int32>
        let continuationChildren: UnsafeBufferPointer<Int32>
        let edgeKeys: UnsafeBufferPointer<UInt32>
        let edgeChildren: UnsafeBufferPointer<Int32>
        let edgeShift: UInt32
        let hasContinuations: Bool

        /// The longest token matching `word[start...]`: (token id, end), or (-1, start).
        @inline(__always)
        func longestMatch(_ word: UnsafeBufferPointer<UInt8>, from start: Int) -> (Int32, Int) {
            var bestId: Int32 = -1
            var bestEnd = start
            var node: Int32
            if start == 0 {
                node = rootChildren[Int(word[0])]
            } else {
                guard hasContinuations else { return (-1, start) }
                node = continuationChildren[Int(word[start])]
            }
            var i = start + 1
            let mask = edgeKeys.count - 1
            while node >= 0 {
                let id = tokenAtNode[Int(node)]
                if id >= 0 {
                    bestId = id
                    bestEnd = i
                }
                if i == word.count { break }
                let key = UInt32(node) << 8 | UInt32(word[i])
                var s = Int((key &* 2_654_435_761) >> edgeShift)
                node = -1
                while true {
                    let k = edgeKeys[s]
                    if k == key { node = edgeChildren[s]; break }
                    if k == TokenTrie.emptyKey { break }
                    s = (s + 1) & mask
                }
                i += 1
            }
            return (bestId, bestEnd)
        }
    }

    func withView<R>(_ body: (View) -> R) -> R {
        tokenAtNode.withUnsafeBufferPointer { tokens in
            rootChildren.withUnsafeBufferPointer { root in
                continuationChildren.withUnsafeBufferPointer { continuation in
                    edgeKeys.withUnsafeBufferPointer { keys in
                        edgeChildren.withUnsafeBufferPointer { children in
                            body(View(tokenAtNode: tokens, rootChildren: root,
                                      continuationChildren: continuation, edgeKeys: keys,
                                      edgeChildren: children, edgeShift: edgeShift,
                                      hasContinuations: continuationRoot >= 0))
                        }
                    }
                }
            }
        }
    }
}
