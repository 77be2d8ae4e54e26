/* Export layouts (spec section 18): index expressions and the gather that writes them. */
#include "export.h"
#include "json.h"
#include <string.h>

static ts_expr *node(ts_xkind kind, int ndim, const int64_t *shape) {
    ts_expr *x = ts_alloc(sizeof *x);
    memset(x, 0, sizeof *x);
    x->kind = kind;
    x->ndim = ndim;
    if (ndim) memcpy(x->shape, shape, (size_t)ndim * sizeof *shape);
    return x;
}

int64_t tx_numel(const ts_expr *x) {
    int64_t n = 1;
    int k;
    for (k = 0; k < x->ndim; k++) n *= x->shape[k];
    return n;
}

static int same_shape(int n, const int64_t *a, int m, const int64_t *b) {
    return n == m && (n == 0 || !memcmp(a, b, (size_t)n * sizeof *a));
}

const ts_expr *tx_src(int src, int ndim, const int64_t *shape) {
    ts_expr *x = node(X_SRC, ndim, shape);
    x->src = src;
    return x;
}

const ts_expr *tx_zero(int ndim, const int64_t *shape) { return node(X_ZERO, ndim, shape); }

const ts_expr *tx_transpose(const ts_expr *x, int n, const int *axes) {
    int64_t shape[8];
    int k, identity = 1;
    ts_expr *t;
    for (k = 0; k < n; k++) identity &= axes[k] == k;
    if (identity) return x;
    if (x->kind == X_TRANSPOSE) { /* one transpose: axis k reads inner axis x->axes[axes[k]] */
        int composed[8];
        for (k = 0; k < n; k++) composed[k] = x->axes[axes[k]];
        return tx_transpose(x->inner, n, composed);
    }
    for (k = 0; k < n; k++) shape[k] = x->shape[axes[k]];
    t = node(X_TRANSPOSE, n, shape);
    t->inner = x;
    memcpy(t->axes, axes, (size_t)n * sizeof *axes);
    t->naxes = n;
    return t;
}

const ts_expr *tx_swap(const ts_expr *x) {
    static const int SWAP[2] = {1, 0};
    return tx_transpose(x, 2, SWAP);
}

const ts_expr *tx_reshape(const ts_expr *x, int ndim, const int64_t *shape) {
    ts_expr *r;
    if (same_shape(ndim, shape, x->ndim, x->shape)) return x;
    if (x->kind == X_RESHAPE) return tx_reshape(x->inner, ndim, shape);
    if (x->kind == X_ZERO) return tx_zero(ndim, shape);
    r = node(X_RESHAPE, ndim, shape);
    r->inner = x;
    return r;
}

const ts_expr *tx_take(const ts_expr *x, int axis, int64_t start, int64_t stop) {
    int64_t shape[8];
    ts_expr *s;
    if (start == 0 && stop == x->shape[axis]) return x;
    memcpy(shape, x->shape, sizeof shape);
    shape[axis] = stop - start;
    if (x->kind == X_ZERO) return tx_zero(x->ndim, shape);
    if (x->kind == X_SLICE && x->axis == axis) return tx_take(x->inner, axis, x->start + start, x->start + stop);
    if (x->kind == X_CONCAT && x->axis == axis) {
        int64_t offset = 0;
        int k;
        for (k = 0; k < x->nparts; k++) {
            int64_t size = x->parts[k]->shape[axis];
            if (offset <= start && stop <= offset + size) return tx_take(x->parts[k], axis, start - offset, stop - offset);
            offset += size;
        }
    }
    s = node(X_SLICE, x->ndim, shape);
    s->inner = x;
    s->axis = axis;
    s->start = start;
    return s;
}

const ts_expr *tx_gate(const ts_expr *x, int q, int n) {
    int64_t size = x->shape[0] / n;
    return tx_take(x, 0, q * size, (q + 1) * size);
}

const ts_expr *tx_flip(const ts_expr *x, int n, const int *axes) {
    ts_expr *f;
    if (!n) return x;
    f = node(X_FLIP, x->ndim, x->shape);
    f->inner = x;
    memcpy(f->axes, axes, (size_t)n * sizeof *axes);
    f->naxes = n;
    return f;
}

const ts_expr *tx_concat(int n, const ts_expr *const *parts, int axis) {
    int64_t shape[8];
    ts_expr *c;
    int k;
    if (n == 1) return parts[0];
    memcpy(shape, parts[0]->shape, sizeof shape);
    shape[axis] = 0;
    for (k = 0; k < n; k++) shape[axis] += parts[k]->shape[axis];
    c = node(X_CONCAT, parts[0]->ndim, shape);
    c->parts = ts_alloc((size_t)n * sizeof *c->parts);
    memcpy(c->parts, parts, (size_t)n * sizeof *parts);
    c->nparts = n;
    c->axis = axis;
    return c;
}

const ts_expr *tx_merge(const ts_expr *same_side, const ts_expr *other, const char *what) {
    ts_expr *m = node(X_MERGE, same_side->ndim, same_side->shape);
    m->inner = same_side;
    m->other = other;
    m->what = what;
    return m;
}

/* x with its operands replaced (through the simplifying constructors). */
static const ts_expr *rebuild(const ts_expr *x, const ts_expr *inner, const ts_expr *const *parts) {
    switch (x->kind) {
    case X_TRANSPOSE: return tx_transpose(inner, x->naxes, x->axes);
    case X_RESHAPE: return tx_reshape(inner, x->ndim, x->shape);
    case X_SLICE: return tx_take(inner, x->axis, x->start, x->start + x->shape[x->axis]);
    case X_FLIP: return tx_flip(inner, x->naxes, x->axes);
    case X_CONCAT: return tx_concat(x->nparts, parts, x->axis);
    default: return x;
    }
}

/* Whether every block x reads is zero: a zeros block, or a source zero by its scheme. */
static int is_zero(const ts_expr *x, int (*is_zero_source)(void *, int), void *ctx) {
    int k;
    switch (x->kind) {
    case X_ZERO: return 1;
    case X_SRC: return is_zero_source(ctx, x->src);
    case X_CONCAT:
        for (k = 0; k < x->nparts; k++) if (!is_zero(x->parts[k], is_zero_source, ctx)) return 0;
        return 1;
    case X_MERGE: return is_zero(x->inner, is_zero_source, ctx) && is_zero(x->other, is_zero_source, ctx);
    default: return is_zero(x->inner, is_zero_source, ctx);
    }
}

const ts_expr *tx_resolve_merges(const ts_expr *x, int (*is_zero_source)(void *, int), void *ctx,
                                 const char **what) {
    const ts_expr **parts, *inner;
    int k;
    switch (x->kind) {
    case X_SRC: case X_ZERO: return x;
    case X_MERGE:
        if (is_zero(x->other, is_zero_source, ctx)) return tx_resolve_merges(x->inner, is_zero_source, ctx, what);
        if (is_zero(x->inner, is_zero_source, ctx)) return tx_resolve_merges(x->other, is_zero_source, ctx, what);
        *what = x->what;
        return NULL;
    case X_CONCAT:
        parts = ts_alloc((size_t)x->nparts * sizeof *parts);
        for (k = 0; k < x->nparts; k++)
            if (!(parts[k] = tx_resolve_merges(x->parts[k], is_zero_source, ctx, what))) return NULL;
        return rebuild(x, NULL, parts);
    default:
        if (!(inner = tx_resolve_merges(x->inner, is_zero_source, ctx, what))) return NULL;
        return rebuild(x, inner, NULL);
    }
}

int tx_reads_source(const ts_expr *x) {
    int k;
    switch (x->kind) {
    case X_SRC: return 1;
    case X_ZERO: return 0;
    case X_CONCAT:
        for (k = 0; k < x->nparts; k++) if (tx_reads_source(x->parts[k])) return 1;
        return 0;
    case X_MERGE: return tx_reads_source(x->inner) || tx_reads_source(x->other);
    default: return tx_reads_source(x->inner);
    }
}

/* ---- The gather (18.1 read per element, 18.5) ------------------------------------------------ */

static void unravel(int64_t flat, int n, const int64_t *shape, int64_t *index) {
    int k;
    for (k = n - 1; k >= 0; k--) { index[k] = flat % shape[k]; flat /= shape[k]; }
}

static int64_t ravel(int n, const int64_t *index, const int64_t *shape) {
    int64_t flat = 0;
    int k;
    for (k = 0; k < n; k++) flat = flat * shape[k] + index[k];
    return flat;
}

/* Which block element `flat` of x is: the source (or -1 for zero) and the element within it. */
static int locate(const ts_expr *x, int64_t flat, int64_t *at) {
    int64_t i[8], j[8];
    int k;
    for (;;) {
        switch (x->kind) {
        case X_SRC: *at = flat; return x->src;
        case X_ZERO: return -1;
        case X_RESHAPE: x = x->inner; continue;
        case X_TRANSPOSE: /* result axis k is inner axis axes[k] */
            unravel(flat, x->ndim, x->shape, i);
            for (k = 0; k < x->ndim; k++) j[x->axes[k]] = i[k];
            x = x->inner;
            flat = ravel(x->ndim, j, x->shape);
            continue;
        case X_SLICE:
            unravel(flat, x->ndim, x->shape, i);
            i[x->axis] += x->start;
            x = x->inner;
            flat = ravel(x->ndim, i, x->shape);
            continue;
        case X_FLIP:
            unravel(flat, x->ndim, x->shape, i);
            for (k = 0; k < x->naxes; k++) i[x->axes[k]] = x->shape[x->axes[k]] - 1 - i[x->axes[k]];
            x = x->inner;
            flat = ravel(x->ndim, i, x->shape);
            continue;
        case X_CONCAT:
            unravel(flat, x->ndim, x->shape, i);
            for (k = 0; i[x->axis] >= x->parts[k]->shape[x->axis]; k++) i[x->axis] -= x->parts[k]->shape[x->axis];
            x = x->parts[k];
            flat = ravel(x->ndim, i, x->shape);
            continue;
        default: /* merges are resolved before anything is generated (18.3) */
            ts_fail("internal: an unresolved merge in an export expression");
            return -1;
        }
    }
}

void ts_gather_fill(const ts_gather *g, ts_dtype dt, int64_t start, size_t count, uint32_t *words,
                    double *values, unsigned char *out) {
    size_t size = ts_dtype_size(dt), i, run_at = 0, run_len = 0;
    int run_src = -2;
    int64_t run_first = 0;
    for (i = 0; i <= count; i++) {
        int64_t at = 0;
        int s = i < count ? locate(g->expr, start + (int64_t)i, &at) : -3;
        if (s == run_src && (s < 0 || at == run_first + (int64_t)run_len)) { run_len++; continue; }
        if (run_len) { /* flush the run: zeros, or consecutive elements of one source */
            if (run_src < 0) memset(out + run_at * size, 0, run_len * size);
            else ts_fill(&g->sources[run_src], run_first, run_len, words, values, out + run_at * size);
        }
        run_src = s; run_first = at; run_at = i; run_len = 1;
    }
}
