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
        // BEGIN SOLUTION 1.4
        let (b1, b2) = (settings.beta1, settings.beta2)
        let correction1 = 1 - Foundation.pow(b1, Float(step)), correction2 = 1 - Foundation.pow(b2, Float(step))
        let g = gradient.scalars
        var theta = parameter.scalars, m = firstMoment.scalars, v = secondMoment.scalars
        for i in theta.indices {
            if decays { theta[i] *= 1 - learningRate * settings.weightDecay }
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            theta[i] -= learningRate * (m[i] / correction1) / ((v[i] / correction2).squareRoot() + settings.epsilon)
        }
        let shape = parameter.shape
        return (Tensor(shape: shape, scalars: theta), Tensor(shape: shape, scalars: m), Tensor(shape: shape, scalars: v))
        // END SOLUTION
    }
}
