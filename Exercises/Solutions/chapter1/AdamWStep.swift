import Foundation
import Tensors
import Transformer
import ExerciseChecks

extension Implementation {
    /// Exercise 1.4 — one AdamW update of one parameter (chapter 1, "Pre-training, for real";
    /// Loshchilov & Hutter 2019, Algorithm 2; METHODS.md §0; the engine's `AdamW`). For update t
    /// (the first is t = 1), gradient g, learning rate η and `settings` (β₁, β₂, ε, λ):
    ///
    ///     θ ← θ·(1 − η·λ)                 only if `decays` (not biases, not LayerNorm)
    ///     m ← β₁·m + (1 − β₁)·g
    ///     v ← β₂·v + (1 − β₂)·g²
    ///     θ ← θ − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
    ///
    /// - Parameters: parameter θ, gradient g, firstMoment m, secondMoment v: the same shape each.
    /// - Returns: the new θ, m and v.
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
