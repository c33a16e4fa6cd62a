import CKernels

/// A matrix operand read in place: element (i, j) at `base[i·rowStride + j·columnStride]`.
/// A transpose is a swap of the two strides, not a copy.
/// Introduced in Chapter 1, with the fused attention core.
public struct StridedMatrix {
    public var base: UnsafePointer<Float>
    public var rowStride: Int
    public var columnStride: Int

    /// A row-major matrix with rows `rowStride` floats apart (columns adjacent).
    public init(_ base: UnsafePointer<Float>, rowStride: Int) {
        self.init(base, rowStride: rowStride, columnStride: 1)
    }

    public init(_ base: UnsafePointer<Float>, rowStride: Int, columnStride: Int) {
        (self.base, self.rowStride, self.columnStride) = (base, rowStride, columnStride)
    }

    /// The same storage read as the transposed matrix.
    public var transposed: StridedMatrix { StridedMatrix(base, rowStride: columnStride, columnStride: rowStride) }
}

/// Products of small matrices that sit in cache — attention's per-(sequence, head) blocks,
/// 128×128×64 in BERT — on the calling thread, with Tenfold's own register-blocked kernel
/// (`tenfold_small_gemm`: 8×32 blocks with AVX-512, 6×16 with AVX2+FMA, the same bits either
/// way) instead of OpenBLAS. At these sizes
/// OpenBLAS spends as long on a call's set-up, its copies of both operands and the pass that
/// zeroes C as on the arithmetic (`tenfold bench --kernels` compares the two).
/// Introduced in Chapter 1, with the fused attention core.
public enum SmallProduct {
    /// The scratch floats `multiply` needs for an `[m, k]·[k, n]` product.
    public static func scratchCount(m: Int, n: Int, k: Int) -> Int {
        tenfold_small_gemm_scratch(m, n, k)
    }

    /// `C = α·A·B`, overwriting C (never read): A is `[m, k]`, B is `[k, n]`, C is `[m, n]`
    /// with rows `ldc` floats apart. `scratch` holds `scratchCount(m:n:k:)` floats and
    /// overlaps none of the operands. Each element's sum runs over k in order.
    public static func multiply(m: Int, n: Int, k: Int, alpha: Float = 1, _ a: StridedMatrix, _ b: StridedMatrix,
                                into c: UnsafeMutablePointer<Float>, ldc: Int, scratch: UnsafeMutablePointer<Float>) {
        tenfold_small_gemm(m, n, k, alpha, a.base, a.rowStride, a.columnStride,
                           b.base, b.rowStride, b.columnStride, c, ldc, scratch)
    }

    /// The kernel `multiply` uses on this CPU, for the benchmark's report.
    public static var kernel: String {
        switch level {
        case 2: "AVX-512, 8×32 blocks"
        case 1: "AVX2+FMA, 6×16 blocks"
        default: "portable loop"
        }
    }

    /// The kernel `multiply` uses on this CPU: 0 (portable), 1 (AVX2+FMA), 2 (AVX-512).
    static var level: Int32 { tenfold_small_gemm_level() }

    /// `multiply` with the kernel capped at `level` (tests compare the kernels with it).
    static func multiply(level: Int32, m: Int, n: Int, k: Int, alpha: Float = 1, _ a: StridedMatrix,
                         _ b: StridedMatrix, into c: UnsafeMutablePointer<Float>, ldc: Int,
                         scratch: UnsafeMutablePointer<Float>) {
        tenfold_small_gemm_at(level, m, n, k, alpha, a.base, a.rowStride, a.columnStride,
                              b.base, b.rowStride, b.columnStride, c, ldc, scratch)
    }
}
