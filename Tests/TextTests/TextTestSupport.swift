import Foundation
@testable import Text

/// Shared by the Text tests: the embedded tokenizer and corpus (loaded once), a small
/// hand-made vocabulary, and temporary files.
enum Fixture {
    static let tokenizer: WordPieceTokenizer = try! WordPieceTokenizer.embedded()
    static let corpus: Corpus = try! Corpus.embedded()
    static let split = corpus.split()

    /// A tiny vocabulary: the five specials, then `tokens`.
    static func vocabulary(_ tokens: [String]) -> Vocabulary {
        try! Vocabulary(tokens: Vocabulary.requiredSpecialTokens + tokens)
    }

    /// The folder of this file's fixtures (found from the source tree, not a bundle).
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A fresh temporary folder, removed by the caller's `defer`.
    static func temporaryFolder() -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tenfold-text-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ bytes: [UInt8], to url: URL) {
        try! Data(bytes).write(to: url)
    }
}
