// GENERATED exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`
// with your code, then check it with `make exercise N=<id>`.
// Stuck? `make hint N=<id>` prints a nudge, `make hint N=<id> LEVEL=2` the derivation.
// Exercises/README.md explains the workflow.
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
        throw ExerciseError.notImplemented("1.3")
    }
}
