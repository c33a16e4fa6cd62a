import Foundation
import XCTest
@testable import Text

/// Prepared corpora: shards hold exactly the tokenizer's output, a resumed preparation gives
/// the same bytes, and every bad folder is refused with one sentence.
final class ShardTests: XCTestCase {
    /// A small corpus of several files, documents separated by blank lines.
    static func makeCorpus(in folder: URL) -> URL {
        let corpus = folder.appendingPathComponent("corpus")
        try! FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        let documents = Fixture.split.training.documents.prefix(120)
        for (k, chunk) in stride(from: 0, to: documents.count, by: 40).enumerated() {
            let text = documents.dropFirst(chunk).prefix(40).map { $0.paragraphs.joined(separator: "\n") }
                .joined(separator: "\n\n")
            try! Data(text.utf8).write(to: corpus.appendingPathComponent("part-\(k).txt"))
        }
        return corpus
    }

    /// A temporary folder (removed after the test) with the corpus, and where its shards go.
    func makeFolders() -> (folder: URL, corpus: URL, output: URL) {
        let folder = Fixture.temporaryFolder()
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return (folder, Self.makeCorpus(in: folder), folder.appendingPathComponent("data"))
    }

    func prepare(_ corpus: URL, into output: URL, tokenizer: WordPieceTokenizer = Fixture.tokenizer) throws
        -> PreparedCorpus.Manifest {
        try CorpusPreparation(corpus: corpus.path, output: output, tokenizer: tokenizer, shardBytes: 5_000, jobs: 2).run()
    }

    func testShardsHoldTheTokenizersOutput() throws {
        let (_, corpus, output) = makeFolders()
        let manifest = try prepare(corpus, into: output)
        XCTAssertGreaterThan(manifest.shards.count, 2, "small shards: several of them")
        let prepared = try PreparedCorpus(folder: output)
        let shards = try prepared.openShards(verify: true)

        var stream = try TextDirectoryStream(path: corpus.path)
        var expected: [Document] = []
        while let document = try stream.next() { expected.append(document) }
        var d = 0
        for shard in shards {
            for k in 0..<shard.documentCount {
                let document = expected[d]
                d += 1
                var ids: [Int32] = [], wordStarts: [Bool] = [], paragraphStarts: [Bool] = []
                for paragraph in document.paragraphs {
                    let encoding = Fixture.tokenizer.encode(paragraph)
                    let starts = Set(encoding.wordSpans.map { Int($0.start) })
                    ids += encoding.ids
                    wordStarts += encoding.ids.indices.map(starts.contains)
                    paragraphStarts += encoding.ids.indices.map { $0 == 0 }
                }
                let tokens = shard.tokens(ofDocument: k)
                XCTAssertEqual(tokens.map(Shard.id), ids, "document \(d - 1): tokens out = tokens in")
                XCTAssertEqual(tokens.map(Shard.startsWord), wordStarts)
                XCTAssertEqual(tokens.map(Shard.startsParagraph), paragraphStarts)
                XCTAssertEqual(shard.isValidation(k), Corpus.isValidation(document, fraction: 0.05))
            }
        }
        XCTAssertEqual(d, expected.count, "every document, once")
        XCTAssertEqual(manifest.documents, expected.count)
        XCTAssertEqual(manifest.sources.map(\.path), ["part-0.txt", "part-1.txt", "part-2.txt"])
    }

    func testAResumedPreparationWritesTheSameBytes() throws {
        let (_, corpus, output) = makeFolders()
        let manifest = try prepare(corpus, into: output)
        func contents() throws -> [String: Data] {
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: output.path) {
                files[name] = try Data(contentsOf: output.appendingPathComponent(name))
            }
            return files
        }
        let uninterrupted = try contents()

        // What a kill leaves: no manifest, the later shards missing, a temporary file, and
        // (from a writer that was not atomic) a truncated shard.
        let fileManager = FileManager.default
        try fileManager.removeItem(at: output.appendingPathComponent(PreparedCorpus.manifestName))
        for entry in manifest.shards.suffix(2) { try fileManager.removeItem(at: output.appendingPathComponent(entry.file)) }
        try Data([1, 2, 3]).write(to: output.appendingPathComponent(".shard-00001.bin.tmp-1234"))
        let truncatedURL = output.appendingPathComponent(manifest.shards[1].file)
        try uninterrupted[manifest.shards[1].file]!.prefix(100).write(to: truncatedURL)
        XCTAssertThrowsError(try PreparedCorpus(folder: output)) { error in
            XCTAssertEqual(error as? ShardError, .missingManifest(output.path))
        }

        var progress: [CorpusPreparation.Progress] = []
        let resumed = try CorpusPreparation(corpus: corpus.path, output: output, tokenizer: Fixture.tokenizer,
                                            shardBytes: 5_000, jobs: 2).run { progress.append($0) }
        XCTAssertEqual(resumed, manifest)
        XCTAssertEqual(progress.last?.reused, manifest.shards.count - 3, "only the missing and the truncated shards are redone")
        XCTAssertEqual(try contents(), uninterrupted, "byte for byte, the temporary file gone")
    }

    func testBadFoldersAreRefusedAndLeftAlone() throws {
        let (folder, corpus, output) = makeFolders()
        let manifest = try prepare(corpus, into: output)
        let shardURL = output.appendingPathComponent(manifest.shards[0].file)
        let before = try Data(contentsOf: shardURL)

        // Another vocabulary: refused, nothing overwritten.
        let other = try WordPieceTrainer(vocabularySize: 300).train(
            WordFrequencies(texts: Fixture.split.training.paragraphs.prefix(200)))
        XCTAssertThrowsError(try prepare(corpus, into: output, tokenizer: WordPieceTokenizer(vocabulary: other))) { error in
            guard case .otherVocabulary = error as? ShardError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("another vocabulary"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: shardURL), before)
        XCTAssertThrowsError(try Shard(contentsOf: shardURL, vocabularyHash: other.fingerprint))

        // A folder holding something else.
        let foreign = folder.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        XCTAssertThrowsError(try prepare(corpus, into: foreign)) { error in
            XCTAssertTrue("\(error)".contains("notes.txt"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: foreign.appendingPathComponent("notes.txt")), "mine")

        // A truncated shard, a corrupt one, a file that is no shard.
        try before.prefix(before.count - 4).write(to: shardURL)
        XCTAssertThrowsError(try PreparedCorpus(folder: output).openShards()) { error in
            guard case .truncated = error as? ShardError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
        var flipped = before
        flipped[flipped.count - 1] ^= 1
        try flipped.write(to: shardURL)
        XCTAssertThrowsError(try PreparedCorpus(folder: output).openShards(verify: true)) { error in
            XCTAssertEqual(error as? ShardError, .corrupt(shardURL.path))
        }
        try Data("not a shard at all, but long enough to have a header....".utf8).write(to: shardURL)
        XCTAssertThrowsError(try Shard(contentsOf: shardURL)) { error in
            XCTAssertEqual(error as? ShardError, .notAShard(shardURL.path))
        }
    }

    func testStreamingVocabularyEqualsTheTrainerWhenTheCountFits() throws {
        let (_, corpus, _) = makeFolders()
        let trainer = WordPieceTrainer(vocabularySize: 400)
        let streamed = try StreamingVocabulary(corpus: corpus.path, trainer: trainer, unitBytes: 10_000).train()
        var frequencies = WordFrequencies()
        var stream = try TextDirectoryStream(path: corpus.path)
        while let document = try stream.next() { document.paragraphs.forEach { frequencies.add($0) } }
        XCTAssertEqual(streamed.tokens, try trainer.train(frequencies).tokens)

        // A bounded table forgets rare words but keeps the frequent ones exact.
        let bounded = try StreamingVocabulary(corpus: corpus.path, trainer: trainer, maxDistinctWords: 1000,
                                              unitBytes: 10_000).count()
        XCTAssertLessThanOrEqual(bounded.distinctWords, 1000)
        XCTAssertEqual(bounded["the"], frequencies["the"])
    }
}
