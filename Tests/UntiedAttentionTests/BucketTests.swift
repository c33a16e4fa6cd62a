import XCTest
@testable import UntiedAttention

/// T5's bidirectional buckets (32, max distance 128) at the distances the chapter tabulates.
final class BucketTests: XCTestCase {
    func testBucketsAtTheListedDistances() {
        // n = i − j: n ≥ 0 uses 0…15, n < 0 uses 16…31.
        let expected: [(Int, Int)] = [
            (0, 0), (1, 1), (-1, 17), (7, 7), (-7, 23), (8, 8), (-8, 24), (15, 9), (-15, 25),
            (16, 10), (-16, 26), (32, 12), (64, 14), (-64, 30), (127, 15), (-127, 31),
            (128, 15), (-128, 31), (1000, 15), (-1000, 31),
        ]
        var wrong: [String] = []
        for (n, bucket) in expected {
            let got = t5Bucket(relativePosition: n)
            if got != bucket { wrong.append("bucket(\(n)) = \(got), expected \(bucket)") }
        }
        XCTAssert(wrong.isEmpty, wrong.joined(separator: "\n"))
    }

    func testBucketsAreMonotoneAndInRange() {
        var previous = 0
        for m in 0...2000 {
            let b = t5Bucket(relativePosition: m)
            XCTAssert((0..<16).contains(b) && b >= previous, "bucket(\(m)) = \(b) after \(previous)")
            XCTAssertEqual(t5Bucket(relativePosition: -m), m == 0 ? 0 : b + 16, "bucket(−\(m))")
            previous = b
        }
    }

    func testCLSBucketsTakeTheFirstRowAndColumn() {
        let T = 4
        let indices = relativeBucketIndices(length: T, untiesCLS: true)
        for j in 0..<T { XCTAssertEqual(indices[j], 32, "row 0, column \(j)") }
        for i in 1..<T { XCTAssertEqual(indices[i * T], 33, "row \(i), column 0") }
        XCTAssertEqual(indices[2 * T + 1], 1)   // i − j = 1
        XCTAssertEqual(indices[1 * T + 3], 18)  // i − j = −2
    }
}
