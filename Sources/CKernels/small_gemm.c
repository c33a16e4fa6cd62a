// See tenfold_small_gemm in include/tenfold_kernels.h. The AVX2+FMA path is the classic
// register-blocked product (Goto & van de Geijn, "Anatomy of high-performance matrix
// multiplication", 2008): op(B) is copied into panels of 16 columns that stay in L1, and a
// 6×16 block of C lives in 12 vector registers while a column of op(A) is broadcast against a
// row of the panel. What it leaves out, because attention's blocks are small and already in
// cache, is what costs OpenBLAS most there: a call's buffer management, a copy of A (read in
// place here, whatever its strides), and the pass that zeroes C before the kernel adds into it.
// Where the CPU has AVX-512 the same scheme runs with 8×32 blocks in 16 of its 32 registers:
// fewer loads and broadcasts per multiply-add, and no rows wasted at T = 128 (6 does not
// divide it). On one core of this project's AMD EPYC it ran attention's six block products
// at 107–112 GFLOP/s against the 6×16 kernel's 95–106 (alternated 41 times each, two runs).
#include "tenfold_kernels.h"
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define SMALL_GEMM_AVX2 1
#endif

// Enough for either kernel's panels: 32 columns wide for AVX-512, 16 for AVX2.
long tenfold_small_gemm_scratch(long m, long n, long k) {
    (void)m;
    return ((n + 31) / 32) * 32 * k;
}

// The portable path: a plain triple loop on the operands in place.
static void small_gemm_baseline(long m, long n, long k, float alpha, const float *a, long a_row, long a_col,
                                const float *b, long b_row, long b_col, float *c, long ldc) {
    for (long i = 0; i < m; i++) {
        for (long j = 0; j < n; j++) {
            float sum = 0;
            for (long p = 0; p < k; p++) sum += a[i * a_row + p * a_col] * b[p * b_row + j * b_col];
            c[i * ldc + j] = alpha * sum;
        }
    }
}

#if SMALL_GEMM_AVX2
#define WIDE __attribute__((target("avx2,fma")))

// op(B) [k × n] into panels of w columns (16 for the AVX2 kernel, 32 for the AVX-512 one),
// panel after panel: element (p, wq + j) at out[(wq)·k + wp + j]; the columns past n are
// zeros. Any strides.
static void pack_panels_any(long w, long k, long n, const float *b, long b_row, long b_col, float *out) {
    for (long j0 = 0; j0 < n; j0 += w) {
        float *panel = out + j0 * k;
        long width = n - j0 < w ? n - j0 : w;
        for (long p = 0; p < k; p++) {
            for (long j = 0; j < w; j++) panel[p * w + j] = j < width ? b[p * b_row + (j0 + j) * b_col] : 0;
        }
    }
}

// y[c·ldy + r] = x[r·ldx + c] for one 8×8 block, in registers.
WIDE static inline __attribute__((always_inline)) void transpose8(const float *x, long ldx, float *y, long ldy) {
    __m256 r0 = _mm256_loadu_ps(x), r1 = _mm256_loadu_ps(x + ldx);
    __m256 r2 = _mm256_loadu_ps(x + 2 * ldx), r3 = _mm256_loadu_ps(x + 3 * ldx);
    __m256 r4 = _mm256_loadu_ps(x + 4 * ldx), r5 = _mm256_loadu_ps(x + 5 * ldx);
    __m256 r6 = _mm256_loadu_ps(x + 6 * ldx), r7 = _mm256_loadu_ps(x + 7 * ldx);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
    __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
    __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
    __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    _mm256_storeu_ps(y, _mm256_permute2f128_ps(u0, u4, 0x20));
    _mm256_storeu_ps(y + ldy, _mm256_permute2f128_ps(u1, u5, 0x20));
    _mm256_storeu_ps(y + 2 * ldy, _mm256_permute2f128_ps(u2, u6, 0x20));
    _mm256_storeu_ps(y + 3 * ldy, _mm256_permute2f128_ps(u3, u7, 0x20));
    _mm256_storeu_ps(y + 4 * ldy, _mm256_permute2f128_ps(u0, u4, 0x31));
    _mm256_storeu_ps(y + 5 * ldy, _mm256_permute2f128_ps(u1, u5, 0x31));
    _mm256_storeu_ps(y + 6 * ldy, _mm256_permute2f128_ps(u2, u6, 0x31));
    _mm256_storeu_ps(y + 7 * ldy, _mm256_permute2f128_ps(u3, u7, 0x31));
}

// The panels of op(B), with the two layouts attention has in fast paths: rows of op(B)
// stored contiguously (copied 8 floats at a time), or op(B) stored transposed (8×8 blocks
// transposed in registers). Inlined, so that each kernel's w is a constant.
WIDE static inline __attribute__((always_inline)) void pack_panels(long w, long k, long n, const float *b, long b_row,
                                                                   long b_col, float *out) {
    if (n % w == 0 && b_col == 1) {
        for (long j0 = 0; j0 < n; j0 += w) {
            float *panel = out + j0 * k;
            for (long p = 0; p < k; p++) {
                for (long q = 0; q < w; q += 8) _mm256_storeu_ps(panel + p * w + q, _mm256_loadu_ps(b + p * b_row + j0 + q));
            }
        }
    } else if (n % w == 0 && k % 8 == 0 && b_row == 1) {
        for (long j0 = 0; j0 < n; j0 += w) {
            float *panel = out + j0 * k;
            for (long p0 = 0; p0 < k; p0 += 8) {
                for (long q = 0; q < w; q += 8) transpose8(b + (j0 + q) * b_col + p0, b_col, panel + p0 * w + q, w);
            }
        }
    } else {
        pack_panels_any(w, k, n, b, b_row, b_col, out);
    }
}

// One block of C, rows ≤ 6 by cols ≤ 16: C = α·op(A)[rows × k]·panel. Rows past `rows`
// repeat row 0 (their sums are computed and dropped), so the loop has one shape.
#define ROW(R) __m256 c##R##0 = _mm256_setzero_ps(), c##R##1 = _mm256_setzero_ps(); \
    const float *a##R = a + (rows > R ? R : 0) * a_row;
#define STEP(R) { __m256 x = _mm256_broadcast_ss(a##R + p * a_col);                  \
    c##R##0 = _mm256_fmadd_ps(x, b0, c##R##0); c##R##1 = _mm256_fmadd_ps(x, b1, c##R##1); }
#define STORE(R) if (rows > R) {                                                      \
    if (cols == 16) {                                                                 \
        _mm256_storeu_ps(c + R * ldc, _mm256_mul_ps(scale, c##R##0));                 \
        _mm256_storeu_ps(c + R * ldc + 8, _mm256_mul_ps(scale, c##R##1));             \
    } else {                                                                          \
        float row[16];                                                                \
        _mm256_storeu_ps(row, _mm256_mul_ps(scale, c##R##0));                         \
        _mm256_storeu_ps(row + 8, _mm256_mul_ps(scale, c##R##1));                     \
        for (long j = 0; j < cols; j++) c[R * ldc + j] = row[j];                      \
    } }

WIDE static void block_6x16(long k, const float *a, long a_row, long a_col, const float *panel,
                            float alpha, float *c, long ldc, long rows, long cols) {
    ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5)
    for (long p = 0; p < k; p++) {
        __m256 b0 = _mm256_loadu_ps(panel + p * 16), b1 = _mm256_loadu_ps(panel + p * 16 + 8);
        STEP(0) STEP(1) STEP(2) STEP(3) STEP(4) STEP(5)
    }
    __m256 scale = _mm256_set1_ps(alpha);
    STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5)
}

WIDE static void small_gemm_avx2(long m, long n, long k, float alpha, const float *a, long a_row, long a_col,
                                 const float *b, long b_row, long b_col, float *c, long ldc, float *scratch) {
    float *panels = scratch;
    pack_panels(16, k, n, b, b_row, b_col, panels);
    // A is read in place, six rows at a time, also when its rows lie far apart (a head's
    // queries inside the packed [T, 3H] projections, 3 KiB apart at BERT-mini). Transposing
    // such an A into a contiguous copy first, as this kernel once did, measured 1–3% slower
    // over attention's forward and backward at all three benchmark presets.
    for (long j0 = 0; j0 < n; j0 += 16) {
        long cols = n - j0 < 16 ? n - j0 : 16;
        for (long i = 0; i < m; i += 6) {
            block_6x16(k, a + i * a_row, a_row, a_col, panels + j0 * k, alpha, c + i * ldc + j0, ldc,
                       m - i < 6 ? m - i : 6, cols);
        }
    }
}
#endif

#if SMALL_GEMM_AVX2
#define WIDER __attribute__((target("avx512f,avx2,fma")))

// One block of C, rows ≤ 8 by cols ≤ 32, in 16 of the 32 vector registers. Each element is
// the same chain of fused multiply-adds over p as in block_6x16, then one product with α, so
// the two kernels give the same bits.
#define ROW8(R) __m512 c##R##0 = _mm512_setzero_ps(), c##R##1 = _mm512_setzero_ps(); \
    const float *a##R = a + (rows > R ? R : 0) * a_row;
#define STEP8(R) { __m512 x = _mm512_set1_ps(a##R[p * a_col]);                          \
    c##R##0 = _mm512_fmadd_ps(x, b0, c##R##0); c##R##1 = _mm512_fmadd_ps(x, b1, c##R##1); }
#define STORE8(R) if (rows > R) {                                                        \
    _mm512_mask_storeu_ps(c + R * ldc, low, _mm512_mul_ps(scale, c##R##0));              \
    _mm512_mask_storeu_ps(c + R * ldc + 16, high, _mm512_mul_ps(scale, c##R##1)); }

WIDER static void block_8x32(long k, const float *a, long a_row, long a_col, const float *panel,
                             float alpha, float *c, long ldc, long rows, long cols) {
    ROW8(0) ROW8(1) ROW8(2) ROW8(3) ROW8(4) ROW8(5) ROW8(6) ROW8(7)
    for (long p = 0; p < k; p++) {
        __m512 b0 = _mm512_loadu_ps(panel + p * 32), b1 = _mm512_loadu_ps(panel + p * 32 + 16);
        STEP8(0) STEP8(1) STEP8(2) STEP8(3) STEP8(4) STEP8(5) STEP8(6) STEP8(7)
    }
    __m512 scale = _mm512_set1_ps(alpha);
    __mmask16 low = cols >= 16 ? 0xFFFF : (__mmask16)((1u << cols) - 1);
    __mmask16 high = cols >= 32 ? 0xFFFF : cols > 16 ? (__mmask16)((1u << (cols - 16)) - 1) : 0;
    STORE8(0) STORE8(1) STORE8(2) STORE8(3) STORE8(4) STORE8(5) STORE8(6) STORE8(7)
}

WIDER static void small_gemm_avx512(long m, long n, long k, float alpha, const float *a, long a_row, long a_col,
                                    const float *b, long b_row, long b_col, float *c, long ldc, float *scratch) {
    pack_panels(32, k, n, b, b_row, b_col, scratch);
    for (long j0 = 0; j0 < n; j0 += 32) {
        long cols = n - j0 < 32 ? n - j0 : 32;
        for (long i = 0; i < m; i += 8) {
            block_8x32(k, a + i * a_row, a_row, a_col, scratch + j0 * k, alpha, c + i * ldc + j0, ldc,
                       m - i < 8 ? m - i : 8, cols);
        }
    }
}

static int small_gemm_supported(void) {
    if (!tenfold_kernels_use_avx2()) return 0;
    return __builtin_cpu_supports("avx512f") ? 2 : 1;
}
#else
static int small_gemm_supported(void) { return 0; }
#endif

int tenfold_small_gemm_level(void) { return small_gemm_supported(); }

void tenfold_small_gemm_at(int level, long m, long n, long k, float alpha, const float *a, long a_row, long a_col,
                           const float *b, long b_row, long b_col, float *c, long ldc, float *scratch) {
    if (m <= 0 || n <= 0) return;
    int supported = small_gemm_supported();
    if (level > supported) level = supported;
#if SMALL_GEMM_AVX2
    if (level == 2) {
        small_gemm_avx512(m, n, k, alpha, a, a_row, a_col, b, b_row, b_col, c, ldc, scratch);
        return;
    }
    if (level == 1) {
        small_gemm_avx2(m, n, k, alpha, a, a_row, a_col, b, b_row, b_col, c, ldc, scratch);
        return;
    }
#endif
    (void)scratch;
    small_gemm_baseline(m, n, k, alpha, a, a_row, a_col, b, b_row, b_col, c, ldc);
}

void tenfold_small_gemm(long m, long n, long k, float alpha, const float *a, long a_row, long a_col,
                        const float *b, long b_row, long b_col, float *c, long ldc, float *scratch) {
    tenfold_small_gemm_at(2, m, n, k, alpha, a, a_row, a_col, b, b_row, b_col, c, ldc, scratch);
}
