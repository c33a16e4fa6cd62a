import COpenBLAS

/// Matrix products through OpenBLAS's `cblas_sgemm`, with transpose flags instead of copies.
///
/// OpenBLAS is kept single-threaded; Tenfold splits the work over cores itself. A large
/// product is cut into shrinking blocks of output rows (or columns), or, when its sum is long
/// and its output small (weight gradients), of the sum, handed out as cores come free; many
/// small products (attention, per (batch, head)) run one per core. This is steadier than
/// OpenBLAS's own threads on small shapes (measured on the project's 2-core machines) and deterministic:
/// the blocks depend only on the shapes and the thread count.
/// Introduced in Chapter 1 (Foundation).
public enum BLAS {
    /// OpenBLAS runs one thread per call; set once, before the first product.
    static let singleThreaded: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    /// `C = α·op(A)·op(B) + β·C` for row-major matrices, on the calling thread; with `bias`,
    /// `C = α·op(A)·op(B) + bias` instead, the `[n]` bias added to every row (β is not used).
    ///
    /// - Parameters:
    ///   - m, n, k: `op(A)` is `[m, k]`, `op(B)` is `[k, n]`, `C` is `[m, n]`.
    ///   - lda, ldb, ldc: row strides of A, B, C as stored (A is `[k, m]` when transposed).
    @inline(__always)
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
                            bias: UnsafePointer<Float>? = nil) {
        _ = singleThreaded
        guard m > 0, n > 0 else { return }
        var beta = beta
        if let bias {
            // The bias written into C, and the product added onto it: one pass over C less
            // than adding the bias afterwards, and C is still in cache when the product starts.
            for i in 0..<m { (c + i * ldc).update(from: bias, count: n) }
            beta = 1
        }
        if k == 0 {
            // An empty sum: C = β·C (BLAS may skip the call entirely).
            if beta != 1 {
                for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
            }
            return
        }
        if beta == 0 {
            // OpenBLAS meets β = 0 with its own pass zeroing C (measured ≈ 4.5 GB/s, 26 ms of a
            // BERT-mini step) before its kernel adds α·op(A)·op(B) into C. Zeroing C here with
            // memset and passing β = 1 does the same arithmetic (the same bits) at twice the speed.
            if ldc == n {
                c.update(repeating: 0, count: m * n)
            } else {
                for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
            }
            beta = 1
        }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `0..<extent` as `Parallel.guidedRanges` blocks of whole multiples of 16 (so each
    /// block's panels stay aligned with the kernel's), the last block taking the remainder.
    static func guidedBlocks(of extent: Int) -> [Range<Int>] {
        let units = Parallel.guidedRanges(of: extent / 16)
        return units.indices.map { i in
            (units[i].lowerBound * 16)..<(i == units.count - 1 ? extent : units[i].upperBound * 16)
        }
    }

    /// The shortest sum `parallelGemm` splits into blocks (see `splitSumGemm`).
    static let splitSumMinimumK = 2048

    /// A product with a long sum into a small output — a weight gradient `Xᵀ·G` summed over
    /// the batch's tokens — as partial products over consecutive blocks of k
    /// (`Parallel.guidedRanges`), handed out as cores come free and added in block order.
    ///
    /// Split by output rows instead, each core would copy (pack) the whole of the shared
    /// operand, megabytes here; split by k, each copies only its share of both. The price is
    /// a pass adding the partial products, small beside the product (m·n floats each, against
    /// a sum over thousands of tokens). The blocks depend only on k and the thread count, so
    /// the sum is added in the same order on every run.
    static func splitSumGemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
                             bias: UnsafePointer<Float>?) {
        let ranges = guidedBlocks(of: k)
        let blocks = ranges.count
        // Block 0 goes to C itself (with β or the bias); blocks 1… to partial products, added
        // in at the end.
        // From the storage pool: fresh pages from the system would cost more than the sums.
        let partialStorage = TensorStorage(uninitializedCount: (blocks - 1) * m * n)
        let partials = partialStorage.pointer
        Parallel.forEachDynamically(blocks) { block in
            let (start, end) = (ranges[block].lowerBound, ranges[block].upperBound)
            // Columns start..<end of op(A) and rows start..<end of op(B).
            let aBlock = transposeA ? a + start * lda : a + start
            let bBlock = transposeB ? b + start : b + start * ldb
            let (blockBeta, out, ldOut) = block == 0 ? (beta, c, ldc) : (0, partials + (block - 1) * m * n, n)
            gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: end - start, alpha: alpha,
                 a: aBlock, lda: lda, b: bBlock, ldb: ldb, beta: blockBeta, c: out, ldc: ldOut,
                 bias: block == 0 ? bias : nil)
        }
        Parallel.forChunks(of: m, minimumChunk: max(1, 16_384 / n)) { rows in
            for i in rows {
                let row = c + i * ldc
                for block in 1..<blocks {
                    let partial = partials + (block - 1) * m * n + i * n
                    for j in 0..<n { row[j] += partial[j] }
                }
            }
        }
        withExtendedLifetime(partialStorage) {}
    }

    /// The same product (with or without a bias) split over `Parallel.threadCount` cores by
    /// blocks of output rows, or of output columns when there are more columns than rows.
    ///
    /// The blocks shrink (`Parallel.guidedRanges`) and go to the cores as they come free. On
    /// a shared machine one core often runs 10–30% slower than the other for a while; with
    /// one equal block per core the faster then waits for the slower. Measured on a BERT-mini
    /// step (`tenfold bench`'s idle meter), the cores waited 3.1–5.6% of their time with equal
    /// blocks and 1.8–3.1% with these. Each extra block copies the operand the blocks share
    /// once more, which is why the first blocks are large.
    public static func parallelGemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                                    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                                    b: UnsafePointer<Float>, ldb: Int,
                                    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
                                    bias: UnsafePointer<Float>? = nil) {
        // Below ~2 MFLOP a second thread costs more than it saves.
        let work = m * n * k
        let threads = work < 1 << 20 ? 1 : Parallel.threadCount
        if threads > 1 && k >= splitSumMinimumK && k >= 4 * max(m, n) {
            splitSumGemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                         a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, bias: bias)
            return
        }
        let splitRows = m >= n
        let extent = splitRows ? m : n
        if threads == 1 || extent < 32 {
            gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                 a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, bias: bias)
            return
        }
        let ranges = guidedBlocks(of: extent)
        Parallel.forEachDynamically(ranges.count) { block in
            let (start, size) = (ranges[block].lowerBound, ranges[block].count)
            if splitRows {
                // Rows start…end of op(A): a row block of A, or a column block of Aᵀ.
                let aBlock = transposeA ? a + start : a + start * lda
                gemm(transposeA: transposeA, transposeB: transposeB, m: size, n: n, k: k,
                     alpha: alpha, a: aBlock, lda: lda, b: b, ldb: ldb,
                     beta: beta, c: c + start * ldc, ldc: ldc, bias: bias)
            } else {
                // Columns start…end of op(B): a column block of B, or a row block of Bᵀ.
                let bBlock = transposeB ? b + start * ldb : b + start
                gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: size, k: k,
                     alpha: alpha, a: a, lda: lda, b: bBlock, ldb: ldb,
                     beta: beta, c: c + start, ldc: ldc, bias: bias.map { $0 + start })
            }
        }
    }
}
