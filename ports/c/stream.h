/* The portable stream of docs/stream-spec.md: sections 2-7 (tensorseed-stream/1) and the binary32
   samplers of sections 13-15 (tensorseed-stream/2). */
#ifndef TS_STREAM_H
#define TS_STREAM_H
#include <stddef.h>
#include <stdint.h>

#define TS_SPEC_V1 "tensorseed-stream/1"
#define TS_SPEC_V2 "tensorseed-stream/2"
/* The version a recipe without "spec" means (section 13.1). */
#define TS_SPEC_DEFAULT TS_SPEC_V2

/* A stream version: its number after the slash. */
typedef enum { TS_V1 = 1, TS_V2 = 2 } ts_version;

/* DT_I64 is not a recipe dtype: the fixed dtype of integer buffers (section 7). */
typedef enum { DT_F32, DT_F64, DT_F16, DT_BF16, DT_I64 } ts_dtype;

typedef struct { uint32_t k0, k1, c2, c3; } ts_key;

typedef enum {
    S_CONSTANT, S_UNIFORM, S_NORMAL, S_TRUNC_NORMAL,
    /* 6.2 position-defined */
    S_EYE, S_DIRAC, S_ZERO, S_GATE, S_SPARSE,
    /* 15: tensorseed-stream/2's binary32 samplers, one word per element */
    S_UNIFORM32, S_NORMAL32, S_TRUNC32
} ts_kind;

/* Per-tensor binary32 scalars of sections 15.1-15.3 (each r32 of a binary64 scalar). */
typedef struct {
    float L, D;                     /* Uniform32 */
    float M, S;                     /* Normal32, TruncNormal32 (and Sparse's values in v2) */
    float W, LW, R0, R1, A, B, H;   /* TruncNormal32 (L is the lower clamp) */
    int one_sided, negate0, negate1;
} ts_f32_scalars;

typedef struct {
    ts_kind kind;
    int wide;                       /* uniform: 53-bit uniforms (float64 output) */
    double v;                       /* constant */
    double low, width;              /* uniform: low + width * u */
    double mean, std;               /* normal, trunc_normal */
    double alpha, beta, lo, hi;     /* trunc_normal: std units and absolute bounds */
    int flip;
    double cdf_low, cdf_width;
    /* position-defined samplers */
    int64_t rows, cols;             /* eye (cols), sparse; zero: P = rows, Q = cols; gate: n = cols */
    int transposed;                 /* zero */
    int ndim, out_axis, in_axis;    /* dirac */
    int64_t shape[8], group_n;      /* dirac: shape, out channels per group */
    int64_t zeros;                  /* sparse: zeroed entries per column */
    int h;                          /* sparse: Feistel half width */
    ts_key mask_key;                /* sparse: the `sparse` sub-stream */
    int normal32;                   /* sparse: values are Normal32(0, std) of word e (v2, 13.4) */
    ts_f32_scalars f;               /* the binary32 samplers (and sparse with normal32) */
} ts_sampler;

typedef struct {
    ts_key key;
    ts_sampler s;
    ts_dtype dtype;
    int64_t zero_begin, zero_end;   /* zeroed elements [begin, end), empty when begin == end */
} ts_tensor_stream;

void ts_philox(const uint32_t ctr[4], uint32_t k0, uint32_t k1, uint32_t out[4]);
/* Section 3 (v1) or 13.2 (v2): the key of a name's stream under a version. */
ts_key ts_stream_key(ts_version v, uint64_t seed, const unsigned char *name_utf8, size_t len);
const char *ts_version_name(ts_version v);

double ts_exp(double x);
double ts_log(double x);
double ts_ndtri(double p);
double ts_erfc(double y);
double ts_ndtr(double x);

/* Section 14: binary32 math. ts_subnormals_ok: 0 where the FPU flushes subnormals (FTZ/DAZ). */
int ts_subnormals_ok(void);
float ts_r32(double x);
float ts_uniform24f(uint32_t w);
float ts_half_open(uint32_t k);
float ts_log2f(float x);
float ts_central(float c);
float ts_tail(float l2);
float ts_normal32_value(const ts_f32_scalars *f, uint32_t w);
float ts_trunc32_value(const ts_f32_scalars *f, uint32_t w);

ts_sampler ts_constant(double v);
ts_sampler ts_uniform(double low, double high, int wide);
ts_sampler ts_normal(double mean, double std);
/* Returns 0 when the interval holds no representable probability (the recipe is rejected). */
int ts_trunc_normal(double mean, double std, double alpha, double beta, double lo, double hi, ts_sampler *out);

/* Section 13.4: a v1 sampler as tensorseed-stream/2 computes it for a float32, float16 or
   bfloat16 output (Uniform32, Normal32, TruncNormal32, Sparse's Normal32 values); the others,
   and every sampler of a float64 or int64 output, are returned unchanged. */
ts_sampler ts_binary32_sampler(ts_sampler s);

ts_sampler ts_eye(int64_t cols, double v);
ts_sampler ts_dirac(int ndim, const int64_t *shape, int out_axis, int in_axis, int64_t groups);
ts_sampler ts_zero(int64_t P, int64_t Q, int transposed);
ts_sampler ts_gate(int64_t n, double v);
ts_sampler ts_sparse(int64_t rows, int64_t cols, double std, int64_t zeros, ts_key mask_key);

size_t ts_dtype_size(ts_dtype d);
uint16_t ts_half_from_float_bits(uint32_t b);

/* Writes elements [start, start + count) of a tensor, little-endian, into out
   (count * ts_dtype_size bytes). Scratch: words holds 2 * count u32, values count doubles. */
void ts_fill(const ts_tensor_stream *t, int64_t start, size_t count, uint32_t *words, double *values,
             unsigned char *out);
#endif
