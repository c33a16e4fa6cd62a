import ArgumentParser
import Foundation
import Text

/// `tenfold vocab`: a WordPiece vocabulary from a corpus of any size (`StreamingVocabulary`).
struct VocabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocab",
        abstract: "Train a WordPiece vocabulary on a folder of text, streaming, in bounded memory.",
        discussion: """
        Counts the words of every file under --corpus on all cores (memory bounded by \
        --max-distinct-words, not by the corpus), then runs the WordPiece trainer on the most \
        frequent --max-training-words words and writes vocab.txt atomically.

        Example:
          tenfold vocab --corpus out/corpus-large/text --size 30522 --out out/vocab.txt
        """)

    @Option(help: "A folder of UTF-8 text files (or one file): a blank line between documents.")
    var corpus: String

    @Option(help: "Tokens in the vocabulary, specials included (BERT's 30522).")
    var size = 30522

    @Option(help: "Where to write vocab.txt.")
    var out: String

    @Option(help: "The most distinct words the count keeps in memory.")
    var maxDistinctWords = 2_000_000

    @Option(help: "The most frequent words the trainer learns from.")
    var maxTrainingWords = 200_000

    func validate() throws {
        guard size >= 16 else { throw ValidationError("--size must be at least 16, not \(size)") }
        guard maxDistinctWords >= 1000, maxTrainingWords >= 100 else {
            throw ValidationError("--max-distinct-words must be at least 1000 and --max-training-words at least 100")
        }
    }

    func run() throws {
        try reportingFailures("vocab") {
            let streaming = StreamingVocabulary(corpus: corpus, trainer: WordPieceTrainer(vocabularySize: size),
                                                maxDistinctWords: maxDistinctWords, maxTrainingWords: maxTrainingWords)
            let start = Date()
            let vocabulary = try streaming.train { line in
                try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
            }
            try vocabulary.write(to: URL(fileURLWithPath: out))
            print(String(format: "Wrote %@: %d tokens in %.1f s.", out, vocabulary.count, Date().timeIntervalSince(start)))
        }
    }
}

/// `tenfold prepare`: a corpus tokenized into binary shards for `tenfold train --data`.
struct PrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Tokenize a folder of text into binary shards (resumable, all cores, constant memory).",
        discussion: """
        Writes into --out: vocab.txt, shard-00000.bin … (token ids with word and paragraph \
        starts, documents, validation flags) and, last, manifest.json (the vocabulary's hash, \
        counts, the list of input files). Every file is written atomically. Interrupted, it \
        resumes when run again with the same arguments: shards whose text is unchanged are \
        kept, and the result is byte for byte that of an uninterrupted run. A folder prepared \
        with another vocabulary, or holding other files, is refused and left as it is.

        Example:
          tenfold prepare --corpus out/corpus-large/text --vocab out/vocab.txt --out out/data
          tenfold train --data out/data --preset mini --steps 1000 --out out/run
        """)

    @Option(help: "A folder of UTF-8 text files (or one file): a blank line between documents.")
    var corpus: String

    @Option(help: "The vocab.txt to tokenize with (from tenfold vocab).")
    var vocab: String

    @Option(help: "The output folder.")
    var out: String

    @Option(help: "Megabytes of text per shard.")
    var shardMb = 8

    @Option(help: "Threads (default: every core).")
    var jobs: Int?

    func validate() throws {
        guard shardMb >= 1 else { throw ValidationError("--shard-mb must be at least 1, not \(shardMb)") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
    }

    func run() throws {
        try reportingFailures("prepare") {
            let tokenizer = WordPieceTokenizer(vocabulary: try Vocabulary(contentsOf: URL(fileURLWithPath: vocab)))
            var preparation = CorpusPreparation(corpus: corpus, output: URL(fileURLWithPath: out), tokenizer: tokenizer,
                                                shardBytes: shardMb << 20)
            if let jobs { preparation.jobs = jobs }
            let manifest = try preparation.run { progress in
                try? FileHandle.standardError.write(contentsOf: Data((progress.description + "\n").utf8))
            }
            print("Prepared \(out): \(manifest.shards.count) shards, \(manifest.documents) documents, \(manifest.tokens) tokens from \(manifest.sources.count) files.")
        }
    }
}

/// Runs `body`; a failure of the data (not of the command line) is one sentence on standard
/// error and exit status 1, without the usage text.
func reportingFailures(_ verb: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ValidationError {
        throw error
    } catch let error as ExitCode {
        throw error
    } catch {
        try? FileHandle.standardError.write(contentsOf: Data("tenfold \(verb): \(error)\n".utf8))
        throw ExitCode.failure
    }
}
