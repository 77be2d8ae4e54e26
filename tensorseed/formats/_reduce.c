/*
 * tensorseed statistics reducer: moments, range and histograms of a chunk of tensor bytes, in C.
 *
 * The statistics sink (tensorseed/formats/stats.py) calls this on each chunk right after it is
 * generated, while the chunk is still in cache: no float64 copy, no numpy pass. It reads the
 * bytes exactly as /v1/weights serves them (little-endian float32, float64, float16 or bfloat16),
 * so the statistics describe the served values. tests/formats/test_reduce.py holds it to numpy
 * (the readable definition) on every dtype, including infinities and subnormals.
 *
 * How each part is made fast (chunks of 8192 elements or more; smaller ones go element by element):
 *   - float32/float64 moments: one pass of shifted sums, eight lanes, AVX2 where the CPU has it
 *     (the portable code does the same additions in the same order: the same bits);
 *   - float16/bfloat16: every value is its own 16-bit key, so a chunk is only counted key by
 *     key; moments and range come from the 65536 counts;
 *   - histograms: each 16-bit key bucket that lies inside one bin is binned by a table lookup
 *     (built once per tensor: bin_table); a bucket that straddles an edge is split by the next 8
 *     bits of the key, and only elements of the sub-buckets that still straddle one are
 *     compared with the edges.
 *
 * Python API (module tensorseed.formats._reduce), the GIL released while reducing:
 *   reduce(data, dtype, key_counts) -> (count, mean, m2, min, max)
 *       m2 = sum((x - mean)^2) over the chunk; key_counts (uint64[65536], writable, or None)
 *       gets +1 at the top 16 bits of each element's order-preserving key (every value of a
 *       16-bit dtype has its own key, so their histograms need no second look at the data).
 *   histogram(data, dtype, edges, counts[, table]) -> None
 *       counts (int64[bins], writable) += numpy.histogram(values, edges) for ascending float64
 *       edges: bin i holds edges[i] <= x < edges[i + 1], the last bin also x == edges[bins];
 *       values outside [edges[0], edges[bins]] and NaN are not counted. table: bin_table's
 *       result for the same dtype and edges (saves building it again for each chunk).
 *   bin_table(dtype, edges) -> bytes
 *       int32[65536 + 256 s]: the bin of every element of each 16-bit key bucket when the bucket
 *       lies in one bin, bins when it lies outside the edges, -1 when its elements need comparing
 *       with the edges, -2 - j when it is split by the next 8 bits of the key into the 256
 *       entries at 65536 + 256 j (float32/float64 buckets that straddle an edge: s of them).
 * TENSORSEED_REDUCE_GENERIC=1 (read at import) turns the AVX2 code off (the tests compare both).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { D_F32 = 0, D_F64 = 1, D_F16 = 2, D_BF16 = 3 };
#define KEYS 65536
/* Elements summed per block before the block sum joins the total (bounds rounding growth). */
#define BLOCK 256

static int itemsize(int dtype) { return dtype == D_F64 ? 8 : dtype == D_F32 ? 4 : 2; }

static inline double half_to_double(uint16_t h) {
    uint32_t sign = (uint32_t)(h >> 15), exp = (h >> 10) & 0x1Fu, man = h & 0x3FFu;
    double v;
    if (exp == 0) v = ldexp((double)man, -24);                     /* zero or subnormal */
    else if (exp == 31) v = man ? NAN : INFINITY;                   /* inf (NaN never generated) */
    else v = ldexp((double)(man | 0x400u), (int)exp - 25);
    return sign ? -v : v;
}

static inline double value_at(const uint8_t *p, int dtype, Py_ssize_t i) {
    switch (dtype) {
    case D_F32: { float f; memcpy(&f, p + 4 * i, 4); return (double)f; }
    case D_F64: { double d; memcpy(&d, p + 8 * i, 8); return d; }
    case D_F16: { uint16_t h; memcpy(&h, p + 2 * i, 2); return half_to_double(h); }
    default: {
        uint16_t h; memcpy(&h, p + 2 * i, 2);
        uint32_t bits = (uint32_t)h << 16; float f; memcpy(&f, &bits, 4); return (double)f;
    }
    }
}

/* Top 16 bits of the order-preserving key: flip every bit of negatives, the sign bit of the rest.
   Branch-free: the signs of random values would mispredict every other branch. */
static inline uint32_t key_at(const uint8_t *p, int dtype, Py_ssize_t i) {
    switch (dtype) {
    case D_F32: {
        uint32_t b; memcpy(&b, p + 4 * i, 4);
        uint32_t flip = (uint32_t)((int32_t)b >> 31) | 0x80000000u;
        return (b ^ flip) >> 16;
    }
    case D_F64: {
        uint64_t b; memcpy(&b, p + 8 * i, 8);
        uint64_t flip = (uint64_t)((int64_t)b >> 63) | 0x8000000000000000ull;
        return (uint32_t)((b ^ flip) >> 48);
    }
    default: {
        uint16_t b; memcpy(&b, p + 2 * i, 2);
        uint32_t flip = (uint32_t)(0u - (uint32_t)(b >> 15)) | 0x8000u;
        return ((uint32_t)b ^ flip) & 0xFFFFu;
    }
    }
}

typedef struct {
    Py_ssize_t count;
    double mean, m2, low, high;
} Moments;

/* The hot loops are cloned for AVX2 and picked at load time (no -march: the same build runs on
   any x86-64). The clones compute the same numbers: no FMA (-ffp-contract=off), no
   reassociation (explicit lanes fix the order of every addition). */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__linux__) && !defined(TENSORSEED_GENERIC_ONLY)
#define CLONED __attribute__((target_clones("avx2", "default")))
#else
#define CLONED
#endif

/* Below this many elements a chunk is reduced element by element (no 256 KiB tables to set up). */
#define SMALL 8192
/* Lanes of the one-pass sums, and elements per block (block sums join the total, so rounding
   grows with BLOCK + n / BLOCK rather than n). */
#define LANES 8
#define SUM_BLOCK 1024

/* Key counts of float32 and float64 chunks (only asked for by callers that histogram from keys):
   four interleaved tables, merged after the chunk, keep four increments in flight. */
#define KEY_COUNTER(NAME, DTYPE)                                                                      \
    static void count_keys_##NAME(const uint8_t *p, Py_ssize_t n, uint64_t *keys) {                   \
        uint32_t *lanes = calloc(4 * (size_t)KEYS, sizeof(uint32_t));                                 \
        if (lanes == NULL) { /* no memory for the lanes: one table, slower, same counts */             \
            for (Py_ssize_t k = 0; k < n; k++) keys[key_at(p, DTYPE, k)] += 1;                        \
            return;                                                                                   \
        }                                                                                             \
        Py_ssize_t k = 0;                                                                             \
        for (; k + 4 <= n; k += 4)                                                                    \
            for (int j = 0; j < 4; j++) lanes[(size_t)j * KEYS + key_at(p, DTYPE, k + j)] += 1;       \
        for (; k < n; k++) lanes[key_at(p, DTYPE, k)] += 1;                                           \
        for (size_t v = 0; v < KEYS; v++)                                                             \
            keys[v] += (uint64_t)lanes[v] + lanes[KEYS + v] + lanes[2 * KEYS + v] + lanes[3 * KEYS + v]; \
        free(lanes);                                                                                  \
    }

KEY_COUNTER(f32, D_F32)
KEY_COUNTER(f64, D_F64)

/* Small chunks, any dtype: two passes (mean, then squared deviations), as numpy defines them. */
static void reduce_small(const uint8_t *p, int dtype, Py_ssize_t n, uint64_t *keys, Moments *out) {
    double s = 0.0, lo = INFINITY, hi = -INFINITY;
    for (Py_ssize_t i = 0; i < n; i++) {
        double x = value_at(p, dtype, i);
        s += x;
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
        if (keys != NULL) keys[key_at(p, dtype, i)] += 1;
    }
    double mean = n ? s / (double)n : 0.0, m2 = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double d = value_at(p, dtype, i) - mean;
        m2 += d * d;
    }
    out->count = n;
    out->mean = mean;
    out->m2 = m2;
    out->low = lo;
    out->high = hi;
}

/* float32 and float64, one pass: sums of x - c and (x - c)^2 around a shift c taken from the
   chunk's first elements (x0 plus the mean deviation of the first 64 from it: exactly x0 for a
   constant tensor, within a few standard deviations of the mean otherwise, so
   m2 = S2 - S1^2 / n cancels nothing that matters), and min/max in the element type.
   Eight lanes (element i goes to lane i % 8), block sums of SUM_BLOCK elements, and one fixed
   order of combining them: the AVX2 version below computes exactly these operations, lane by
   lane, so both give the same bits. */
typedef struct {
    double s1[LANES], s2[LANES];
} Sums;

static double shift_of(const uint8_t *p, int dtype, Py_ssize_t n) {
    double x0 = value_at(p, dtype, 0), h = 0.0;
    Py_ssize_t head = n < 64 ? n : 64;
    for (Py_ssize_t i = 0; i < head; i++) h += value_at(p, dtype, i) - x0;
    return x0 + h / (double)head;
}

static inline double lanes_total(const double *s) {
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

/* Elements [i, stop) with stop - i a multiple of LANES, into the block's lane sums. */
#define WIDE_BLOCK_GENERIC(NAME, T)                                                                   \
    static void NAME(const uint8_t *p, Py_ssize_t i, Py_ssize_t stop, double c, Sums *s, T *lo, T *hi) { \
        for (; i < stop; i += LANES) {                                                                \
            T x[LANES];                                                                               \
            memcpy(x, p + sizeof(T) * i, sizeof x);                                                   \
            for (int j = 0; j < LANES; j++) {                                                         \
                double d = (double)x[j] - c;                                                          \
                s->s1[j] += d;                                                                        \
                s->s2[j] += d * d;                                                                    \
                lo[j] = x[j] < lo[j] ? x[j] : lo[j];                                                  \
                hi[j] = x[j] > hi[j] ? x[j] : hi[j];                                                  \
            }                                                                                         \
        }                                                                                             \
    }

WIDE_BLOCK_GENERIC(block_f32_generic, float)
WIDE_BLOCK_GENERIC(block_f64_generic, double)

#if defined(__x86_64__) && defined(__GNUC__) && !defined(TENSORSEED_GENERIC_ONLY)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
/* min_ps(x, lo) is (x < lo ? x : lo) and max_ps(x, hi) is (x > hi ? x : hi): the generic code's
   choices, zeros' signs included. mul then add, never fused. */
__attribute__((target("avx2"))) static void block_f32_avx2(const uint8_t *p, Py_ssize_t i, Py_ssize_t stop, double c,
                                                           Sums *s, float *lo, float *hi) {
    __m256d a1 = _mm256_loadu_pd(s->s1), b1 = _mm256_loadu_pd(s->s1 + 4);
    __m256d a2 = _mm256_loadu_pd(s->s2), b2 = _mm256_loadu_pd(s->s2 + 4);
    __m256 l = _mm256_loadu_ps(lo), h = _mm256_loadu_ps(hi);
    const __m256d cc = _mm256_set1_pd(c);
    for (; i < stop; i += LANES) {
        __m256 x = _mm256_loadu_ps((const float *)(p + 4 * i));
        l = _mm256_min_ps(x, l);
        h = _mm256_max_ps(x, h);
        __m256d da = _mm256_sub_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(x)), cc);
        __m256d db = _mm256_sub_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)), cc);
        a1 = _mm256_add_pd(a1, da);
        b1 = _mm256_add_pd(b1, db);
        a2 = _mm256_add_pd(a2, _mm256_mul_pd(da, da));
        b2 = _mm256_add_pd(b2, _mm256_mul_pd(db, db));
    }
    _mm256_storeu_pd(s->s1, a1);
    _mm256_storeu_pd(s->s1 + 4, b1);
    _mm256_storeu_pd(s->s2, a2);
    _mm256_storeu_pd(s->s2 + 4, b2);
    _mm256_storeu_ps(lo, l);
    _mm256_storeu_ps(hi, h);
}

__attribute__((target("avx2"))) static void block_f64_avx2(const uint8_t *p, Py_ssize_t i, Py_ssize_t stop, double c,
                                                           Sums *s, double *lo, double *hi) {
    __m256d a1 = _mm256_loadu_pd(s->s1), b1 = _mm256_loadu_pd(s->s1 + 4);
    __m256d a2 = _mm256_loadu_pd(s->s2), b2 = _mm256_loadu_pd(s->s2 + 4);
    __m256d la = _mm256_loadu_pd(lo), lb = _mm256_loadu_pd(lo + 4);
    __m256d ha = _mm256_loadu_pd(hi), hb = _mm256_loadu_pd(hi + 4);
    const __m256d cc = _mm256_set1_pd(c);
    for (; i < stop; i += LANES) {
        __m256d xa = _mm256_loadu_pd((const double *)(p + 8 * i));
        __m256d xb = _mm256_loadu_pd((const double *)(p + 8 * i) + 4);
        la = _mm256_min_pd(xa, la);
        lb = _mm256_min_pd(xb, lb);
        ha = _mm256_max_pd(xa, ha);
        hb = _mm256_max_pd(xb, hb);
        __m256d da = _mm256_sub_pd(xa, cc), db = _mm256_sub_pd(xb, cc);
        a1 = _mm256_add_pd(a1, da);
        b1 = _mm256_add_pd(b1, db);
        a2 = _mm256_add_pd(a2, _mm256_mul_pd(da, da));
        b2 = _mm256_add_pd(b2, _mm256_mul_pd(db, db));
    }
    _mm256_storeu_pd(s->s1, a1);
    _mm256_storeu_pd(s->s1 + 4, b1);
    _mm256_storeu_pd(s->s2, a2);
    _mm256_storeu_pd(s->s2 + 4, b2);
    _mm256_storeu_pd(lo, la);
    _mm256_storeu_pd(lo + 4, lb);
    _mm256_storeu_pd(hi, ha);
    _mm256_storeu_pd(hi + 4, hb);
}
#else
#define HAVE_AVX2_PATH 0
#endif

static int use_avx2 = 0; /* set at import; TENSORSEED_REDUCE_GENERIC=1 forces the generic code */

#define WIDE_REDUCER(NAME, T, BLOCK_AVX2, BLOCK_GENERIC, DTYPE)                                       \
    static void NAME(const uint8_t *p, Py_ssize_t n, Moments *out) {                                  \
        const double c = shift_of(p, DTYPE, n);                                                       \
        T x0;                                                                                         \
        memcpy(&x0, p, sizeof(T));                                                                    \
        T lo[LANES], hi[LANES];                                                                       \
        for (int j = 0; j < LANES; j++) lo[j] = hi[j] = x0;                                           \
        double t1 = 0.0, t2 = 0.0;                                                                    \
        Py_ssize_t i = 0, whole = n - n % LANES;                                                      \
        while (i < whole) {                                                                           \
            Py_ssize_t stop = whole - i > SUM_BLOCK ? i + SUM_BLOCK : whole;                          \
            Sums s = {{0}, {0}};                                                                      \
            if (use_avx2) BLOCK_AVX2(p, i, stop, c, &s, lo, hi);                                      \
            else BLOCK_GENERIC(p, i, stop, c, &s, lo, hi);                                            \
            t1 += lanes_total(s.s1);                                                                  \
            t2 += lanes_total(s.s2);                                                                  \
            i = stop;                                                                                 \
        }                                                                                             \
        for (; i < n; i++) {                                                                          \
            T x; memcpy(&x, p + sizeof(T) * i, sizeof(T));                                            \
            double d = (double)x - c;                                                                 \
            t1 += d;                                                                                  \
            t2 += d * d;                                                                              \
            lo[0] = x < lo[0] ? x : lo[0];                                                            \
            hi[0] = x > hi[0] ? x : hi[0];                                                            \
        }                                                                                             \
        T l = lo[0], g = hi[0];                                                                       \
        for (int j = 1; j < LANES; j++) {                                                             \
            l = lo[j] < l ? lo[j] : l;                                                                \
            g = hi[j] > g ? hi[j] : g;                                                                \
        }                                                                                             \
        double m2 = t2 - t1 * (t1 / (double)n);                                                       \
        out->count = n;                                                                               \
        out->mean = c + t1 / (double)n;                                                               \
        out->m2 = m2 > 0.0 ? m2 : 0.0;                                                                \
        out->low = (double)l;                                                                         \
        out->high = (double)g;                                                                        \
    }

#if HAVE_AVX2_PATH
WIDE_REDUCER(reduce_f32, float, block_f32_avx2, block_f32_generic, D_F32)
WIDE_REDUCER(reduce_f64, double, block_f64_avx2, block_f64_generic, D_F64)
#else
WIDE_REDUCER(reduce_f32, float, block_f32_generic, block_f32_generic, D_F32)
WIDE_REDUCER(reduce_f64, double, block_f64_generic, block_f64_generic, D_F64)
#endif

/* The value of a 16-bit dtype's key (keys order values: flip back what key_at flipped). */
static inline double key16_value(int dtype, uint32_t k) {
    uint16_t b = (uint16_t)((k & 0x8000u) ? (k ^ 0x8000u) : (~k & 0xFFFFu));
    return value_at((const uint8_t *)&b, dtype, 0);
}

CLONED static void count_keys16(const uint8_t *p, Py_ssize_t n, uint32_t *lanes) {
    Py_ssize_t k = 0;
    for (; k + 4 <= n; k += 4)
        for (int j = 0; j < 4; j++) lanes[(size_t)j * KEYS + key_at(p, D_F16, k + j)] += 1;
    for (; k < n; k++) lanes[key_at(p, D_F16, k)] += 1;
}

/* float16 and bfloat16: every value has its own key, so the chunk is only counted, key by key
   (four interleaved tables: values crowd into few keys, and one counter's increments would wait
   for each other); moments and range then come from the 65536 counts, exactly as from the
   values, in two passes. Returns -1 when the tables cannot be allocated. */
static int reduce_16(const uint8_t *p, int dtype, Py_ssize_t n, uint64_t *keys, Moments *out) {
    uint32_t *lanes = calloc(4 * (size_t)KEYS, sizeof(uint32_t));
    if (lanes == NULL) return -1;
    count_keys16(p, n, lanes); /* key_at is the same bit flip for both 16-bit dtypes */
    double s = 0.0, lo = INFINITY, hi = -INFINITY;
    for (uint32_t v = 0; v < KEYS; v++) {
        uint64_t c = (uint64_t)lanes[v] + lanes[KEYS + v] + lanes[2 * KEYS + v] + lanes[3 * KEYS + v];
        lanes[v] = (uint32_t)c; /* a chunk never holds 2^32 elements */
        if (c == 0) continue;
        double x = key16_value(dtype, v);
        s += (double)c * x;
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
        if (keys != NULL) keys[v] += c;
    }
    double mean = s / (double)n, m2 = 0.0;
    for (uint32_t v = 0; v < KEYS; v++) {
        if (lanes[v] == 0) continue;
        double d = key16_value(dtype, v) - mean;
        m2 += (double)lanes[v] * (d * d);
    }
    free(lanes);
    out->count = n;
    out->mean = mean;
    out->m2 = m2;
    out->low = lo;
    out->high = hi;
    return 0;
}

static void reduce_chunk(const uint8_t *p, int dtype, Py_ssize_t n, uint64_t *keys, Moments *out) {
    if (n < SMALL) {
        reduce_small(p, dtype, n, keys, out);
        return;
    }
    switch (dtype) {
    case D_F32:
        if (keys != NULL) count_keys_f32(p, n, keys);
        reduce_f32(p, n, out);
        return;
    case D_F64:
        if (keys != NULL) count_keys_f64(p, n, keys);
        reduce_f64(p, n, out);
        return;
    default: /* the 32-bit counts of one chunk hold up to 2^32 - 1 elements */
        if ((uint64_t)n > UINT32_MAX || reduce_16(p, dtype, n, keys, out) < 0) reduce_small(p, dtype, n, keys, out);
        return;
    }
}

/* numpy.histogram's bin of x (bins means "not counted": outside the edges, or NaN): an index from
   the scaled value, corrected against the actual edges, so the result is that of searching the
   edges array (numpy's uniform-bin path does the same). */
static inline Py_ssize_t exact_bin(double x, const double *edges, Py_ssize_t bins, double norm) {
    const double first = edges[0], last = edges[bins];
    if (!(x >= first && x <= last)) return bins;
    Py_ssize_t k = (Py_ssize_t)((x - first) * norm);
    if (k >= bins) k = bins - 1;
    if (k < 0) k = 0;
    if (x < edges[k]) k--;
    else if (k != bins - 1 && x >= edges[k + 1]) k++;
    return k;
}

/* The value of the pattern whose order-preserving key is `keyed` (all `width` bits). */
static inline double keyed_value(int dtype, uint64_t keyed) {
    int width = 8 * itemsize(dtype);
    uint64_t sign = (uint64_t)1 << (width - 1);
    uint64_t full = width == 64 ? ~(uint64_t)0 : (((uint64_t)1 << width) - 1);
    uint64_t bits = (keyed & sign) ? (keyed ^ sign) : (~keyed & full);
    uint8_t raw[8];
    switch (width) {
    case 64: memcpy(raw, &bits, 8); break;
    case 32: { uint32_t b = (uint32_t)bits; memcpy(raw, &b, 4); break; }
    default: { uint16_t b = (uint16_t)bits; memcpy(raw, &b, 2); break; }
    }
    return value_at(raw, dtype, 0);
}

/* The bin of every value of the key range [from, to] (whole order keys): that bin when they all
   share one, bins when all lie outside the edges, else -1 (compared one by one; NaN patterns too).
   Ranges must come in increasing key order: *at (start at 0) is the walk's place in the edges. */
static inline int32_t range_bin(int dtype, uint64_t from, uint64_t to, const double *edges, Py_ssize_t bins,
                                Py_ssize_t *at) {
    double lo = keyed_value(dtype, from), hi = keyed_value(dtype, to);
    if (isnan(lo) || isnan(hi)) return -1;
    if (hi < edges[0] || lo > edges[bins]) return (int32_t)bins;
    if (lo < edges[0] || hi > edges[bins]) return -1;
    while (*at < bins - 1 && edges[*at + 1] <= lo) (*at)++;
    Py_ssize_t top = *at;
    while (top < bins - 1 && edges[top + 1] <= hi) top++;
    return top == *at ? (int32_t)top : -1;
}

#define SUB 256 /* a straddling bucket of a wider dtype is split by the next 8 bits of the key */

/* The bin table (see bin_table in the module docstring): table[0..KEYS) for the 16-bit key
   buckets; a bucket of float32/float64 that straddles an edge (with no NaN patterns) gets
   -2 - j and its SUB sub-buckets' bins at table[KEYS + SUB * j ...]. Pass table = NULL to only
   count the straddling buckets. Returns their number. One function per dtype (the value
   decoding inlined: it runs for every key). */
#define BUCKET_BINS(NAME, DTYPE)                                                                      \
    static Py_ssize_t NAME(const double *edges, Py_ssize_t bins, int32_t *table) {                    \
        const int shift = 8 * itemsize(DTYPE) - 16;                                                   \
        const uint64_t rest = ((uint64_t)1 << shift) - 1;                                             \
        Py_ssize_t split = 0, at = 0, sub_at = 0;                                                     \
        for (uint32_t k = 0; k < KEYS; k++) {                                                         \
            uint64_t from = (uint64_t)k << shift;                                                     \
            int32_t t = range_bin(DTYPE, from, from | rest, edges, bins, &at);                        \
            if (t == -1 && shift >= 8 && !isnan(keyed_value(DTYPE, from)) &&                          \
                !isnan(keyed_value(DTYPE, from | rest))) {                                            \
                if (table != NULL) {                                                                  \
                    int32_t *sub = table + KEYS + SUB * split;                                        \
                    const int low = shift >= 8 ? shift - 8 : 0;                                       \
                    const uint64_t part = ((uint64_t)1 << low) - 1;                                   \
                    if (sub_at < at) sub_at = at;                                                     \
                    for (uint64_t s = 0; s < SUB; s++)                                                \
                        sub[s] = range_bin(DTYPE, from | (s << low), from | (s << low) | part, edges, bins, &sub_at); \
                }                                                                                     \
                t = (int32_t)(-2 - split);                                                            \
                split++;                                                                              \
            }                                                                                         \
            if (table != NULL) table[k] = t;                                                          \
        }                                                                                             \
        return split;                                                                                 \
    }

BUCKET_BINS(bucket_bins_f32, D_F32)
BUCKET_BINS(bucket_bins_f64, D_F64)
BUCKET_BINS(bucket_bins_f16, D_F16)
BUCKET_BINS(bucket_bins_bf16, D_BF16)

static Py_ssize_t bucket_bins(int dtype, const double *edges, Py_ssize_t bins, int32_t *table) {
    switch (dtype) {
    case D_F32: return bucket_bins_f32(edges, bins, table);
    case D_F64: return bucket_bins_f64(edges, bins, table);
    case D_F16: return bucket_bins_f16(edges, bins, table);
    default: return bucket_bins_bf16(edges, bins, table);
    }
}

/* Entries a table of `len` bytes may hold for these bins: refuses what would index outside. */
static int table_is_valid(const int32_t *table, Py_ssize_t len, Py_ssize_t bins) {
    if (len < (Py_ssize_t)(KEYS * sizeof(int32_t)) || (len - KEYS * (Py_ssize_t)sizeof(int32_t)) % (SUB * sizeof(int32_t)))
        return 0;
    Py_ssize_t split = (len / (Py_ssize_t)sizeof(int32_t) - KEYS) / SUB;
    for (Py_ssize_t k = 0; k < KEYS; k++)
        if (table[k] > bins || table[k] < -1 - split) return 0;
    for (Py_ssize_t k = KEYS; k < KEYS + SUB * split; k++)
        if (table[k] > bins || table[k] < -1) return 0;
    return 1;
}

/* The next 8 bits of the order key after key_at's 16 (float32 and float64 only). */
static inline uint32_t sub_key_at(const uint8_t *p, int dtype, Py_ssize_t i) {
    if (dtype == D_F32) {
        uint32_t b; memcpy(&b, p + 4 * i, 4);
        uint32_t flip = (uint32_t)((int32_t)b >> 31) | 0x80000000u;
        return ((b ^ flip) >> 8) & 0xFFu;
    }
    uint64_t b; memcpy(&b, p + 8 * i, 8);
    uint64_t flip = (uint64_t)((int64_t)b >> 63) | 0x8000000000000000ull;
    return (uint32_t)((b ^ flip) >> 40) & 0xFFu;
}

/* The bin of element i whose bucket's entry t is negative: from its sub-bucket's entry, else by
   comparing with the edges. Out of line: the hot loop stays small (straddling buckets are few). */
__attribute__((noinline)) static Py_ssize_t resolve_bin(const uint8_t *p, int dtype, Py_ssize_t i, int32_t t,
                                                        const int32_t *table, const double *edges, Py_ssize_t bins) {
    if (t < -1) {
        int32_t s = table[KEYS + SUB * (Py_ssize_t)(-2 - t) + sub_key_at(p, dtype, i)];
        if (s >= 0) return s;
    }
    return exact_bin(value_at(p, dtype, i), edges, bins, (double)bins / (edges[bins] - edges[0]));
}

/* counts += histogram of the chunk: small chunks element by element; larger ones by key bucket,
   with only the elements of straddling buckets binned one by one. HIST_LANES interleaved count
   tables (each with a slot for "not counted") keep increments of a crowded bin from waiting on
   each other. */
#define HIST_LANES 8
#define HISTOGRAM(NAME, DTYPE)                                                                        \
    static void NAME(const uint8_t *p, Py_ssize_t n, const double *edges, Py_ssize_t bins,            \
                     const int32_t *table, int64_t *lanes) {                                          \
        const Py_ssize_t stride = bins + 1;                                                           \
        Py_ssize_t i = 0;                                                                             \
        for (; i + HIST_LANES <= n; i += HIST_LANES) {                                                \
            for (int j = 0; j < HIST_LANES; j++) {                                                    \
                int32_t t = table[key_at(p, DTYPE, i + j)];                                           \
                Py_ssize_t k = t >= 0 ? t : resolve_bin(p, DTYPE, i + j, t, table, edges, bins);      \
                lanes[j * stride + k] += 1;                                                           \
            }                                                                                         \
        }                                                                                             \
        for (; i < n; i++) {                                                                          \
            int32_t t = table[key_at(p, DTYPE, i)];                                                   \
            lanes[t >= 0 ? t : resolve_bin(p, DTYPE, i, t, table, edges, bins)] += 1;                \
        }                                                                                             \
    }

HISTOGRAM(histogram_f32, D_F32)
HISTOGRAM(histogram_f64, D_F64)
HISTOGRAM(histogram_f16, D_F16)
HISTOGRAM(histogram_bf16, D_BF16)

/* Returns -1 when the tables cannot be allocated (nothing is counted then). `table` is
   bucket_bins' table for these edges, or NULL (then built here when the chunk is large). */
static int histogram_chunk(const uint8_t *p, int dtype, Py_ssize_t n, const double *edges, Py_ssize_t bins,
                           const int32_t *table, int64_t *counts) {
    if ((n < SMALL && table == NULL) || bins >= INT32_MAX) {
        const double norm = (double)bins / (edges[bins] - edges[0]);
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_ssize_t k = exact_bin(value_at(p, dtype, i), edges, bins, norm);
            if (k != bins) counts[k] += 1;
        }
        return 0;
    }
    int32_t *own = NULL;
    if (table == NULL) {
        Py_ssize_t split = bucket_bins(dtype, edges, bins, NULL);
        if ((own = malloc((KEYS + SUB * (size_t)split) * sizeof(int32_t))) == NULL) return -1;
        bucket_bins(dtype, edges, bins, own);
        table = own;
    }
    int64_t *lanes = calloc(HIST_LANES * (size_t)(bins + 1), sizeof(int64_t));
    if (lanes == NULL) {
        free(own);
        return -1;
    }
    switch (dtype) {
    case D_F32: histogram_f32(p, n, edges, bins, table, lanes); break;
    case D_F64: histogram_f64(p, n, edges, bins, table, lanes); break;
    case D_F16: histogram_f16(p, n, edges, bins, table, lanes); break;
    default: histogram_bf16(p, n, edges, bins, table, lanes); break;
    }
    for (Py_ssize_t k = 0; k < bins; k++)
        for (int j = 0; j < HIST_LANES; j++) counts[k] += lanes[j * (bins + 1) + k];
    free(lanes);
    free(own);
    return 0;
}

static int parse_data(PyObject *data, PyObject *dtype_obj, Py_buffer *view, int *dtype, Py_ssize_t *n) {
    *dtype = (int)PyLong_AsLong(dtype_obj);
    if (*dtype == -1 && PyErr_Occurred()) return -1;
    if (*dtype < D_F32 || *dtype > D_BF16) {
        PyErr_SetString(PyExc_ValueError, "unknown dtype code");
        return -1;
    }
    if (PyObject_GetBuffer(data, view, PyBUF_C_CONTIGUOUS) < 0) return -1;
    if (view->len % itemsize(*dtype)) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_ValueError, "data is not a whole number of elements");
        return -1;
    }
    *n = view->len / itemsize(*dtype);
    return 0;
}

static PyObject *r_reduce(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "reduce(data, dtype, key_counts) takes 3 arguments");
        return NULL;
    }
    Py_buffer data, keys;
    int dtype;
    Py_ssize_t n;
    if (parse_data(args[0], args[1], &data, &dtype, &n) < 0) return NULL;
    int with_keys = args[2] != Py_None;
    if (with_keys && PyObject_GetBuffer(args[2], &keys, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(&data);
        return NULL;
    }
    if (with_keys && keys.len != (Py_ssize_t)(KEYS * sizeof(uint64_t))) {
        PyBuffer_Release(&data);
        PyBuffer_Release(&keys);
        PyErr_SetString(PyExc_ValueError, "key_counts must hold 65536 uint64");
        return NULL;
    }
    Moments m;
    uint64_t *key_counts = with_keys ? (uint64_t *)keys.buf : NULL;
    Py_BEGIN_ALLOW_THREADS
    reduce_chunk((const uint8_t *)data.buf, dtype, n, key_counts, &m);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&data);
    if (with_keys) PyBuffer_Release(&keys);
    return Py_BuildValue("(ndddd)", m.count, m.mean, m.m2, m.low, m.high);
}

/* Edges as bins + 1 ascending float64 (bins >= 1), else a ValueError; returns bins or -1. */
static Py_ssize_t check_edges(Py_buffer *edges) {
    Py_ssize_t bins = edges->len / (Py_ssize_t)sizeof(double) - 1;
    const double *e = (const double *)edges->buf;
    if (bins < 1 || edges->len % (Py_ssize_t)sizeof(double) || !(e[0] < e[bins])) {
        PyErr_SetString(PyExc_ValueError, "need bins + 1 ascending float64 edges, bins >= 1");
        return -1;
    }
    return bins;
}

static PyObject *r_histogram(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 4 && nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "histogram(data, dtype, edges, counts[, table]) takes 4 or 5 arguments");
        return NULL;
    }
    Py_buffer data, edges, counts, table = {0};
    int dtype;
    Py_ssize_t n;
    if (parse_data(args[0], args[1], &data, &dtype, &n) < 0) return NULL;
    if (PyObject_GetBuffer(args[2], &edges, PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(&data);
        return NULL;
    }
    if (PyObject_GetBuffer(args[3], &counts, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(&data);
        PyBuffer_Release(&edges);
        return NULL;
    }
    int with_table = nargs == 5 && args[4] != Py_None;
    if (with_table && PyObject_GetBuffer(args[4], &table, PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(&data);
        PyBuffer_Release(&edges);
        PyBuffer_Release(&counts);
        return NULL;
    }
    Py_ssize_t bins = check_edges(&edges);
    int ok = bins > 0;
    if (ok && counts.len != bins * (Py_ssize_t)sizeof(int64_t)) {
        PyErr_SetString(PyExc_ValueError, "counts must hold one int64 per bin");
        ok = 0;
    }
    if (ok && with_table && !table_is_valid((const int32_t *)table.buf, table.len, bins)) {
        PyErr_SetString(PyExc_ValueError, "table is not a bin_table for these bins");
        ok = 0;
    }
    int done = 0;
    if (ok) {
        Py_BEGIN_ALLOW_THREADS
        done = histogram_chunk((const uint8_t *)data.buf, dtype, n, (const double *)edges.buf, bins,
                               with_table ? (const int32_t *)table.buf : NULL, (int64_t *)counts.buf);
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&data);
    PyBuffer_Release(&edges);
    PyBuffer_Release(&counts);
    if (with_table) PyBuffer_Release(&table);
    if (!ok) return NULL;
    if (done < 0) return PyErr_NoMemory();
    Py_RETURN_NONE;
}

static PyObject *r_bin_table(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "bin_table(dtype, edges) takes 2 arguments");
        return NULL;
    }
    int dtype = (int)PyLong_AsLong(args[0]);
    if (dtype == -1 && PyErr_Occurred()) return NULL;
    if (dtype < D_F32 || dtype > D_BF16) {
        PyErr_SetString(PyExc_ValueError, "unknown dtype code");
        return NULL;
    }
    Py_buffer edges;
    if (PyObject_GetBuffer(args[1], &edges, PyBUF_C_CONTIGUOUS) < 0) return NULL;
    Py_ssize_t bins = check_edges(&edges);
    if (bins < 0 || bins >= INT32_MAX) {
        if (bins >= INT32_MAX) PyErr_SetString(PyExc_ValueError, "too many bins");
        PyBuffer_Release(&edges);
        return NULL;
    }
    Py_ssize_t split;
    Py_BEGIN_ALLOW_THREADS
    split = bucket_bins(dtype, (const double *)edges.buf, bins, NULL);
    Py_END_ALLOW_THREADS
    PyObject *out = PyBytes_FromStringAndSize(NULL, (KEYS + SUB * split) * (Py_ssize_t)sizeof(int32_t));
    if (out != NULL) {
        int32_t *table = (int32_t *)PyBytes_AS_STRING(out);
        Py_BEGIN_ALLOW_THREADS
        bucket_bins(dtype, (const double *)edges.buf, bins, table);
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&edges);
    return out;
}

static PyMethodDef methods[] = {
    {"reduce", (PyCFunction)(void (*)(void))r_reduce, METH_FASTCALL,
     "reduce(data, dtype, key_counts) -> (count, mean, m2, min, max)"},
    {"histogram", (PyCFunction)(void (*)(void))r_histogram, METH_FASTCALL,
     "histogram(data, dtype, edges, counts[, table]) -> None"},
    {"bin_table", (PyCFunction)(void (*)(void))r_bin_table, METH_FASTCALL,
     "bin_table(dtype, edges) -> bytes (65536 int32: each key bucket's bin, or -1)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_reduce", "tensorseed statistics reducer (see _reduce.c).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__reduce(void) {
#if HAVE_AVX2_PATH
    const char *generic = getenv("TENSORSEED_REDUCE_GENERIC");
    __builtin_cpu_init();
    use_avx2 = __builtin_cpu_supports("avx2") && !(generic != NULL && generic[0] == '1');
#endif
    return PyModule_Create(&module);
}
