// GENERATED exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`
// with your code, then check it with `make exercise N=<id>`.
// Stuck? `make hint N=<id>` prints a nudge, `make hint N=<id> LEVEL=2` the derivation.
// Exercises/README.md explains the workflow.
import Foundation
import Tensors
import Transformer
import ExerciseChecks

extension Implementation {
    /// Exercise 1.4 — one AdamW update of one parameter (chapter 1, "Pre-training, for real";
    /// Loshchilov & Hutter 2019, Algorithm 2; Docs/Methods/BERT.md#optimiser; the engine's `AdamW`).
    /// Update number t (the first is t = 1), gradient g, learning rate η, and β₁, β₂, ε and the weight
    /// decay λ from `settings`; every operation is entry by entry:
    ///
    ///     m′ = β₁·m + (1 − β₁)·g
    ///     v′ = β₂·v + (1 − β₂)·g²
    ///     θ′ = θ − η·λ·θ − η · (m′ / (1 − β₁ᵗ)) / (√(v′ / (1 − β₂ᵗ)) + ε)    (no η·λ·θ unless `decays`)
    ///
    /// - Parameters:
    ///   - parameter: θ; gradient: g; firstMoment: m; secondMoment: v — the same shape each.
    ///   - step: t ≥ 1; learningRate: η; decays: false for biases and LayerNorm parameters.
    /// - Returns: θ′, m′ and v′, in θ's shape.
    public static func adamWStep(parameter: Tensor, gradient: Tensor, firstMoment: Tensor, secondMoment: Tensor,
                                 step: Int, learningRate: Float, settings: AdamW.Settings,
                                 decays: Bool) throws -> (parameter: Tensor, firstMoment: Tensor, secondMoment: Tensor) {
        throw ExerciseError.notImplemented("1.4")
    }
}
