// See include/tenfold_kernels.h. Each kernel is one plain loop over an inline scalar
// function; clang vectorises it at -O3. The loops are compiled twice on x86-64 (baseline
// and AVX2+FMA) from the same macro, and the wider one is picked once per process.
#include "tenfold_kernels.h"
#include <stdint.h>
#include <string.h>
#include <math.h>

static inline __attribute__((always_inline)) float bits_to_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline __attribute__((always_inline)) uint32_t float_to_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

// eʳ for the reduced argument |r| ≤ ln 2 / 2: the degree-7 Taylor polynomial (its first
// dropped term, r⁸/8!, is at most 5·10⁻⁹ there), by Estrin's scheme (three dependent
// multiply-adds deep instead of Horner's seven).
static inline __attribute__((always_inline)) float exp_reduced(float r) {
    float r2 = r * r, r4 = r2 * r2;
    return ((1.0f + r) + r2 * (0.5f + r * (1.0f / 6)))
         + r4 * ((1.0f / 24 + r * (1.0f / 120)) + r2 * (1.0f / 720 + r * (1.0f / 5040)));
}

// e^(h + l) for |h + l| ≤ 88.7: n = round((h + l)/ln 2) by the 1.5·2²³ shifter,
// r = (h − n·ln2_hi + l) − n·ln2_lo, eʳ by `exp_reduced`, and 2ⁿ from
// exponent bits in two halves so n in −126…128 never leaves the normal range.
static inline __attribute__((always_inline)) float exp_split(float h, float l) {
    const float shifter = 12582912.0f;
    float shifted = (h + l) * 1.44269504f + shifter;
    float n = shifted - shifter;
    float r = ((h - n * 0.693359375f) + l) - n * -2.1219444e-4f;
    float p = exp_reduced(r);
    int32_t whole = (int32_t)(float_to_bits(shifted) - 0x4B400000u);
    int32_t half = whole >> 1;
    float a = bits_to_float((uint32_t)(half + 127) << 23);
    float b = bits_to_float((uint32_t)(whole - half + 127) << 23);
    return p * a * b;
}

static inline __attribute__((always_inline)) float exp_scalar(float x) {
    const float low = -87.33654f, high = 88.72283f;
    float c = x < low ? low : (x > high ? high : x);   // NaN passes through
    float y = exp_split(c, 0.0f);
    return x < low ? 0.0f : (x > high ? __builtin_inff() : y);
}

// e^x for x ≤ 0 (softmax after subtracting the row maximum), the same polynomial and
// rounding as exp_split, but with one 2ⁿ scale (n is in −126…0 here) and one clamp: about
// half the instructions. Below −87.34 the result is 0.
static inline __attribute__((always_inline)) float exp_nonpositive(float x) {
    const float low = -87.33654f, shifter = 12582912.0f;
    float c = x < low ? low : x;
    float shifted = c * 1.44269504f + shifter;
    float n = shifted - shifter;
    float r = (c - n * 0.693359375f) - n * -2.1219444e-4f;
    float p = exp_reduced(r);
    int32_t whole = (int32_t)(float_to_bits(shifted) - 0x4B400000u);
    float scale = bits_to_float((uint32_t)(whole + 127) << 23);
    return x < low ? 0.0f : p * scale;
}

// SplitMix64 of (seed, index), as Tensors' SeededGenerator.mix.
static inline __attribute__((always_inline)) uint64_t mix64(uint64_t seed, uint64_t index) {
    uint64_t z = seed + (index + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// x·scale where the 24-bit draw u is at least the threshold, +0 otherwise (a bit mask, not
// a branch and never 0·x, which is NaN for x = ±∞).
static inline __attribute__((always_inline)) float keep_or_drop(float x, uint32_t u, uint32_t threshold, float scale) {
    return bits_to_float(float_to_bits(x * scale) & (u >= threshold ? 0xFFFFFFFFu : 0u));
}

// Φ(x) and φ(x) from one exponential. With z = |x|/√2 and t = 2/(2 + z),
// erfc(z) = t·e^(−z²)·R(t), where R(t) = e^(z²)·erfc(z)/t is smooth on t ∈ [0.17, 1] (z up to
// the tail clamp 13.5/√2) and R is a degree-9 polynomial, least-squares fitted with relative
// weights by scripts/fit_gelu_erfc.py (fit error 2.3·10⁻⁸). This is Numerical Recipes' erfc
// (§6.2, "erfcc", t·e^(−z² + P(t))) with e^P(t) folded into the polynomial, so that φ's
// e^(−x²/2) serves both. Relative error of Φ ≤ 5·10⁻⁷ also in the far tail.
// x²/2 is kept as an exact sum hi + lo (rounding it would cost up to 5·10⁻⁶ of relative
// error at x²/2 = 91): with FMA, lo = fma(x/2, x, −hi); without, x is split into a 12-bit
// high part and the rest. e^(−x²/2) reaches 2⁻¹³² at the clamp, below the normal floats, so
// it is kept as e^(−x²/2)·2⁶⁴; the 2⁻⁶⁴ that scales it back is folded into R's coefficients
// and φ's constant. Both polynomials are evaluated by Estrin's scheme: the loop is
// latency-bound, and Estrin halves the chains of dependent multiply-adds of Horner's rule.
static inline __attribute__((always_inline)) void normal_cdf_density(float x, int fused, float *cdf, float *density) {
    const float tail = 13.5f, two_to_minus_64 = 5.42101086e-20f, k = 0.5f * two_to_minus_64;
    float a = x < -tail ? -tail : (x > tail ? tail : x);
    float magnitude = a < 0 ? -a : a;
    float t = 2.0f / (2.0f + magnitude * 0.70710678118654752f);
    // ½·2⁻⁶⁴·R(t): the factors are powers of 2 (exact), folded into the coefficients
    float t2 = t * t, t4 = t2 * t2, t8 = t4 * t4;
    float r = ((k * 0.282063783f + k * 0.282875216f * t) + t2 * (k * 0.238454205f + k * 0.226630411f * t))
            + t4 * ((k * -0.10206784f + k * 0.429402058f * t) + t2 * (k * -0.681164138f + k * 0.438291585f * t))
            + t8 * (k * -0.127652635f + k * 0.0131673389f * t);
    float hi, lo;
    if (fused) {
        float half = 0.5f * a;
        hi = half * a;
        lo = __builtin_fmaf(half, a, -hi);
    } else {
        float a_high = bits_to_float(float_to_bits(a) & 0xFFFFF000u);
        hi = 0.5f * a_high * a_high;                          // exact
        lo = 0.5f * (a + a_high) * (a - a_high);
    }
    // e^(−hi − lo)·2⁶⁴ as exp_split does it, with n in −132…0 and one 2^(n + 64) scale
    const float shifter = 12582912.0f;
    float shifted = -hi * 1.44269504f + shifter;
    float n = shifted - shifter;
    float reduced = ((-hi - n * 0.693359375f) - lo) - n * -2.1219444e-4f;
    int32_t whole = (int32_t)(float_to_bits(shifted) - 0x4B400000u);
    float scaled_density = exp_reduced(reduced) * bits_to_float((uint32_t)(whole + 64 + 127) << 23);
    float half_erfc = (t * r) * scaled_density;
    *cdf = x < -tail ? 0.0f : (a < 0 ? half_erfc : 1.0f - half_erfc);
    *density = scaled_density * (0.3989422804014327f * two_to_minus_64);   // 1/√(2π)
}

static inline __attribute__((always_inline)) float gelu_scalar(float x, int fused) {
    float cdf, density;
    normal_cdf_density(x, fused, &cdf, &density);
    (void)density;
    return x < -13.5f ? 0.0f : x * cdf;        // no −∞·0
}

static inline __attribute__((always_inline)) float gelu_slope(float x, int fused) {
    float cdf, density;
    normal_cdf_density(x, fused, &cdf, &density);
    float m = x < 0 ? -x : x;
    return m > 13.5f ? cdf : cdf + x * density;
}

// √x without libm's errno path (v ≥ 0 in AdamW, so errno could never be set), which
// would otherwise keep the loop scalar.
#if defined(__has_builtin)
#if __has_builtin(__builtin_elementwise_sqrt)
#define vector_sqrt(x) __builtin_elementwise_sqrt(x)
#endif
#endif
#ifndef vector_sqrt
#define vector_sqrt(x) sqrtf(x)
#endif

// GELU's loop body is long and its chains of dependent operations are longer than the core
// can overlap across iterations; two vectors per iteration give it two independent chains
// (measured 1.37 → 1.27 ns per element on one core).
#if defined(__clang__)
#define INTERLEAVE_TWO _Pragma("clang loop interleave_count(2)")
#else
#define INTERLEAVE_TWO
#endif

// Sums in 16 fixed partial sums, combined in a fixed order: vectorisable and deterministic.
// FUSED: whether the target has fused multiply-add (normal_cdf_density's exact x²/2).
#define DEFINE_KERNELS(SUFFIX, ATTRIBUTES, FUSED)                                            \
    ATTRIBUTES static void exp_##SUFFIX(const float *x, float *y, long n) {                  \
        for (long i = 0; i < n; i++) y[i] = exp_scalar(x[i]);                                \
    }                                                                                        \
    ATTRIBUTES static float row_max_##SUFFIX(const float *x, long n) {                       \
        float partial[16];                                                                   \
        for (int k = 0; k < 16; k++) partial[k] = -__builtin_inff();                         \
        long i = 0;                                                                          \
        for (; i + 16 <= n; i += 16)                                                         \
            for (int k = 0; k < 16; k++) partial[k] = x[i + k] > partial[k] ? x[i + k] : partial[k]; \
        for (int k = 0; i < n; i++, k++) partial[k] = x[i] > partial[k] ? x[i] : partial[k]; \
        float m = partial[0];                                                                \
        for (int k = 1; k < 16; k++) m = partial[k] > m ? partial[k] : m;                    \
        return m;                                                                            \
    }                                                                                        \
    /* Σ e^(x − m) with e^(x − m) written to y; x − m ≤ 0 for every x. y may be x: each   \
       block of 16 is read whole before it is written, so the compiler needs no overlap     \
       check (with one, y = x took its scalar fallback: 4–5× slower). */                    \
    ATTRIBUTES static float exp_sum_nonpositive_##SUFFIX(const float *x, float m, float *y, long n) { \
        float partial[16] = {0};                                                             \
        long i = 0;                                                                          \
        for (; i + 16 <= n; i += 16) {                                                       \
            float e[16];                                                                     \
            for (int k = 0; k < 16; k++) e[k] = exp_nonpositive(x[i + k] - m);               \
            for (int k = 0; k < 16; k++) {                                                   \
                y[i + k] = e[k];                                                             \
                partial[k] += e[k];                                                          \
            }                                                                                \
        }                                                                                    \
        for (int k = 0; i < n; i++, k++) {                                                   \
            float e = exp_nonpositive(x[i] - m);                                             \
            y[i] = e;                                                                        \
            partial[k] += e;                                                                 \
        }                                                                                    \
        float total = 0;                                                                     \
        for (int k = 0; k < 16; k++) total += partial[k];                                    \
        return total;                                                                        \
    }                                                                                        \
    ATTRIBUTES static void softmax_row_##SUFFIX(const float *x, float *y, long n) {          \
        float m = row_max_##SUFFIX(x, n);                                                    \
        if (m == -__builtin_inff()) {                                                        \
            for (long i = 0; i < n; i++) y[i] = 0;                                           \
            return;                                                                          \
        }                                                                                    \
        float inverse = 1.0f / exp_sum_nonpositive_##SUFFIX(x, m, y, n);                     \
        for (long i = 0; i < n; i++) y[i] *= inverse;                                        \
    }                                                                                        \
    ATTRIBUTES static void log_softmax_row_##SUFFIX(const float *x, float *y, long n) {      \
        float m = row_max_##SUFFIX(x, n);                                                    \
        if (m == -__builtin_inff()) {                                                        \
            for (long i = 0; i < n; i++) y[i] = -__builtin_inff();                           \
            return;                                                                          \
        }                                                                                    \
        /* y holds e^(x − m) for a moment, then x − m − ln Σ. */                             \
        float log_normaliser = m + logf(exp_sum_nonpositive_##SUFFIX(x, m, y, n));           \
        for (long i = 0; i < n; i++) y[i] = x[i] - log_normaliser;                           \
    }                                                                                        \
    /* d = g − e^y·Σ g, y a log-softmax row (every y ≤ 0). */                               \
    ATTRIBUTES static void log_softmax_backward_row_##SUFFIX(const float *g, const float *y, float *d, long n) { \
        float partial[16] = {0};                                                             \
        long i = 0;                                                                          \
        for (; i + 16 <= n; i += 16)                                                         \
            for (int k = 0; k < 16; k++) partial[k] += g[i + k];                             \
        for (int k = 0; i < n; i++, k++) partial[k] += g[i];                                 \
        float total = 0;                                                                     \
        for (int k = 0; k < 16; k++) total += partial[k];                                    \
        for (i = 0; i < n; i++) d[i] = g[i] - exp_nonpositive(y[i]) * total;                 \
    }                                                                                        \
    /* Element i of this stretch is element start + i of the whole tensor: the pair        \
       (2k, 2k + 1) shares mix64(seed, k), bits 40–63 for the even one, 8–31 for the odd. */ \
    ATTRIBUTES static void dropout_pairs_##SUFFIX(const float *x, float *y, long pairs, uint64_t first_pair, \
                                                   uint32_t threshold, float scale, uint64_t seed) { \
        for (long k = 0; k < pairs; k++) {                                                   \
            uint64_t h = mix64(seed, first_pair + (uint64_t)k);                              \
            y[2 * k] = keep_or_drop(x[2 * k], (uint32_t)(h >> 40), threshold, scale);        \
            y[2 * k + 1] = keep_or_drop(x[2 * k + 1], (uint32_t)((h >> 8) & 0xFFFFFFu), threshold, scale); \
        }                                                                                    \
    }                                                                                        \
    /* m = scale where kept, +0 where dropped: dropout_pairs of a tensor of ones, without    \
       reading one (and without writing over its input, which costs the vectoriser). */     \
    ATTRIBUTES static void dropout_multiplier_pairs_##SUFFIX(float *m, long pairs, uint64_t first_pair, \
                                                   uint32_t threshold, float scale, uint64_t seed) { \
        for (long k = 0; k < pairs; k++) {                                                   \
            uint64_t h = mix64(seed, first_pair + (uint64_t)k);                              \
            m[2 * k] = keep_or_drop(1.0f, (uint32_t)(h >> 40), threshold, scale);            \
            m[2 * k + 1] = keep_or_drop(1.0f, (uint32_t)((h >> 8) & 0xFFFFFFu), threshold, scale); \
        }                                                                                    \
    }                                                                                        \
    /* g = e^((z − m) − l)·scale: softmax from a known log-sum-exp, scaled (cross-entropy). */ \
    ATTRIBUTES static void exp_from_log_sum_##SUFFIX(const float *z, float m, float l, float scale, float *g, long n) { \
        for (long i = 0; i < n; i++) g[i] = exp_nonpositive((z[i] - m) - l) * scale;        \
    }                                                                                        \
    ATTRIBUTES static void log_sum_exp_##SUFFIX(const float *z, long n, float *maximum, float *log_sum) { \
        float m = row_max_##SUFFIX(z, n);                                                    \
        *maximum = m;                                                                        \
        /* every logit −∞, or +∞/NaN somewhere: degenerate, the loss is ±∞ or NaN */         \
        if (!(m > -__builtin_inff() && m < __builtin_inff())) { *log_sum = 0; return; }      \
        float scratch[1024], total = 0;                                                      \
        for (long start = 0; start < n; start += 1024) {                                     \
            long count = n - start < 1024 ? n - start : 1024;                                \
            total += exp_sum_nonpositive_##SUFFIX(z + start, m, scratch, count);             \
        }                                                                                    \
        *log_sum = logf(total);                                                              \
    }                                                                                        \
    ATTRIBUTES static void gelu_##SUFFIX(const float *x, float *y, long n) {                 \
        INTERLEAVE_TWO for (long i = 0; i < n; i++) y[i] = gelu_scalar(x[i], FUSED);         \
    }                                                                                        \
    ATTRIBUTES static inline __attribute__((always_inline)) void gelu_and_slope_one_##SUFFIX( \
            float x, float *y, float *slope) {                                               \
        float cdf, density, m = x < 0 ? -x : x;                                              \
        normal_cdf_density(x, FUSED, &cdf, &density);                                        \
        *y = x < -13.5f ? 0.0f : x * cdf;                                                    \
        *slope = m > 13.5f ? cdf : cdf + x * density;                                        \
    }                                                                                        \
    ATTRIBUTES static void gelu_and_slope_##SUFFIX(const float *x, float *y, float *slope, long n) { \
        INTERLEAVE_TWO for (long i = 0; i < n; i++) gelu_and_slope_one_##SUFFIX(x[i], y + i, slope + i); \
    }                                                                                        \
    /* The same with the output over the input (restrict: only x and slope must not overlap). */ \
    ATTRIBUTES static void gelu_and_slope_in_place_##SUFFIX(float *restrict x, float *restrict slope, long n) { \
        INTERLEAVE_TWO for (long i = 0; i < n; i++) gelu_and_slope_one_##SUFFIX(x[i], x + i, slope + i); \
    }                                                                                        \
    ATTRIBUTES static void gelu_backward_##SUFFIX(const float *g, const float *x, float *dx, long n) { \
        INTERLEAVE_TWO for (long i = 0; i < n; i++) dx[i] = g[i] * gelu_slope(x[i], FUSED);  \
    }                                                                                        \
    ATTRIBUTES static void adamw_##SUFFIX(float *restrict theta, float *restrict m, float *restrict v, \
                                          const float *restrict g, long n, const float *h) { \
        float scale = h[0], b1 = h[1], b2 = h[2], step = h[3], root = h[4], eps = h[5], decay = h[6]; \
        for (long i = 0; i < n; i++) {                                                       \
            float gi = g[i] * scale;                                                         \
            float mi = b1 * m[i] + (1 - b1) * gi;                                            \
            float vi = b2 * v[i] + (1 - b2) * gi * gi;                                       \
            m[i] = mi;                                                                       \
            v[i] = vi;                                                                       \
            theta[i] = theta[i] * decay - step * mi / (vector_sqrt(vi) * root + eps);         \
        }                                                                                    \
    }

DEFINE_KERNELS(baseline, , 0)

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
DEFINE_KERNELS(avx2, __attribute__((target("avx2,fma"))), 1)

// The CPU model is filled in by the runtime's constructor before main; reading it is cheap.
static inline int wide(void) {
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#define DISPATCH(NAME, ...) (wide() ? NAME##_avx2(__VA_ARGS__) : NAME##_baseline(__VA_ARGS__))
#else
static inline int wide(void) { return 0; }
#define DISPATCH(NAME, ...) NAME##_baseline(__VA_ARGS__)
#endif

void tenfold_exp(const float *x, float *y, long n) { DISPATCH(exp, x, y, n); }
void tenfold_gelu(const float *x, float *y, long n) { DISPATCH(gelu, x, y, n); }
void tenfold_gelu_backward(const float *g, const float *x, float *dx, long n) {
    DISPATCH(gelu_backward, g, x, dx, n);
}
void tenfold_softmax_rows(const float *x, float *y, long rows, long n) {
    for (long r = 0; r < rows; r++) DISPATCH(softmax_row, x + r * n, y + r * n, n);
}
void tenfold_log_softmax_rows(const float *x, float *y, long rows, long n) {
    for (long r = 0; r < rows; r++) DISPATCH(log_softmax_row, x + r * n, y + r * n, n);
}
void tenfold_log_softmax_backward_rows(const float *g, const float *y, float *d, long rows, long n) {
    for (long r = 0; r < rows; r++) DISPATCH(log_softmax_backward_row, g + r * n, y + r * n, d + r * n, n);
}
// Dropout of elements start ..< start + count of a tensor, or (x = NULL) its multipliers, the
// dropout of ones: pairs of elements share one hash, so a stretch that starts or ends inside
// a pair takes that element alone, and the whole pairs go to the vector kernels.
static void dropout_stretch(const float *x, float *y, long count, long start, uint32_t threshold, float scale,
                            uint64_t seed) {
    long i = 0;
    if (count > 0 && (start & 1)) {                  // an odd first element: the second of its pair
        uint64_t h = mix64(seed, (uint64_t)start >> 1);
        y[0] = keep_or_drop(x ? x[0] : 1.0f, (uint32_t)((h >> 8) & 0xFFFFFFu), threshold, scale);
        i = 1;
    }
    long pairs = (count - i) / 2;
    uint64_t first_pair = (uint64_t)(start + i) >> 1;
    if (x) {
        DISPATCH(dropout_pairs, x + i, y + i, pairs, first_pair, threshold, scale, seed);
    } else {
        DISPATCH(dropout_multiplier_pairs, y + i, pairs, first_pair, threshold, scale, seed);
    }
    i += 2 * pairs;
    if (i < count) {                                 // a last element without its partner
        uint64_t h = mix64(seed, (uint64_t)(start + i) >> 1);
        y[i] = keep_or_drop(x ? x[i] : 1.0f, (uint32_t)(h >> 40), threshold, scale);
    }
}
void tenfold_dropout(const float *x, float *y, long count, long start, uint32_t threshold, float scale,
                     uint64_t seed) {
    dropout_stretch(x, y, count, start, threshold, scale, seed);
}
void tenfold_dropout_multipliers(float *m, long count, long start, uint32_t threshold, float scale, uint64_t seed) {
    dropout_stretch(NULL, m, count, start, threshold, scale, seed);
}
void tenfold_gelu_and_slope(const float *x, float *y, float *slope, long n) {
    DISPATCH(gelu_and_slope, x, y, slope, n);
}
void tenfold_gelu_and_slope_in_place(float *x, float *slope, long n) {
    DISPATCH(gelu_and_slope_in_place, x, slope, n);
}
void tenfold_exp_from_log_sum(const float *z, float maximum, float log_sum, float scale, float *g, long n) {
    DISPATCH(exp_from_log_sum, z, maximum, log_sum, scale, g, n);
}
void tenfold_log_sum_exp(const float *z, long n, float *maximum, float *log_sum) {
    DISPATCH(log_sum_exp, z, n, maximum, log_sum);
}
void tenfold_adamw(float *theta, float *m, float *v, const float *g, long n, float gradient_scale, float beta1,
                   float beta2, float step_size, float inverse_root_correction2, float epsilon, float decay) {
    const float h[7] = {gradient_scale, beta1, beta2, step_size, inverse_root_correction2, epsilon, decay};
    DISPATCH(adamw, theta, m, v, g, n, h);
}
int tenfold_kernels_use_avx2(void) { return wide(); }
