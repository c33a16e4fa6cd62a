import Foundation
import Tensors
import Autograd
import Text
import Transformer

/// TNF — taking notes on the fly — on the input seam (Wu et al., ICLR 2021;
/// Docs/Methods/TNF.md). Tenfold's version is a reading of the paper: it has no public code.
///
///     tenfold train --notes [--note-band 20:200 --note-window 16 --note-decay 0.1 --note-weight 0.5]
///
/// During pre-training, for every occurrence of a rare word whose tokens are all intact
/// (none picked for prediction — the leakage rule) and whose note exists, the input of each
/// of its tokens becomes `(1 − λ)·(wᵢ + pᵢ) + λ·Note(w)` before the embedding LayerNorm.
/// After the optimizer step, every occurrence in the batch — masked or not — takes a note:
/// the mean of the final hidden states over its window of k tokens each side; a word's notes
/// of one batch are averaged (so the order of sequences does not matter), then
/// `Note(w) ← (1 − γ)·Note(w) + γ·mean`.
///
/// When evaluating (validation), the input is left alone: notes are a pre-training device,
/// and a model is judged — and fine-tuned — without them. Its state — the rare words, the
/// notes, which words have one — is saved in checkpoints, so a resumed run repeats the
/// uninterrupted one bit for bit. It registers no parameters.
/// Introduced in Chapter 4.
public final class NoteTaking: InputAugmentation {
    /// The name a configuration's `input` gives it.
    public static let name = "notes"

    public let settings: Settings
    public private(set) var rareWords: RareWords
    public private(set) var dictionary: NoteDictionary
    /// How many occurrences had a note mixed in, and how many took one, since the start.
    public private(set) var mixedOccurrences = 0, notedOccurrences = 0

    /// TNF's knobs. The paper confirms none of the numbers but λ's (a secondary source);
    /// these are Tenfold's documented defaults (Docs/Methods/TNF.md, "Defaults for Tenfold").
    public struct Settings: Equatable, Sendable {
        /// Counts (in the training sequences) that make a word rare, inclusive.
        public var band: ClosedRange<Int> = Settings.defaultBand
        /// k: the window's half width, in tokens. Unconfirmed.
        public var halfWindow = 16
        /// γ: the moving average's rate. Unconfirmed.
        public var decay: Float = 0.1
        /// λ: the note's weight in the input (0.5 in a secondary source).
        public var weight: Float = 0.5

        /// Chosen on the embedded corpus (Chapter 4 shows how many word types and sequences
        /// it covers): words seen 10 to 20 times in its ≈1.5 M words of training text — about
        /// a third of its sentences hold one (the paper's motivation is about a fifth; a 5–10
        /// band gives that here, but its words come back too seldom in a chapter-sized run for
        /// a note to be reused).
        public static let defaultBand = 10...20

        public init() {}

        /// The settings a model configuration's options give (`notes.low`, `notes.high`,
        /// `notes.window`, `notes.decay`, `notes.weight`), defaults elsewhere.
        public init(_ config: ModelConfiguration) throws {
            let low = Int(config.option("notes.low", default: Double(Self.defaultBand.lowerBound)))
            let high = Int(config.option("notes.high", default: Double(Self.defaultBand.upperBound)))
            guard low >= 1, high >= low else {
                throw ConfigurationError(message: "the rare-word band \(low):\(high) must satisfy 1 ≤ low ≤ high")
            }
            band = low...high
            halfWindow = Int(config.option("notes.window", default: 16))
            decay = Float(config.option("notes.decay", default: 0.1))
            weight = Float(config.option("notes.weight", default: 0.5))
            guard halfWindow >= 0 else { throw ConfigurationError(message: "the note window k must be ≥ 0, not \(halfWindow)") }
            guard (0...1).contains(decay) else { throw ConfigurationError(message: "the note decay γ must be in [0, 1], not \(decay)") }
            guard (0...1).contains(weight) else { throw ConfigurationError(message: "the note weight λ must be in [0, 1], not \(weight)") }
        }

        /// These settings as a configuration's options.
        public var options: [String: Double] {
            ["notes.low": Double(band.lowerBound), "notes.high": Double(band.upperBound),
             "notes.window": Double(halfWindow), "notes.decay": Double(decay), "notes.weight": Double(weight)]
        }
    }

    public init(settings: Settings, rareWords: RareWords, width: Int) {
        self.settings = settings
        self.rareWords = rareWords
        dictionary = NoteDictionary(words: rareWords.count, width: width)
    }

    /// Builds the augmentation for a model: its rare words counted in the training sequences
    /// (none when the model is rebuilt without them; a checkpoint's state brings them back).
    public static let factory: InputAugmentationFactory = { context in
        let settings = try Settings(context.config)
        let words = RareWords(counting: context.trainingSequences, band: settings.band, vocabulary: context.vocabulary)
        return NoteTaking(settings: settings, rareWords: words, width: context.config.hiddenSize)
    }

    // MARK: The input seam

    public func augment(_ embeddings: Variable, input: ModelInput, isTraining: Bool) -> Variable {
        guard isTraining else { return embeddings }
        var rows: [Int32] = [], vectors: [Float] = []
        for occurrence in rareWords.occurrences(in: input) where occurrence.isIntact {
            guard let note = dictionary.note(occurrence.word) else { continue }
            mixedOccurrences += 1
            for t in occurrence.start..<occurrence.end {
                rows.append(Int32(occurrence.sequence * input.length + t))
                vectors += note
            }
        }
        let H = embeddings.shape.last!
        return mixRows(embeddings, rows: rows, vectors: Tensor(shape: [rows.count, H], scalars: vectors),
                       weight: settings.weight)
    }

    public func observe(hidden: Tensor, input: ModelInput) {
        var sums: [Int: [Float]] = [:], counts: [Int: Int] = [:]
        for occurrence in rareWords.occurrences(in: input) {
            let mean = windowMean(hidden, sequence: occurrence.sequence, start: occurrence.start, end: occurrence.end,
                                  length: input.lengths[occurrence.sequence], halfWindow: settings.halfWindow)
            if let sum = sums[occurrence.word] {
                sums[occurrence.word] = zip(sum, mean).map(+)
            } else {
                sums[occurrence.word] = mean
            }
            counts[occurrence.word, default: 0] += 1
            notedOccurrences += 1
        }
        var means: [Int: [Float]] = [:]
        for (word, sum) in sums {
            let n = Float(counts[word]!)
            means[word] = sum.map { $0 / n }
        }
        dictionary.update(means, decay: settings.decay)
    }

    // MARK: State

    /// `words` `[W, maxLength]` (token ids as numbers, −1 after a word's end), `counts` `[W]`,
    /// `notes` `[W, H]`, `seen` `[W]`.
    public var state: [String: Tensor] {
        let width = rareWords.words.map(\.count).max() ?? 0
        let words = rareWords.words.flatMap { $0.map(Float.init) + Array(repeating: -1, count: width - $0.count) }
        return ["words": Tensor(shape: [rareWords.count, width], scalars: words),
                "counts": Tensor(shape: [rareWords.count], scalars: rareWords.counts.map(Float.init)),
                "notes": dictionary.notes, "seen": dictionary.seenTensor]
    }

    public func restore(state: [String: Tensor]) throws {
        guard let words = state["words"], let counts = state["counts"], let notes = state["notes"],
              let seen = state["seen"], words.rank == 2, counts.shape == [words.shape[0]],
              notes.shape == [words.shape[0], dictionary.notes.shape[1]], seen.shape == counts.shape else {
            throw ConfigurationError(message: "the note dictionary in the checkpoint is incomplete or has the wrong shape")
        }
        let width = words.shape[1]
        let restored = (0..<words.shape[0]).map { w in
            words.scalars[(w * width)..<((w + 1) * width)].filter { $0 >= 0 }.map { Int32($0) }
        }
        if rareWords.count > 0 && restored != rareWords.words {
            throw ConfigurationError(message: "the checkpoint's rare words differ from this corpus's (\(restored.count) against \(rareWords.count)); resume on the corpus it was trained on")
        }
        rareWords = RareWords(band: settings.band, words: restored, counts: counts.scalars.map { Int($0) })
        dictionary = NoteDictionary(notes: notes, seen: seen)
    }
}
