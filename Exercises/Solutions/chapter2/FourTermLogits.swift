import Foundation
import Tensors
import ExpandedAttention
import ExerciseChecks

extension Implementation {
    /// Exercise 2.2 — the four terms of one layer's attention logits (chapter 2, "Four terms in one
    /// product"; TUPE §3.1; Docs/Methods/FourTerms.md#the-layernorm-split; the engine's `fourTerms`).
    /// For every head h, with D = H/A and a subscript h keeping the columns h·D..<(h+1)·D of a
    /// projection (the biases go with the word part):
    ///
    ///     word → word           (ωW^Q + b^Q)_h · (ωW^K + b^K)_hᵀ / √D
    ///     word → position       (ωW^Q + b^Q)_h · (πW^K)_hᵀ / √D
    ///     position → word       (πW^Q)_h · (ωW^K + b^K)_hᵀ / √D
    ///     position → position   (πW^Q)_h · (πW^K)_hᵀ / √D
    ///
    /// Their sum is the logits of x = ω + π, (xW^Q + b^Q)_h · (xW^K + b^K)_hᵀ / √D.
    ///
    /// - Parameters:
    ///   - word: ω `[T, H]`; position: π `[T, H]`.
    ///   - queryWeight, keyWeight: W^Q, W^K `[H, H]`; queryBias, keyBias: b^Q, b^K `[H]`.
    ///   - heads: A.
    /// - Returns: the four terms, `[A, T, T]` each; entry [h, i, j] pairs query i with key j.
    public static func fourTermLogits(word: Tensor, position: Tensor, queryWeight: Tensor, queryBias: Tensor,
                                      keyWeight: Tensor, keyBias: Tensor, heads: Int) throws -> FourTerms<Tensor> {
        // BEGIN SOLUTION 2.2
        let (T, H, A) = (word.shape[0], word.shape[1], heads)
        let scale = 1 / Float(H / A).squareRoot()
        // [T, H] → [A, T, D]: splitHeads works on [B, T, H], so view the tokens as one sequence.
        func perHead(_ x: Tensor) -> Tensor { splitHeads(x.reshaped([1, T, H]), heads: A).reshaped([A, T, H / A]) }
        let queryWord = perHead(matmul(word, queryWeight) + queryBias), keyWord = perHead(matmul(word, keyWeight) + keyBias)
        let queryPosition = perHead(matmul(position, queryWeight)), keyPosition = perHead(matmul(position, keyWeight))
        func product(_ q: Tensor, _ k: Tensor) -> Tensor { matmul(q, k, transposeB: true, alpha: scale) }   // [A, T, T]
        return FourTerms(wordToWord: product(queryWord, keyWord), wordToPosition: product(queryWord, keyPosition),
                         positionToWord: product(queryPosition, keyWord),
                         positionToPosition: product(queryPosition, keyPosition))
        // END SOLUTION
    }
}
