/* The portable stream: Philox4x32-10, key derivation, conversions, portable math, samplers and
   rounding (docs/stream-spec.md sections 2-7), and tensorseed-stream/2's binary32 math and
   samplers (sections 13-15).

   Every f64 and f32 expression is written in the order the spec gives. The build uses
   -ffp-contract=off so the compiler never fuses a multiply and an add, and C99 with
   FLT_EVAL_METHOD == 0 (SSE2 and every 64-bit target) so a double is computed as binary64 and a
   float as binary32, with no extended precision. */
#include "stream.h"
#include "sha256.h"
#include <float.h>
#include <math.h>
#include <string.h>

#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
#error "tensorseed needs FLT_EVAL_METHOD == 0 (float in binary32, double in binary64: SSE2, not x87)"
#endif
#ifdef __FAST_MATH__
#error "tensorseed must not be built with -ffast-math (it reorders operations and flushes subnormals)"
#endif

/* ---- 2. Philox4x32-10 ---------------------------------------------------------------- */

void ts_philox(const uint32_t ctr[4], uint32_t k0, uint32_t k1, uint32_t out[4]) {
    uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
    int i;
    for (i = 0; i < 10; i++) {
        uint64_t p0 = (uint64_t)0xD2511F53u * c0;
        uint64_t p1 = (uint64_t)0xCD9E8D57u * c2;
        c0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
        c1 = (uint32_t)p1;
        c2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
        c3 = (uint32_t)p0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

/* ---- 3. Key derivation ------------------------------------------------------------------ */

static uint32_t le32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

const char *ts_version_name(ts_version v) { return v == TS_V1 ? TS_SPEC_V1 : TS_SPEC_V2; }

ts_key ts_stream_key(ts_version v, uint64_t seed, const unsigned char *name, size_t len) {
    /* the version's 19 ASCII bytes and their terminating NUL, the 0x00 byte (sections 3, 13.2) */
    const char *prefix = ts_version_name(v);
    unsigned char s[8], d[32];
    sha256_ctx c;
    ts_key k;
    int i;
    for (i = 0; i < 8; i++) s[i] = (unsigned char)(seed >> (8 * i));
    sha256_init(&c);
    sha256_update(&c, prefix, strlen(prefix) + 1);
    sha256_update(&c, s, 8);
    sha256_update(&c, name, len);
    sha256_final(&c, d);
    k.k0 = le32(d); k.k1 = le32(d + 4); k.c2 = le32(d + 8); k.c3 = le32(d + 12);
    return k;
}

/* ---- 4. Integer to float conversions (exact) --------------------------------------------- */

static const double TWO_M24 = 1.0 / 16777216.0;
static const double TWO_M53 = 1.0 / 9007199254740992.0;

static double uniform24(uint32_t w) { return (double)(w >> 8) * TWO_M24; }
static double uniform53(uint32_t w0, uint32_t w1) {
    return (double)((uint64_t)w1 << 21 | w0 >> 11) * TWO_M53;
}
static double open52(uint32_t w0, uint32_t w1) {
    uint64_t k = (uint64_t)w1 << 20 | w0 >> 12;
    return (double)(2 * k + 1) * TWO_M53;
}

/* ---- 5. Portable math -------------------------------------------------------------------- */

static uint64_t bits_of(double x) { uint64_t b; memcpy(&b, &x, 8); return b; }
static double of_bits(uint64_t b) { double x; memcpy(&x, &b, 8); return x; }

/* 2^k for k in [-1022, 1023], from bits (exact). */
static double pow2(int k) { return of_bits((uint64_t)(k + 1023) << 52); }

static double horner(const double *c, int n, double x) {
    double acc = c[0];
    int i;
    for (i = 1; i < n; i++) acc = acc * x + c[i];
    return acc;
}

static const double LN2_HI = 6.93147180369123816490e-01;
static const double LN2_LO = 1.90821492927058770002e-10;
static const double INV_LN2 = 1.44269504088896338700e+00;
static const double SQRT_HALF = 0.70710678118654752440;

static double EXP_C[14];  /* 1/13!, ..., 1/0! */
static double LOG_C[12];  /* 2/23, ..., 2/1 */

static void init_tables(void) {
    static int done = 0;
    double fact[14];
    int n;
    if (done) return;
    fact[0] = 1.0;
    for (n = 1; n <= 13; n++) fact[n] = fact[n - 1] * n; /* exact: 13! < 2^53 */
    for (n = 13; n >= 0; n--) EXP_C[13 - n] = 1.0 / fact[n];
    for (n = 11; n >= 0; n--) LOG_C[11 - n] = 2.0 / (double)(2 * n + 1);
    done = 1;
}

double ts_exp(double x) {
    double k, r;
    init_tables();
    if (x < -708) return 0;
    k = floor(x * INV_LN2 + 0.5);
    r = (x - k * LN2_HI) - k * LN2_LO;
    return horner(EXP_C, 14, r) * pow2((int)k);
}

double ts_log(double x) {
    uint64_t b;
    int e = 0;
    double m, s, z, t, ed;
    init_tables();
    if (x == 0) return -HUGE_VAL;
    /* frexp: x = m * 2^e, 0.5 <= m < 1 */
    b = bits_of(x);
    if (((b >> 52) & 0x7ff) == 0) { /* subnormal: scale by 2^54 */
        b = bits_of(x * 18014398509481984.0);
        e = -54;
    }
    e += (int)((b >> 52) & 0x7ff) - 1022;
    m = of_bits((b & 0x800FFFFFFFFFFFFFull) | (uint64_t)1022 << 52);
    if (m < SQRT_HALF) { m = m * 2; e = e - 1; }
    s = (m - 1) / (m + 1);
    z = s * s;
    t = horner(LOG_C, 12, z);
    ed = (double)e;
    return ed * LN2_HI + (s * t + ed * LN2_LO);
}

static const double NA[8] = {2.5090809287301226727e3, 3.3430575583588128105e4, 6.7265770927008700853e4,
    4.5921953931549871457e4, 1.3731693765509461125e4, 1.9715909503065514427e3,
    1.3314166789178437745e2, 3.3871328727963666080e0};
static const double NB[8] = {5.2264952788528545610e3, 2.8729085735721942674e4, 3.9307895800092710610e4,
    2.1213794301586595867e4, 5.3941960214247511077e3, 6.8718700749205790830e2,
    4.2313330701600911252e1, 1.0};
static const double NC[8] = {7.74545014278341407640e-4, 2.27238449892691845833e-2, 2.41780725177450611770e-1,
    1.27045825245236838258e0, 3.64784832476320460504e0, 5.76949722146069140550e0,
    4.63033784615654529590e0, 1.42343711074968357734e0};
static const double ND[8] = {1.05075007164441684324e-9, 5.47593808499534494600e-4, 1.51986665636164571966e-2,
    1.48103976427480074590e-1, 6.89767334985100004550e-1, 1.67638483018380384940e0,
    2.05319162663775882187e0, 1.0};
static const double NE[8] = {2.01033439929228813265e-7, 2.71155556874348757815e-5, 1.24266094738807843860e-3,
    2.65321895265761230930e-2, 2.96560571828504891230e-1, 1.78482653991729133580e0,
    5.46378491116411436990e0, 6.65790464350110377720e0};
static const double NF[8] = {2.04426310338993978564e-15, 1.42151175831644588870e-7, 1.84631831751005468180e-5,
    7.86869131145613259100e-4, 1.48753612908506148525e-2, 1.36929880922735805310e-1,
    5.99832206555887937690e-1, 1.0};

double ts_ndtri(double p) {
    double q = p - 0.5, r, v;
    if (fabs(q) <= 0.425) {
        r = 0.180625 - q * q;
        return (q * horner(NA, 8, r)) / horner(NB, 8, r);
    }
    if (p <= 0) return -HUGE_VAL;
    if (p >= 1) return HUGE_VAL;
    r = q < 0 ? p : 1 - p;
    r = sqrt(-ts_log(r));
    if (r <= 5) {
        r = r - 1.6;
        v = horner(NC, 8, r) / horner(ND, 8, r);
    } else {
        r = r - 5;
        v = horner(NE, 8, r) / horner(NF, 8, r);
    }
    return q < 0 ? -v : v;
}

static const double CA[5] = {3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
    3.20937758913846947e03, 1.85777706184603153e-1};
static const double CB[4] = {2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
    2.84423683343917062e03};
static const double CC[9] = {5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
    2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
    2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8};
static const double CD[8] = {1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
    1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
    3.43936767414372164e03, 1.23033935480374942e03};
static const double CP[6] = {3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
    1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2};
static const double CQ[5] = {2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1,
    6.05183413124413191e-2, 2.33520497626869185e-3};
static const double INV_SQRT_PI = 5.6418958354775628695e-1;

static double exp_neg_square(double y) {
    double h = floor(y * 16) / 16;
    double d = (y - h) * (y + h);
    return ts_exp(-(h * h)) * ts_exp(-d);
}

double ts_erfc(double y) {
    double num, den, ysq, r;
    int i;
    if (y <= 0.46875) {
        ysq = y * y;
        num = CA[4] * ysq; den = ysq;
        for (i = 0; i < 3; i++) { num = (num + CA[i]) * ysq; den = (den + CB[i]) * ysq; }
        return 1 - (y * (num + CA[3])) / (den + CB[3]);
    }
    if (y <= 4) {
        num = CC[8] * y; den = y;
        for (i = 0; i < 7; i++) { num = (num + CC[i]) * y; den = (den + CD[i]) * y; }
        return exp_neg_square(y) * ((num + CC[7]) / (den + CD[7]));
    }
    if (y >= 26.543) return 0;
    ysq = 1 / (y * y);
    num = CP[5] * ysq; den = ysq;
    for (i = 0; i < 4; i++) { num = (num + CP[i]) * ysq; den = (den + CQ[i]) * ysq; }
    r = (ysq * (num + CP[4])) / (den + CQ[4]);
    r = (INV_SQRT_PI - r) / y;
    return exp_neg_square(y) * r;
}

double ts_ndtr(double x) {
    if (x < 0) return 0.5 * ts_erfc(-x * SQRT_HALF);
    return 1 - 0.5 * ts_erfc(x * SQRT_HALF);
}

/* ---- 14. Binary32 arithmetic (tensorseed-stream/2) ----------------------------------------- */

static uint32_t fbits(float x) { uint32_t b; memcpy(&b, &x, 4); return b; }
static float from_fbits(uint32_t b) { float x; memcpy(&x, &b, 4); return x; }

/* 14.1 forbids flush-to-zero and denormals-are-zero, which no C99 flag controls (a library or a
   fast-math object linked into the process may set them): checked at run time instead. */
int ts_subnormals_ok(void) {
    volatile float tiny = FLT_MIN, half = 0.5f, two = 2.0f;
    volatile float sub = tiny * half;       /* 2^-127: 0 under flush-to-zero */
    volatile float back = sub * two;        /* 2^-126 again: 0 under denormals-are-zero */
    return sub != 0 && back == tiny;
}

/* 14.1: r32 rounds a per-tensor binary64 scalar to nearest binary32 and saturates an infinity to
   the largest finite binary32, so no element ever computes inf - inf or 0 * inf. */
float ts_r32(double x) {
    float f = (float)x;
    if (f > FLT_MAX) return FLT_MAX;
    if (f < -FLT_MAX) return -FLT_MAX;
    return f;
}

/* The constants of sections 14.2-14.4 by their bit patterns (the hex decides, 14.1); the self
   test (test_stream.c) checks that each decimal literal of the spec reads as the same binary32. */
#define F32C(bits) from_fbits(bits##u)
#define TWO_M24F F32C(0x33800000)   /* 2^-24 */
#define TWO_M25F F32C(0x33000000)   /* 2^-25 */
#define TWO_M33F F32C(0x2f000000)   /* 2^-33 */
#define TWO_M9F F32C(0x3b000000)    /* 2^-9 */
#define LOG2_SPLIT F32C(0x3fb504f3) /* 1.4142135 */
#define TWO_LN2 F32C(0x3fb17218)    /* 1.3862944 */
#define LN2F F32C(0x3f317218)       /* 0.6931472 */
static const uint32_t LOG2_C_BITS[4] = {0x3edd0c7c, 0x3f13a38d, 0x3f763873, 0x4038aa3b};
static const uint32_t CENTRAL_C_BITS[10] = {0xb0033970, 0x3293c0bd, 0xb46df92b, 0x3533c633, 0x372646a2,
                                            0xb82ceb0a, 0xba902961, 0x3c00917c, 0x3e68e44b, 0x3fa06c99};
static const uint32_t TAIL_C_BITS[6] = {0x4012dbfb, 0xbf913436, 0x3f13d8bf, 0x3d2a9f5f, 0x3f2d2fde, 0xbfeb3f28};

/* 14.1: horner32, every product and sum rounded to binary32 on its own. */
static float horner32(const uint32_t *c, int n, float x) {
    float acc = from_fbits(c[0]);
    int i;
    for (i = 1; i < n; i++) acc = acc * x + from_fbits(c[i]);
    return acc;
}

/* 14.2 (exact: an integer below 2^24 times a power of two) */
float ts_uniform24f(uint32_t w) { return (float)(w >> 8) * TWO_M24F; }

float ts_half_open(uint32_t k) {
    if (k < (1u << 23)) return (float)(2 * k + 1) * TWO_M33F;
    return (float)(2 * (k >> 8) + 1) * TWO_M25F;
}

/* 14.3: only for positive normal binary32 x. */
float ts_log2f(float x) {
    uint32_t b = fbits(x);
    int e = (int)(b >> 23) - 127;
    float m = from_fbits((b & 0x007FFFFFu) | 0x3F800000u), f, s, t;
    if (m > LOG2_SPLIT) { m = m * 0.5f; e = e + 1; }
    f = m - 1;
    s = f / (f + 2);
    t = horner32(LOG2_C_BITS, 4, s * s);
    return (float)e + s * t;
}

/* 14.4: the upper quantile t = Phi^-1(1 - p) from c = 2p in [2^-8, 1] ... */
float ts_central(float c) {
    float x = 1 - c;
    float w = -ts_log2f(c * (2 - c));
    return x * horner32(CENTRAL_C_BITS, 10, w);
}

/* ... or from l2 = -log2(p) in [8.95, 1110]. */
float ts_tail(float l2) {
    float y = l2 * TWO_LN2;
    float g = ts_log2f(y);
    float q = g / y;
    return sqrtf((y - g * LN2F) + horner32(TAIL_C_BITS, 6, q));
}

/* 15.2, one element of Normal32 from its word. */
float ts_normal32_value(const ts_f32_scalars *f, uint32_t w) {
    uint32_t k = w & 0x7FFFFFFFu;
    float u = ts_half_open(k), t, z;
    if (u >= TWO_M9F) t = ts_central(u + u);
    else t = ts_tail(-ts_log2f(u));
    z = (w >> 31) == 1 ? t : -t;
    return f->M + f->S * z;
}

/* 14.1's max and min (the first operand on ties), as v1's TruncNormal. */
static float max32(float a, float b) { return a >= b ? a : b; }
static float min32(float a, float b) { return a <= b ? a : b; }

/* 15.3, one element of TruncNormal32 from its word. */
float ts_trunc32_value(const ts_f32_scalars *f, uint32_t w) {
    uint32_t path = w >> 31, k = w & 0x7FFFFFFFu;
    float u = ts_half_open(k), v, p, z, x;
    if (path == 0) v = f->R0 + u;
    else if (f->one_sided) v = f->R1 - u;
    else v = f->R1 + u;
    p = f->W * v;
    if (p >= TWO_M9F) {
        if (p <= 0.5f) z = -ts_central(p + p);
        else z = ts_central((1 - p) * 2);
    } else {
        z = -ts_tail(-(f->LW + ts_log2f(v)));
    }
    if (path == 0 ? f->negate0 : f->negate1) z = -z;
    z = min32(max32(z, f->A), f->B);
    x = f->M + f->S * z;
    return min32(max32(x, f->L), f->H);
}

/* ---- 6. Samplers ------------------------------------------------------------------------- */

ts_sampler ts_constant(double v) {
    ts_sampler s;
    memset(&s, 0, sizeof s);
    s.kind = S_CONSTANT; s.v = v;
    return s;
}

ts_sampler ts_uniform(double low, double high, int wide) {
    ts_sampler s;
    memset(&s, 0, sizeof s);
    s.kind = S_UNIFORM; s.wide = wide; s.low = low; s.width = high - low;
    return s;
}

ts_sampler ts_normal(double mean, double std) {
    ts_sampler s;
    memset(&s, 0, sizeof s);
    s.kind = S_NORMAL; s.mean = mean; s.std = std;
    return s;
}

int ts_trunc_normal(double mean, double std, double alpha, double beta, double lo, double hi, ts_sampler *out) {
    ts_sampler s;
    double lo_x, hi_x;
    memset(&s, 0, sizeof s);
    s.kind = S_TRUNC_NORMAL; s.mean = mean; s.std = std;
    s.alpha = alpha; s.beta = beta; s.lo = lo; s.hi = hi;
    s.flip = alpha > 0;
    lo_x = s.flip ? -beta : alpha;
    hi_x = s.flip ? -alpha : beta;
    s.cdf_low = ts_ndtr(lo_x);
    s.cdf_width = ts_ndtr(hi_x) - s.cdf_low;
    if (!(s.cdf_width > 0)) return 0;
    *out = s;
    return 1;
}

/* 13.4: which sampler a float32, float16 or bfloat16 tensor uses in tensorseed-stream/2, with its
   per-tensor scalars: binary64 exactly as v1 computes them, then r32 (14.1). */
ts_sampler ts_binary32_sampler(ts_sampler s) {
    ts_f32_scalars *f = &s.f;
    if (s.kind == S_UNIFORM) {
        /* 15.1: only while (high - low) rounds to a finite binary32; a wider interval keeps v1's
           formula (one word, binary64), which is the v1 sampler itself (not wide: 1 word). */
        float d = (float)s.width;
        if (d > FLT_MAX || d < -FLT_MAX) return s;
        s.kind = S_UNIFORM32;
        f->L = ts_r32(s.low);
        f->D = d;
    } else if (s.kind == S_NORMAL) {
        s.kind = S_NORMAL32;
        f->M = ts_r32(s.mean);
        f->S = ts_r32(s.std);
    } else if (s.kind == S_SPARSE) {
        s.normal32 = 1; /* values Normal32(0, std) of word e; the mask as v1 */
        f->M = ts_r32(0.0);
        f->S = ts_r32(s.std);
    } else if (s.kind == S_TRUNC_NORMAL) {
        static const double TWO_64 = 18446744073709551616.0;
        double lo = s.flip ? -s.beta : s.alpha, hi = s.flip ? -s.alpha : s.beta;
        double cdf_low = ts_ndtr(lo), W = ts_ndtr(hi) - cdf_low, r0, r1, LW;
        int one_sided = hi <= 0;
        r0 = cdf_low / W;
        r0 = r0 <= TWO_64 ? r0 : TWO_64;
        r1 = (one_sided ? ts_ndtr(hi) : ts_ndtr(-hi)) / W;
        r1 = r1 <= TWO_64 ? r1 : TWO_64;
        LW = ts_log(W) * INV_LN2;
        s.kind = S_TRUNC32;
        f->one_sided = one_sided;
        f->negate0 = s.flip;
        f->negate1 = one_sided ? s.flip : !s.flip;
        f->W = ts_r32(W);
        f->LW = ts_r32(LW);
        f->R0 = ts_r32(r0);
        f->R1 = ts_r32(r1);
        f->A = ts_r32(s.alpha);
        f->B = ts_r32(s.beta);
        f->M = ts_r32(s.mean);
        f->S = ts_r32(s.std);
        f->L = ts_r32(s.lo);
        f->H = ts_r32(s.hi);
    }
    return s;
}

/* 6.2 position-defined samplers */

ts_sampler ts_eye(int64_t cols, double v) {
    ts_sampler s;
    memset(&s, 0, sizeof s);
    s.kind = S_EYE; s.cols = cols; s.v = v;
    return s;
}

ts_sampler ts_dirac(int ndim, const int64_t *shape, int out_axis, int in_axis, int64_t groups) {
    ts_sampler s;
    memset(&s, 0, sizeof s);
    s.kind = S_DIRAC; s.ndim = ndim; s.out_axis = out_axis; s.in_axis = in_axis;
    memcpy(s.shape, shape, (size_t)ndim * sizeof *shape);
    s.group_n = shape[out_axis] / groups;
    return s;
}

ts_sampler ts_zero(int64_t P, int64_t Q, int transposed) {
    ts_sampler s;
    int64_t p = 1;
    memset(&s, 0, sizeof s);
    while (p < P) p *= 2;
    s.kind = S_ZERO; s.rows = P; s.cols = Q; s.transposed = transposed;
    s.v = 1 / sqrt((double)p);
    return s;
}

ts_sampler ts_gate(int64_t n, double v) {
    ts_sampler s;
    memset(&s, 0, sizeof s);
    s.kind = S_GATE; s.cols = n; s.v = v;
    return s;
}

ts_sampler ts_sparse(int64_t rows, int64_t cols, double std, int64_t zeros, ts_key mask_key) {
    ts_sampler s;
    int bits = 0, h;
    uint64_t r = (uint64_t)(rows - 1);
    memset(&s, 0, sizeof s);
    while (r) { bits++; r >>= 1; }
    h = (bits + 1) / 2;
    s.kind = S_SPARSE; s.rows = rows; s.cols = cols; s.std = std; s.zeros = zeros;
    s.mask_key = mask_key; s.h = h < 1 ? 1 : h;
    return s;
}

/* ---- 7. Rounding --------------------------------------------------------------------------- */

size_t ts_dtype_size(ts_dtype d) { return d == DT_F64 || d == DT_I64 ? 8 : d == DT_F32 ? 4 : 2; }

uint16_t ts_half_from_float_bits(uint32_t b) {
    uint32_t sign = (b >> 16) & 0x8000, mant = b & 0x7fffff;
    int exponent = (int)((b >> 23) & 0xff), e;
    uint32_t h, rem;
    if (exponent == 0xff) return (uint16_t)(sign | 0x7c00 | (mant ? 0x200 : 0));
    e = exponent - 127 + 15;
    if (e >= 31) return (uint16_t)(sign | 0x7c00);
    if (e <= 0) {
        /* subnormal half or zero: units of 2^-24 */
        uint32_t m = mant | 0x800000, half;
        int shift = 14 - e;
        if (e < -10) return (uint16_t)sign; /* below 2^-25 */
        h = m >> shift;
        rem = m & ((1u << shift) - 1);
        half = 1u << (shift - 1);
        if (rem > half || (rem == half && (h & 1))) h += 1;
        return (uint16_t)(sign | h);
    }
    h = sign | (uint32_t)e << 10 | mant >> 13;
    rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (h & 1))) h += 1; /* a carry bumps the exponent */
    return (uint16_t)h;
}

/* ---- Filling a range ----------------------------------------------------------------------- */

/* Words [first, first + n) of a tensor's stream into out: whole Philox blocks in a tight loop. */
static void stream_words(const ts_key *key, uint64_t first, size_t n, uint32_t *out) {
    uint64_t b = first >> 2, end = first + n;
    uint32_t ctr[4], x[4];
    size_t k = 0;
    ctr[2] = key->c2;
    ctr[3] = key->c3;
    for (; b * 4 < end; b++) {
        uint64_t w = b * 4;
        int j;
        ctr[0] = (uint32_t)b;
        ctr[1] = (uint32_t)(b >> 32);
        ts_philox(ctr, key->k0, key->k1, x);
        for (j = 0; j < 4; j++, w++)
            if (w >= first && w < end) out[k++] = x[j];
    }
}

/* One word of a stream, by its index. */
static uint32_t word_at(const ts_key *key, uint64_t w) {
    uint32_t ctr[4], x[4];
    uint64_t b = w >> 2;
    ctr[0] = (uint32_t)b; ctr[1] = (uint32_t)(b >> 32); ctr[2] = key->c2; ctr[3] = key->c3;
    ts_philox(ctr, key->k0, key->k1, x);
    return x[w & 3];
}

/* pi_j(i) of section 6.2: column j's Feistel permutation of [0, rows), with cycle walking. */
static uint64_t sparse_position(const ts_sampler *s, uint64_t j, uint64_t i) {
    int h = s->h, r;
    uint64_t M = ((uint64_t)1 << h) - 1, x = i;
    do {
        uint64_t L = x >> h, R = x & M, t;
        for (r = 0; r < 4; r++) {
            uint64_t F = word_at(&s->mask_key, ((j * 4 + (uint64_t)r) << h) + R) & M;
            t = R; R = L ^ F; L = t;
        }
        x = (L << h) | R;
    } while (x >= (uint64_t)s->rows);
    return x;
}

static int popcount64(uint64_t x) {
    int n = 0;
    while (x) { x &= x - 1; n++; }
    return n;
}

static double position_value(const ts_sampler *s, int64_t e) {
    int64_t i, j;
    int a;
    switch (s->kind) {
    case S_EYE:
        i = e / s->cols; j = e % s->cols;
        return i == j ? s->v : 0.0;
    case S_GATE:
        return e >= s->cols / 4 && e < s->cols / 2 ? s->v : 0.0;
    case S_ZERO:
        if (s->transposed) { j = e / s->rows; i = e % s->rows; }
        else { i = e / s->cols; j = e % s->cols; }
        if (s->rows <= s->cols) return i == j ? 1.0 : 0.0;
        return popcount64((uint64_t)(i & j)) % 2 == 0 ? s->v : -s->v;
    default: { /* S_DIRAC */
        int64_t idx[8], rest = e, d;
        for (a = s->ndim - 1; a >= 0; a--) { idx[a] = rest % s->shape[a]; rest /= s->shape[a]; }
        d = idx[s->out_axis] % s->group_n;
        if (!(d < s->shape[s->in_axis] && idx[s->in_axis] == d)) return 0.0;
        for (a = 0; a < s->ndim; a++)
            if (a != s->out_axis && a != s->in_axis && idx[a] != s->shape[a] / 2) return 0.0;
        return 1.0;
    }
    }
}

/* Words per element (sections 6 and 15): element e uses words e*W .. e*W + W - 1. */
static size_t words_per_element(const ts_sampler *s) {
    switch (s->kind) {
    case S_CONSTANT: case S_EYE: case S_DIRAC: case S_ZERO: case S_GATE: return 0;
    case S_UNIFORM: return s->wide ? 2 : 1;
    case S_UNIFORM32: case S_NORMAL32: case S_TRUNC32: return 1;
    case S_SPARSE: return s->normal32 ? 1 : 2;
    default: return 2;
    }
}

/* Values as doubles: a binary32 sampler's float is stored exactly, so section 7's rounding to
   float32 gives it back unchanged (13.4: float16 and bfloat16 round that float32 value). */
static void sample(const ts_tensor_stream *t, int64_t start, size_t count, uint32_t *words, double *out) {
    const ts_sampler *s = &t->s;
    size_t W = words_per_element(s);
    size_t i;
    if (W) stream_words(&t->key, (uint64_t)start * W, count * W, words);
    switch (s->kind) {
    case S_CONSTANT:
        for (i = 0; i < count; i++) out[i] = s->v;
        break;
    case S_UNIFORM:
        if (s->wide)
            for (i = 0; i < count; i++) out[i] = s->low + s->width * uniform53(words[2 * i], words[2 * i + 1]);
        else
            for (i = 0; i < count; i++) out[i] = s->low + s->width * uniform24(words[i]);
        break;
    case S_NORMAL:
        for (i = 0; i < count; i++)
            out[i] = s->mean + s->std * ts_ndtri(open52(words[2 * i], words[2 * i + 1]));
        break;
    case S_TRUNC_NORMAL:
        /* min/max written as comparisons that keep the first operand on ties (the order of -0, +0) */
        for (i = 0; i < count; i++) {
            double q = s->cdf_low + s->cdf_width * open52(words[2 * i], words[2 * i + 1]);
            double z = ts_ndtri(q), x;
            if (s->flip) z = -z;
            z = s->alpha > z ? s->alpha : z;
            z = s->beta < z ? s->beta : z;
            x = s->mean + s->std * z;
            x = s->lo > x ? s->lo : x;
            x = s->hi < x ? s->hi : x;
            out[i] = x;
        }
        break;
    case S_SPARSE:
        for (i = 0; i < count; i++) {
            int64_t e = start + (int64_t)i, row = e / s->cols, col = e % s->cols;
            if (sparse_position(s, (uint64_t)col, (uint64_t)row) < (uint64_t)s->zeros) out[i] = 0.0;
            else if (s->normal32) out[i] = ts_normal32_value(&s->f, words[i]);
            else out[i] = 0 + s->std * ts_ndtri(open52(words[2 * i], words[2 * i + 1]));
        }
        break;
    case S_UNIFORM32:
        for (i = 0; i < count; i++) out[i] = s->f.L + s->f.D * ts_uniform24f(words[i]);
        break;
    case S_NORMAL32:
        for (i = 0; i < count; i++) out[i] = ts_normal32_value(&s->f, words[i]);
        break;
    case S_TRUNC32:
        for (i = 0; i < count; i++) out[i] = ts_trunc32_value(&s->f, words[i]);
        break;
    default:
        for (i = 0; i < count; i++) out[i] = position_value(s, start + (int64_t)i);
    }
}

void ts_fill(const ts_tensor_stream *t, int64_t start, size_t count, uint32_t *words, double *v,
             unsigned char *out) {
    size_t i;
    int64_t a, b;
    sample(t, start, count, words, v);
    a = t->zero_begin > start ? t->zero_begin : start;
    b = t->zero_end < start + (int64_t)count ? t->zero_end : start + (int64_t)count;
    for (; a < b; a++) v[a - start] = 0.0;
    for (i = 0; i < count; i++) {
        uint64_t u;
        uint32_t fb;
        float f;
        switch (t->dtype) {
        case DT_I64: /* integral values below 2^63 (section 7), two's complement */
            u = (uint64_t)(int64_t)v[i];
            for (a = 0; a < 8; a++) out[8 * i + a] = (unsigned char)(u >> (8 * a));
            break;
        case DT_F64:
            u = bits_of(v[i]);
            for (a = 0; a < 8; a++) out[8 * i + a] = (unsigned char)(u >> (8 * a));
            break;
        default:
            f = (float)v[i]; /* one round-to-nearest-even to float32; overflow gives infinity */
            memcpy(&fb, &f, 4);
            if (t->dtype == DT_F32) {
                out[4 * i] = (unsigned char)fb; out[4 * i + 1] = (unsigned char)(fb >> 8);
                out[4 * i + 2] = (unsigned char)(fb >> 16); out[4 * i + 3] = (unsigned char)(fb >> 24);
            } else {
                uint16_t h = t->dtype == DT_F16 ? ts_half_from_float_bits(fb)
                                                : (uint16_t)((fb + 0x7FFFu + ((fb >> 16) & 1)) >> 16);
                out[2 * i] = (unsigned char)h; out[2 * i + 1] = (unsigned char)(h >> 8);
            }
        }
    }
}
