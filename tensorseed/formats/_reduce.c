/*
 * tensorseed statistics reducer: moments, range and histograms of a chunk of tensor bytes, in C.
 *
 * The statistics sink (tensorseed/formats/stats.py) calls this on each chunk right after it is
 * generated, on the same thread, while the chunk is still in cache: no float64 copy, no numpy pass.
 * It reads the bytes exactly as /v1/weights serves them (little-endian float32, float64, float16 or
 * bfloat16), so the statistics describe the served values. tests/formats/test_reduce.py holds it to
 * numpy (the readable definition) on every dtype, including infinities and subnormals.
 *
 * Python API (module tensorseed.formats._reduce), the GIL released while reducing:
 *   reduce(data, dtype, key_counts) -> (count, mean, m2, min, max)
 *       m2 = sum((x - mean)^2) over the chunk; key_counts (uint64[65536], writable, or None)
 *       gets +1 at the top 16 bits of each element's order-preserving key (every value of a
 *       16-bit dtype has its own key, so their histograms need no second look at the data).
 *   histogram(data, dtype, edges, counts) -> None
 *       counts (int64[bins], writable) += numpy.histogram(values, edges) for ascending float64
 *       edges: bin i holds edges[i] <= x < edges[i + 1], the last bin also x == edges[bins];
 *       values outside [edges[0], edges[bins]] and NaN are not counted.
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

/* Key counts: values of one tensor crowd into few keys, and incrementing one counter again
   waits for its previous increment; four interleaved tables (merged after the chunk) keep four
   increments in flight. */
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

KEY_COUNTER(reduce_f32, D_F32)
KEY_COUNTER(reduce_f64, D_F64)
KEY_COUNTER(reduce_f16, D_F16)
KEY_COUNTER(reduce_bf16, D_BF16)

/* One function per dtype (the dtype switch stays out of the loops). Four independent
   accumulators per quantity: without them every addition waits for the previous one (no FMA or
   reassociation is allowed here), and the sum, not the memory, would set the pace. */
#define REDUCER(NAME, DTYPE)                                                                          \
    static void NAME(const uint8_t *p, Py_ssize_t n, uint64_t *keys, Moments *out) {                  \
        double s[4] = {0.0, 0.0, 0.0, 0.0};                                                           \
        double lo[4] = {INFINITY, INFINITY, INFINITY, INFINITY};                                      \
        double hi[4] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY};                                  \
        Py_ssize_t i = 0;                                                                             \
        for (; i + 4 <= n; i += 4) {                                                                  \
            for (int j = 0; j < 4; j++) {                                                             \
                double x = value_at(p, DTYPE, i + j);                                                 \
                s[j] += x;                                                                            \
                lo[j] = x < lo[j] ? x : lo[j];                                                        \
                hi[j] = x > hi[j] ? x : hi[j];                                                        \
            }                                                                                         \
        }                                                                                             \
        for (; i < n; i++) {                                                                          \
            double x = value_at(p, DTYPE, i);                                                         \
            s[0] += x;                                                                                \
            lo[0] = x < lo[0] ? x : lo[0];                                                            \
            hi[0] = x > hi[0] ? x : hi[0];                                                            \
        }                                                                                             \
        if (keys != NULL) count_keys_##NAME(p, n, keys);                                              \
        double mean = n ? ((s[0] + s[1]) + (s[2] + s[3])) / (double)n : 0.0;                          \
        double d2[4] = {0.0, 0.0, 0.0, 0.0}; /* second pass, the chunk still in cache */              \
        for (i = 0; i + 4 <= n; i += 4) {                                                             \
            for (int j = 0; j < 4; j++) {                                                             \
                double d = value_at(p, DTYPE, i + j) - mean;                                          \
                d2[j] += d * d;                                                                       \
            }                                                                                         \
        }                                                                                             \
        for (; i < n; i++) {                                                                          \
            double d = value_at(p, DTYPE, i) - mean;                                                  \
            d2[0] += d * d;                                                                           \
        }                                                                                             \
        out->count = n;                                                                               \
        out->mean = mean;                                                                             \
        out->m2 = (d2[0] + d2[1]) + (d2[2] + d2[3]);                                                  \
        double l01 = lo[0] < lo[1] ? lo[0] : lo[1], l23 = lo[2] < lo[3] ? lo[2] : lo[3];              \
        double h01 = hi[0] > hi[1] ? hi[0] : hi[1], h23 = hi[2] > hi[3] ? hi[2] : hi[3];              \
        out->low = l01 < l23 ? l01 : l23;                                                             \
        out->high = h01 > h23 ? h01 : h23;                                                            \
    }

REDUCER(reduce_f32, D_F32)
REDUCER(reduce_f64, D_F64)
REDUCER(reduce_f16, D_F16)
REDUCER(reduce_bf16, D_BF16)

static void reduce_chunk(const uint8_t *p, int dtype, Py_ssize_t n, uint64_t *keys, Moments *out) {
    switch (dtype) {
    case D_F32: reduce_f32(p, n, keys, out); break;
    case D_F64: reduce_f64(p, n, keys, out); break;
    case D_F16: reduce_f16(p, n, keys, out); break;
    default: reduce_bf16(p, n, keys, out); break;
    }
}

/* numpy.histogram's uniform-bin path: an index from the scaled value, then corrected against
   the actual edges, so the counts are those of searching the edges array. */
#define HISTOGRAM(NAME, DTYPE)                                                                        \
    static void NAME(const uint8_t *p, Py_ssize_t n, const double *edges, Py_ssize_t bins,            \
                     int64_t *counts) {                                                               \
        const double first = edges[0], last = edges[bins];                                            \
        const double norm = (double)bins / (last - first);                                            \
        for (Py_ssize_t i = 0; i < n; i++) {                                                          \
            double x = value_at(p, DTYPE, i);                                                         \
            if (!(x >= first && x <= last)) continue; /* outside, or NaN */                           \
            Py_ssize_t k = (Py_ssize_t)((x - first) * norm);                                          \
            if (k >= bins) k = bins - 1;                                                              \
            if (k < 0) k = 0;                                                                         \
            if (x < edges[k]) k--;                                                                    \
            else if (k != bins - 1 && x >= edges[k + 1]) k++;                                         \
            counts[k] += 1;                                                                           \
        }                                                                                             \
    }

HISTOGRAM(histogram_f32, D_F32)
HISTOGRAM(histogram_f64, D_F64)
HISTOGRAM(histogram_f16, D_F16)
HISTOGRAM(histogram_bf16, D_BF16)

static void histogram_chunk(const uint8_t *p, int dtype, Py_ssize_t n, const double *edges, Py_ssize_t bins,
                            int64_t *counts) {
    switch (dtype) {
    case D_F32: histogram_f32(p, n, edges, bins, counts); break;
    case D_F64: histogram_f64(p, n, edges, bins, counts); break;
    case D_F16: histogram_f16(p, n, edges, bins, counts); break;
    default: histogram_bf16(p, n, edges, bins, counts); break;
    }
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

static PyObject *r_histogram(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "histogram(data, dtype, edges, counts) takes 4 arguments");
        return NULL;
    }
    Py_buffer data, edges, counts;
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
    Py_ssize_t bins = counts.len / (Py_ssize_t)sizeof(int64_t);
    const double *e = (const double *)edges.buf;
    int ok = bins >= 1 && edges.len == (bins + 1) * (Py_ssize_t)sizeof(double) && e[0] < e[bins];
    if (ok) {
        Py_BEGIN_ALLOW_THREADS
        histogram_chunk((const uint8_t *)data.buf, dtype, n, e, bins, (int64_t *)counts.buf);
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&data);
    PyBuffer_Release(&edges);
    PyBuffer_Release(&counts);
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "need bins >= 1 int64 counts and bins + 1 ascending float64 edges");
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"reduce", (PyCFunction)(void (*)(void))r_reduce, METH_FASTCALL,
     "reduce(data, dtype, key_counts) -> (count, mean, m2, min, max)"},
    {"histogram", (PyCFunction)(void (*)(void))r_histogram, METH_FASTCALL,
     "histogram(data, dtype, edges, counts) -> None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_reduce", "tensorseed statistics reducer (see _reduce.c).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__reduce(void) { return PyModule_Create(&module); }
