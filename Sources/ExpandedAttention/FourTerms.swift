import Tensors
import Autograd
import Transformer
import BertBaseline

/// The four terms of one layer's attention logits, per head (TUPE §3.1; Docs/Methods/FourTerms.md).
///
/// For word parts `ω` and position parts `π` of the layer's input, `x_i = ω_i + π_i`:
///
///     α_ij = (x_i W^Q + b^Q)(x_j W^K + b^K)ᵀ / √D
///          = (ω_i W^Q + b^Q)(ω_j W^K + b^K)ᵀ/√D    wordToWord
///          + (ω_i W^Q + b^Q)(π_j W^K)ᵀ/√D          wordToPosition
///          + (π_i W^Q)(ω_j W^K + b^K)ᵀ/√D          positionToWord
///          + (π_i W^Q)(π_j W^K)ᵀ/√D                positionToPosition
///
/// The query and key biases `b^Q, b^K` go with the word part, as β does in
/// `splitLayerNorm`: whatever is not a position is counted as content.
/// Introduced in Chapter 2.
public struct FourTerms<Value> {
    public var wordToWord: Value
    public var wordToPosition: Value
    public var positionToWord: Value
    public var positionToPosition: Value

    public init(wordToWord: Value, wordToPosition: Value, positionToWord: Value, positionToPosition: Value) {
        self.wordToWord = wordToWord; self.wordToPosition = wordToPosition
        self.positionToWord = positionToWord; self.positionToPosition = positionToPosition
    }

    /// The terms in reading order, with their names as the chapter writes them.
    public var named: [(name: String, value: Value)] {
        [("word → word", wordToWord), ("word → position", wordToPosition),
         ("position → word", positionToWord), ("position → position", positionToPosition)]
    }

    public func map<Other>(_ transform: (Value) throws -> Other) rethrows -> FourTerms<Other> {
        FourTerms<Other>(wordToWord: try transform(wordToWord), wordToPosition: try transform(wordToPosition),
                         positionToWord: try transform(positionToWord),
                         positionToPosition: try transform(positionToPosition))
    }
}

extension FourTerms where Value == Variable {
    /// `wordToWord + wordToPosition + positionToWord + positionToPosition`.
    public var total: Variable { wordToWord + wordToPosition + positionToWord + positionToPosition }
}

/// The four terms of an attention layer's logits, from the word and position parts of its input.
///
///     let (ω, π) = splitLayerNorm(words: w, positions: p, gamma: γ, beta: β, epsilon: ε)
///     let terms = fourTerms(word: ω, position: π, attention: layer.attention, scale: 1 / √D)
///     // terms.total ≈ the layer's logits, [B, A, T, T]
///
/// Each diagram node is grouped by its term, so a drawn graph shows four branches.
/// - Parameters:
///   - word, position: ω, π `[B, T, H]`.
///   - attention: the layer whose `W^Q, b^Q, W^K, b^K` are used.
///   - scale: the content scale (1/√D for BERT-A).
/// - Returns: four `[B, A, T, T]` logit terms.
/// Introduced in Chapter 2.
public func fourTerms(word ω: Variable, position π: Variable, attention: MultiHeadAttention,
                      scale: Float) -> FourTerms<Variable> {
    fourTerms(word: ω, position: π, query: attention.query, key: attention.key, heads: attention.heads, scale: scale)
}

/// The four terms from explicit query and key maps `x ↦ x W + b` and the head count A.
public func fourTerms(word ω: Variable, position π: Variable, query: Linear, key: Linear, heads A: Int,
                      scale: Float) -> FourTerms<Variable> {
    func group(_ v: Variable, _ name: String, _ label: String) -> Variable {
        v.group = name; v.label = label; return v
    }
    // 1. Queries and keys of each part; the biases ride with the word part.
    let queryWord = group(splitHeads(query(ω), heads: A), "word part", "ω W^Q + b^Q")                        // [B, A, T, D]
    let keyWord = group(splitHeads(key(ω), heads: A), "word part", "ω W^K + b^K")                            // [B, A, T, D]
    let queryPosition = group(splitHeads(matmul(π, query.weight), heads: A), "position part", "π W^Q")      // [B, A, T, D]
    let keyPosition = group(splitHeads(matmul(π, key.weight), heads: A), "position part", "π W^K")          // [B, A, T, D]
    // 2. The four products, each scaled like the full logits.
    func product(_ q: Variable, _ k: Variable, _ name: String) -> Variable {
        group(matmul(q, k, transposeB: true, alpha: scale), name, name)                       // [B, A, T, T]
    }
    return FourTerms(wordToWord: product(queryWord, keyWord, "word → word"),
                     wordToPosition: product(queryWord, keyPosition, "word → position"),
                     positionToWord: product(queryPosition, keyWord, "position → word"),
                     positionToPosition: product(queryPosition, keyPosition, "position → position"))
}

/// Layer 1 of a trained BERT-A, taken apart: the four terms and the model's own logits.
/// Introduced in Chapter 2.
public struct LayerOneExpansion {
    /// Each term `[B, A, T, T]`.
    public var terms: FourTerms<Tensor>
    /// The logits the model itself computes, `(x¹W^Q + b^Q)(x¹W^K + b^K)ᵀ/√D` with
    /// `x¹ = LN(w + p)` from the fused LayerNorm: `[B, A, T, T]`.
    public var logits: Tensor
    /// The paper's idealised terms, which drop the LayerNorm and the biases:
    /// `(w_i W^Q)(w_j W^K)ᵀ/√D` and so on, `[B, A, T, T]` each. They do not sum to the logits.
    public var idealised: FourTerms<Tensor>

    /// max |Σ terms − logits| over every entry.
    public var maxAbsoluteError: Float {
        let total = terms.wordToWord + terms.wordToPosition + terms.positionToWord + terms.positionToPosition
        var error: Float = 0
        total.withUnsafeBufferPointer { t in
            logits.withUnsafeBufferPointer { l in for k in 0..<t.count { error = max(error, abs(t[k] - l[k])) } }
        }
        return error
    }

    /// `maxAbsoluteError / max |logits|`: the sum check's relative error.
    public var relativeError: Float {
        var largest: Float = 0
        logits.withUnsafeBufferPointer { for v in $0 { largest = max(largest, abs(v)) } }
        return maxAbsoluteError / max(largest, .leastNormalMagnitude)
    }
}

/// Expands the first layer's attention logits of a BERT-A encoder (`AbsolutePositions`) on `input`.
///
///     let expansion = try expandLayerOne(model.encoder, input)
///     print(expansion.relativeError)     // ~1e-7: the four terms are the logits
///
/// Evaluation mode: no dropout, nothing recorded for backward.
/// - Throws: `ExpansionError.notAbsolutePositions` for an encoder whose positions are not
///   added to its input.
/// Introduced in Chapter 2.
public func expandLayerOne(_ encoder: Encoder, _ input: ModelInput) throws -> LayerOneExpansion {
    guard let absolute = encoder.positions as? AbsolutePositions else {
        throw ExpansionError.notAbsolutePositions(encoder.config.positions)
    }
    return Gradients.withoutRecording {
        let (B, T, H) = (input.batchSize, input.length, encoder.config.hiddenSize)
        let attention = encoder.layers[0].attention
        let scale = encoder.positions.contentScale(headSize: encoder.config.headSize)
        let w = embedding(encoder.wordEmbeddings, ids: input.ids).reshaped([B, T, H])   // [B, T, H]
        let p = absolute.inputEmbedding(length: T)!                                    // [T, H]
        // The model's own path: fused LayerNorm, then one product per head.
        let x = encoder.embeddingNorm(w + p)                                           // [B, T, H]
        let logits = matmul(splitHeads(attention.query(x), heads: attention.heads),
                            splitHeads(attention.key(x), heads: attention.heads),
                            transposeB: true, alpha: scale)                            // [B, A, T, T]
        // The expansion.
        let norm = encoder.embeddingNorm
        let (ω, π) = splitLayerNorm(words: w, positions: p, gamma: norm.gamma, beta: norm.beta, epsilon: norm.epsilon)
        let terms = fourTerms(word: ω, position: π, attention: attention, scale: scale)
        // The paper's idealisation: raw w and p, no LayerNorm, no biases.
        let pBatch = p + Variable(Tensor.zeros([B, T, H]))                             // [B, T, H]
        let ideal = fourTermsWithoutBiases(word: w, position: pBatch, attention: attention, scale: scale)
        return LayerOneExpansion(terms: terms.map(\.value), logits: logits.value, idealised: ideal.map(\.value))
    }
}

/// `(a W^Q)(b W^K)ᵀ·scale` for the four pairs of `word` and `position`, without biases.
func fourTermsWithoutBiases(word w: Variable, position p: Variable, attention: MultiHeadAttention,
                            scale: Float) -> FourTerms<Variable> {
    let A = attention.heads
    let qw = splitHeads(matmul(w, attention.query.weight), heads: A), kw = splitHeads(matmul(w, attention.key.weight), heads: A)
    let qp = splitHeads(matmul(p, attention.query.weight), heads: A), kp = splitHeads(matmul(p, attention.key.weight), heads: A)
    return FourTerms(wordToWord: matmul(qw, kw, transposeB: true, alpha: scale),
                     wordToPosition: matmul(qw, kp, transposeB: true, alpha: scale),
                     positionToWord: matmul(qp, kw, transposeB: true, alpha: scale),
                     positionToPosition: matmul(qp, kp, transposeB: true, alpha: scale))
}

/// A model the expansion does not apply to.
public enum ExpansionError: Error, CustomStringConvertible {
    case notAbsolutePositions(String)

    public var description: String {
        switch self {
        case .notAbsolutePositions(let positions):
            return "the four-term expansion needs a BERT-A model (positions added to the words); this one's position scheme is '\(positions)'"
        }
    }
}
