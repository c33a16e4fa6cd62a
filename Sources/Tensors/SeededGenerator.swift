/// The one random number generator of Tenfold: xoshiro256** seeded through SplitMix64.
///
/// Every random draw in the project — weights, masking, dropout, sampling, data order —
/// takes one of these explicitly, so the same seed gives the same numbers, bit for bit.
/// There is no global generator.
///
///     var rng = SeededGenerator(seed: 42)
///     let u = rng.nextFloat()            // uniform in [0, 1)
///     let z = rng.nextNormal()           // N(0, 1)
///     let i = Int.random(in: 0..<10, using: &rng)
///
/// The state is four 64-bit words (`state`), so a checkpoint can store and restore it.
/// Introduced in Chapter 1 (Foundation).
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable, Codable {
    /// The xoshiro256** state. Never all zero.
    public var state: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds the four state words from `seed` with SplitMix64, as the xoshiro authors advise.
    public init(seed: UInt64) {
        var s = seed
        state = (SeededGenerator.splitMix(&s), SeededGenerator.splitMix(&s),
                 SeededGenerator.splitMix(&s), SeededGenerator.splitMix(&s))
    }

    /// Restores a generator from a saved `state` (for example from a checkpoint).
    public init(state: [UInt64]) {
        precondition(state.count == 4 && state.contains { $0 != 0 }, "xoshiro256** needs 4 words, not all zero")
        self.state = (state[0], state[1], state[2], state[3])
    }

    /// The state as an array, for serialisation.
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    @inlinable
    public mutating func next() -> UInt64 {
        // xoshiro256** 1.0 (Blackman & Vigna, 2018).
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    @inlinable
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal draw (Box–Muller; one draw per call, the sine half discarded so the
    /// stream does not depend on how many normals were asked for before).
    @inlinable
    public mutating func nextNormal() -> Float {
        // u1 in (0, 1] so the logarithm is finite.
        let u1 = Double((next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2.0 * _log(u1)).squareRoot() * _cos(2.0 * Double.pi * u2))
    }

    /// A new, independent generator derived from this one (advances this one by one draw).
    /// Used to hand separate streams to separate consumers (weights, masking, dropout).
    public mutating func fork() -> SeededGenerator {
        SeededGenerator(seed: next())
    }

    /// SplitMix64: a counter-based mixer. `SeededGenerator.mix(seed, index)` gives the
    /// `index`-th number of stream `seed` without generating the ones before it, which is what
    /// lets a parallel kernel (dropout) draw the same numbers whatever the thread count.
    @inlinable
    public static func mix(_ seed: UInt64, _ index: UInt64) -> UInt64 {
        var z = seed &+ (index &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func splitMix(_ s: inout UInt64) -> UInt64 {
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public static func == (a: SeededGenerator, b: SeededGenerator) -> Bool {
        a.stateWords == b.stateWords
    }

    public init(from decoder: Decoder) throws {
        let words = try decoder.singleValueContainer().decode([UInt64].self)
        guard words.count == 4, words.contains(where: { $0 != 0 }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "a generator state is 4 words, not all zero"))
        }
        self.init(state: words)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(stateWords)
    }
}

@inlinable @inline(__always)
func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

#if canImport(Glibc)
import Glibc
@usableFromInline func _log(_ x: Double) -> Double { Glibc.log(x) }
@usableFromInline func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
@usableFromInline func _log(_ x: Double) -> Double { Darwin.log(x) }
@usableFromInline func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
