// Kernels whose cost is arithmetic, not memory: eˣ, the normal CDF Φ behind GELU, softmax
// rows and cross-entropy's log-sum-exp, and dropout's SplitMix64 hash. They are written in C
// so that one source compiles to the widest vectors the CPU has — an AVX2+FMA version chosen
// at run time on x86-64 when the processor supports it, the baseline (SSE2, or NEON on
// arm64) otherwise — without a -march flag that would stop the package running on older
// machines. Softmax rows use a variant of eˣ for arguments ≤ 0 (after subtracting the row
// maximum), with one 2ⁿ scale instead of two; Φ and φ share one exponential.
// Introduced in Chapter 1 (Foundation); softmax, cross-entropy and dropout joined with the
// performance work.
#ifndef TENFOLD_KERNELS_H
#define TENFOLD_KERNELS_H

#include <stdint.h>

/// y[i] = e^x[i] for i < n (relative error ≤ 2·10⁻⁷; 0 below −87.34, +∞ above 88.72).
void tenfold_exp(const float *x, float *y, long n);

/// y[i] = x[i]·Φ(x[i]) (GELU, erf form), Φ with relative error ≤ 5·10⁻⁷ also in the tail.
void tenfold_gelu(const float *x, float *y, long n);

/// dx[i] = g[i]·(Φ(x[i]) + x[i]·φ(x[i])): the GELU backward.
void tenfold_gelu_backward(const float *g, const float *x, float *dx, long n);

/// y[i] = gelu(x[i]) and slope[i] = Φ(x[i]) + x[i]·φ(x[i]) = gelu′(x[i]) in one pass, so that
/// the backward pass is one multiplication, g·slope (the same numbers as the two kernels above).
void tenfold_gelu_and_slope(const float *x, float *y, float *slope, long n);

/// The same with gelu(x[i]) written over x[i], for an input nothing reads afterwards (a fused
/// linear layer's pre-activation). x and slope must not overlap.
void tenfold_gelu_and_slope_in_place(float *x, float *slope, long n);

/// For one row of n logits: *maximum = m = max z, *log_sum = ln Σ e^(z − m) (0 when m is not
/// finite: the loss is then ±∞ or NaN anyway).
void tenfold_log_sum_exp(const float *z, long n, float *maximum, float *log_sum);

/// g[i] = e^((z[i] − maximum) − log_sum)·scale: a softmax row from its log-sum-exp, scaled
/// (the cross-entropy backward before the target's −scale).
void tenfold_exp_from_log_sum(const float *z, float maximum, float log_sum, float scale, float *g, long n);

/// Row softmax of `rows` contiguous rows of n floats: y = e^(x − m)/Σ e^(x − m), m the row
/// maximum (an all −∞ row gives zeros). y may be x.
void tenfold_softmax_rows(const float *x, float *y, long rows, long n);

/// Row log-softmax: y = x − m − ln Σ e^(x − m) (an all −∞ row gives −∞). y may not be x.
void tenfold_log_softmax_rows(const float *x, float *y, long rows, long n);

/// Log-softmax backward of `rows` rows: d = g − e^y·Σ g per row, y the forward output.
void tenfold_log_softmax_backward_rows(const float *g, const float *y, float *d, long rows, long n);

/// Inverted dropout of elements start ..< start + count of a tensor: y[i] = x[i]·scale where
/// the 24-bit draw of element start + i is ≥ threshold, +0 otherwise. Element j's draw comes
/// from SplitMix64(seed, ⌊j/2⌋): bits 40–63 for even j, bits 8–31 for odd j. y may be x.
void tenfold_dropout(const float *x, float *y, long count, long start, uint32_t threshold, float scale,
                     uint64_t seed);

/// The multipliers of tenfold_dropout for the same elements: m[i] = scale where element
/// start + i is kept, +0 where it is dropped (tenfold_dropout of ones, with no input to read).
void tenfold_dropout_multipliers(float *m, long count, long start, uint32_t threshold, float scale, uint64_t seed);

/// One AdamW step (Loshchilov & Hutter, 2019, Algorithm 2) on n parameters, in place:
/// g' = g·gradient_scale, m = β₁m + (1 − β₁)g', v = β₂v + (1 − β₂)g'²,
/// θ = θ·decay − step_size·m/(√v·inverse_root_correction2 + ε), where step_size is the
/// learning rate over 1 − β₁ᵗ, inverse_root_correction2 is 1/√(1 − β₂ᵗ) and decay is
/// 1 − lr·λ (or 1). The four arrays must not overlap.
void tenfold_adamw(float *theta, float *m, float *v, const float *g, long n, float gradient_scale, float beta1,
                   float beta2, float step_size, float inverse_root_correction2, float epsilon, float decay);

/// C = α·op(A)·op(B) for small products held in cache (attention's per-(sequence, head)
/// blocks), on the calling thread. C is overwritten and never read (no zeroing pass).
/// op(A) is [m × k] with element (i, p) at a[i·a_row + p·a_col]; op(B) is [k × n] with
/// element (p, j) at b[p·b_row + j·b_col]; C is [m × n] with row stride ldc. A transposed
/// operand is a swap of its two strides. `scratch` holds tenfold_small_gemm_scratch(m, n, k)
/// floats and must not overlap the operands. Sums run over p in order, per element.
void tenfold_small_gemm(long m, long n, long k, float alpha, const float *a, long a_row, long a_col,
                        const float *b, long b_row, long b_col, float *c, long ldc, float *scratch);

/// The scratch floats tenfold_small_gemm needs for these sizes.
long tenfold_small_gemm_scratch(long m, long n, long k);

/// The kernel tenfold_small_gemm uses on this CPU: 2 for the AVX-512 one (8×32 blocks), 1 for
/// the AVX2+FMA one (6×16 blocks), 0 for the portable loop.
int tenfold_small_gemm_level(void);

/// tenfold_small_gemm with the kernel capped at `level` (tests compare the kernels with it;
/// the AVX-512 and AVX2 kernels give the same bits).
void tenfold_small_gemm_at(int level, long m, long n, long k, float alpha, const float *a, long a_row, long a_col,
                           const float *b, long b_row, long b_col, float *c, long ldc, float *scratch);

/// 1 when the AVX2+FMA versions are in use (for the benchmark's report).
int tenfold_kernels_use_avx2(void);

#endif
