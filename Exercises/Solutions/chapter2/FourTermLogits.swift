import Foundation
import Tensors
import ExpandedAttention
import ExerciseChecks

extension Implementation {
    /// Exercise 2.2 — the four terms of one layer's attention logits (chapter 2, "Four terms in
    /// one product"; TUPE §3.1; METHODS.md §1; the engine's `fourTerms`). With x = ω + π:
    ///
    ///     α = (xW^Q + b^Q)(xW^K + b^K)ᵀ/√D
    ///       = (ωW^Q + b^Q)(ωW^K + b^K)ᵀ/√D     word → word
    ///       + (ωW^Q + b^Q)(πW^K)ᵀ/√D           word → position
    ///       + (πW^Q)(ωW^K + b^K)ᵀ/√D           position → word
    ///       + (πW^Q)(πW^K)ᵀ/√D                 position → position
    ///
    /// per head: head h uses columns h·D..<(h+1)·D of every projection, D = H/A.
    ///
    /// - Parameters:
    ///   - word: ω `[T, H]`; position: π `[T, H]`.
    ///   - queryWeight, keyWeight: W^Q, W^K `[H, H]`; queryBias, keyBias: b^Q, b^K `[H]`.
    ///   - heads: A.
    /// - Returns: the four terms, `[A, T, T]` each.
    public static func fourTermLogits(word: Tensor, position: Tensor, queryWeight: Tensor, queryBias: Tensor,
                                      keyWeight: Tensor, keyBias: Tensor, heads: Int) throws -> FourTerms<Tensor> {
        // BEGIN SOLUTION 2.2
        // STUB: project ω and π with W^Q and W^K (biases with the word part only), split the columns
        // STUB: into heads, and multiply each query part by each key part.
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
