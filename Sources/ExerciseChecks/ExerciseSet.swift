import Tensors
import Transformer
import ExpandedAttention

/// Every exercise's function, as one set of static requirements.
///
/// Two modules provide it with identical names: `Exercises` (the learner's stubs, generated)
/// and `ExerciseSolutions` (the reference solutions, the single source). Each declares
/// `public enum Implementation: ExerciseSet {}` and fills it in with one extension per
/// exercise, so the same checks run against either:
///
///     let result = ExerciseCatalog.exercise("1.1")!.check(Implementation.self)
///
/// Shapes use the book-wide letters (Docs/Methods/README.md#notation): T tokens, H hidden, A heads,
/// D = H/A.
public protocol ExerciseSet {
    // MARK: Chapter 1
    /// 1.1 The softmax of each row of `x [N, M]`, numerically stable.
    static func softmaxRows(_ x: Tensor) throws -> Tensor
    /// 1.2 One head of scaled dot-product attention: `query [Tq, D]`, `key [Tk, D]`,
    /// `value [Tk, D]` → `probabilities [Tq, Tk]`, `output [Tq, D]`.
    static func attention(query: Tensor, key: Tensor, value: Tensor) throws -> (probabilities: Tensor, output: Tensor)
    /// 1.3 The backward pass of 1.2: the gradients of ℓ = Σ outputGradient ⊙ output.
    static func attentionBackward(query: Tensor, key: Tensor, value: Tensor,
                                  outputGradient: Tensor) throws -> (query: Tensor, key: Tensor, value: Tensor)
    /// 1.4 One AdamW update of one parameter.
    static func adamWStep(parameter: Tensor, gradient: Tensor, firstMoment: Tensor, secondMoment: Tensor,
                          step: Int, learningRate: Float, settings: AdamW.Settings,
                          decays: Bool) throws -> (parameter: Tensor, firstMoment: Tensor, secondMoment: Tensor)

    // MARK: Chapter 2
    /// 2.1 `LN(w + p)` split exactly into a word part and a position part, `[T, H]` each.
    static func layerNormSplit(words: Tensor, positions: Tensor, gamma: Tensor, beta: Tensor,
                               epsilon: Float) throws -> (word: Tensor, position: Tensor)
    /// 2.2 The four terms of one layer's logits, `[A, T, T]` each.
    static func fourTermLogits(word: Tensor, position: Tensor, queryWeight: Tensor, queryBias: Tensor,
                               keyWeight: Tensor, keyBias: Tensor, heads: Int) throws -> FourTerms<Tensor>
    /// 2.3 The share of a term's variance explained by the position pair (i, j): `term [n, T, T]`.
    static func positionShare(_ term: Tensor) throws -> Double

    // MARK: Chapter 3
    /// 3.1 T5's bidirectional relative-position bucket of n = i − j.
    static func bucket(relativePosition n: Int, buckets: Int, maxDistance: Int) throws -> Int
    /// 3.2 TUPE's untied positional term with the [CLS] reset, `[A, T, T]`.
    static func untiedPositionalTerm(positions: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float,
                                     queryWeight: Tensor, queryBias: Tensor, keyWeight: Tensor, keyBias: Tensor,
                                     heads: Int, clsToOthers: Tensor, othersToCLS: Tensor) throws -> Tensor
    /// 3.3 TUPE-A's logits of one layer: the content term at 1/√(2D) plus the positional term, `[A, T, T]`.
    static func tupeLogits(x: Tensor, queryWeight: Tensor, queryBias: Tensor, keyWeight: Tensor, keyBias: Tensor,
                           heads: Int, positional: Tensor) throws -> Tensor

    // MARK: Chapter 4 (W rare words; a word is known by its token ids)
    /// 4.1 The occurrences of rare words in one sequence `ids [n]`: the word spans (start, end
    /// exclusive) whose whole word's count in `counts` lies in `band` (inclusive), left to right.
    static func rareWordOccurrences(ids: [Int32], wordSpans: [(start: Int, end: Int)], counts: [[Int32]: Int],
                                    band: ClosedRange<Int>) throws -> [(start: Int, end: Int)]
    /// 4.2 One occurrence's note: the mean of `hidden [T, H]` over `[start − k, end − 1 + k]` clipped to
    /// the real tokens `0..<length`, `[H]`.
    static func occurrenceNote(hidden: Tensor, length: Int, start: Int, end: Int, halfWindow k: Int) throws -> Tensor
    /// 4.3 The note dictionary `notes [W, H]`, `seen [W]` after one batch's notes (word, mean `[H]`),
    /// moved by the rate γ.
    static func updateNotes(notes: Tensor, seen: [Bool], occurrences: [(word: Int, mean: Tensor)],
                            decay γ: Float) throws -> (notes: Tensor, seen: [Bool])
    /// 4.4 One sequence's input `[T, H]` with the notes mixed in at weight λ, where the leakage rule allows.
    static func mixedInput(embeddings: Tensor, occurrences: [(start: Int, end: Int, word: Int)], picked: [Int],
                           notes: Tensor, seen: [Bool], weight λ: Float) throws -> Tensor

    // MARK: Chapter 5 (K candidates, M scored positions; V is [NOTA]'s id)
    /// 5.1 ELECTRA's corrupted sequence `[T]` (the samples at the picked positions) and its labels at
    /// the n = `length` real positions, a sample equal to the original counting as original.
    static func replacedTokens(original: [Int32], length: Int, picked: [Int],
                               samples: [Int32]) throws -> (ids: [Int32], replaced: [Bool])
    /// 5.2 MC-BERT's K candidates at one position (slot 0 [NOTA]; slot 1 the original if replaced,
    /// else sample 1; samples 2…K−1) and its label, 1 if replaced, else 0.
    static func candidateSet(original: Int32, picked: Bool, samples: [Int32],
                             nota: Int32) throws -> (candidates: [Int32], label: Int)
    /// 5.3 The logits `[M, K]` of M rows of K candidates: `hₘ · E[c] + b_c`, [NOTA] (id V) with its own
    /// row and bias.
    static func scoreCandidates(hidden: Tensor, candidates: [[Int32]], table: Tensor, bias: Tensor,
                                notaRow: Tensor, notaBias: Float) throws -> Tensor
    /// 5.4 ELECTRA's loss: the generator's masked-LM loss plus λ times the mean binary cross-entropy
    /// of the discriminator's logits `[M]` against the replaced labels `[M]`.
    static func electraLoss(generatorLoss: Float, logits: Tensor, replaced: [Bool], weight λ: Float) throws -> Float

    // MARK: Chapter 6 (plain Swift values: sizes, loss curves, names)
    /// 6.1 The training FLOPs of one masked-LM update, counted as `TrainingFLOPs` counts them: L layers
    /// of width H (A heads) and feed-forward size F, V words, B sequences of T tokens, N predicted rows.
    static func flopsPerUpdate(layers L: Int, hidden H: Int, heads A: Int, feedForward F: Int, vocabulary V: Int,
                               batchSize B: Int, length T: Int, predictions N: Int) throws -> Double
    /// 6.2 The steps-to-target ratio: the update at which `method`'s validation curve first reaches
    /// `baseline`'s final loss (interpolated), divided by the baseline's last step; nil if it never does.
    static func stepsToTarget(baseline: [(step: Int, loss: Float)], method: [(step: Int, loss: Float)]) throws -> Double?
    /// 6.3 The three seam choices a configuration string such as `"tupe-r+notes+mc-bert"` names, given
    /// each seam's registered names; a seam not named keeps its default.
    static func seamChoice(parsing text: String, positions: [String], inputs: [String],
                           objectives: [String]) throws -> (positions: String, input: String, objective: String)
}
