import ArgumentParser
import Foundation
import Text
import AtomicFiles

/// `tenfold tokenize`: WordPiece token ids (or strings) for each line of a file; also trains
/// a vocabulary and measures the tokenizer's speed.
///
///     tenfold tokenize --vocab vocab.txt notes.txt      # ids, one line of ids per input line
///     tenfold tokenize --tokens notes.txt               # token strings, embedded vocabulary
///     tenfold tokenize --train-vocab vocab.txt          # retrain the default 8 192 vocabulary
///     tenfold tokenize --bench                          # MB/s on the embedded corpus
///
/// Introduced in Chapter 1 (Text pipeline).
struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Encode text with WordPiece, train a vocabulary, or measure the tokenizer.",
        discussion: """
        Prints, for each line of FILE, its token ids separated by spaces (no [CLS]/[SEP]); \
        --tokens prints the token strings instead. Invalid UTF-8 is replaced and counted on \
        standard error. Use /dev/stdin as FILE to read a pipe.
        """
    )

    @Option(help: "A vocab.txt (one token per line). Default: the embedded 8 192-token vocabulary.")
    var vocab: String?

    @Flag(help: "Print token strings instead of ids.")
    var tokens = false

    @Option(name: .customLong("train-vocab"), help: ArgumentHelp("Train a vocabulary and write it to this path (from FILE, or the embedded corpus's training split).", valueName: "path"))
    var trainVocab: String?

    @Option(name: .customLong("vocab-size"), help: "Tokens in a trained vocabulary.")
    var vocabSize = 8192

    @Flag(help: "Measure single-threaded encoding throughput (MB/s) and vocabulary training time on the embedded corpus (or FILE).")
    var bench = false

    @Option(help: "Passes over the text when benchmarking.")
    var repeats = 5

    @Argument(help: "A UTF-8 text file.")
    var file: String?

    func validate() throws {
        if !bench && trainVocab == nil && file == nil {
            throw ValidationError("Give a FILE to tokenize (or --bench, or --train-vocab PATH).")
        }
        if vocabSize < 16 { throw ValidationError("--vocab-size must be at least 16.") }
        if repeats < 1 { throw ValidationError("--repeats must be at least 1.") }
    }

    func run() throws {
        do {
            if bench { return try runBench() }
            if let trainVocab { return try runTraining(output: trainVocab) }
            if let file { try runEncoding(file: file) }
        } catch let error as TextError {
            // A bad file is not a bad command line: say what is wrong, without the usage text.
            try? FileHandle.standardError.write(contentsOf: Data("tenfold tokenize: \(error)\n".utf8))
            throw ExitCode.failure
        } catch let error as FileError {
            try? FileHandle.standardError.write(contentsOf: Data("tenfold tokenize: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    func loadTokenizer() throws -> WordPieceTokenizer {
        if let vocab { return WordPieceTokenizer(vocabulary: try Vocabulary(contentsOf: URL(fileURLWithPath: vocab))) }
        return try WordPieceTokenizer.embedded()
    }

    func runEncoding(file: String) throws {
        let tokenizer = try loadTokenizer()
        let reader = try TextLineReader(path: file)
        var output = StandardOutput()
        var ids: [Int32] = []
        while let line = try reader.nextLine() {
            ids.removeAll(keepingCapacity: true)
            tokenizer.appendIds(line, to: &ids)
            if tokens {
                try output.write(ids.map { tokenizer.vocabulary[$0] }.joined(separator: " "))
            } else {
                try output.write(ids.map { String($0) }.joined(separator: " "))
            }
            try output.write("\n")
        }
        try output.flush()
        if reader.invalidSequences > 0 {
            try? FileHandle.standardError.write(contentsOf: Data("tenfold tokenize: \(reader.invalidSequences) invalid UTF-8 sequence(s) in \(file) were replaced by U+FFFD (and dropped by the normaliser).\n".utf8))
        }
    }

    func trainingText() throws -> Corpus {
        if let file { return try Corpus(file: file) }
        return try Corpus.embedded().split().training
    }

    func runTraining(output: String) throws {
        let corpus = try trainingText()
        let start = Date()
        let frequencies = WordFrequencies(texts: corpus.paragraphs)
        var trainer = WordPieceTrainer.embeddedDefault
        trainer.vocabularySize = vocabSize
        let vocabulary = try trainer.train(frequencies)
        try vocabulary.write(to: URL(fileURLWithPath: output))
        print(String(format: "trained %d tokens from %d words (%d distinct) in %.2f s → %@",
                     vocabulary.count, frequencies.totalWords, frequencies.distinctWords,
                     Date().timeIntervalSince(start), output))
    }

    func runBench() throws {
        let tokenizer = try loadTokenizer()
        let lines = try file.map { try Corpus(file: $0).paragraphs } ?? Corpus.embedded().paragraphs
        let bytes = lines.reduce(0) { $0 + $1.utf8.count }
        var ids: [Int32] = []
        for line in lines { tokenizer.appendIds(line, to: &ids) }   // warm-up, and the count
        let tokenCount = ids.count
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            for line in lines {
                ids.removeAll(keepingCapacity: true)
                tokenizer.appendIds(line, to: &ids)
            }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        print(String(format: "tenfold encode: %.2f MB/s (%d bytes, %d lines, %d tokens, best of %d, 1 thread)",
                     Double(bytes) / best / 1e6, bytes, lines.count, tokenCount, repeats))
        if file == nil {
            let training = try Corpus.embedded().split().training
            let start = Date()
            var trainer = WordPieceTrainer.embeddedDefault
            trainer.vocabularySize = vocabSize
            let vocabulary = try trainer.train(WordFrequencies(texts: training.paragraphs))
            print(String(format: "tenfold train: %d tokens in %.2f s (counting words included)",
                         vocabulary.count, Date().timeIntervalSince(start)))
        }
    }
}

/// Buffered standard output: one write per 64 KiB, not per line. A failed write (a full
/// disk, a closed pipe) throws a `FileError` instead of trapping as `FileHandle.write(_:)` does.
struct StandardOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    mutating func flush() throws {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(buffer))
        } catch {
            throw FileError(path: "standard output", action: "write to", error)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
