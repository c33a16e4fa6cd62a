import XCTest
@testable import Text

final class BatchTests: XCTestCase {
    func sequences(_ count: Int) -> [TokenSequence] {
        (0..<count).map { k in
            TokenSequence(ids: [2] + Array(repeating: Int32(10 + k), count: k % 4 + 1) + [3],
                          wordSpans: [WordSpan(start: 1, end: Int32(k % 4 + 2))], source: "s\(k)", document: k)
        }
    }

    func testPadsWithAttentionMask() {
        let batch = Batch(sequences: sequences(2), length: 6, padId: 0)
        XCTAssertEqual(batch.ids, [2, 10, 3, 0, 0, 0,
                                   2, 11, 11, 3, 0, 0])
        XCTAssertEqual(batch.attentionMask, [1, 1, 1, 0, 0, 0,
                                             1, 1, 1, 1, 0, 0])
        XCTAssertEqual(batch.lengths, [3, 4])
        XCTAssertEqual(batch.wordIndex, [-1, 0, -1, -1, -1, -1,
                                         -1, 0, 0, -1, -1, -1])
        XCTAssertEqual(batch.sources, ["s0", "s1"])
    }

    func testShuffleIsDeterministicBySeedAndEpoch() {
        let all = sequences(10)
        let batcher = Batcher(sequences: all, batchSize: 4, length: 8, padId: 0, seed: 5)
        XCTAssertEqual(batcher.batches(epoch: 0), batcher.batches(epoch: 0))
        XCTAssertNotEqual(batcher.order(epoch: 0), batcher.order(epoch: 1))
        XCTAssertNotEqual(batcher.order(epoch: 0), Batcher(sequences: all, batchSize: 4, length: 8, padId: 0, seed: 6).order(epoch: 0))
        XCTAssertEqual(batcher.order(epoch: 3).sorted(), Array(0..<10))
        XCTAssertEqual(batcher.batches(epoch: 0).map(\.batchSize), [4, 4, 2])
        XCTAssertEqual(Batcher(sequences: all, batchSize: 4, length: 8, padId: 0, seed: 5, dropLast: true).batches(epoch: 0).map(\.batchSize), [4, 4])
    }

    func testStreamsAFolderDeterministically() throws {
        let folder = Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for k in 0..<5 {
            let text = (0..<20).map { "Document \(k) paragraph \($0) says something short." }.joined(separator: "\n")
            try (text + "\n\nA second document in file \(k).\n").write(
                to: folder.appendingPathComponent(k < 2 ? "sub/f\(k).txt" : "f\(k).txt"), atomically: true, encoding: .utf8)
        }
        let packer = try SequencePacker(tokenizer: Fixture.tokenizer, maxLength: 32)
        func all(seed: UInt64) throws -> [Batch] {
            var stream = try StreamingBatches(path: folder.path, packer: packer, batchSize: 4, seed: seed, shuffleBuffer: 8)
            var batches: [Batch] = []
            while let batch = try stream.next() { batches.append(batch) }
            return batches
        }
        let first = try all(seed: 1)
        XCTAssertEqual(first, try all(seed: 1))
        XCTAssertNotEqual(first, try all(seed: 2))
        let rows = first.flatMap { batch in (0..<batch.batchSize).map { batch.sources[$0] } }
        let expected = Fixture.tokenizer.ids("Document 0 paragraph 0 says something short.").count + 2
        XCTAssertTrue(first.allSatisfy { $0.length == 32 })
        XCTAssertEqual(Set(rows), ["f2.txt", "f3.txt", "f4.txt", "sub/f0.txt", "sub/f1.txt"])
        XCTAssertGreaterThan(expected, 3)
        // Every sequence of the folder comes out exactly once.
        var reference = try TextDirectoryStream(path: folder.path)
        var count = 0
        while let document = try reference.next() { count += packer.pack(document).count }
        XCTAssertEqual(rows.count, count)
    }
}
