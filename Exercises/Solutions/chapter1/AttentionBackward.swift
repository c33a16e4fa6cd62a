import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 1.3 — the backward pass of 1.2, by hand (chapter 1, "Scaled dot-product attention, by
    /// hand": every gradient there is checked against finite differences; the forward pass is
    /// Docs/Methods/BERT.md#attention-logits). For the forward pass of 1.2,
    /// output = softmax(Q·Kᵀ/√D)·V, and a given G = `outputGradient`, take the scalar
    ///
    ///     ℓ = Σᵢ Σ_d Gᵢd · outputᵢd
    ///
    /// and return its gradients: entry (r, c) of ∂ℓ/∂Q is ∂ℓ/∂Q_rc, how fast ℓ changes with Q_rc
    /// (likewise for K and V). The check compares them with the engine's autograd and with central
    /// finite differences.
    ///
    /// - Parameters:
    ///   - query: Q `[Tq, D]`; key: K `[Tk, D]`; value: V `[Tk, D]`.
    ///   - outputGradient: G = ∂ℓ/∂output, `[Tq, D]`.
    /// - Returns: ∂ℓ/∂Q `[Tq, D]`, ∂ℓ/∂K `[Tk, D]`, ∂ℓ/∂V `[Tk, D]`.
    public static func attentionBackward(query: Tensor, key: Tensor, value: Tensor,
                                         outputGradient: Tensor) throws -> (query: Tensor, key: Tensor, value: Tensor) {
        // BEGIN SOLUTION 1.3
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
