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
}
