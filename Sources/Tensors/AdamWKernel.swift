import CKernels

/// AdamW's update of one parameter tensor in place, one fused pass over θ, m, v and g in the C
/// kernels (vectorised; Swift's `Float.squareRoot()` keeps libm's errno path here and with it
/// a scalar loop). The arithmetic, per element, with g' = g·gradientScale:
/// `m = β₁m + (1 − β₁)g'`, `v = β₂v + (1 − β₂)g'²`,
/// `θ = θ·decay − stepSize·m/(√v·inverseRootCorrection2 + ε)`.
/// All four buffers hold `count` floats and do not overlap. `AdamW` in Transformer calls it.
/// Introduced in Chapter 1, for the training step's speed.
public func adamWUpdate(parameters theta: UnsafeMutablePointer<Float>, firstMoments m: UnsafeMutablePointer<Float>,
                        secondMoments v: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, count: Int,
                        gradientScale: Float, beta1: Float, beta2: Float, stepSize: Float,
                        inverseRootCorrection2: Float, epsilon: Float, decay: Float) {
    tenfold_adamw(theta, m, v, g, count, gradientScale, beta1, beta2, stepSize, inverseRootCorrection2, epsilon, decay)
}
