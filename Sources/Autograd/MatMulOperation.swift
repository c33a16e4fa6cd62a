import Tensors

/// The differentiable matrix product `α·op(A)·op(B)`; shapes as in `Tensors.matmul`.
///
/// With `C = α·op(A)·op(B)` and `G = ∂ℓ/∂C`:
/// `∂ℓ/∂op(A) = α·G·op(B)ᵀ` and `∂ℓ/∂op(B) = α·op(A)ᵀ·G`, each computed as one product with
/// transpose flags (no copies). When one side was shared by a batch of products, its
/// gradient is summed over the batch.
/// Introduced in Chapter 1 (Foundation).
public func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false,
                   transposeB: Bool = false, alpha: Float = 1) -> Variable {
    let A = a.value, B = b.value
    let C = matmul(A, B, transposeA: transposeA, transposeB: transposeB, alpha: alpha)
    return .record("matmul", C, inputs: [a, b]) { G in
        var gradA: Tensor? = nil, gradB: Tensor? = nil
        if a.requiresGradient {
            // dop(A) = G·op(B)ᵀ; when A is stored transposed, dA = op(B)·Gᵀ.
            var g = transposeA
                ? matmul(B, G, transposeA: transposeB, transposeB: true, alpha: alpha)
                : matmul(G, B, transposeB: !transposeB, alpha: alpha)
            if g.shape != A.shape { g = g.sumLeading(to: A.shape) }
            gradA = g
        }
        if b.requiresGradient {
            var g: Tensor
            if B.rank == 2 && !transposeA && A.rank > 2 {
                // Leading dimensions were folded into rows (MatMulPlan's rule): one product
                // over all of them. A batch of one product ([1, 1, T, D]·[1, 1, T, D]ᵀ) is not
                // folded and takes the batched branch below.
                let A2 = A.reshaped([-1, A.shape[A.rank - 1]])
                let G2 = G.reshaped([-1, G.shape[G.rank - 1]])
                g = transposeB ? matmul(G2, A2, transposeA: true, alpha: alpha)
                               : matmul(A2, G2, transposeA: true, alpha: alpha)
            } else {
                // dop(B) = op(A)ᵀ·G; when B is stored transposed, dB = Gᵀ·op(A).
                g = transposeB
                    ? matmul(G, A, transposeA: true, transposeB: transposeA, alpha: alpha)
                    : matmul(A, G, transposeA: !transposeA, alpha: alpha)
            }
            if g.shape != B.shape { g = g.sumLeading(to: B.shape) }
            gradB = g
        }
        return [gradA, gradB]
    }
}
