import XCTest
@testable import Tensors

/// `SmallProduct.multiply` against a Double triple loop, over the layouts attention uses
/// (rows in place, transposed operands, rows far apart inside a wider tensor) and the edges
/// of its 6×16 and 8×32 blocks and 8×8 transposes.
final class SmallProductTests: XCTestCase {
    /// Draws A and B inside wider storage (row strides above their widths), stored
    /// transposed or not, multiplies them into a C with a padded row stride, and checks
    /// every element of C, including that the padding is untouched.
    func check(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, padA: Int, padB: Int,
               alpha: Float, rng: inout SeededGenerator, file: StaticString = #filePath, line: UInt = #line) {
        // Stored shapes: A as [m, k] or, transposed, [k, m]; likewise B.
        let (aRows, aCols) = transposeA ? (k, m) : (m, k)
        let (bRows, bCols) = transposeB ? (n, k) : (k, n)
        let lda = aCols + padA, ldb = bCols + padB, ldc = n + 3
        let a = (0..<max(aRows * lda, 1)).map { _ in rng.nextNormal() }
        let b = (0..<max(bRows * ldb, 1)).map { _ in rng.nextNormal() }
        var c = [Float](repeating: .nan, count: m * ldc)
        var scratch = [Float](repeating: .nan, count: SmallProduct.scratchCount(m: m, n: n, k: k))
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                var viewA = StridedMatrix(pa.baseAddress!, rowStride: lda)
                var viewB = StridedMatrix(pb.baseAddress!, rowStride: ldb)
                if transposeA { viewA = viewA.transposed }
                if transposeB { viewB = viewB.transposed }
                c.withUnsafeMutableBufferPointer { pc in
                    scratch.withUnsafeMutableBufferPointer { ps in
                        SmallProduct.multiply(m: m, n: n, k: k, alpha: alpha, viewA, viewB,
                                              into: pc.baseAddress!, ldc: ldc, scratch: ps.baseAddress!)
                    }
                }
            }
        }
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<ldc {
                let got = c[i * ldc + j]
                if j >= n {
                    XCTAssert(got.isNaN, "C's padding at (\(i), \(j)) was written", file: file, line: line)
                    continue
                }
                var sum = 0.0, size = 0.0
                for p in 0..<k {
                    let x = Double(transposeA ? a[p * lda + i] : a[i * lda + p])
                    let y = Double(transposeB ? b[j * ldb + p] : b[p * ldb + j])
                    sum += x * y
                    size += abs(x * y)
                }
                let expected = Double(alpha) * sum
                worst = max(worst, abs(Double(got) - expected) / (abs(Double(alpha)) * size + 1e-30))
            }
        }
        // Float rounding of a k-term sum, relative to the sum of magnitudes.
        XCTAssertLessThan(worst, 1e-6 * Double(max(k, 1)),
                          "m \(m) n \(n) k \(k) Aᵀ \(transposeA) Bᵀ \(transposeB)", file: file, line: line)
    }

    func testAttentionShapesAndLayouts() {
        var rng = SeededGenerator(seed: 91)
        // The six products of one attention block (T = 128, D = 64) with their layouts;
        // padA/padB put rows as far apart as inside [B, T, 3H] projections.
        for (m, n, k, tA, tB, padA, padB) in [
            (128, 128, 64, false, true, 704, 704),     // S = Q·Kᵀ
            (128, 64, 128, false, false, 0, 704),      // context = P·V
            (128, 64, 128, true, false, 0, 192),       // dV = Pᵀ·G
            (128, 128, 64, false, true, 192, 704),     // dP = G·Vᵀ
            (128, 64, 128, true, false, 0, 704),       // dK = dSᵀ·Q
        ] {
            check(m: m, n: n, k: k, transposeA: tA, transposeB: tB, padA: padA, padB: padB,
                  alpha: 0.125, rng: &rng)
        }
    }

    func testEdgesOfTheBlocks() {
        var rng = SeededGenerator(seed: 92)
        // m around the 6-row block, n around the 16-column panel, k around the 8×8
        // transpose, k = 0 (C = 0); each in all four transpositions, near and far rows.
        for (m, n, k) in [(1, 1, 1), (5, 16, 8), (6, 17, 7), (7, 15, 9), (13, 32, 16), (12, 48, 24),
                          (3, 5, 0), (19, 33, 40)] {
            for tA in [false, true] {
                for tB in [false, true] {
                    for pad in [0, 300] {
                        check(m: m, n: n, k: k, transposeA: tA, transposeB: tB, padA: pad, padB: pad,
                              alpha: -1.5, rng: &rng)
                    }
                }
            }
        }
    }
    /// The AVX-512 kernel (8×32 blocks) and the AVX2 one (6×16) give the same bits, on
    /// attention's shapes and around both kernels' block edges, in all four transpositions:
    /// each element is the same chain of fused multiply-adds. On a CPU without AVX-512 the
    /// two levels are the same kernel and the test only checks the dispatch.
    func testTheKernelsGiveTheSameBits() throws {
        try XCTSkipIf(SmallProduct.level < 1, "no vector kernel on this CPU")
        var rng = SeededGenerator(seed: 93)
        let shapes = [(128, 128, 64), (128, 64, 128), (1, 1, 1), (7, 33, 9), (9, 31, 16), (8, 32, 8),
                      (17, 48, 24), (6, 16, 0), (25, 65, 40)]
        for (m, n, k) in shapes {
            for (tA, tB) in [(false, false), (false, true), (true, false), (true, true)] {
                let lda = (tA ? m : k) + 5, ldb = (tB ? k : n) + 3, ldc = n + 2
                let a = (0..<max((tA ? k : m) * lda, 1)).map { _ in rng.nextNormal() }
                let b = (0..<max((tB ? n : k) * ldb, 1)).map { _ in rng.nextNormal() }
                var results: [[Float]] = []
                for level in [Int32(1), 2] {
                    var c = [Float](repeating: .nan, count: m * ldc)
                    var scratch = [Float](repeating: .nan, count: SmallProduct.scratchCount(m: m, n: n, k: k))
                    a.withUnsafeBufferPointer { pa in
                        b.withUnsafeBufferPointer { pb in
                            let viewA = tA ? StridedMatrix(pa.baseAddress!, rowStride: lda).transposed
                                           : StridedMatrix(pa.baseAddress!, rowStride: lda)
                            let viewB = tB ? StridedMatrix(pb.baseAddress!, rowStride: ldb).transposed
                                           : StridedMatrix(pb.baseAddress!, rowStride: ldb)
                            c.withUnsafeMutableBufferPointer { pc in
                                scratch.withUnsafeMutableBufferPointer { ps in
                                    SmallProduct.multiply(level: level, m: m, n: n, k: k, alpha: 0.37, viewA, viewB,
                                                          into: pc.baseAddress!, ldc: ldc, scratch: ps.baseAddress!)
                                }
                            }
                        }
                    }
                    results.append(c)
                }
                XCTAssertEqual(results[0].map(\.bitPattern), results[1].map(\.bitPattern),
                               "m \(m) n \(n) k \(k) Aᵀ \(tA) Bᵀ \(tB)")
            }
        }
    }
}
