/*
 * tensorseed CPU kernel: the stream of docs/stream-spec.md, compiled (both versions).
 *
 * This file is a fast path, not the definition: the tensorseed/stream Python modules are the readable reference and
 * tests/stream/test_kernel.py holds this code to it bit for bit. Rules that make that
 * possible (do not "optimize" them away):
 *   - built with -ffp-contract=off (no FMA) and without -ffast-math: every double and float
 *     operation is one IEEE operation in the order the spec writes it (tensorseed-stream/2's
 *     binary32 samplers are plain `float` code: x86-64 and arm64 evaluate it in binary32);
 *   - no flush-to-zero / denormals-are-zero: each fill saves the thread's floating-point control
 *     word, clears FTZ/DAZ (something else in the process, e.g. torch.set_flush_denormal, may
 *     have set them) and restores it afterwards;
 *   - integer -> double conversions are done with exact bit tricks, so that they vectorize on
 *     CPUs without 64-bit integer conversion instructions and stay exact;
 *   - no -march: the hot loop is cloned per ISA (target_clones) and picked at load time, so the
 *     same wheel runs on any x86-64 (and the plain C builds on arm64).
 *
 * Python API (module tensorseed.stream._kernel):
 *   generate(kind, params, key, start, count, dtype, zero_lo, zero_hi, threads) -> bytes
 *   fill(out, kind, params, key, start, count, dtype, zero_lo, zero_hi, threads) -> None
 *   isa() -> str
 * The GIL is released while generating; the range is split over `threads` pthreads.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#if defined(__x86_64__) && defined(__GNUC__) && !defined(TENSORSEED_GENERIC_ONLY)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#else
#define HAVE_AVX2_PATH 0
#endif
#define INLINE static inline __attribute__((always_inline))

/* Kinds 0-3: v1's binary64 samplers (and v2's float64 ones); 4-6: v2's binary32 samplers. */
enum { K_CONSTANT = 0, K_UNIFORM = 1, K_NORMAL = 2, K_TRUNC_NORMAL = 3, K_UNIFORM32 = 4, K_NORMAL32 = 5,
       K_TRUNC32 = 6 };
enum { F_FLIP = 1, F_ONE_SIDED = 2, F_NEGATE0 = 4, F_NEGATE1 = 8 };
#define N_PARAMS 12
enum { D_F32 = 0, D_F64 = 1, D_F16 = 2, D_BF16 = 3 };

/* Elements per batch: words and values of one batch stay in L1. */
#define BATCH 512

typedef struct {
    int kind, dtype, flip, flags;
    uint32_t k0, k1, c2, c3;
    /* Constant: a = value. Uniform: a = low, b = high. Normal: a = mean, b = std.
       TruncNormal: a = mean, b = std, c = alpha, d = beta, e = low, f = high,
       g = cdf_low, h = cdf_width. */
    double a, b, c, d, e, f, g, h;
    /* v2's per-tensor binary32 scalars (spec 15), rounded by the caller (r32), from their bits.
       Uniform32: x[0] = L, x[1] = D. Normal32: x[0] = M, x[1] = S. TruncNormal32: x[0..9] =
       M, S, A, B, L, H, W32, LW32, R0, R1. */
    float x[N_PARAMS];
    /* TruncNormal32 only: no word of this tensor can give p < 2^-9 (see trunc32_no_tail), or
       its bytes are Normal32's (see trunc32_is_normal). */
    int no_tail, trunc_is_normal;
    uint64_t start;       /* first element of the output buffer */
    int64_t zero_lo, zero_hi; /* elements [zero_lo, zero_hi) are +0.0 (empty when lo >= hi) */
    uint8_t *out;
} Params;

/* ---------------------------------------------------------------- bit helpers */

INLINE uint64_t f64_bits(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }
INLINE double f64_from(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }
INLINE uint32_t f32_bits(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
INLINE float f32_from(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }

/* ---------------------------------------------------------------- Philox4x32-10 (spec 2, 3) */

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

/* Words of blocks b0 .. b0 + n - 1, block i's output j at words[4 * i + j]. */
INLINE void philox_blocks(const Params *p, uint64_t b0, int n, uint32_t *restrict words) {
    const uint32_t c2 = p->c2, c3 = p->c3, k0 = p->k0, k1 = p->k1;
    for (int i = 0; i < n; i++) {
        uint64_t b = b0 + (uint64_t)i;
        uint32_t x0 = (uint32_t)b, x1 = (uint32_t)(b >> 32), x2 = c2, x3 = c3;
        uint32_t key0 = k0, key1 = k1;
        for (int r = 0; r < 10; r++) {
            uint64_t p0 = (uint64_t)PHILOX_M0 * x0;
            uint64_t p1 = (uint64_t)PHILOX_M1 * x2;
            uint32_t y0 = (uint32_t)(p1 >> 32) ^ x1 ^ key0;
            uint32_t y2 = (uint32_t)(p0 >> 32) ^ x3 ^ key1;
            x1 = (uint32_t)p1;
            x3 = (uint32_t)p0;
            x0 = y0;
            x2 = y2;
            key0 += PHILOX_W0;
            key1 += PHILOX_W1;
        }
        words[4 * i + 0] = x0;
        words[4 * i + 1] = x1;
        words[4 * i + 2] = x2;
        words[4 * i + 3] = x3;
    }
}

#if HAVE_AVX2_PATH
/* The same function, 8 blocks per vector in 32-bit lanes: the even and odd lanes' 32x32->64
   products come from two _mm256_mul_epu32 and are blended back into hi and lo words. One
   round depends on the previous one, so a single group of 8 blocks is latency-bound; the
   loop runs two independent groups (16 blocks) side by side. Writes ceil(n / 8) * 8 blocks. */
typedef struct {
    __m256i x0, x1, x2, x3;
} PhiloxLanes;

/* Whether blocks b .. b + blocks - 1 share the high counter word (no carry out of the low one). */
INLINE int no_carry_in(uint64_t b, int blocks) { return (uint32_t)b <= 0xFFFFFFFFu - (uint32_t)(blocks - 1); }

__attribute__((target("avx2"))) static inline PhiloxLanes philox_lanes_start(const Params *p, uint64_t b) {
    PhiloxLanes s;
    if (no_carry_in(b, 8)) {
        s.x0 = _mm256_add_epi32(_mm256_set1_epi32((int)(uint32_t)b), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        s.x1 = _mm256_set1_epi32((int)(uint32_t)(b >> 32));
    } else {
        uint32_t lo[8], hi[8];
        for (int j = 0; j < 8; j++) { lo[j] = (uint32_t)(b + (uint64_t)j); hi[j] = (uint32_t)((b + (uint64_t)j) >> 32); }
        s.x0 = _mm256_loadu_si256((const __m256i *)(const void *)lo);
        s.x1 = _mm256_loadu_si256((const __m256i *)(const void *)hi);
    }
    s.x2 = _mm256_set1_epi32((int)p->c2);
    s.x3 = _mm256_set1_epi32((int)p->c3);
    return s;
}

__attribute__((target("avx2"))) static inline void philox_lanes_round(PhiloxLanes *s, __m256i key0, __m256i key1) {
    const __m256i m0 = _mm256_set1_epi32((int)PHILOX_M0), m1 = _mm256_set1_epi32((int)PHILOX_M1);
    __m256i pe0 = _mm256_mul_epu32(s->x0, m0), po0 = _mm256_mul_epu32(_mm256_srli_epi64(s->x0, 32), m0);
    __m256i pe1 = _mm256_mul_epu32(s->x2, m1), po1 = _mm256_mul_epu32(_mm256_srli_epi64(s->x2, 32), m1);
    __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(pe0, 32), po0, 0xAA);
    __m256i lo0 = _mm256_blend_epi32(pe0, _mm256_slli_epi64(po0, 32), 0xAA);
    __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(pe1, 32), po1, 0xAA);
    __m256i lo1 = _mm256_blend_epi32(pe1, _mm256_slli_epi64(po1, 32), 0xAA);
    s->x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, s->x1), key0);
    s->x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, s->x3), key1);
    s->x1 = lo1;
    s->x3 = lo0;
}

/* 4 x 8 transpose: block j's words x0..x3 to out[4 * j ..] */
__attribute__((target("avx2"))) static inline void philox_lanes_store(const PhiloxLanes *s, uint32_t *out32) {
    __m256i t0 = _mm256_unpacklo_epi32(s->x0, s->x1), t1 = _mm256_unpackhi_epi32(s->x0, s->x1);
    __m256i t2 = _mm256_unpacklo_epi32(s->x2, s->x3), t3 = _mm256_unpackhi_epi32(s->x2, s->x3);
    __m256i u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
    __m256i u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
    __m256i *out = (__m256i *)(void *)out32;
    _mm256_storeu_si256(out + 0, _mm256_permute2x128_si256(u0, u1, 0x20));
    _mm256_storeu_si256(out + 1, _mm256_permute2x128_si256(u2, u3, 0x20));
    _mm256_storeu_si256(out + 2, _mm256_permute2x128_si256(u0, u1, 0x31));
    _mm256_storeu_si256(out + 3, _mm256_permute2x128_si256(u2, u3, 0x31));
}

/* hi and lo 32-bit words of the 8 lanes' products x * m. */
__attribute__((target("avx2"))) static inline void mul_hilo(__m256i x, __m256i m, __m256i *hi, __m256i *lo) {
    __m256i pe = _mm256_mul_epu32(x, m), po = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
    *hi = _mm256_blend_epi32(_mm256_srli_epi64(pe, 32), po, 0xAA);
    *lo = _mm256_blend_epi32(pe, _mm256_slli_epi64(po, 32), 0xAA);
}

/* Rounds 0 and 1 of 8 blocks b .. b + 7 whose high counter word is the same (no carry):
   in round 0 only x0 differs between the lanes, so x2 * M1 and everything derived from it
   is one scalar product; in round 1 the new x0 is that scalar, so x0 * M0 is too. The same
   words as two philox_lanes_round calls, with half the vector multiplies. */
__attribute__((target("avx2"))) static inline PhiloxLanes philox_lanes_first2(const Params *p, uint64_t b) {
    const uint32_t hi_word = (uint32_t)(b >> 32), k0 = p->k0, k1 = p->k1;
    const uint64_t p1 = (uint64_t)PHILOX_M1 * p->c2;
    const uint32_t a = (uint32_t)(p1 >> 32) ^ hi_word ^ k0; /* round 0: x0' (all lanes) */
    const uint32_t bw = (uint32_t)p1;                        /* round 0: x1' (all lanes) */
    __m256i x0 = _mm256_add_epi32(_mm256_set1_epi32((int)(uint32_t)b), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    __m256i hi0, lo0;
    mul_hilo(x0, _mm256_set1_epi32((int)PHILOX_M0), &hi0, &lo0);
    __m256i x2 = _mm256_xor_si256(hi0, _mm256_set1_epi32((int)(p->c3 ^ k1))); /* round 0: x2' */
    __m256i x3 = lo0;                                                          /* round 0: x3' */
    const uint32_t key0 = k0 + PHILOX_W0, key1 = k1 + PHILOX_W1;
    const uint64_t p0 = (uint64_t)PHILOX_M0 * a;
    __m256i hi1, lo1;
    mul_hilo(x2, _mm256_set1_epi32((int)PHILOX_M1), &hi1, &lo1);
    PhiloxLanes s;
    s.x0 = _mm256_xor_si256(hi1, _mm256_set1_epi32((int)(bw ^ key0)));
    s.x2 = _mm256_xor_si256(x3, _mm256_set1_epi32((int)((uint32_t)(p0 >> 32) ^ key1)));
    s.x1 = lo1;
    s.x3 = _mm256_set1_epi32((int)(uint32_t)p0);
    return s;
}

__attribute__((target("avx2"))) static inline void philox_blocks_avx2(const Params *p, uint64_t b0, int n,
                                                                    uint32_t *restrict words) {
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        uint64_t b = b0 + (uint64_t)i;
        PhiloxLanes a, c;
        uint32_t key0 = p->k0, key1 = p->k1;
        int r = 0;
        if (no_carry_in(b, 16)) {
            a = philox_lanes_first2(p, b);
            c = philox_lanes_first2(p, b + 8);
            key0 += 2 * PHILOX_W0;
            key1 += 2 * PHILOX_W1;
            r = 2;
        } else {
            a = philox_lanes_start(p, b);
            c = philox_lanes_start(p, b + 8);
        }
        for (; r < 10; r++) {
            __m256i k0 = _mm256_set1_epi32((int)key0), k1 = _mm256_set1_epi32((int)key1);
            philox_lanes_round(&a, k0, k1);
            philox_lanes_round(&c, k0, k1);
            key0 += PHILOX_W0;
            key1 += PHILOX_W1;
        }
        philox_lanes_store(&a, words + 4 * i);
        philox_lanes_store(&c, words + 4 * (i + 8));
    }
    for (; i < n; i += 8) {
        uint64_t b = b0 + (uint64_t)i;
        PhiloxLanes a;
        uint32_t key0 = p->k0, key1 = p->k1;
        int r = 0;
        if (no_carry_in(b, 8)) {
            a = philox_lanes_first2(p, b);
            key0 += 2 * PHILOX_W0;
            key1 += 2 * PHILOX_W1;
            r = 2;
        } else {
            a = philox_lanes_start(p, b);
        }
        for (; r < 10; r++) {
            philox_lanes_round(&a, _mm256_set1_epi32((int)key0), _mm256_set1_epi32((int)key1));
            key0 += PHILOX_W0;
            key1 += PHILOX_W1;
        }
        philox_lanes_store(&a, words + 4 * i);
    }
}
#endif

/* ---------------------------------------------------------------- exact conversions (spec 4) */

/* 1 + k * 2^-52 for k < 2^52, from bits; subtracting 1 is exact (Sterbenz). */
INLINE double mantissa52(uint64_t k) { return f64_from(0x3FF0000000000000ull | k) - 1.0; }

INLINE double uniform24(uint32_t w) { return (double)(int32_t)(w >> 8) * 0x1p-24; }

/* k * 2^-53, k = (w1 << 21) | (w0 >> 11): (k >> 1) * 2^-53 * 2 + (k & 1) * 2^-53, all exact. */
INLINE double uniform53(uint32_t w0, uint32_t w1) {
    uint64_t k = ((uint64_t)w1 << 21) | (w0 >> 11);
    return mantissa52(k >> 1) + (double)(int32_t)(k & 1) * 0x1p-53;
}

/* (2k + 1) * 2^-53 = k * 2^-52 + 2^-53, k = (w1 << 20) | (w0 >> 12): exact. */
INLINE double open52(uint32_t w0, uint32_t w1) {
    uint64_t k = ((uint64_t)w1 << 20) | (w0 >> 12);
    return mantissa52(k) + 0x1p-53;
}

/* ---------------------------------------------------------------- portable math (spec 5) */

#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define SQRT_HALF 0.70710678118654752440

static const double LOG_C[12] = {
    2.0 / 23, 2.0 / 21, 2.0 / 19, 2.0 / 17, 2.0 / 15, 2.0 / 13,
    2.0 / 11, 2.0 / 9,  2.0 / 7,  2.0 / 5,  2.0 / 3,  2.0 / 1,
};
static const double AS_A[8] = {
    2.5090809287301226727e3, 3.3430575583588128105e4, 6.7265770927008700853e4,
    4.5921953931549871457e4, 1.3731693765509461125e4, 1.9715909503065514427e3,
    1.3314166789178437745e2, 3.3871328727963666080e0};
static const double AS_B[8] = {
    5.2264952788528545610e3, 2.8729085735721942674e4, 3.9307895800092710610e4,
    2.1213794301586595867e4, 5.3941960214247511077e3, 6.8718700749205790830e2,
    4.2313330701600911252e1, 1.0};
static const double AS_C[8] = {
    7.74545014278341407640e-4, 2.27238449892691845833e-2, 2.41780725177450611770e-1,
    1.27045825245236838258e0,  3.64784832476320460504e0,  5.76949722146069140550e0,
    4.63033784615654529590e0,  1.42343711074968357734e0};
static const double AS_D[8] = {
    1.05075007164441684324e-9, 5.47593808499534494600e-4, 1.51986665636164571966e-2,
    1.48103976427480074590e-1, 6.89767334985100004550e-1, 1.67638483018380384940e0,
    2.05319162663775882187e0,  1.0};
static const double AS_E[8] = {
    2.01033439929228813265e-7, 2.71155556874348757815e-5, 1.24266094738807843860e-3,
    2.65321895265761230930e-2, 2.96560571828504891230e-1, 1.78482653991729133580e0,
    5.46378491116411436990e0,  6.65790464350110377720e0};
static const double AS_F[8] = {
    2.04426310338993978564e-15, 1.42151175831644588870e-7, 1.84631831751005468180e-5,
    7.86869131145613259100e-4,  1.48753612908506148525e-2, 1.36929880922735805310e-1,
    5.99832206555887937690e-1,  1.0};

INLINE double horner8(const double *c, double x) {
    double acc = c[0];
    for (int i = 1; i < 8; i++) acc = acc * x + c[i];
    return acc;
}

/* log(x) for x >= 0 (spec 5.3). frexp is done on the bits (exact). */
INLINE double portable_log(double x) {
    if (x == 0.0) return -INFINITY;
    int adjust = 0;
    if (x < 0x1p-1022) { x *= 0x1p54; adjust = 54; }
    uint64_t bits = f64_bits(x);
    int e = (int)((bits >> 52) & 0x7FF) - 1022 - adjust;
    double m = f64_from((bits & 0x800FFFFFFFFFFFFFull) | 0x3FE0000000000000ull);
    if (m < SQRT_HALF) { m = m * 2.0; e = e - 1; }
    double s = (m - 1.0) / (m + 1.0);
    double z = s * s;
    double t = LOG_C[0];
    for (int i = 1; i < 12; i++) t = t * z + LOG_C[i];
    double ed = (double)e;
    return ed * LN2_HI + (s * t + ed * LN2_LO);
}

/* ndtri outside the central region |p - 0.5| > 0.425 (spec 5.4). */
static double ndtri_tail(double p, double q) {
    if (p <= 0.0) return -INFINITY;
    if (p >= 1.0) return INFINITY;
    double r = (q < 0.0) ? p : (1.0 - p);
    r = sqrt(-portable_log(r));
    double v;
    if (r <= 5.0) {
        r = r - 1.6;
        v = horner8(AS_C, r) / horner8(AS_D, r);
    } else {
        r = r - 5.0;
        v = horner8(AS_E, r) / horner8(AS_F, r);
    }
    return (q < 0.0) ? -v : v;
}

/* The tail of ndtri for 0 < p < 1 with r = sqrt(-log(...)) <= 5, written without branches so
   that it vectorizes: the same operations as portable_log and ndtri_tail, with selects. */
INLINE double ndtri_tail_near(double p) {
    double q = p - 0.5;
    double x = (q < 0.0) ? p : (1.0 - p);
    int sub = x < 0x1p-1022;
    x = sub ? x * 0x1p54 : x;
    uint64_t bits = f64_bits(x);
    int e = (int)((bits >> 52) & 0x7FF) - 1022 - (sub ? 54 : 0);
    double m = f64_from((bits & 0x800FFFFFFFFFFFFFull) | 0x3FE0000000000000ull);
    int low = m < SQRT_HALF;
    m = low ? m * 2.0 : m;
    e = low ? e - 1 : e;
    double s = (m - 1.0) / (m + 1.0);
    double z = s * s;
    double t = LOG_C[0];
    for (int i = 1; i < 12; i++) t = t * z + LOG_C[i];
    double ed = (double)e;
    double lg = ed * LN2_HI + (s * t + ed * LN2_LO);
    double r = sqrt(-lg) - 1.6;
    double v = horner8(AS_C, r) / horner8(AS_D, r);
    return (q < 0.0) ? -v : v;
}

/* Where the tail elements of v[0..n) are: indices into tail_at, values into tail_p; returns
   how many. The generic form is a branchless scalar loop. */
INLINE int compact_tails(const double *restrict v, int n, double *restrict tail_p, int *restrict tail_at) {
    int m = 0;
    for (int i = 0; i < n; i++) {
        tail_p[m] = v[i];
        tail_at[m] = i;
        m += !(fabs(v[i] - 0.5) <= 0.425);
    }
    return m;
}

#if HAVE_AVX2_PATH
/* For a 4-bit mask, the 32-bit lane permutation that packs the selected doubles (and, in
   lanes 0..3, the selected element numbers) to the front. */
static int32_t PACK_PD[16][8], PACK_I[16][8];

static void init_pack_tables(void) {
    for (int mask = 0; mask < 16; mask++) {
        int s = 0;
        for (int j = 0; j < 4; j++) {
            if (mask & (1 << j)) {
                PACK_PD[mask][2 * s] = 2 * j;
                PACK_PD[mask][2 * s + 1] = 2 * j + 1;
                PACK_I[mask][s] = j;
                s++;
            }
        }
    }
}

/* The same as compact_tails, four elements per step (outputs may be written up to 4 past n). */
__attribute__((target("avx2"))) static inline int compact_tails_avx2(const double *restrict v, int n,
                                                                   double *restrict tail_p,
                                                                   int *restrict tail_at) {
    const __m256d half = _mm256_set1_pd(0.5), lim = _mm256_set1_pd(0.425);
    const __m256d abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7FFFFFFFFFFFFFFFll));
    int m = 0, i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d p = _mm256_loadu_pd(v + i);
        __m256d q = _mm256_and_pd(_mm256_sub_pd(p, half), abs_mask);
        int mask = _mm256_movemask_pd(_mm256_cmp_pd(q, lim, _CMP_NLE_UQ));
        __m256i perm = _mm256_loadu_si256((const __m256i *)PACK_PD[mask]);
        __m256d packed = _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(p), perm));
        _mm256_storeu_pd(tail_p + m, packed);
        __m256i idx = _mm256_add_epi32(_mm256_set1_epi32(i), _mm256_setr_epi32(0, 1, 2, 3, 0, 0, 0, 0));
        idx = _mm256_permutevar8x32_epi32(idx, _mm256_loadu_si256((const __m256i *)PACK_I[mask]));
        _mm_storeu_si128((__m128i *)(void *)(tail_at + m), _mm256_castsi256_si128(idx));
        m += __builtin_popcount((unsigned)mask);
    }
    for (; i < n; i++) {
        tail_p[m] = v[i];
        tail_at[m] = i;
        m += !(fabs(v[i] - 0.5) <= 0.425);
    }
    return m;
}
#endif

/* ndtri of v[0..n) in place. The central branch is computed for every element (vectorized);
   the ~15% tail elements are gathered into a dense list and done by the vectorized tail; the
   few that fall outside it (p <= 0, p >= 1, r > 5: p < 1.4e-11) are redone one by one. */
INLINE void ndtri_batch(double *restrict v, int n, const int avx2) {
    double tail_p[BATCH + 8], tail_v[BATCH + 8];
    int tail_at[BATCH + 8];
    int m;
#if HAVE_AVX2_PATH
    m = avx2 ? compact_tails_avx2(v, n, tail_p, tail_at) : compact_tails(v, n, tail_p, tail_at);
#else
    (void)avx2;
    m = compact_tails(v, n, tail_p, tail_at);
#endif
    for (int i = 0; i < n; i++) { /* in place: the tail elements' p are kept in tail_p */
        double q = v[i] - 0.5;
        double r = 0.180625 - q * q;
        v[i] = (q * horner8(AS_A, r)) / horner8(AS_B, r);
    }
    for (int j = 0; j < m; j++) tail_v[j] = ndtri_tail_near(tail_p[j]);
    for (int j = 0; j < m; j++) {
        double p = tail_p[j];
        /* r <= 5 exactly when -log(min(p, 1 - p)) <= 25; redo anything near or past that */
        int rare = !(p > 1e-10 && p < 1.0 - 1e-10);
        v[tail_at[j]] = rare ? ndtri_tail(p, p - 0.5) : tail_v[j];
    }
}

/* ---------------------------------------------------------------- binary32 math (spec 14) */

static const float LOG2_C[4] = {0.43173587f, 0.57671434f, 0.96179885f, 2.88539f};
static const float CENTRAL_C[10] = {
    -4.7739146e-10f, 1.72007e-08f,  -2.2162992e-07f, 6.6971114e-07f, 9.9108165e-06f,
    -4.1226893e-05f, -0.001099866f, 0.007847186f,    0.22743337f,    1.2533141f};
static const float TAIL_C[6] = {2.2946765f, -1.1344059f, 0.57752603f, 0.041655894f, 0.67651165f, -1.8378649f};
#define LOG2_SPLIT 1.4142135f
#define TWO_LN2 1.3862944f
#define LN2_F 0.6931472f
#define TAIL_P 0x1p-9f

/* log2 of a positive normal binary32 (spec 14.3); written without branches so that it vectorizes. */
INLINE float b32_log2(float x) {
    uint32_t b = f32_bits(x);
    int32_t e = (int32_t)(b >> 23) - 127;
    float m = f32_from((b & 0x007FFFFFu) | 0x3F800000u);
    int big = m > LOG2_SPLIT;
    m = big ? m * 0.5f : m;
    e = big ? e + 1 : e;
    float f = m - 1.0f;
    float s = f / (f + 2.0f);
    float z = s * s;
    float t = LOG2_C[0];
    for (int i = 1; i < 4; i++) t = t * z + LOG2_C[i];
    return (float)e + s * t;
}

/* t = Phi^-1(1 - c/2) for c in [2^-8, 1] (spec 14.4). */
INLINE float b32_central(float c) {
    float x = 1.0f - c;
    float w = -b32_log2(c * (2.0f - c));
    float p = CENTRAL_C[0];
    for (int i = 1; i < 10; i++) p = p * w + CENTRAL_C[i];
    return x * p;
}

/* t = Phi^-1(1 - p) for l2 = -log2(p) >= 8.95 (spec 14.4). */
INLINE float b32_tail(float l2) {
    float y = l2 * TWO_LN2;
    float g = b32_log2(y);
    float q = g / y;
    float r = TAIL_C[0];
    for (int i = 1; i < 6; i++) r = r * q + TAIL_C[i];
    return sqrtf((y - g * LN2_F) + r);
}

/* u in (0, 1/2) from 31 bits (spec 14.2): (2k + 1) * 2^-33 below k = 2^23, else
   (2 (k >> 8) + 1) * 2^-25; the odd integer is picked first, so one exact conversion. */
INLINE float b32_half_open(uint32_t k) {
    int small = k < (1u << 23);
    uint32_t odd = 2u * (small ? k : k >> 8) + 1u;
    return (float)(int32_t)odd * (small ? 0x1p-33f : 0x1p-25f);
}

/* ---------------------------------------------------------------- rounding (spec 7) */

/* float32 -> binary16 bits, round to nearest even, subnormals kept, >= 65520 -> infinity.
   (F. Giesen's float_to_half_fast3_rtne; inputs are never NaN.) */
INLINE uint16_t f32_to_f16(float f) {
    uint32_t x = f32_bits(f);
    uint32_t sign = x & 0x80000000u;
    x ^= sign;
    uint32_t o;
    if (x >= 0x47800000u) {            /* >= 2^16: infinity */
        o = 0x7C00u;
    } else if (x < 0x38800000u) {      /* < 2^-14: subnormal half; float add rounds for us */
        float g = f32_from(x) + 0.5f;  /* 0.5f: exponent makes the half's ulp the float's ulp */
        o = f32_bits(g) - 0x3F000000u;
    } else {
        uint32_t odd = (x >> 13) & 1u;
        x = x - (112u << 23) + 0xFFFu; /* rebias the exponent (127 -> 15), add half an ulp - 1 */
        x += odd;
        o = x >> 13;
    }
    return (uint16_t)(o | (sign >> 16));
}

INLINE uint16_t f32_to_bf16(float f) {
    uint32_t b = f32_bits(f);
    return (uint16_t)((b + 0x7FFFu + ((b >> 16) & 1u)) >> 16);
}

/* ---------------------------------------------------------------- one batch */

INLINE void store(const Params *p, const double *restrict v, uint64_t e, int n) {
    size_t at = (size_t)(e - p->start);
    switch (p->dtype) {
    case D_F64: {
        double *o = (double *)(void *)p->out + at;
        for (int i = 0; i < n; i++) o[i] = v[i];
        break;
    }
    case D_F32: {
        float *o = (float *)(void *)p->out + at;
        for (int i = 0; i < n; i++) o[i] = (float)v[i];
        break;
    }
    case D_F16: {
        uint16_t *o = (uint16_t *)(void *)p->out + at;
        for (int i = 0; i < n; i++) o[i] = f32_to_f16((float)v[i]);
        break;
    }
    default: {
        uint16_t *o = (uint16_t *)(void *)p->out + at;
        for (int i = 0; i < n; i++) o[i] = f32_to_bf16((float)v[i]);
        break;
    }
    }
}

/* tensorseed-stream/2: binary32 values (already the float32 result) to the output dtype. */
INLINE void store32(const Params *p, const float *restrict v, uint64_t e, int n) {
    size_t at = (size_t)(e - p->start);
    switch (p->dtype) {
    case D_F32: {
        float *o = (float *)(void *)p->out + at;
        for (int i = 0; i < n; i++) o[i] = v[i];
        break;
    }
    case D_F16: {
        uint16_t *o = (uint16_t *)(void *)p->out + at;
        for (int i = 0; i < n; i++) o[i] = f32_to_f16(v[i]);
        break;
    }
    default: { /* D_BF16 (binary32 samplers never serve float64) */
        uint16_t *o = (uint16_t *)(void *)p->out + at;
        for (int i = 0; i < n; i++) o[i] = f32_to_bf16(v[i]);
        break;
    }
    }
}

/* Words [w0, w0 + nw) of the stream: generated into scratch, returned as a pointer into it. */
INLINE const uint32_t *stream_words(const Params *p, const int avx2, uint64_t w0, int nw,
                                    uint32_t *restrict scratch) {
    uint64_t b0 = w0 >> 2;
    int skip = (int)(w0 & 3);
    int nb = (skip + nw + 3) >> 2;
#if HAVE_AVX2_PATH
    if (avx2) philox_blocks_avx2(p, b0, nb, scratch);
    else philox_blocks(p, b0, nb, scratch);
#else
    (void)avx2;
    philox_blocks(p, b0, nb, scratch);
#endif
    return scratch + skip;
}

/* ---------------------------------------------------------------- v2 batches (spec 15) */

#if HAVE_AVX2_PATH
/* ---------------------------------------------------------------- v2's central loops, AVX2

   The central formula is a chain of ~45 dependent binary32 operations (~125 cycles of latency
   per vector; Horner cannot be reordered: the spec fixes the order), so one pass of it over a
   batch is latency-bound: the out-of-order window holds about one loop iteration. Two things
   make it throughput-bound instead: the batch goes through short passes over L1-resident
   buffers (words -> c; c -> 1 - c and w = -log2f(c (2 - c)); Horner -> t -> result), and every
   pass carries U32 independent vectors side by side. Each intrinsic is the same correctly
   rounded binary32 operation as the scalar code (no FMA: target("avx2") has none and
   -ffp-contract=off forbids contraction), in the same order, so the bytes are the same. */
#define U32 8
/* An empty asm that "changes" v: gcc's expansion otherwise moves each single-use step next to
   its use (TER) and undoes the interleaving; this pins every step where it is written. */
#define KEEP(v) __asm__("" : "+x"(v))

/* b32_log2 of u vectors. */
__attribute__((target("avx2"))) static inline void b32_log2_avx2(const __m256 *x, __m256 *out, const int u) {
    const __m256i mant = _mm256_set1_epi32(0x007FFFFF), one_bits = _mm256_set1_epi32(0x3F800000);
    const __m256i bias = _mm256_set1_epi32(127);
    __m256 s[U32], z[U32], t[U32];
    __m256i e[U32];
    for (int j = 0; j < u; j++) {
        __m256i b = _mm256_castps_si256(x[j]);
        e[j] = _mm256_sub_epi32(_mm256_srli_epi32(b, 23), bias);
        /* m = 1.mantissa > LOG2_SPLIT (3fb504f3) exactly when the mantissa bits exceed 0x3504F3
           (positive binary32 values order as their bit patterns), and m * 0.5 (exact: m >= 1)
           is m with its exponent field one lower: integer steps, off the multiply ports,
           giving the same m and e as the scalar code */
        __m256i mb = _mm256_and_si256(b, mant);
        __m256i big = _mm256_cmpgt_epi32(mb, _mm256_set1_epi32(0x3504F3));
        __m256 m = _mm256_castsi256_ps(
            _mm256_sub_epi32(_mm256_or_si256(mb, one_bits), _mm256_and_si256(big, _mm256_set1_epi32(0x00800000))));
        e[j] = _mm256_sub_epi32(e[j], big); /* big is -1: e + 1 */
        __m256 f = _mm256_sub_ps(m, _mm256_set1_ps(1.0f));
        s[j] = _mm256_div_ps(f, _mm256_add_ps(f, _mm256_set1_ps(2.0f)));
        KEEP(s[j]);
    }
    for (int j = 0; j < u; j++) {
        z[j] = _mm256_mul_ps(s[j], s[j]);
        t[j] = _mm256_set1_ps(LOG2_C[0]);
    }
    for (int i = 1; i < 4; i++) {
        for (int j = 0; j < u; j++) {
            t[j] = _mm256_add_ps(_mm256_mul_ps(t[j], z[j]), _mm256_set1_ps(LOG2_C[i]));
            KEEP(t[j]);
        }
    }
    for (int j = 0; j < u; j++) out[j] = _mm256_add_ps(_mm256_cvtepi32_ps(e[j]), _mm256_mul_ps(s[j], t[j]));
}

/* The first half of b32_central on u vectors at cx + i: cx[i..] = 1 - c, wv[i..] = -log2f(c (2 - c)). */
__attribute__((target("avx2"))) static inline void central_log_step(float *restrict cx, float *restrict wv, int i,
                                                                  const int u) {
    const __m256 one = _mm256_set1_ps(1.0f), two = _mm256_set1_ps(2.0f), sign = _mm256_set1_ps(-0.0f);
    __m256 c[U32], y[U32], l[U32];
    for (int j = 0; j < u; j++) {
        c[j] = _mm256_loadu_ps(cx + i + 8 * j);
        y[j] = _mm256_mul_ps(c[j], _mm256_sub_ps(two, c[j]));
    }
    b32_log2_avx2(y, l, u);
    for (int j = 0; j < u; j++) {
        _mm256_storeu_ps(wv + i + 8 * j, _mm256_xor_ps(l[j], sign)); /* unary minus */
        _mm256_storeu_ps(cx + i + 8 * j, _mm256_sub_ps(one, c[j]));
    }
}

/* The second half on u vectors: wv[i..] = (1 - c) * horner32(CENTRAL_C, w), the quantile t (or,
   given Normal32's words, v[i..] = M + S z as normal32_batch's scalar loop computes it). */
__attribute__((target("avx2"))) static inline void central_poly_step(const float *restrict x, float *restrict wv,
                                                                   int i, const int u, const Params *p,
                                                                   const uint32_t *restrict words, float *restrict v) {
    __m256 w[U32], acc[U32];
    for (int j = 0; j < u; j++) {
        w[j] = _mm256_loadu_ps(wv + i + 8 * j);
        acc[j] = _mm256_set1_ps(CENTRAL_C[0]);
    }
    for (int k = 1; k < 10; k++) {
        for (int j = 0; j < u; j++) {
            acc[j] = _mm256_add_ps(_mm256_mul_ps(acc[j], w[j]), _mm256_set1_ps(CENTRAL_C[k]));
            KEEP(acc[j]);
        }
    }
    if (words) { /* Normal32: the sign from the word's top bit, then M + S z, straight into v */
        const __m256 mean = _mm256_set1_ps(p->x[0]), std = _mm256_set1_ps(p->x[1]);
        const __m256i top = _mm256_set1_epi32((int)0x80000000u);
        for (int j = 0; j < u; j++) {
            __m256 t = _mm256_mul_ps(_mm256_loadu_ps(x + i + 8 * j), acc[j]);
            __m256i wi = _mm256_loadu_si256((const __m256i *)(const void *)(words + i + 8 * j));
            __m256 z = _mm256_xor_ps(t, _mm256_castsi256_ps(_mm256_andnot_si256(wi, top))); /* bit 1: +t */
            _mm256_storeu_ps(v + i + 8 * j, _mm256_add_ps(mean, _mm256_mul_ps(std, z)));
        }
        return;
    }
    for (int j = 0; j < u; j++) _mm256_storeu_ps(wv + i + 8 * j, _mm256_mul_ps(_mm256_loadu_ps(x + i + 8 * j), acc[j]));
}

/* b32_central of cx[0..n8) (n8 a multiple of 8) into wv; cx is overwritten with 1 - c. Given
   Normal32's words, the last pass finishes the element instead (z = +-t by the word's top bit,
   M + S z into v): one pass less over the batch. */
__attribute__((target("avx2"))) static inline void central_avx2(float *restrict cx, float *restrict wv, int n8,
                                                              const Params *p, const uint32_t *restrict words,
                                                              float *restrict v) {
    int i = 0;
    for (; i + 8 * U32 <= n8; i += 8 * U32) central_log_step(cx, wv, i, U32);
    for (; i < n8; i += 8) central_log_step(cx, wv, i, 1);
    for (i = 0; i + 8 * U32 <= n8; i += 8 * U32) central_poly_step(cx, wv, i, U32, p, words, v);
    for (; i < n8; i += 8) central_poly_step(cx, wv, i, 1, p, words, v);
}

/* normal32_batch's central formula on v[0 .. n rounded down to 8); returns that count. */
__attribute__((target("avx2"))) static inline int normal32_central_avx2(const Params *p, const uint32_t *restrict w,
                                                                      int n, float *restrict v, int *restrict at,
                                                                      int *restrict m_out) {
    const __m256i low23 = _mm256_set1_epi32(0x7FFFFF), one = _mm256_set1_epi32(1);
    float cx[BATCH] __attribute__((aligned(32))), tv[BATCH] __attribute__((aligned(32)));
    const __m256i tail_bits = _mm256_set1_epi32(0x7F800000);
    const int n8 = n & ~7;
    int m = 0;
    for (int i = 0; i < n8; i += 8) {
        /* k >= 2^23: u + u = (2 * (k >> 8) + 1) * 2^-24, with k >> 8 = (w >> 8) AND 0x7FFFFF */
        __m256i wi = _mm256_loadu_si256((const __m256i *)(const void *)(w + i));
        __m256i odd = _mm256_add_epi32(_mm256_slli_epi32(_mm256_and_si256(_mm256_srli_epi32(wi, 8), low23), 1), one);
        _mm256_store_ps(cx + i, _mm256_mul_ps(_mm256_cvtepi32_ps(odd), _mm256_set1_ps(0x1p-24f)));
        /* the tail words (k < 2^23: bits 23..30 all zero), while the words are at hand */
        __m256i is_tail = _mm256_cmpeq_epi32(_mm256_and_si256(wi, tail_bits), _mm256_setzero_si256());
        int bits = _mm256_movemask_ps(_mm256_castsi256_ps(is_tail));
        while (bits) {
            at[m++] = i + __builtin_ctz((unsigned)bits);
            bits &= bits - 1;
        }
    }
    *m_out = m;
    central_avx2(cx, tv, n8, p, w, v); /* its last pass writes M + S z into v (Normal32's words given) */
    return n8;
}

/* trunc32_batch's loop (same steps, same order) on [0, n rounded down to 8); returns that count. */
__attribute__((target("avx2"))) static inline int trunc32_central_avx2(const Params *p, const uint32_t *restrict w,
                                                                     int n, float *restrict v, float *restrict pv) {
    const float *x = p->x;
    const __m256 mean = _mm256_set1_ps(x[0]), std = _mm256_set1_ps(x[1]), alpha = _mm256_set1_ps(x[2]);
    const __m256 beta = _mm256_set1_ps(x[3]), low = _mm256_set1_ps(x[4]), high = _mm256_set1_ps(x[5]);
    const __m256 width = _mm256_set1_ps(x[6]), r0 = _mm256_set1_ps(x[8]), r1 = _mm256_set1_ps(x[9]);
    const __m256 half = _mm256_set1_ps(0.5f);
    const __m256i top = _mm256_set1_epi32((int)0x80000000u), low31 = _mm256_set1_epi32(0x7FFFFFFF);
    const __m256i one_sided = _mm256_set1_epi32((p->flags & F_ONE_SIDED) ? (int)0x80000000u : 0);
    const __m256i neg0 = _mm256_set1_epi32((p->flags & F_NEGATE0) ? (int)0x80000000u : 0);
    const __m256i neg1 = _mm256_set1_epi32((p->flags & F_NEGATE1) ? (int)0x80000000u : 0);
    const __m256i two23 = _mm256_set1_epi32(1 << 23), ione = _mm256_set1_epi32(1);
    float cx[BATCH] __attribute__((aligned(32))), tv[BATCH] __attribute__((aligned(32)));
    const int n8 = n & ~7;
    for (int i = 0; i < n8; i += 8) {
        __m256i wi = _mm256_loadu_si256((const __m256i *)(const void *)(w + i));
        __m256i path = _mm256_srai_epi32(wi, 31); /* all ones on path 1 */
        __m256i k = _mm256_and_si256(wi, low31);
        /* half_open(k) */
        __m256i small = _mm256_cmpgt_epi32(two23, k);
        __m256i kk = _mm256_blendv_epi8(_mm256_srli_epi32(k, 8), k, small);
        __m256i odd = _mm256_add_epi32(_mm256_slli_epi32(kk, 1), ione);
        __m256 scale = _mm256_blendv_ps(_mm256_set1_ps(0x1p-25f), _mm256_set1_ps(0x1p-33f), _mm256_castsi256_ps(small));
        __m256 u = _mm256_mul_ps(_mm256_cvtepi32_ps(odd), scale);
        __m256 r = _mm256_blendv_ps(r0, r1, _mm256_castsi256_ps(path));
        /* path 1 of a one-sided interval: r1 - u */
        __m256 uu = _mm256_xor_ps(u, _mm256_castsi256_ps(_mm256_and_si256(_mm256_and_si256(path, top), one_sided)));
        __m256 pr = _mm256_mul_ps(width, _mm256_add_ps(r, uu));
        _mm256_storeu_ps(pv + i, pr);
        __m256 lower = _mm256_cmp_ps(pr, half, _CMP_LE_OQ);
        __m256 cl = _mm256_add_ps(pr, pr);
        __m256 cu = _mm256_mul_ps(_mm256_sub_ps(_mm256_set1_ps(1.0f), pr), _mm256_set1_ps(2.0f));
        /* (c >= 2^-8) ? c : 2^-8 is maxps(c, 2^-8) for non-NaN c; only tail lanes are below, and
           they are redone */
        _mm256_store_ps(cx + i, _mm256_max_ps(_mm256_blendv_ps(cu, cl, lower), _mm256_set1_ps(0x1p-8f)));
    }
    central_avx2(cx, tv, n8, p, NULL, NULL);
    for (int i = 0; i < n8; i += 8) {
        __m256i wi = _mm256_loadu_si256((const __m256i *)(const void *)(w + i));
        __m256i path = _mm256_srai_epi32(wi, 31);
        __m256 lower = _mm256_cmp_ps(_mm256_loadu_ps(pv + i), half, _CMP_LE_OQ);
        __m256i neg = _mm256_blendv_epi8(neg0, neg1, path);
        __m256i sign = _mm256_xor_si256(_mm256_and_si256(_mm256_castps_si256(lower), top), neg);
        __m256 z = _mm256_xor_ps(_mm256_load_ps(tv + i), _mm256_castsi256_ps(sign));
        /* (A > z) ? A : z equals the spec's max(z, A) for every non-NaN z (see trunc32_batch) */
        z = _mm256_max_ps(alpha, z);
        z = _mm256_min_ps(beta, z); /* (B < z) ? B : z */
        __m256 xi = _mm256_add_ps(mean, _mm256_mul_ps(std, z));
        xi = _mm256_max_ps(low, xi);
        _mm256_storeu_ps(v + i, _mm256_min_ps(high, xi));
    }
    return n8;
}
#endif

/* Normal32's tail words (1 in 256) on the AVX2 path: redone one by one they cost ~70 cycles each
   (two log2f, a division and a square root in a dependent chain); collected over several batches
   (element offset and word) and done 64 at a time, 8 vectors side by side, they cost a few. */
#define TAIL_FLUSH 64
typedef struct {
    int m;
    size_t at[TAIL_FLUSH + BATCH];      /* offsets into the output buffer */
    uint32_t w[TAIL_FLUSH + BATCH + 8]; /* their words (room to pad to whole vectors) */
} TailList;

#if HAVE_AVX2_PATH
/* Normal32's value of u vectors of tail words w (k < 2^23), in place: the same operations as
   normal32_batch's scalar tail line, b32_tail(-b32_log2(b32_half_open(k))), then M + S z. */
__attribute__((target("avx2"))) static inline void normal32_tail_step(const Params *p, uint32_t *restrict wv,
                                                                    const int u) {
    const __m256i low31 = _mm256_set1_epi32(0x7FFFFFFF), one = _mm256_set1_epi32(1);
    const __m256i top = _mm256_set1_epi32((int)0x80000000u);
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 x[U32], l[U32], y[U32], g[U32], q[U32], r[U32];
    for (int j = 0; j < u; j++) {
        __m256i k = _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(const void *)(wv + 8 * j)), low31);
        /* half_open(k) for k < 2^23: f32(2k + 1) * 2^-33 */
        x[j] = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(_mm256_slli_epi32(k, 1), one)),
                             _mm256_set1_ps(0x1p-33f));
    }
    b32_log2_avx2(x, l, u);
    for (int j = 0; j < u; j++) y[j] = _mm256_mul_ps(_mm256_xor_ps(l[j], sign), _mm256_set1_ps(TWO_LN2));
    b32_log2_avx2(y, g, u);
    for (int j = 0; j < u; j++) {
        q[j] = _mm256_div_ps(g[j], y[j]);
        r[j] = _mm256_set1_ps(TAIL_C[0]);
    }
    for (int i = 1; i < 6; i++) {
        for (int j = 0; j < u; j++) {
            r[j] = _mm256_add_ps(_mm256_mul_ps(r[j], q[j]), _mm256_set1_ps(TAIL_C[i]));
            KEEP(r[j]);
        }
    }
    const __m256 mean = _mm256_set1_ps(p->x[0]), std = _mm256_set1_ps(p->x[1]);
    for (int j = 0; j < u; j++) {
        __m256 t = _mm256_sqrt_ps(_mm256_add_ps(_mm256_sub_ps(y[j], _mm256_mul_ps(g[j], _mm256_set1_ps(LN2_F))), r[j]));
        __m256i wj = _mm256_loadu_si256((const __m256i *)(const void *)(wv + 8 * j));
        __m256 z = _mm256_xor_ps(t, _mm256_castsi256_ps(_mm256_andnot_si256(wj, top))); /* sign bit 1: +t */
        _mm256_storeu_ps((float *)(void *)(wv + 8 * j), _mm256_add_ps(mean, _mm256_mul_ps(std, z)));
    }
}

/* Writes the collected tail elements' values into the output (after their batches were stored). */
__attribute__((target("avx2"))) static void normal32_flush_tails(const Params *p, TailList *tails) {
    int m = tails->m, i = 0;
    if (m == 0) return;
    for (int j = m; j < ((m + 7) & ~7); j++) tails->w[j] = 1u; /* padding: a valid tail word */
    for (; i + 8 * U32 <= m; i += 8 * U32) normal32_tail_step(p, tails->w + i, U32);
    for (; i < m; i += 8) normal32_tail_step(p, tails->w + i, 1);
    const float *val = (const float *)(const void *)tails->w;
    for (int j = 0; j < m; j++) {
        size_t at = tails->at[j];
        switch (p->dtype) {
        case D_F32: ((float *)(void *)p->out)[at] = val[j]; break;
        case D_F16: ((uint16_t *)(void *)p->out)[at] = f32_to_f16(val[j]); break;
        default: ((uint16_t *)(void *)p->out)[at] = f32_to_bf16(val[j]); break;
        }
    }
    tails->m = 0;
}
#endif

/* Normal32: the central formula on every lane (vectorized), then the tail words redone. */
INLINE void normal32_batch(const Params *p, const uint32_t *restrict w, uint64_t e, int n, float *restrict v,
                           const int avx2, TailList *restrict defer) {
    const float mean = p->x[0], std = p->x[1];
    int i0 = 0, at[BATCH], m = 0;
#if HAVE_AVX2_PATH
    if (avx2) i0 = normal32_central_avx2(p, w, n, v, at, &m); /* and the tail words below i0 */
#else
    (void)avx2;
#endif
    for (int i = i0; i < n; i++) {
        /* k >= 2^23: u + u = (2 * (k >> 8) + 1) * 2^-24, with k >> 8 = (w >> 8) AND 0x7FFFFF */
        float c = (float)(int32_t)(2u * ((w[i] >> 8) & 0x7FFFFFu) + 1u) * 0x1p-24f;
        float t = b32_central(c);
        float z = f32_from(f32_bits(t) ^ (~w[i] & 0x80000000u)); /* sign bit 1: +t, else -t */
        v[i] = mean + std * z;
    }
    for (int i = i0; i < n; i++) /* the rest of the tail words (all of them on the generic path) */
        if ((w[i] & 0x7FFFFFFFu) < (1u << 23)) at[m++] = i;
    if (defer) { /* done later, many at once (normal32_flush_tails); a zeroed row stays +0.0 */
        for (int j = 0; j < m; j++) {
            int64_t abs_at = (int64_t)(e + (uint64_t)at[j]);
            if (abs_at >= p->zero_lo && abs_at < p->zero_hi) continue;
            defer->at[defer->m] = (size_t)(e - p->start) + (size_t)at[j];
            defer->w[defer->m++] = w[at[j]];
        }
        return;
    }
    for (int j = 0; j < m; j++) {
        int i = at[j];
        float t = b32_tail(-b32_log2(b32_half_open(w[i] & 0x7FFFFFFFu)));
        float z = (w[i] >> 31) ? t : -t;
        v[i] = mean + std * z;
    }
}

/* v of spec 15.3 for word w. */
INLINE float trunc32_v(const Params *p, uint32_t w) {
    uint32_t path = w & 0x80000000u;
    float u = b32_half_open(w & 0x7FFFFFFFu);
    float r = path ? p->x[9] : p->x[8];
    uint32_t down = (p->flags & F_ONE_SIDED) ? path : 0u; /* path 1 of a one-sided interval: r1 - u */
    return r + f32_from(f32_bits(u) ^ down);
}

/* TruncNormal32 for one tail element (p < 2^-9): the rest of spec 15.3 from its word. */
static float trunc32_tail(const Params *p, uint32_t w) {
    const float *x = p->x;
    float z = -b32_tail(-(x[7] + b32_log2(trunc32_v(p, w))));
    int path1 = (int)(w >> 31);
    int negate = path1 ? (p->flags & F_NEGATE1) : (p->flags & F_NEGATE0);
    if (negate) z = -z;
    z = (z >= x[2]) ? z : x[2];
    z = (z <= x[3]) ? z : x[3];
    float r = x[0] + x[1] * z;
    r = (r >= x[4]) ? r : x[4];
    return (r <= x[5]) ? r : x[5];
}

/* Where p < 2^-9 (tail lanes) in pv[0..n). */
INLINE int trunc_tail_lanes(const float *restrict pv, int n, int *restrict at) {
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!(pv[i] >= TAIL_P)) at[m++] = i;
    return m;
}

#if HAVE_AVX2_PATH
__attribute__((target("avx2"))) static inline int trunc_tail_lanes_avx2(const float *restrict pv, int n,
                                                                      int *restrict at) {
    const __m256 limit = _mm256_set1_ps(TAIL_P);
    int m = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        int bits = _mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(pv + i), limit, _CMP_NGE_UQ));
        while (bits) {
            at[m++] = i + __builtin_ctz((unsigned)bits);
            bits &= bits - 1;
        }
    }
    for (; i < n; i++)
        if (!(pv[i] >= TAIL_P)) at[m++] = i;
    return m;
}
#endif

/* TruncNormal32: every lane through the central branch (vectorized; a tail lane's c is clamped
   into the central domain and its result replaced), then the tail lanes (p < 2^-9) redone, unless
   the tensor has none (p_min >= 2^-9, decided once per tensor: [-2, 2] never has any). */
INLINE void trunc32_batch(const Params *p, const uint32_t *restrict w, int n, float *restrict v, const int avx2) {
    const float *x = p->x;
    const float mean = x[0], std = x[1], alpha = x[2], beta = x[3], low = x[4], high = x[5];
    const float width = x[6], r0 = x[8], r1 = x[9];
    const uint32_t one_sided = (p->flags & F_ONE_SIDED) ? 0x80000000u : 0u;
    const uint32_t neg0 = (p->flags & F_NEGATE0) ? 0x80000000u : 0u;
    const uint32_t neg1 = (p->flags & F_NEGATE1) ? 0x80000000u : 0u;
    float pv[BATCH];
    int i0 = 0;
#if HAVE_AVX2_PATH
    if (avx2) i0 = trunc32_central_avx2(p, w, n, v, pv);
#endif
    for (int i = i0; i < n; i++) {
        uint32_t path = w[i] & 0x80000000u;
        float u = b32_half_open(w[i] & 0x7FFFFFFFu);
        float r = path ? r1 : r0;
        float vi = r + f32_from(f32_bits(u) ^ (path & one_sided)); /* path 1 of a one-sided: r1 - u */
        float pr = width * vi;
        int lower = pr <= 0.5f;
        float c = lower ? pr + pr : (1.0f - pr) * 2.0f;
        c = (c >= 0x1p-8f) ? c : 0x1p-8f; /* only tail lanes are below; they are redone */
        float t = b32_central(c);
        uint32_t sign = (lower ? 0x80000000u : 0u) ^ (path ? neg1 : neg0);
        float z = f32_from(f32_bits(t) ^ sign);
        /* (A > z) ? A : z equals the spec's max(z, A) = (z >= A) ? z : A for every non-NaN z, a
           -0 against +0 included, and is the form of x86's maxps (minps likewise) */
        z = (alpha > z) ? alpha : z;
        z = (beta < z) ? beta : z;
        float xi = mean + std * z;
        xi = (low > xi) ? low : xi;
        v[i] = (high < xi) ? high : xi;
        pv[i] = pr;
    }
    if (p->no_tail) return;
    int at[BATCH];
    int m;
#if HAVE_AVX2_PATH
    m = avx2 ? trunc_tail_lanes_avx2(pv, n, at) : trunc_tail_lanes(pv, n, at);
#else
    (void)avx2;
    m = trunc_tail_lanes(pv, n, at);
#endif
    for (int j = 0; j < m; j++) v[at[j]] = trunc32_tail(p, w[at[j]]);
}

/* One batch of a v2 binary32 sampler into v32. */
INLINE void fill_batch32(const Params *p, const uint32_t *restrict w, uint64_t e, int n, float *restrict v,
                         const int avx2, TailList *restrict defer) {
    switch (p->kind) {
    case K_UNIFORM32: {
        const float low = p->x[0], width = p->x[1];
        for (int i = 0; i < n; i++) v[i] = low + width * ((float)(int32_t)(w[i] >> 8) * 0x1p-24f);
        break;
    }
    case K_NORMAL32:
        normal32_batch(p, w, e, n, v, avx2, defer);
        break;
    default: /* K_TRUNC32 */
        if (p->trunc_is_normal) normal32_batch(p, w, e, n, v, avx2, defer); /* x[0], x[1] are M, S for both */
        else trunc32_batch(p, w, n, v, avx2);
        break;
    }
}

INLINE void zero_rows32(const Params *p, float *restrict v, uint64_t e, int n) {
    if (p->zero_lo < p->zero_hi) {
        int64_t lo = p->zero_lo > (int64_t)e ? p->zero_lo : (int64_t)e;
        int64_t hi = p->zero_hi < (int64_t)(e + n) ? p->zero_hi : (int64_t)(e + n);
        for (int64_t i = lo; i < hi; i++) v[i - (int64_t)e] = 0.0f;
    }
}

INLINE void fill_range_body(const Params *p, uint64_t first, uint64_t stop, const int avx2) {
    const uint32_t *words;
    uint32_t scratch[2 * BATCH + 64];
    double v[BATCH];
    const int wide = p->dtype == D_F64;
    if (p->kind >= K_UNIFORM32) {
        float v32[BATCH];
        TailList *defer = NULL;
#if HAVE_AVX2_PATH
        TailList tails;
        if (avx2 && (p->kind == K_NORMAL32 || (p->kind == K_TRUNC32 && p->trunc_is_normal))) {
            tails.m = 0;
            defer = &tails;
        }
#endif
        for (uint64_t e = first; e < stop; e += BATCH) {
            int n = (int)((stop - e) < BATCH ? (stop - e) : BATCH);
            words = stream_words(p, avx2, e, n, scratch);
            /* float32 output is the binary32 value itself: written in place, no second pass */
            float *dst = p->dtype == D_F32 ? (float *)(void *)p->out + (size_t)(e - p->start) : v32;
            fill_batch32(p, words, e, n, dst, avx2, defer);
            zero_rows32(p, dst, e, n);
            if (dst == v32) store32(p, v32, e, n);
#if HAVE_AVX2_PATH
            if (defer && defer->m >= TAIL_FLUSH) normal32_flush_tails(p, defer);
#endif
        }
#if HAVE_AVX2_PATH
        if (defer) normal32_flush_tails(p, defer);
#endif
        return;
    }
    for (uint64_t e = first; e < stop; e += BATCH) {
        int n = (int)((stop - e) < BATCH ? (stop - e) : BATCH);
        switch (p->kind) {
        case K_CONSTANT:
            for (int i = 0; i < n; i++) v[i] = p->a;
            break;
        case K_UNIFORM: {
            const double low = p->a, width = p->b - p->a;
            if (wide) {
                words = stream_words(p, avx2, 2 * e, 2 * n, scratch);
                for (int i = 0; i < n; i++) v[i] = low + width * uniform53(words[2 * i], words[2 * i + 1]);
            } else {
                words = stream_words(p, avx2, e, n, scratch);
                for (int i = 0; i < n; i++) v[i] = low + width * uniform24(words[i]);
            }
            break;
        }
        case K_NORMAL: {
            words = stream_words(p, avx2, 2 * e, 2 * n, scratch);
            for (int i = 0; i < n; i++) v[i] = open52(words[2 * i], words[2 * i + 1]);
            ndtri_batch(v, n, avx2);
            const double mean = p->a, std = p->b;
            for (int i = 0; i < n; i++) v[i] = mean + std * v[i];
            break;
        }
        default: { /* K_TRUNC_NORMAL */
            words = stream_words(p, avx2, 2 * e, 2 * n, scratch);
            const double cdf_low = p->g, cdf_width = p->h;
            for (int i = 0; i < n; i++) v[i] = cdf_low + cdf_width * open52(words[2 * i], words[2 * i + 1]);
            ndtri_batch(v, n, avx2);
            const double mean = p->a, std = p->b, alpha = p->c, beta = p->d, low = p->e, high = p->f;
            const int flip = p->flip;
            for (int i = 0; i < n; i++) {
                double z = flip ? -v[i] : v[i];
                /* the spec's max/min, (a >= b) ? a : b and (a <= b) ? a : b: on a tie the first
                   argument wins (numpy's maximum/minimum take the second) */
                z = (z >= alpha) ? z : alpha;
                z = (z <= beta) ? z : beta;
                double x = mean + std * z;
                x = (x >= low) ? x : low;
                v[i] = (x <= high) ? x : high;
            }
            break;
        }
        }
        if (p->zero_lo < p->zero_hi) {
            int64_t lo = p->zero_lo > (int64_t)e ? p->zero_lo : (int64_t)e;
            int64_t hi = p->zero_hi < (int64_t)(e + n) ? p->zero_hi : (int64_t)(e + n);
            for (int64_t i = lo; i < hi; i++) v[i - (int64_t)e] = 0.0;
        }
        store(p, v, e, n);
    }
}

static void fill_range_generic(const Params *p, uint64_t first, uint64_t stop) {
    fill_range_body(p, first, stop, 0);
}

#if HAVE_AVX2_PATH
__attribute__((target("avx2"))) static void fill_range_avx2(const Params *p, uint64_t first, uint64_t stop) {
    fill_range_body(p, first, stop, 1);
}
#endif

/* Chosen once at import from what this CPU supports (never from what the build machine had). */
static void (*fill_range)(const Params *, uint64_t, uint64_t) = fill_range_generic;
static const char *fill_isa = "generic";

static void choose_isa(void) {
#if HAVE_AVX2_PATH
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && getenv("TENSORSEED_KERNEL_GENERIC") == NULL) {
        init_pack_tables();
        fill_range = fill_range_avx2;
        fill_isa = "avx2";
        return;
    }
#endif
#if defined(__aarch64__)
    fill_isa = "aarch64";
#elif defined(__x86_64__)
    fill_isa = "x86-64";
#endif
}

/* ---------------------------------------------------------------- threads */

typedef struct {
    const Params *p;
    uint64_t first, stop;
} Piece;

/* IEEE subnormals for the duration of a fill: the floating-point control word is per thread, and
   another library in the process (torch.set_flush_denormal, a -ffast-math build) may have set
   flush-to-zero or denormals-are-zero on this one, which would change bytes (a subnormal std *
   z, a subnormal binary32 scalar). Saved, cleared, restored. */
typedef struct {
#if defined(__x86_64__) || defined(__i386__)
    unsigned int mxcsr;
#elif defined(__aarch64__)
    uint64_t fpcr;
#else
    int unused;
#endif
} FpState;

static FpState ieee_subnormals_begin(void) {
    FpState st;
#if defined(__x86_64__) || defined(__i386__)
    __asm__ volatile("stmxcsr %0" : "=m"(st.mxcsr));
    unsigned int ieee = st.mxcsr & ~((1u << 15) | (1u << 6)); /* FTZ (bit 15), DAZ (bit 6) */
    if (ieee != st.mxcsr) __asm__ volatile("ldmxcsr %0" : : "m"(ieee));
#elif defined(__aarch64__)
    __asm__ volatile("mrs %0, fpcr" : "=r"(st.fpcr));
    uint64_t ieee = st.fpcr & ~(UINT64_C(1) << 24); /* FZ (bit 24) */
    if (ieee != st.fpcr) __asm__ volatile("msr fpcr, %0" : : "r"(ieee));
#else
    st.unused = 0;
#endif
    return st;
}

static void ieee_subnormals_end(FpState st) {
#if defined(__x86_64__) || defined(__i386__)
    __asm__ volatile("ldmxcsr %0" : : "m"(st.mxcsr));
#elif defined(__aarch64__)
    __asm__ volatile("msr fpcr, %0" : : "r"(st.fpcr));
#else
    (void)st;
#endif
}

static void fill_range_ieee(const Params *p, uint64_t first, uint64_t stop) {
    FpState st = ieee_subnormals_begin();
    fill_range(p, first, stop);
    ieee_subnormals_end(st);
}

static void *run_piece(void *arg) {
    Piece *piece = (Piece *)arg;
    fill_range_ieee(piece->p, piece->first, piece->stop);
    return NULL;
}

#define MAX_THREADS 256
/* Below this many elements per thread, starting threads costs more than it saves. */
#define MIN_PER_THREAD 16384

static void fill_parallel(const Params *p, uint64_t count, int threads) {
    if (threads < 1) threads = 1;
    if (threads > MAX_THREADS) threads = MAX_THREADS;
    uint64_t most = count / MIN_PER_THREAD;
    if ((uint64_t)threads > most) threads = most > 0 ? (int)most : 1;
    if (threads == 1) {
        fill_range_ieee(p, p->start, p->start + count);
        return;
    }
    Piece pieces[MAX_THREADS];
    pthread_t ids[MAX_THREADS];
    int started[MAX_THREADS];
    /* Split on multiples of BATCH elements so each thread writes whole cache lines. */
    uint64_t per = (count + (uint64_t)threads - 1) / (uint64_t)threads;
    per = (per + BATCH - 1) / BATCH * BATCH;
    for (int t = 0; t < threads; t++) {
        uint64_t a = (uint64_t)t * per, b = a + per;
        if (a > count) a = count;
        if (b > count) b = count;
        pieces[t].p = p;
        pieces[t].first = p->start + a;
        pieces[t].stop = p->start + b;
    }
    for (int t = 1; t < threads; t++)
        started[t] = pthread_create(&ids[t], NULL, run_piece, &pieces[t]) == 0;
    run_piece(&pieces[0]);
    for (int t = 1; t < threads; t++) {
        if (started[t]) pthread_join(ids[t], NULL);
        else run_piece(&pieces[t]); /* could not start a thread: do its share here */
    }
}

/* ---------------------------------------------------------------- Python glue */

static int itemsize_of(int dtype) { return dtype == D_F64 ? 8 : dtype == D_F32 ? 4 : 2; }

/* Whether every word of a TruncNormal32 tensor takes the central branch: p = W32 * v is
   non-decreasing in v, and v's smallest values are known (u >= 2^-33, and u <= (2^24 - 1) 2^-25
   on a one-sided path 1), so checking those two p decides it for all words. An optimization
   only: the per-word test gives the same answer. */
static int trunc32_no_tail(const Params *p) {
    FpState st = ieee_subnormals_begin();
    float v0 = trunc32_v(p, 0u);                            /* path 0, k = 0: u = 2^-33 */
    float v1 = trunc32_v(p, (p->flags & F_ONE_SIDED) ? 0xFFFFFFFFu : 0x80000000u);
    int none = (p->x[6] * v0 >= TAIL_P) && (p->x[6] * v1 >= TAIL_P);
    ieee_subnormals_end(st);
    return none;
}

/* Whether a TruncNormal32 tensor's bytes are Normal32(M, S)'s, decided from its binary32
   scalars: an interval around 0 with W32 = 1 and R0, R1 so small that v = r + u is u for
   every u (r <= 2^-58, half an ulp of the smallest u 2^-33, rounds away), so p = u; LW32 so
   small that LW32 + log2(u) is log2(u) (|log2 u| >= 9, half an ulp there is 2^-21); and clamps
   that cannot bind: [A, B] holds +-t_max = +-6.3379579 (the largest quantile), and M + S * z
   (non-decreasing in z for S >= 0) stays in [L, H] at z = +-t_max. Then every step of spec
   15.3 computes what 15.2 computes. timm/torch trunc_normal_(std=0.02), whose absolute bounds
   +-2 are +-100 sigma, is such a tensor. An optimization only: the bytes are the same. */
static int trunc32_is_normal(const Params *p) {
    const float *x = p->x;
    const float tmax = f32_from(0x40CAD08Du);
    if ((p->flags & F_ONE_SIDED) || (p->flags & F_NEGATE0) || !(p->flags & F_NEGATE1)) return 0;
    if (!(x[6] == 1.0f && x[8] >= 0.0f && x[8] <= 0x1p-58f && x[9] >= 0.0f && x[9] <= 0x1p-58f)) return 0;
    if (!(x[7] <= 0.0f && x[7] >= -0x1p-22f)) return 0;
    if (!(x[2] <= -tmax && x[3] >= tmax && x[1] >= 0.0f)) return 0;
    FpState st = ieee_subnormals_begin();
    int inside = x[0] + x[1] * -tmax >= x[4] && x[0] + x[1] * tmax <= x[5];
    ieee_subnormals_end(st);
    return inside;
}

/* Parse (kind, params, key, start, count, dtype, zero_lo, zero_hi, threads) into p. */
static int parse(PyObject *const *args, Params *p, uint64_t *count, int *threads) {
    PyObject *params = args[1], *key = args[2];
    memset(p, 0, sizeof *p);
    p->kind = (int)PyLong_AsLong(args[0]);
    if (p->kind == -1 && PyErr_Occurred()) return -1;
    if (p->kind < K_CONSTANT || p->kind > K_TRUNC32) {
        PyErr_SetString(PyExc_ValueError, "unknown sampler kind");
        return -1;
    }
    if (!PyTuple_Check(params) || PyTuple_GET_SIZE(params) != N_PARAMS + 1) {
        PyErr_SetString(PyExc_TypeError, "params must be a tuple of 12 floats and an int of flags");
        return -1;
    }
    p->flags = (int)PyLong_AsLong(PyTuple_GET_ITEM(params, N_PARAMS));
    if (p->flags == -1 && PyErr_Occurred()) return -1;
    p->flip = (p->flags & F_FLIP) != 0;
    if (p->kind >= K_UNIFORM32) {
        /* v2's scalars, rounded by r32 (spec 14.1), travel as binary32 bit patterns: no
           conversion happens here, so no floating-point mode can touch a subnormal one. */
        for (int i = 0; i < N_PARAMS; i++) {
            PyObject *item = PyTuple_GET_ITEM(params, i);
            unsigned long b = PyLong_Check(item) ? PyLong_AsUnsignedLong(item) : (unsigned long)-1;
            if (b > 0xFFFFFFFFul) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_ValueError, "binary32 sampler parameters are u32 bit patterns");
                return -1;
            }
            p->x[i] = f32_from((uint32_t)b);
        }
        if (p->kind == K_TRUNC32) {
            p->no_tail = trunc32_no_tail(p);
            p->trunc_is_normal = trunc32_is_normal(p);
        }
    } else {
        double *slots[8] = {&p->a, &p->b, &p->c, &p->d, &p->e, &p->f, &p->g, &p->h};
        for (int i = 0; i < 8; i++) {
            *slots[i] = PyFloat_AsDouble(PyTuple_GET_ITEM(params, i));
            if (*slots[i] == -1.0 && PyErr_Occurred()) return -1;
        }
    }
    if (!PyTuple_Check(key) || PyTuple_GET_SIZE(key) != 4) {
        PyErr_SetString(PyExc_TypeError, "key must be a tuple (k0, k1, c2, c3)");
        return -1;
    }
    uint32_t *kw[4] = {&p->k0, &p->k1, &p->c2, &p->c3};
    for (int i = 0; i < 4; i++) {
        unsigned long v = PyLong_AsUnsignedLong(PyTuple_GET_ITEM(key, i));
        if (v == (unsigned long)-1 && PyErr_Occurred()) return -1;
        if (v > 0xFFFFFFFFul) {
            PyErr_SetString(PyExc_OverflowError, "key words are u32");
            return -1;
        }
        *kw[i] = (uint32_t)v;
    }
    p->start = PyLong_AsUnsignedLongLong(args[3]);
    if (PyErr_Occurred()) return -1;
    *count = PyLong_AsUnsignedLongLong(args[4]);
    if (PyErr_Occurred()) return -1;
    p->dtype = (int)PyLong_AsLong(args[5]);
    if (PyErr_Occurred()) return -1;
    if (p->dtype < D_F32 || p->dtype > D_BF16) {
        PyErr_SetString(PyExc_ValueError, "unknown dtype code");
        return -1;
    }
    if (p->kind >= K_UNIFORM32 && p->dtype == D_F64) {
        PyErr_SetString(PyExc_ValueError, "binary32 samplers have no float64 output (v2 uses v1's there)");
        return -1;
    }
    p->zero_lo = PyLong_AsLongLong(args[6]);
    if (PyErr_Occurred()) return -1;
    p->zero_hi = PyLong_AsLongLong(args[7]);
    if (PyErr_Occurred()) return -1;
    *threads = (int)PyLong_AsLong(args[8]);
    if (PyErr_Occurred()) return -1;
    if (p->start > (UINT64_C(1) << 62) || *count > (UINT64_C(1) << 40)) {
        PyErr_SetString(PyExc_OverflowError, "element range out of bounds");
        return -1;
    }
    return 0;
}

/* A large new output is usually fresh memory from mmap, and on Linux faulting it in 4 KiB
   pages can cost more than generating it (measured: ~1.3 GB/s for page faults alone on the
   2-core dev VM). Asking for transparent huge pages on the 2 MiB-aligned interior of the buffer
   (what numpy does for its own large arrays) makes the faults ~500 times rarer. Advisory only:
   failures are ignored and the bytes are the same either way. */
#define HUGE_PAGE ((uintptr_t)2 << 20)
static void advise_huge_pages(void *buf, size_t len) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (len < 2 * HUGE_PAGE) return;
    uintptr_t lo = ((uintptr_t)buf + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    uintptr_t hi = ((uintptr_t)buf + len) & ~(HUGE_PAGE - 1);
    if (hi > lo) (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)buf;
    (void)len;
#endif
}

static PyObject *k_generate(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 9) {
        PyErr_SetString(PyExc_TypeError, "generate() takes 9 arguments");
        return NULL;
    }
    Params p;
    uint64_t count;
    int threads;
    if (parse(args, &p, &count, &threads) < 0) return NULL;
    PyObject *result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(count * (uint64_t)itemsize_of(p.dtype)));
    if (result == NULL) return NULL;
    p.out = (uint8_t *)PyBytes_AS_STRING(result);
    advise_huge_pages(p.out, (size_t)PyBytes_GET_SIZE(result));
    Py_BEGIN_ALLOW_THREADS
    fill_parallel(&p, count, threads);
    Py_END_ALLOW_THREADS
    return result;
}

static PyObject *k_fill(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 10) {
        PyErr_SetString(PyExc_TypeError, "fill() takes 10 arguments");
        return NULL;
    }
    Params p;
    uint64_t count;
    int threads;
    if (parse(args + 1, &p, &count, &threads) < 0) return NULL;
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0) return NULL;
    if ((uint64_t)view.len < count * (uint64_t)itemsize_of(p.dtype)) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "output buffer is too small");
        return NULL;
    }
    p.out = (uint8_t *)view.buf;
    Py_BEGIN_ALLOW_THREADS
    fill_parallel(&p, count, threads);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
}

static PyObject *k_isa(PyObject *self, PyObject *unused) {
    (void)self;
    (void)unused;
    return PyUnicode_FromString(fill_isa);
}

static PyMethodDef methods[] = {
    {"generate", (PyCFunction)(void (*)(void))k_generate, METH_FASTCALL,
     "generate(kind, params, key, start, count, dtype, zero_lo, zero_hi, threads) -> bytes"},
    {"fill", (PyCFunction)(void (*)(void))k_fill, METH_FASTCALL,
     "fill(out, kind, params, key, start, count, dtype, zero_lo, zero_hi, threads) -> None"},
    {"isa", k_isa, METH_NOARGS, "the instruction set the hot loop dispatched to"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_kernel", "tensorseed compiled CPU kernel (see _kernel.c).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__kernel(void) {
    choose_isa();
    return PyModule_Create(&module);
}
