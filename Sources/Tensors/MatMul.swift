/// The matrix product of two tensors, with optional transposes (no copies are made).
///
///     let y = matmul(x, w)                               // [B·T, H]·[H, F] → [B·T, F]
///     let scores = matmul(q, k, transposeB: true)        // [B, A, T, D]·[B, A, T, D]ᵀ → [B, A, T, T]
///     let dW = matmul(x, dy, transposeA: true)           // [N, H]ᵀ·[N, F] → [H, F]
///
/// Shapes (`op` is the optional transpose of the last two dimensions):
/// - `a [..., M, K]`, `b [K, N]` → `[..., M, N]`: leading dimensions of `a` are folded into
///   one large product (a Linear layer applied to every token).
/// - `a [S..., M, K]`, `b [S..., K, N]` with equal leading dimensions → `[S..., M, N]`:
///   one product per leading index, spread over the cores (attention per (batch, head)).
/// - `a [M, K]`, `b [S..., K, N]` → `[S..., M, N]`: `a` is shared by every product.
/// Introduced in Chapter 1 (Foundation).
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false,
                   transposeB: Bool = false, alpha: Float = 1) -> Tensor {
    let plan = MatMulPlan(a.shape, b.shape, transposeA: transposeA, transposeB: transposeB)
    var c = Tensor(uninitializedShape: plan.outputShape)
    matmul(a, b, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: 0, into: &c)
    return c
}

/// `op(a)·op(b) + bias`, the bias `[N]` added to every row of the output `[..., M, N]`: a
/// Linear layer's `x·W + b` in one pass over the output, the bias written into each block of
/// the output just before the product is added onto it.
///
///     let y = matmul(x, w, bias: b)                      // [B·T, H]·[H, F] + [F] → [B·T, F]
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
                   bias: Tensor) -> Tensor {
    let plan = MatMulPlan(a.shape, b.shape, transposeA: transposeA, transposeB: transposeB)
    precondition(bias.shape == [plan.n], "matmul bias has shape \(bias.shape), expected [\(plan.n)]")
    var c = Tensor(uninitializedShape: plan.outputShape)
    matmul(a, b, transposeA: transposeA, transposeB: transposeB, alpha: 1, beta: 0, bias: bias.pointer, into: &c)
    return c
}

/// `c = α·op(a)·op(b) + β·c`, writing into an existing tensor of the output shape — for
/// accumulating gradients without a temporary.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
                   alpha: Float = 1, beta: Float, into c: inout Tensor) {
    matmul(a, b, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta, bias: nil, into: &c)
}

/// `c = α·op(a)·op(b) + β·c`, or `+ bias` in every row instead of `β·c` when a bias is given.
func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float,
            bias: UnsafePointer<Float>?, into c: inout Tensor) {
    let plan = MatMulPlan(a.shape, b.shape, transposeA: transposeA, transposeB: transposeB)
    precondition(c.shape == plan.outputShape,
                 "matmul output has shape \(c.shape), expected \(plan.outputShape)")
    let (m, n, k) = (plan.m, plan.n, plan.k)
    let lda = transposeA ? m : k, ldb = transposeB ? k : n
    let pa = a.pointer, pb = b.pointer
    c.withUnsafeMutableBufferPointer { cBuffer in
        let pc = cBuffer.baseAddress!
        if plan.batch == 1 {
            BLAS.parallelGemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                              alpha: alpha, a: pa, lda: lda, b: pb, ldb: ldb,
                              beta: beta, c: pc, ldc: n, bias: bias)
        } else {
            let aStride = plan.aBatched ? m * k : 0, bStride = plan.bBatched ? k * n : 0
            Parallel.forEach(plan.batch) { i in
                BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                          alpha: alpha, a: pa + i * aStride, lda: lda, b: pb + i * bStride, ldb: ldb,
                          beta: beta, c: pc + i * m * n, ldc: n, bias: bias)
            }
        }
    }
}

/// How a `matmul` of two shapes is carried out: one large product or a batch of them.
public struct MatMulPlan: Equatable {
    public var m: Int, n: Int, k: Int
    /// Number of separate products (1 when leading dimensions are folded into `m`).
    public var batch: Int
    public var aBatched: Bool, bBatched: Bool
    public var outputShape: [Int]

    public init(_ aShape: [Int], _ bShape: [Int], transposeA: Bool, transposeB: Bool) {
        precondition(aShape.count >= 2 && bShape.count >= 2,
                     "matmul needs matrices, got \(aShape) and \(bShape)")
        let aRows = aShape[aShape.count - 2], aCols = aShape[aShape.count - 1]
        let bRows = bShape[bShape.count - 2], bCols = bShape[bShape.count - 1]
        let (m, ka) = transposeA ? (aCols, aRows) : (aRows, aCols)
        let (kb, n) = transposeB ? (bCols, bRows) : (bRows, bCols)
        precondition(ka == kb, "matmul inner dimensions differ: \(aShape)\(transposeA ? "ᵀ" : "") · \(bShape)\(transposeB ? "ᵀ" : "")")
        let aLead = Array(aShape.dropLast(2)), bLead = Array(bShape.dropLast(2))
        self.n = n; self.k = ka
        if bLead.isEmpty && !transposeA {
            // Fold a's leading dimensions into its rows: one large product.
            self.m = m * Tensor.elementCount(aLead)
            batch = 1; aBatched = false; bBatched = false
            outputShape = aLead + [m, n]
        } else if bLead.isEmpty || aLead.isEmpty || aLead == bLead {
            self.m = m
            let lead = aLead.isEmpty ? bLead : aLead
            batch = Tensor.elementCount(lead)
            aBatched = !aLead.isEmpty; bBatched = !bLead.isEmpty
            outputShape = lead + [m, n]
        } else {
            preconditionFailure("matmul leading dimensions differ: \(aShape) · \(bShape)")
        }
    }
}
