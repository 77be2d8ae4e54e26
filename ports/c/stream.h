/* The portable stream of docs/stream-spec.md, sections 2-7. */
#ifndef TS_STREAM_H
#define TS_STREAM_H
#include <stddef.h>
#include <stdint.h>

#define TS_SPEC_VERSION "tensorseed-stream/1"

typedef enum { DT_F32, DT_F64, DT_F16, DT_BF16 } ts_dtype;

typedef struct { uint32_t k0, k1, c2, c3; } ts_key;

typedef enum { S_CONSTANT, S_UNIFORM, S_NORMAL, S_TRUNC_NORMAL } ts_kind;

typedef struct {
    ts_kind kind;
    int wide;                       /* uniform: 53-bit uniforms (float64 output) */
    double v;                       /* constant */
    double low, width;              /* uniform: low + width * u */
    double mean, std;               /* normal, trunc_normal */
    double alpha, beta, lo, hi;     /* trunc_normal: std units and absolute bounds */
    int flip;
    double cdf_low, cdf_width;
} ts_sampler;

typedef struct {
    ts_key key;
    ts_sampler s;
    ts_dtype dtype;
    int64_t zero_begin, zero_end;   /* zeroed elements [begin, end), empty when begin == end */
} ts_tensor_stream;

void ts_philox(const uint32_t ctr[4], uint32_t k0, uint32_t k1, uint32_t out[4]);
ts_key ts_stream_key(uint64_t seed, const unsigned char *name_utf8, size_t len);

double ts_exp(double x);
double ts_log(double x);
double ts_ndtri(double p);
double ts_erfc(double y);
double ts_ndtr(double x);

ts_sampler ts_constant(double v);
ts_sampler ts_uniform(double low, double high, int wide);
ts_sampler ts_normal(double mean, double std);
/* Returns 0 when the interval holds no representable probability (the recipe is rejected). */
int ts_trunc_normal(double mean, double std, double alpha, double beta, double lo, double hi, ts_sampler *out);

size_t ts_dtype_size(ts_dtype d);
uint16_t ts_half_from_float_bits(uint32_t b);

/* Writes elements [start, start + count) of a tensor, little-endian, into out
   (count * ts_dtype_size bytes). Scratch: words holds 2 * count u32, values count doubles. */
void ts_fill(const ts_tensor_stream *t, int64_t start, size_t count, uint32_t *words, double *values,
             unsigned char *out);
#endif
