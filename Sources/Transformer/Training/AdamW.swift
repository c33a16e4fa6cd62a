import Tensors
import Autograd

/// Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as PyTorch's `AdamW`.
///
/// For update number t, with gradient g (after clipping) and learning rate η:
///
///     θ ← θ − η·λ·θ                         (decoupled decay; only where `decays`)
///     m ← β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     θ ← θ − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
///
/// BERT's settings (Docs/Methods/BERT.md): β = (0.9, 0.999), ε = 1e-6, λ = 0.01, no decay on biases and LayerNorm.
/// The update of each parameter is one fused pass over θ, g, m and v, computed as PyTorch
/// does, `θ ← θ − (η/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε)`: the same value with one division
/// and one square root per element instead of three and one.
/// Introduced in Chapter 1.
public final class AdamW {
    public struct Settings: Codable, Equatable, Sendable {
        public var beta1: Float = 0.9
        public var beta2: Float = 0.999
        public var epsilon: Float = 1e-6
        public var weightDecay: Float = 0.01
        public init() {}
    }

    public let settings: Settings
    /// Updates made so far (t of the last update).
    public private(set) var step: Int = 0
    /// First and second moments, by parameter name.
    public private(set) var firstMoments: [String: Tensor] = [:]
    public private(set) var secondMoments: [String: Tensor] = [:]

    public init(settings: Settings = Settings()) { self.settings = settings }

    /// Applies one update to every parameter that has a gradient.
    ///
    /// - Parameters:
    ///   - learningRate: η for this update.
    ///   - gradientScale: a factor applied to every gradient first (global-norm clipping).
    public func update(_ parameters: [Parameter], learningRate: Float, gradientScale: Float = 1) {
        step += 1
        let (b1, b2, eps) = (settings.beta1, settings.beta2, settings.epsilon)
        let correction1 = 1 - powf(b1, Float(step)), correction2 = 1 - powf(b2, Float(step))
        let stepSize = learningRate / correction1, inverseRootCorrection2 = 1 / correction2.squareRoot()
        for p in parameters {
            guard let gradient = p.variable.gradient else { continue }
            let count = gradient.count
            var m = firstMoments[p.name] ?? Tensor.zeros(gradient.shape)
            var v = secondMoments[p.name] ?? Tensor.zeros(gradient.shape)
            // Release the dictionary's reference so the moments are updated in place.
            firstMoments[p.name] = nil
            secondMoments[p.name] = nil
            let decay: Float = p.decays ? 1 - learningRate * settings.weightDecay : 1
            let g = gradient.pointer
            m.withUnsafeMutableBufferPointer { mBuffer in
                v.withUnsafeMutableBufferPointer { vBuffer in
                    p.variable.updateValue { value in
                        value.withUnsafeMutableBufferPointer { thetaBuffer in
                            let mp = mBuffer.baseAddress!, vp = vBuffer.baseAddress!, theta = thetaBuffer.baseAddress!
                            Parallel.forChunks(of: count, minimumChunk: 1 << 15) { range in
                                let i = range.lowerBound
                                adamWUpdate(parameters: theta + i, firstMoments: mp + i, secondMoments: vp + i,
                                            gradient: g + i, count: range.count, gradientScale: gradientScale,
                                            beta1: b1, beta2: b2, stepSize: stepSize,
                                            inverseRootCorrection2: inverseRootCorrection2, epsilon: eps, decay: decay)
                            }
                        }
                    }
                }
            }
            firstMoments[p.name] = m
            secondMoments[p.name] = v
        }
    }

    /// Restores the state saved in a checkpoint.
    public func restore(step: Int, firstMoments: [String: Tensor], secondMoments: [String: Tensor]) {
        self.step = step
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
    }
}

extension AdamW {
    /// One optimisation step for a store, as every training loop of Tenfold takes it: the
    /// global gradient norm; the gradients scaled down to at most `maxNorm` (folded into the
    /// update); one AdamW update at `learningRate`; the gradients zeroed.
    ///
    /// A norm that is NaN or infinite (an overflow somewhere in the step) would turn every
    /// weight and moment into NaN: then no update is made, `step` stays, and the caller, seeing
    /// the returned norm, decides what to do (`Trainer` stops the run).
    ///
    /// - Returns: the gradient norm before clipping.
    @discardableResult
    public func clippedUpdate(_ store: ParameterStore, learningRate: Float, maxNorm: Float) -> Float {
        let parameters = store.parameters
        let norm = globalGradientNorm(parameters)
        if norm.isFinite {
            update(parameters, learningRate: learningRate, gradientScale: clippingScale(norm: norm, maxNorm: maxNorm))
        }
        store.zeroGradients()
        return norm
    }
}

/// The global L2 norm of all gradients, `√(Σ_p ‖g_p‖²)`, accumulated in Double
/// (`sumOfSquares`: fixed blocks on the cores, added in order, so the same bits whatever the
/// thread count).
public func globalGradientNorm(_ parameters: [Parameter]) -> Float {
    var total = 0.0
    for p in parameters {
        if let g = p.variable.gradient { total += sumOfSquares(g) }
    }
    return Float(total.squareRoot())
}

/// The factor that clips gradients to a global norm of at most `maxNorm` (as PyTorch's
/// `clip_grad_norm_`: `min(1, maxNorm / (norm + 1e-6))`).
public func clippingScale(norm: Float, maxNorm: Float) -> Float {
    min(1, maxNorm / (norm + 1e-6))
}

/// Linear warm-up then linear decay (Docs/Methods/BERT.md).
///
/// For update t = 1…N with W warm-up updates:
/// `η_t = η_peak · t/W` for t ≤ W, then `η_peak · (N − t + 1)/(N − W + 1)`, which reaches
/// η_peak/(N − W + 1) at the last update rather than wasting it at 0.
/// Introduced in Chapter 1.
public struct LearningRateSchedule: Codable, Equatable, Sendable {
    public var peak: Float
    public var warmupSteps: Int
    public var totalSteps: Int

    public init(peak: Float, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak; self.warmupSteps = warmupSteps; self.totalSteps = totalSteps
    }

    public func learningRate(at t: Int) -> Float {
        if warmupSteps > 0 && t <= warmupSteps { return peak * Float(t) / Float(warmupSteps) }
        let remaining = max(0, totalSteps - t + 1)
        return peak * Float(remaining) / Float(max(1, totalSteps - warmupSteps + 1))
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
