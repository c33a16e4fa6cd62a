import XCTest
@testable import Tensors

final class DropoutTests: XCTestCase {
    func testProbabilityZeroReturnsTheInputWithoutACopy() {
        var rng = SeededGenerator(seed: 61), untouched = SeededGenerator(seed: 61)
        let x = Tensor.ones([100])
        let y = dropout(x, probability: 0, using: &rng)
        XCTAssertEqual(y.pointer, x.pointer, "p = 0 shares the storage")
        _ = untouched.next()
        XCTAssertEqual(rng, untouched, "one draw is taken whatever p, so later draws do not shift")
    }

    func testKeptFractionAndScale() {
        var rng = SeededGenerator(seed: 62)
        let x = Tensor.ones([1 << 20])
        for p: Float in [0.1, 0.5] {
            let y = dropout(x, probability: p, using: &rng)
            let kept = y.scalars.filter { $0 != 0 }
            let fraction = Double(kept.count) / Double(x.count)
            // Standard deviation of the fraction is √(p(1−p)/n) ≈ 0.0005: allow 5σ.
            XCTAssertEqual(fraction, Double(1 - p), accuracy: 0.0025, "kept fraction for p = \(p)")
            XCTAssertTrue(kept.allSatisfy { $0 == 1 / (1 - p) }, "survivors are scaled by 1/(1 − p)")
            XCTAssertEqual(Double(sum(y).item) / Double(x.count), 1, accuracy: 0.005, "the mean is preserved")
        }
    }

    /// The mask is a function of (seed, index) only, so it cannot depend on how the work was
    /// split over threads: compare it with a serial recomputation from `SeededGenerator.mix`.
    func testTheMaskDependsOnlyOnSeedAndIndex() {
        let seed: UInt64 = 0xDEAD_BEEF, p: Float = 0.25
        let mask = dropoutMask(shape: [301, 501], probability: p, seed: seed)      // odd: a lone last element
        var disagreements = 0
        for i in 0..<mask.count {
            // One hash per pair of elements: its top 24 bits for the even one, bits 8–31 for the odd.
            let h = SeededGenerator.mix(seed, UInt64(i / 2))
            let u = Float(i % 2 == 0 ? h >> 40 : (h >> 8) & 0xFF_FFFF) / 16_777_216
            if (u >= p ? 1 : 0) != mask.pointer[i] { disagreements += 1 }
        }
        XCTAssertEqual(disagreements, 0, "entries whose mask differs from a serial recomputation")
        XCTAssertEqual(dropoutMask(shape: [301, 501], probability: p, seed: seed).scalars, mask.scalars, "same seed, same mask")
        XCTAssertNotEqual(dropoutMask(shape: [301, 501], probability: p, seed: seed + 1).scalars, mask.scalars)
        var a = SeededGenerator(seed: 3), b = SeededGenerator(seed: 3)
        let x = Tensor.ones([1000])
        XCTAssertEqual(dropout(x, probability: p, using: &a).scalars, dropout(x, probability: p, using: &b).scalars)
    }
}

final class DropoutStretchTests: XCTestCase {
    /// Any stretch — odd or even start, odd or even length — gets exactly the whole tensor's
    /// mask there, and the multipliers agree with it.
    func testStretchesReproduceTheWholeMask() {
        var rng = SeededGenerator(seed: 31)
        let x = Tensor.normal([1001], using: &rng)
        let whole = dropout(x, probability: 0.3, seed: 99).scalars
        for (start, count) in [(0, 1001), (1, 10), (2, 7), (333, 1), (500, 501), (999, 2)] {
            var part = [Float](repeating: .nan, count: count)
            var multipliers = [Float](repeating: .nan, count: count)
            x.scalars.withUnsafeBufferPointer { source in
                dropoutStretch(source.baseAddress! + start, into: &part, count: count, startingAt: start,
                               probability: 0.3, seed: 99)
            }
            dropoutMultipliers(into: &multipliers, count: count, startingAt: start, probability: 0.3, seed: 99)
            XCTAssertEqual(part, Array(whole[start..<(start + count)]), "stretch \(start)..<\(start + count)")
            for i in 0..<count {
                XCTAssertEqual(multipliers[i] == 0, whole[start + i] == 0, "mask at \(start + i)")
            }
        }
    }

    /// The mask is SplitMix64's: element j is kept when its 24-bit draw (bits 40–63 of
    /// mix(seed, ⌊j/2⌋) for even j, bits 8–31 for odd j) is at least ⌈p·2²⁴⌉.
    func testMaskFollowsTheDocumentedDraws() {
        let p: Float = 0.25, seed: UInt64 = 1234
        let mask = dropoutMask(shape: [257], probability: p, seed: seed).scalars
        let threshold = UInt64((Double(p) * 16_777_216).rounded(.up))
        for j in 0..<257 {
            let h = SeededGenerator.mix(seed, UInt64(j / 2))
            let u = j % 2 == 0 ? h >> 40 : (h >> 8) & 0xFF_FFFF
            XCTAssertEqual(mask[j], u >= threshold ? 1 : 0, "element \(j)")
        }
    }
}
