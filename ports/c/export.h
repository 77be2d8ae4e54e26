/* Export layouts (docs/stream-spec.md section 18): index expressions over a layer's own tensors.
   An exported tensor is an expression (18.1) whose every element is one element of one source
   tensor or zero; it is written by walking the expression down per element (a gather), so any
   element range is computed on its own with memory bounded by the range. */
#ifndef TS_EXPORT_H
#define TS_EXPORT_H
#include "stream.h"

typedef enum { X_SRC, X_ZERO, X_TRANSPOSE, X_RESHAPE, X_SLICE, X_FLIP, X_CONCAT, X_MERGE } ts_xkind;

typedef struct ts_expr ts_expr;
struct ts_expr {
    ts_xkind kind;
    int ndim;
    int64_t shape[8];
    int src;                 /* X_SRC: which source (an index the caller chose) */
    const ts_expr *inner;    /* transpose, reshape, slice, flip; merge: the target's side */
    const ts_expr *other;    /* merge: the other side */
    int axes[8], naxes;      /* transpose: result axis k is inner axis axes[k]; flip: the axes */
    int axis;                /* slice, concat */
    int64_t start;           /* slice: first index along axis */
    const ts_expr **parts;   /* concat */
    int nparts;
    const char *what;        /* merge: which two tensors (for the error) */
};

/* Constructors (arena memory). They simplify as the reference does: an identity view is its
   operand, a view of zeros is zeros, a slice inside one part of a concatenation reads that part. */
const ts_expr *tx_src(int src, int ndim, const int64_t *shape);
const ts_expr *tx_zero(int ndim, const int64_t *shape);
const ts_expr *tx_transpose(const ts_expr *x, int n, const int *axes);
const ts_expr *tx_swap(const ts_expr *x); /* the transposed matrix */
const ts_expr *tx_reshape(const ts_expr *x, int ndim, const int64_t *shape);
const ts_expr *tx_take(const ts_expr *x, int axis, int64_t start, int64_t stop);
const ts_expr *tx_gate(const ts_expr *x, int q, int n); /* G_q(x, n): gate q of n along axis 0 */
const ts_expr *tx_flip(const ts_expr *x, int n, const int *axes);
const ts_expr *tx_concat(int n, const ts_expr *const *parts, int axis);
const ts_expr *tx_merge(const ts_expr *same_side, const ts_expr *other, const char *what);

/* Section 18.3: every merge replaced by the side it takes. is_zero_source(ctx, src) says whether
   a source is zero by its scheme. Returns NULL (and sets *what) when a merge has no zero side. */
const ts_expr *tx_resolve_merges(const ts_expr *x, int (*is_zero_source)(void *ctx, int src), void *ctx,
                                 const char **what);
/* Whether x reads at least one source (else it is all zeros). */
int tx_reads_source(const ts_expr *x);
int64_t tx_numel(const ts_expr *x);

/* An exported tensor: its expression and the streams of the sources it reads. */
typedef struct {
    const ts_expr *expr;
    const ts_tensor_stream *sources; /* indexed by X_SRC's src */
} ts_gather;

/* Writes elements [start, start + count) of an exported tensor of dtype dt (the sources' dtype),
   like ts_fill: consecutive elements read from consecutive elements of one source are filled in
   one run. Scratch as for ts_fill (2 * count words, count values). */
void ts_gather_fill(const ts_gather *g, ts_dtype dt, int64_t start, size_t count, uint32_t *words,
                    double *values, unsigned char *out);
#endif
