// GENERATED from Exercises/Solutions/chapter2/FourTermLogits.swift by `make exercise-stubs`.
// This is the learner's file: replace each `throw ExerciseError.notImplemented(…)` with your
// code, then run `make exercise N=<id>` (Exercises/README.md explains the workflow).
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
        // project ω and π with W^Q and W^K (biases with the word part only), split the columns
        // into heads, and multiply each query part by each key part.
        throw ExerciseError.notImplemented("2.2")
    }
}
