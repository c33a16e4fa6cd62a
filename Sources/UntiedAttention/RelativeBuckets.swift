import Foundation

/// T5's bidirectional relative-position bucket of `n = i − j` (Raffel et al., 2020; TUPE §3.3;
/// Docs/Methods/TUPE.md#t5-buckets).
///
///     t5Bucket(relativePosition: 0)      // 0
///     t5Bucket(relativePosition: 16)     // 10
///     t5Bucket(relativePosition: -16)    // 26: keys after the query use buckets 16…31
///
/// Half the buckets (0…15) hold `n ≥ 0`, the other half (16…31) `n < 0`. With `m = |n|`
/// and `e = buckets/4` exact buckets (8): `m < e` → `m`; otherwise
/// `e + ⌊ ln(m/e) / ln(maxDistance/e) · e ⌋`, capped at `buckets/2 − 1`. So m = 8, 16, 32,
/// 64 → 8, 10, 12, 14 and everything from 128 on shares bucket 15.
///
/// `ln(m/e)` is evaluated only for `m ≥ e` (for m = 0 it would be −∞, and converting −∞ to
/// Int traps). The quotient is computed in Double with a 1e-9 allowance so that an exact
/// power such as m = 64 (quotient 6 in exact arithmetic) cannot round down to bucket 13.
///
/// - Parameters:
///   - relativePosition: n = i − j, query index minus key index.
///   - buckets: the total number of buckets (32 in TUPE-R), a multiple of 4.
///   - maxDistance: the distance from which all positions share the last bucket (128).
/// - Returns: a bucket in `0..<buckets`.
/// Introduced in Chapter 3.
public func t5Bucket(relativePosition n: Int, buckets: Int = 32, maxDistance: Int = 128) -> Int {
    precondition(buckets >= 4 && buckets % 4 == 0, "t5Bucket needs a multiple of 4 buckets, not \(buckets)")
    let half = buckets / 2
    let exact = half / 2
    precondition(maxDistance > exact, "maxDistance \(maxDistance) must exceed the \(exact) exact buckets")
    let offset = n < 0 ? half : 0
    let m = n.magnitude
    if m < UInt(exact) { return offset + Int(m) }
    let fraction = Foundation.log(Double(m) / Double(exact)) / Foundation.log(Double(maxDistance) / Double(exact))
    let logarithmic = exact + Int((fraction * Double(exact) + 1e-9).rounded(.down))
    return offset + min(logarithmic, half - 1)
}

/// The bucket of every query/key pair of a sequence of `length` tokens: `[T·T]`, row-major
/// (query i, key j).
///
/// With `untiesCLS`, TUPE-R's two extra buckets replace the [CLS] row and column
/// (Docs/Methods/TUPE.md#the-cls-buckets): `buckets` for the [CLS] row (i = 0, every j, including [CLS] → [CLS])
/// and `buckets + 1` for the [CLS] column (j = 0, i ≠ 0), so the table has `buckets + 2`
/// entries. Introduced in Chapter 3.
public func relativeBucketIndices(length T: Int, buckets: Int = 32, maxDistance: Int = 128,
                                  untiesCLS: Bool) -> [Int32] {
    var indices = [Int32](repeating: 0, count: T * T)
    for i in 0..<T {
        for j in 0..<T {
            var bucket = t5Bucket(relativePosition: i - j, buckets: buckets, maxDistance: maxDistance)
            if untiesCLS {
                if i == 0 { bucket = buckets } else if j == 0 { bucket = buckets + 1 }
            }
            indices[i * T + j] = Int32(bucket)
        }
    }
    return indices
}
