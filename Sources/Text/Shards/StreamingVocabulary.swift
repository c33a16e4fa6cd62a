import Foundation

/// `tenfold vocab`: the WordPiece trainer on a corpus of any size, counted as a stream.
///
///     let streaming = StreamingVocabulary(corpus: "corpus/", trainer: WordPieceTrainer(vocabularySize: 30522))
///     let vocabulary = try streaming.train { print($0) }
///
/// Words are counted unit by unit (`DocumentUnits`, `jobs` units at once on as many cores)
/// and merged into one table; when the table exceeds `maxDistinctWords`, words seen fewer
/// than m times are forgotten, m doubling until it holds at most half the limit — so memory
/// is bounded by the limit, not by the corpus, and a word that survives is counted from the
/// moment it was last kept (rare words only lose counts they would lose anyway). The trainer
/// then learns from the `maxTrainingWords` most frequent words (its cost grows with the
/// distinct pairs). On a corpus whose table never fills, the counts are exact and the
/// vocabulary equals `WordPieceTrainer.train` on them. Introduced for full-scale training (issue 23).
public struct StreamingVocabulary {
    public var corpus: String
    public var trainer: WordPieceTrainer
    public var maxDistinctWords: Int
    public var maxTrainingWords: Int
    public var jobs: Int
    public var unitBytes: Int

    public init(corpus: String, trainer: WordPieceTrainer, maxDistinctWords: Int = 2_000_000,
                maxTrainingWords: Int = 200_000, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                unitBytes: Int = 8 << 20) {
        self.corpus = corpus; self.trainer = trainer; self.maxDistinctWords = maxDistinctWords
        self.maxTrainingWords = maxTrainingWords; self.jobs = max(1, jobs); self.unitBytes = unitBytes
    }

    /// Counts the corpus's words within the memory bound.
    public func count(progress: ((String) -> Void)? = nil) throws -> WordFrequencies {
        var units = DocumentUnits(stream: try TextDirectoryStream(path: corpus), unitBytes: unitBytes)
        var total = WordFrequencies()
        var bytes = 0, threshold = 1
        let start = Date()
        while true {
            let batch = try units.next(count: jobs)
            if batch.isEmpty { break }
            var counted = [WordFrequencies](repeating: WordFrequencies(), count: batch.count)
            counted.withUnsafeMutableBufferPointer { slots in
                DispatchQueue.concurrentPerform(iterations: batch.count) { k in
                    for document in batch[k].documents {
                        for paragraph in document.paragraphs { slots[k].add(paragraph) }
                    }
                }
            }
            for frequencies in counted { total.merge(frequencies) }
            if total.distinctWords > maxDistinctWords {
                repeat {
                    threshold *= 2
                    total.removeWords(countBelow: threshold)
                } while total.distinctWords > maxDistinctWords / 2
            }
            bytes += batch.reduce(0) { $0 + $1.textBytes }
            let seconds = Date().timeIntervalSince(start)
            progress?(String(format: "vocab: counted %.1f MB of text, %d distinct words, %.2f MB/s",
                             Double(bytes) / 1e6, total.distinctWords, Double(bytes) / 1e6 / max(seconds, 1e-9)))
        }
        if total.totalWords == 0 { throw TextError.emptyCorpus("'\(corpus)'") }
        return total
    }

    /// Counts, then trains the vocabulary.
    public func train(progress: ((String) -> Void)? = nil) throws -> Vocabulary {
        var frequencies = try count(progress: progress)
        frequencies.keepMostFrequent(maxTrainingWords)
        progress?("vocab: training \(trainer.vocabularySize) tokens on the \(frequencies.distinctWords) most frequent words")
        return try trainer.train(frequencies)
    }
}
