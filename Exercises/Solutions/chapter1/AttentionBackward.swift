import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 1.3 — the backward pass of 1.2, by hand (chapter 1: "every gradient above is
    /// checked against finite differences"). With ℓ = Σ G ⊙ output for a given `G = outputGradient`:
    ///
    ///     ∂ℓ/∂V = Pᵀ·G                      ∂ℓ/∂P = G·Vᵀ
    ///     ∂ℓ/∂αᵢⱼ = Pᵢⱼ·(∂ℓ/∂Pᵢⱼ − Σₖ ∂ℓ/∂Pᵢₖ·Pᵢₖ)        (the softmax's backward, per row)
    ///     ∂ℓ/∂Q = (∂ℓ/∂α)·K/√D             ∂ℓ/∂K = (∂ℓ/∂α)ᵀ·Q/√D
    ///
    /// The check compares with the engine's autograd and with central finite differences.
    ///
    /// - Parameters:
    ///   - query: `[Tq, D]`; key, value: `[Tk, D]`.
    ///   - outputGradient: G = ∂ℓ/∂output, `[Tq, D]`.
    /// - Returns: ∂ℓ/∂query `[Tq, D]`, ∂ℓ/∂key `[Tk, D]`, ∂ℓ/∂value `[Tk, D]`.
    public static func attentionBackward(query: Tensor, key: Tensor, value: Tensor,
                                         outputGradient: Tensor) throws -> (query: Tensor, key: Tensor, value: Tensor) {
        // BEGIN SOLUTION 1.3
        // STUB: recompute P as in the forward pass, then apply the four formulas above in order.
        let scale = 1 / Float(query.shape[1]).squareRoot()
        let P = softmax(matmul(query, key, transposeB: true, alpha: scale))       // [Tq, Tk]
        let dValue = matmul(P, outputGradient, transposeA: true)                  // [Tk, D]
        let dP = matmul(outputGradient, value, transposeB: true)                  // [Tq, Tk]
        // Softmax backward, row by row: dα = P ⊙ (dP − rowsum(dP ⊙ P)).
        let (Tq, Tk) = (P.shape[0], P.shape[1])
        var dLogits = Tensor.zeros([Tq, Tk])
        for i in 0..<Tq {
            let dot = (0..<Tk).reduce(Float(0)) { $0 + dP[i, $1] * P[i, $1] }
            for j in 0..<Tk { dLogits[i, j] = P[i, j] * (dP[i, j] - dot) }
        }
        let dQuery = matmul(dLogits, key, alpha: scale)                           // [Tq, D]
        let dKey = matmul(dLogits, query, transposeA: true, alpha: scale)         // [Tk, D]
        return (dQuery, dKey, dValue)
        // END SOLUTION
    }
}
