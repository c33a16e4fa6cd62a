import XCTest
import Tensors

/// The fused AdamW kernel against the update written out in Double, over a length that
/// leaves a tail after the vector loop.
final class AdamWKernelTests: XCTestCase {
    func testMatchesTheUpdateInDouble() {
        var rng = SeededGenerator(seed: 93)
        let n = 100_003
        var theta = (0..<n).map { _ in rng.nextNormal() }
        var m = (0..<n).map { _ in 0.1 * rng.nextNormal() }
        var v = (0..<n).map { _ in 0.01 * abs(rng.nextNormal()) }
        let g = (0..<n).map { _ in rng.nextNormal() }
        let (scale, b1, b2, stepSize, root, eps, decay): (Float, Float, Float, Float, Float, Float, Float) =
            (0.5, 0.9, 0.999, 1e-3 / 0.19, 1 / Float(0.002997).squareRoot(), 1e-6, 1 - 1e-3 * 0.01)
        let (theta0, m0, v0) = (theta, m, v)
        theta.withUnsafeMutableBufferPointer { t in
            m.withUnsafeMutableBufferPointer { pm in
                v.withUnsafeMutableBufferPointer { pv in
                    g.withUnsafeBufferPointer { pg in
                        adamWUpdate(parameters: t.baseAddress!, firstMoments: pm.baseAddress!,
                                    secondMoments: pv.baseAddress!, gradient: pg.baseAddress!, count: n,
                                    gradientScale: scale, beta1: b1, beta2: b2, stepSize: stepSize,
                                    inverseRootCorrection2: root, epsilon: eps, decay: decay)
                    }
                }
            }
        }
        // Each error relative to the size of the terms it sums (m can cancel to near zero).
        var worst = (m: 0.0, v: 0.0, theta: 0.0)
        for i in 0..<n {
            let gi = Double(g[i]) * Double(scale)
            let mi = Double(b1) * Double(m0[i]) + (1 - Double(b1)) * gi
            let vi = Double(b2) * Double(v0[i]) + (1 - Double(b2)) * gi * gi
            let step = Double(stepSize) * mi / (vi.squareRoot() * Double(root) + Double(eps))
            let ti = Double(theta0[i]) * Double(decay) - step
            worst.m = max(worst.m, abs(Double(m[i]) - mi) / (abs(Double(b1) * Double(m0[i])) + abs((1 - Double(b1)) * gi)))
            worst.v = max(worst.v, abs(Double(v[i]) - vi) / vi)
            // θ's error is that of its two terms, each to Float precision.
            worst.theta = max(worst.theta, abs(Double(theta[i]) - ti) / (abs(Double(theta0[i])) + abs(step)))
        }
        XCTAssertLessThan(worst.m, 1e-5)
        XCTAssertLessThan(worst.v, 1e-5)
        XCTAssertLessThan(worst.theta, 1e-6)
    }
}
