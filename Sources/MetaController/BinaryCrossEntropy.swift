import Foundation
import Tensors
import Autograd

/// The mean binary cross-entropy of logits against targets in [0, 1] — ELECTRA's
/// discriminator loss, "was this token replaced?" at every scored position
/// (Docs/Methods/ELECTRA-MC-BERT.md, "ELECTRA discriminator").
///
///     let loss = binaryCrossEntropyWithLogits(logits, targets: replaced.map { $0 ? 1 : 0 })   // [N] → []
///
/// Forward, with `σ(z) = 1/(1 + e^(−z))`: `ℓ = (1/n) Σᵢ −[yᵢ log σ(zᵢ) + (1 − yᵢ) log(1 − σ(zᵢ))]`,
/// evaluated in the form that neither overflows nor loses the small term,
/// `max(zᵢ, 0) − zᵢ·yᵢ + log(1 + e^(−|zᵢ|))`, summed in Double in index order (the same bits
/// for every thread count). 0 when there are no logits.
/// Backward: `∂ℓ/∂zᵢ = g·(σ(zᵢ) − yᵢ)/n`.
///
/// - Parameters:
///   - logits: any shape, `n` elements.
///   - targets: `n` numbers in [0, 1] (ELECTRA's are 0 or 1), in the logits' row-major order.
/// Introduced in Chapter 5.
public func binaryCrossEntropyWithLogits(_ logits: Variable, targets: [Float]) -> Variable {
    let Z = logits.value, n = Z.count
    precondition(targets.count == n, "binaryCrossEntropyWithLogits: \(targets.count) targets for \(n) logits")
    precondition(targets.allSatisfy { (0...1).contains($0) }, "binaryCrossEntropyWithLogits: targets must lie in [0, 1]")
    var total = 0.0
    Z.withUnsafeBufferPointer { z in
        for i in 0..<n {
            let x = Double(z[i]), y = Double(targets[i])
            total += Swift.max(x, 0) - x * y + Foundation.log1p(Foundation.exp(-abs(x)))
        }
    }
    let loss = n == 0 ? Float(0) : Float(total / Double(n))
    return .record("binaryCrossEntropy", Tensor(loss), inputs: [logits]) { g in
        let scale = n == 0 ? Float(0) : g.item / Float(n)
        var gradient = Tensor(uninitializedShape: Z.shape)
        gradient.withUnsafeMutableBufferPointer { d in
            Z.withUnsafeBufferPointer { z in
                for i in 0..<n { d[i] = scale * (sigmoid(z[i]) - targets[i]) }
            }
        }
        return [gradient]
    }
}

/// σ(z) without overflow: `1/(1 + e^(−z))` for z ≥ 0, `e^z/(1 + e^z)` below.
@inline(__always)
func sigmoid(_ z: Float) -> Float {
    if z >= 0 { return 1 / (1 + Foundation.exp(-z)) }
    let e = Foundation.exp(z)
    return e / (1 + e)
}
