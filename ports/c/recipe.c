/* Recipes: strict validation (anything this port does not understand is an error, so a recipe
   gives the reference's bytes or none), the canonical recipe, the plan and the header. */
#include "recipe.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reference service's default limits: a recipe beyond them has no reference file. */
#define LIMIT_TENSOR_ELEMENTS ((int64_t)1 << 31)
#define LIMIT_TOTAL_ELEMENTS ((int64_t)1 << 33)
#define LIMIT_TENSORS 10000
/* Integers other than the seed are printed in the canonical recipe as JSON numbers, which must
   be exact doubles; the reference refuses larger magnitudes. */
#define EXACT_INT ((uint64_t)1 << 53)
#define INT63_MAX 0x7FFFFFFFFFFFFFFFull

static const char *DTYPE_NAMES[4] = {"float32", "float64", "float16", "bfloat16"};
static const char *DTYPE_ENUM[5] = {"float32", "float64", "float16", "bfloat16", NULL}; /* ts_dtype order */
static const char *DTYPE_ST[4] = {"F32", "F64", "F16", "BF16"};
static const double DTYPE_MAX[4] = {3.4028234663852886e38, 1.7976931348623157e308, 65504.0,
                                    3.3895313892515355e38};

static const char *NONLINEARITIES[] = {"linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                                       "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu",
                                       "leaky_relu", "selu", NULL};
static const char *MODES[] = {"fan_in", "fan_out", NULL};

/* ---- Schemes (spec section 8) ------------------------------------------------------------- */

typedef enum { P_FLOAT, P_ENUM } pkind;
typedef struct {
    const char *name;
    pkind kind;
    int required;
    double def;
    const char *def_enum;
    const char **values;
    int has_min, has_gt;
    double bound;
} param_spec;

typedef struct {
    const char *name;
    int uses_fans;
    param_spec params[4];
} scheme_spec;

#define KAIMING_PARAMS {{"a", P_FLOAT, 0, 0.0, NULL, NULL, 0, 0, 0}, \
    {"mode", P_ENUM, 0, 0, "fan_in", MODES, 0, 0, 0}, \
    {"nonlinearity", P_ENUM, 0, 0, "leaky_relu", NONLINEARITIES, 0, 0, 0}}

static const scheme_spec SCHEMES[] = {
    {"zeros", 0, {{0}}},
    {"ones", 0, {{0}}},
    {"constant", 0, {{"value", P_FLOAT, 1, 0, NULL, NULL, 0, 0, 0}}},
    {"uniform", 0, {{"a", P_FLOAT, 0, 0.0, NULL, NULL, 0, 0, 0}, {"b", P_FLOAT, 0, 1.0, NULL, NULL, 0, 0, 0}}},
    {"normal", 0, {{"mean", P_FLOAT, 0, 0.0, NULL, NULL, 0, 0, 0}, {"std", P_FLOAT, 0, 1.0, NULL, NULL, 1, 0, 0.0}}},
    {"trunc_normal", 0, {{"mean", P_FLOAT, 0, 0.0, NULL, NULL, 0, 0, 0}, {"std", P_FLOAT, 0, 1.0, NULL, NULL, 0, 1, 0.0},
                         {"a", P_FLOAT, 0, -2.0, NULL, NULL, 0, 0, 0}, {"b", P_FLOAT, 0, 2.0, NULL, NULL, 0, 0, 0}}},
    {"xavier_uniform", 1, {{"gain", P_FLOAT, 0, 1.0, NULL, NULL, 1, 0, 0.0}}},
    {"xavier_normal", 1, {{"gain", P_FLOAT, 0, 1.0, NULL, NULL, 1, 0, 0.0}}},
    {"kaiming_uniform", 1, KAIMING_PARAMS},
    {"kaiming_normal", 1, KAIMING_PARAMS},
    {"fan_in_uniform", 1, {{0}}},
};
#define N_SCHEMES (sizeof SCHEMES / sizeof SCHEMES[0])

static const char *LAYER_TYPES[] = {"linear", "conv1d", "conv2d", "conv3d", "embedding", NULL};

const char *ts_capabilities(void) {
    static char out[1024];
    size_t k;
    int o = snprintf(out, sizeof out, "{\"port\":\"c\",\"spec_version\":\"%s\",\"schemes\":[", TS_SPEC_VERSION);
    for (k = 0; k < N_SCHEMES; k++) o += snprintf(out + o, sizeof out - o, "%s\"%s\"", k ? "," : "", SCHEMES[k].name);
    o += snprintf(out + o, sizeof out - o, "],\"layers\":[");
    for (k = 0; LAYER_TYPES[k]; k++) o += snprintf(out + o, sizeof out - o, "%s\"%s\"", k ? "," : "", LAYER_TYPES[k]);
    snprintf(out + o, sizeof out - o, "],\"dtypes\":[\"float32\",\"float64\",\"float16\",\"bfloat16\"]}");
    return out;
}

static const scheme_spec *find_scheme(const char *name) {
    size_t k;
    for (k = 0; k < N_SCHEMES; k++) if (!strcmp(SCHEMES[k].name, name)) return &SCHEMES[k];
    return NULL;
}

/* A validated init: its scheme and parameter values (defaults filled in). */
typedef struct {
    const scheme_spec *scheme;
    double f[4];
    const char *e[4];
} init_t;

/* ---- Field readers -------------------------------------------------------------------------- */

static const char *type_name(const jvalue *v) {
    switch (v->type) {
    case J_NULL: return "null";
    case J_TRUE: case J_FALSE: return "boolean";
    case J_NUM: return v->is_int ? "integer" : "number";
    case J_STR: return "string";
    case J_ARR: return "array";
    default: return "object";
    }
}

static double read_float(const jvalue *v, const char *path) {
    if (v->type != J_NUM) ts_fail("%s: expected a number, got %s", path, type_name(v));
    if (!isfinite(v->num)) ts_fail("%s: %s is not a finite binary64 number", path, v->text);
    return v->num;
}

/* An integer literal (no fraction or exponent) with min <= n <= 2^63 - 1 and |n| <= 2^53. */
static int64_t read_int(const jvalue *v, const char *path, int has_min, int64_t min) {
    const char *t;
    uint64_t mag = 0;
    int neg, big = 0;
    int64_t n;
    if (v->type != J_NUM || !v->is_int) ts_fail("%s: expected an integer, got %s", path, type_name(v));
    t = v->text;
    neg = *t == '-';
    if (neg) t++;
    for (; *t; t++) {
        if (mag > (UINT64_MAX - 9) / 10) big = 1;
        else mag = mag * 10 + (uint64_t)(*t - '0');
    }
    if (neg && mag == 0 && !big) neg = 0; /* -0 is the integer 0 */
    if (big || mag > EXACT_INT) {
        if (neg && has_min) ts_fail("%s: must be >= %lld, got %s", path, (long long)min, v->text);
        if (!neg && (big || mag > INT63_MAX)) ts_fail("%s: must be <= %llu, got %s", path, INT63_MAX, v->text);
        ts_fail("%s: %s is not exactly representable as a JSON number (|n| > 2^53)", path, v->text);
    }
    n = neg ? -(int64_t)mag : (int64_t)mag;
    if (has_min && n < min) ts_fail("%s: must be >= %lld, got %s", path, (long long)min, v->text);
    return n;
}

static int read_enum(const jvalue *v, const char **values, const char *path) {
    int k;
    if (v->type == J_STR)
        for (k = 0; values[k]; k++) if (jstr_eq(v->str, values[k])) return k;
    ts_fail("%s: expected one of the documented values, got %s", path, type_name(v));
    return -1;
}

static void read_name(const jvalue *v, const char *path) {
    size_t k;
    if (v->type != J_STR) ts_fail("%s: expected a string, got %s", path, type_name(v));
    if (v->str.len == 0) ts_fail("%s: names must not be empty", path);
    for (k = 0; k < v->str.len; k++) {
        uint32_t c = v->str.cp[k];
        if (c < 0x20 || c == 0x7F) ts_fail("%s: names must not contain control characters", path);
        if (c >= 0xD800 && c <= 0xDFFF) ts_fail("%s: names must not contain lone surrogates", path);
    }
    if (v->str.len > 256) ts_fail("%s: names are at most 256 characters", path); /* code points */
    if (jstr_eq(v->str, "__metadata__")) ts_fail("%s: '__metadata__' is reserved by the safetensors format", path);
}

static void check_fields(const jvalue *v, const char *path, const char **allowed) {
    size_t j;
    int k;
    if (v->type != J_OBJ) ts_fail("%s: expected an object, got %s", path, type_name(v));
    for (j = 0; j < v->n; j++) {
        int ok = 0;
        for (k = 0; allowed[k]; k++) if (jstr_eq(v->keys[j], allowed[k])) ok = 1;
        if (!ok) {
            size_t len;
            ts_fail("%s: unknown field \"%s\"", path, (char *)jstr_utf8(v->keys[j], &len));
        }
    }
}

static const jvalue *required(const jvalue *obj, const char *key, const char *path) {
    const jvalue *v = json_get(obj, key);
    if (!v) ts_fail("%s.%s: field required", path, key);
    return v;
}

static char *pathf(const char *fmt, ...) {
    char *p = ts_alloc(300);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p, 300, fmt, ap);
    va_end(ap);
    return p;
}

/* ---- Inits -------------------------------------------------------------------------------- */

static void read_init(const jvalue *v, const char *path, init_t *out, jvalue **canon) {
    const jvalue *s;
    const scheme_spec *sp = NULL;
    const char *allowed[6];
    size_t k;
    int p;
    if (v->type != J_OBJ) ts_fail("%s: expected an object, got %s", path, type_name(v));
    s = required(v, "scheme", path);
    if (s->type == J_STR)
        for (k = 0; k < N_SCHEMES; k++) if (jstr_eq(s->str, SCHEMES[k].name)) sp = &SCHEMES[k];
    if (!sp) ts_fail("%s.scheme: unsupported scheme (this port knows zeros, ones, constant, uniform, normal, "
                     "trunc_normal, xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal, fan_in_uniform)", path);
    allowed[0] = "scheme";
    for (p = 0; p < 4 && sp->params[p].name; p++) allowed[p + 1] = sp->params[p].name;
    allowed[p + 1] = NULL;
    check_fields(v, path, allowed);
    *canon = json_new(J_OBJ);
    json_set(*canon, "scheme", json_str(s->str));
    out->scheme = sp;
    for (p = 0; p < 4 && sp->params[p].name; p++) {
        const param_spec *ps = &sp->params[p];
        const jvalue *x = json_get(v, ps->name);
        char *at = pathf("%s.%s", path, ps->name);
        if (!x) {
            if (ps->required) ts_fail("%s: field required", at);
            out->f[p] = ps->def;
            out->e[p] = ps->def_enum;
            continue;
        }
        if (ps->kind == P_ENUM) {
            out->e[p] = ps->values[read_enum(x, ps->values, at)];
            json_set(*canon, ps->name, json_str_ascii(out->e[p]));
        } else {
            double f = read_float(x, at);
            if (ps->has_min && !(f >= ps->bound)) ts_fail("%s: must be >= %g", at, ps->bound);
            if (ps->has_gt && !(f > ps->bound)) ts_fail("%s: must be > %g", at, ps->bound);
            out->f[p] = f;
            json_set(*canon, ps->name, json_num(f));
        }
    }
    if (!strcmp(sp->name, "uniform") && !(out->f[0] <= out->f[1])) ts_fail("%s: uniform needs a <= b", path);
    if (!strcmp(sp->name, "trunc_normal") && !(out->f[2] < out->f[3])) ts_fail("%s: trunc_normal needs a < b", path);
}

/* Gain table, as the square scale = gain^2. */
static double gain_scale(const char *nl, double a) {
    if (!strcmp(nl, "tanh")) return 25.0 / 9.0;
    if (!strcmp(nl, "relu")) return 2.0;
    if (!strcmp(nl, "leaky_relu")) return 2.0 / (1 + a * a);
    if (!strcmp(nl, "selu")) return 9.0 / 16.0;
    return 1.0;
}

typedef struct { int defined; double fan_in, fan_out; } fans_t;

static void in_range(double x, ts_dtype dt, const char *path) {
    if (!(fabs(x) <= DTYPE_MAX[dt])) {
        char num[40];
        if (isfinite(x)) format_number(x, num); else strcpy(num, x > 0 ? "inf" : "-inf");
        ts_fail("%s: value %s is outside the finite range of %s", path, num, DTYPE_NAMES[dt]);
    }
}

static ts_sampler uniform_checked(double low, double high, ts_dtype dt, const char *path) {
    in_range(low, dt, path);
    in_range(high, dt, path);
    return ts_uniform(low, high, dt == DT_F64);
}

static ts_sampler variance_scaling(double scale, double fan, int uniform, ts_dtype dt, const char *path) {
    double variance = scale / fan;
    if (uniform) {
        double bound = sqrt(3 * variance);
        return uniform_checked(-bound, bound, dt, path);
    }
    return ts_normal(0, sqrt(variance));
}

static ts_sampler sampler_of(const init_t *in, fans_t fans, ts_dtype dt, const char *path) {
    const char *name = in->scheme->name;
    const double *f = in->f;
    if (in->scheme->uses_fans && !fans.defined)
        ts_fail("%s: %s needs fan_in and fan_out, which are undefined for tensors with fewer than 2 "
                "dimensions; give fan_in/fan_out explicitly", path, name);
    if (!strcmp(name, "zeros")) return ts_constant(0.0);
    if (!strcmp(name, "ones")) return ts_constant(1.0);
    if (!strcmp(name, "constant")) { in_range(f[0], dt, path); return ts_constant(f[0]); }
    if (!strcmp(name, "uniform")) return uniform_checked(f[0], f[1], dt, path);
    if (!strcmp(name, "normal")) return ts_normal(f[0], f[1]);
    if (!strcmp(name, "trunc_normal")) {
        double mean = f[0], std = f[1], a = f[2], b = f[3];
        ts_sampler s;
        in_range(a, dt, path);
        in_range(b, dt, path);
        if (!ts_trunc_normal(mean, std, (a - mean) / std, (b - mean) / std, a, b, &s))
            ts_fail("%s: trunc_normal interval holds no probability representable in binary64", path);
        return s;
    }
    if (!strcmp(name, "xavier_uniform") || !strcmp(name, "xavier_normal")) {
        /* fan_avg: the integer sum (each fan below 2^53, so the f64 sum rounds it once) / 2 */
        double fan_avg = (fans.fan_in + fans.fan_out) / 2;
        return variance_scaling(f[0] * f[0], fan_avg, name[7] == 'u', dt, path);
    }
    if (!strcmp(name, "kaiming_uniform") || !strcmp(name, "kaiming_normal")) {
        double fan = !strcmp(in->e[1], "fan_in") ? fans.fan_in : fans.fan_out;
        return variance_scaling(gain_scale(in->e[2], f[0]), fan, name[8] == 'u', dt, path);
    }
    if (!strcmp(name, "fan_in_uniform")) {
        double bound = 1 / sqrt(fans.fan_in);
        return uniform_checked(-bound, bound, dt, path);
    }
    ts_fail("%s: internal: scheme %s has no sampler", path, name);
    return ts_constant(0);
}

/* ---- Layers and tensors ------------------------------------------------------------------- */

typedef struct {
    jstr name;
    int ndim;
    int64_t shape[8];
    int has_init;
    init_t init;
    fans_t fans;
    int64_t zero_begin, zero_end;
    const char *path;
} spec_t;

typedef struct { spec_t *items; size_t n, cap; } specs_t;

static spec_t *push_spec(specs_t *s) {
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        spec_t *p = ts_alloc(cap * sizeof(spec_t));
        if (s->n) memcpy(p, s->items, s->n * sizeof(spec_t));
        s->items = p; s->cap = cap;
    }
    memset(&s->items[s->n], 0, sizeof(spec_t));
    return &s->items[s->n++];
}

static fans_t fans_of_shape(int ndim, const int64_t *shape) {
    fans_t f = {0, 0, 0};
    int64_t receptive = 1;
    int k;
    if (ndim < 2) return f;
    for (k = 2; k < ndim; k++) receptive *= shape[k];
    f.defined = 1;
    f.fan_in = (double)(shape[1] * receptive);
    f.fan_out = (double)(shape[0] * receptive);
    return f;
}

static jstr suffixed(jstr name, const char *suffix) {
    size_t n = strlen(suffix), k;
    jstr s;
    s.cp = ts_alloc((name.len + n + 1) * 4);
    memcpy(s.cp, name.cp, name.len * 4);
    s.cp[name.len] = '.';
    for (k = 0; k < n; k++) s.cp[name.len + 1 + k] = (unsigned char)suffix[k];
    s.len = name.len + 1 + n;
    return s;
}

/* Element counts of shapes are checked against the limits before anything multiplies them. */
static void check_numel(int ndim, const int64_t *shape, const char *path) {
    int64_t n = 1;
    int k;
    for (k = 0; k < ndim; k++) {
        if (shape[k] > LIMIT_TENSOR_ELEMENTS || n * shape[k] > LIMIT_TENSOR_ELEMENTS)
            ts_fail("%s: more than %lld elements (the per-tensor limit)", path, (long long)LIMIT_TENSOR_ELEMENTS);
        n *= shape[k];
    }
}

static jvalue *read_layer(const jvalue *v, const char *path, specs_t *out) {
    static const char *LINEAR[] = {"type", "name", "in_features", "out_features", "bias", "init", NULL};
    static const char *CONV[] = {"type", "name", "in_channels", "out_channels", "kernel_size", "groups", "bias",
                                 "init", NULL};
    static const char *EMB[] = {"type", "name", "num_embeddings", "embedding_dim", "padding_idx", "init", NULL};
    const jvalue *t, *x, *name;
    jvalue *canon;
    int type = -1, bias = 1, k, nparams = 0;
    const char *suffixes[2];
    int64_t shapes[2][8];
    int ndims[2];
    int64_t zb = 0, ze = 0;
    static const init_t *defaults[2];
    static init_t DEF_WEIGHT, DEF_BIAS, DEF_EMB;
    init_t overrides[2];
    int has_override[2] = {0, 0};
    fans_t fans;

    DEF_WEIGHT.scheme = find_scheme("kaiming_uniform"); /* a = sqrt(5), fan_in, leaky_relu */
    DEF_WEIGHT.f[0] = sqrt(5.0); DEF_WEIGHT.e[1] = "fan_in"; DEF_WEIGHT.e[2] = "leaky_relu";
    DEF_BIAS.scheme = find_scheme("fan_in_uniform");
    DEF_EMB.scheme = find_scheme("normal"); /* mean 0, std 1 */
    DEF_EMB.f[0] = 0.0; DEF_EMB.f[1] = 1.0;

    if (v->type != J_OBJ) ts_fail("%s: expected an object, got %s", path, type_name(v));
    t = required(v, "type", path);
    if (t->type == J_STR) for (k = 0; LAYER_TYPES[k]; k++) if (jstr_eq(t->str, LAYER_TYPES[k])) type = k;
    if (type < 0) ts_fail("%s.type: unsupported layer type (this port knows linear, conv1d, conv2d, conv3d, embedding)", path);
    check_fields(v, path, type == 0 ? LINEAR : type == 4 ? EMB : CONV);
    canon = json_new(J_OBJ);
    json_set(canon, "type", json_str_ascii(LAYER_TYPES[type]));
    name = required(v, "name", path);
    read_name(name, pathf("%s.name", path));
    json_set(canon, "name", json_str(name->str));
#define INT_FIELD(var, key) do { \
        var = read_int(required(v, key, path), pathf("%s.%s", path, key), 1, 1); \
        json_set(canon, key, json_num((double)var)); } while (0)
    if ((x = json_get(v, "bias"))) {
        if (x->type != J_TRUE && x->type != J_FALSE) ts_fail("%s.bias: expected a boolean, got %s", path, type_name(x));
        bias = x->type == J_TRUE;
        json_set(canon, "bias", json_new(x->type));
    }
    if (type == 0) {
        int64_t in_f, out_f;
        INT_FIELD(in_f, "in_features");
        INT_FIELD(out_f, "out_features");
        suffixes[0] = "weight"; ndims[0] = 2; shapes[0][0] = out_f; shapes[0][1] = in_f;
        defaults[0] = &DEF_WEIGHT;
        nparams = 1;
        if (bias) { suffixes[1] = "bias"; ndims[1] = 1; shapes[1][0] = out_f; defaults[1] = &DEF_BIAS; nparams = 2; }
    } else if (type <= 3) {
        int dims = type, kk;
        int64_t in_c, out_c, groups = 1, kernel[3];
        const jvalue *ks;
        INT_FIELD(in_c, "in_channels");
        INT_FIELD(out_c, "out_channels");
        ks = required(v, "kernel_size", path);
        if (ks->type == J_ARR) {
            jvalue *arr;
            if (ks->n < 1 || ks->n > 3) ts_fail("%s.kernel_size: a list of 1 to 3 sizes, got %zu", path, ks->n);
            if ((int)ks->n != dims) ts_fail("%s.kernel_size: %s needs %d kernel sizes, got %zu", path, LAYER_TYPES[type], dims, ks->n);
            arr = json_arr(ks->n);
            for (kk = 0; kk < dims; kk++) {
                kernel[kk] = read_int(ks->items[kk], pathf("%s.kernel_size.%d", path, kk), 1, 1);
                arr->items[kk] = json_num((double)kernel[kk]);
            }
            json_set(canon, "kernel_size", arr);
        } else {
            int64_t kv = read_int(ks, pathf("%s.kernel_size", path), 1, 1);
            for (kk = 0; kk < dims; kk++) kernel[kk] = kv;
            json_set(canon, "kernel_size", json_num((double)kv));
        }
        if (json_get(v, "groups")) INT_FIELD(groups, "groups");
        if (in_c % groups) ts_fail("%s.in_channels: in_channels must be divisible by groups", path);
        if (out_c % groups) ts_fail("%s.out_channels: out_channels must be divisible by groups", path);
        suffixes[0] = "weight"; ndims[0] = 2 + dims;
        shapes[0][0] = out_c; shapes[0][1] = in_c / groups;
        for (kk = 0; kk < dims; kk++) shapes[0][2 + kk] = kernel[kk];
        defaults[0] = &DEF_WEIGHT;
        nparams = 1;
        if (bias) { suffixes[1] = "bias"; ndims[1] = 1; shapes[1][0] = out_c; defaults[1] = &DEF_BIAS; nparams = 2; }
    } else {
        int64_t num, dim;
        INT_FIELD(num, "num_embeddings");
        INT_FIELD(dim, "embedding_dim");
        if ((x = json_get(v, "padding_idx"))) {
            if (x->type == J_NULL) {
                json_set(canon, "padding_idx", json_new(J_NULL));
            } else {
                int64_t idx = read_int(x, pathf("%s.padding_idx", path), 0, 0), row;
                json_set(canon, "padding_idx", json_num((double)idx));
                if (idx < -num || idx >= num) ts_fail("%s.padding_idx: padding_idx must be within [-%lld, %lld)",
                                                      path, (long long)num, (long long)num);
                row = idx < 0 ? idx + num : idx;
                check_numel(2, (int64_t[]){num, dim}, path);
                zb = row * dim; ze = (row + 1) * dim;
            }
        }
        suffixes[0] = "weight"; ndims[0] = 2; shapes[0][0] = num; shapes[0][1] = dim;
        defaults[0] = &DEF_EMB;
        nparams = 1;
    }
    if ((x = json_get(v, "init"))) {
        if (x->type == J_NULL) {
            json_set(canon, "init", json_new(J_NULL));
        } else {
            jvalue *ci = json_new(J_OBJ);
            size_t j;
            if (x->type != J_OBJ) ts_fail("%s.init: expected an object, got %s", path, type_name(x));
            for (j = 0; j < x->n; j++) {
                int which = -1;
                jvalue *c;
                size_t len;
                for (k = 0; k < nparams; k++) if (jstr_eq(x->keys[j], suffixes[k])) which = k;
                if (which < 0) ts_fail("%s.init: the %s layer has no parameter \"%s\"", path, LAYER_TYPES[type],
                                       (char *)jstr_utf8(x->keys[j], &len));
                read_init(x->vals[j], pathf("%s.init.%s", path, suffixes[which]), &overrides[which], &c);
                has_override[which] = 1;
                json_set(ci, suffixes[which], c);
            }
            json_set(canon, "init", ci);
        }
    }
    check_numel(ndims[0], shapes[0], path);
    fans = fans_of_shape(ndims[0], shapes[0]); /* a bias uses its layer's weight fans */
    for (k = 0; k < nparams; k++) {
        spec_t *s = push_spec(out);
        s->name = suffixed(name->str, suffixes[k]);
        s->ndim = ndims[k];
        memcpy(s->shape, shapes[k], sizeof shapes[k]);
        s->init = has_override[k] ? overrides[k] : *defaults[k];
        s->fans = fans;
        s->zero_begin = k == 0 ? zb : 0;
        s->zero_end = k == 0 ? ze : 0;
        s->path = path;
    }
#undef INT_FIELD
    return canon;
}

static jvalue *read_tensor(const jvalue *v, const char *path, specs_t *out) {
    static const char *FIELDS[] = {"name", "shape", "init", "fan_in", "fan_out", NULL};
    const jvalue *name, *shape, *x;
    jvalue *canon, *cshape, *cinit;
    spec_t *s;
    size_t k;
    int64_t over[2] = {0, 0};
    check_fields(v, path, FIELDS);
    canon = json_new(J_OBJ);
    name = required(v, "name", path);
    read_name(name, pathf("%s.name", path));
    json_set(canon, "name", json_str(name->str));
    shape = required(v, "shape", path);
    if (shape->type != J_ARR) ts_fail("%s.shape: expected an array, got %s", path, type_name(shape));
    if (shape->n < 1 || shape->n > 8) ts_fail("%s.shape: 1 to 8 dimensions, got %zu", path, shape->n);
    s = push_spec(out);
    s->name = name->str;
    s->ndim = (int)shape->n;
    s->path = path;
    cshape = json_arr(shape->n);
    for (k = 0; k < shape->n; k++) {
        s->shape[k] = read_int(shape->items[k], pathf("%s.shape.%zu", path, k), 1, 1);
        cshape->items[k] = json_num((double)s->shape[k]);
    }
    json_set(canon, "shape", cshape);
    check_numel(s->ndim, s->shape, path);
    read_init(required(v, "init", path), pathf("%s.init", path), &s->init, &cinit);
    json_set(canon, "init", cinit);
    for (k = 0; k < 2; k++) {
        const char *key = k ? "fan_out" : "fan_in";
        if (!(x = json_get(v, key))) continue;
        if (x->type == J_NULL) { json_set(canon, key, json_new(J_NULL)); continue; }
        over[k] = read_int(x, pathf("%s.%s", path, key), 1, 1);
        json_set(canon, key, json_num((double)over[k]));
    }
    s->fans = fans_of_shape(s->ndim, s->shape);
    if (!s->fans.defined && over[0] && over[1]) {
        s->fans.defined = 1;
        s->fans.fan_in = (double)over[0];
        s->fans.fan_out = (double)over[1];
    } else if (s->fans.defined) {
        if (over[0]) s->fans.fan_in = (double)over[0];
        if (over[1]) s->fans.fan_out = (double)over[1];
    }
    return canon;
}

static uint64_t read_seed(const jvalue *v) {
    const char *t = NULL;
    char buf[32];
    uint64_t n = 0;
    int neg = 0;
    size_t k;
    if (v->type == J_NUM && v->is_int) {
        t = v->text;
        if (*t == '-') { neg = 1; t++; }
    } else if (v->type == J_STR) {
        if (v->str.len < 1 || v->str.len > 20) ts_fail("seed: a seed string holds 1 to 20 decimal digits");
        for (k = 0; k < v->str.len; k++) {
            if (v->str.cp[k] < '0' || v->str.cp[k] > '9') ts_fail("seed: a seed string holds 1 to 20 decimal digits");
            buf[k] = (char)v->str.cp[k];
        }
        buf[v->str.len] = 0;
        t = buf;
    } else {
        ts_fail("seed: expected an integer or a string of decimal digits, got %s", type_name(v));
    }
    for (; *t; t++) {
        unsigned d = (unsigned)(*t - '0');
        if (n > (UINT64_MAX - d) / 10) ts_fail("seed: must be in [0, 18446744073709551615] (an unsigned 64-bit integer)");
        n = n * 10 + d;
    }
    if (neg && n) ts_fail("seed: must be in [0, 18446744073709551615] (an unsigned 64-bit integer)");
    return n;
}

/* ---- The plan ------------------------------------------------------------------------------- */

static int by_name(const void *a, const void *b) {
    return jstr_cmp_utf16(((const ts_tensor *)a)->name, ((const ts_tensor *)b)->name);
}

void ts_build_plan(const jvalue *recipe, ts_plan *plan) {
    static const char *FIELDS[] = {"seed", "dtype", "layers", "tensors", NULL};
    jvalue *canon = json_new(J_OBJ), *header, *meta;
    const jvalue *x;
    uint64_t seed;
    char seedtxt[24];
    specs_t specs = {NULL, 0, 0};
    size_t k, j, hlen;
    int64_t total = 0, offset = 0;
    tsbuf recipe_json = {NULL, 0, 0}, hdr = {NULL, 0, 0};
    unsigned char lenb[8];

    check_fields(recipe, "recipe", FIELDS);
    seed = read_seed(required(recipe, "seed", "recipe"));
    snprintf(seedtxt, sizeof seedtxt, "%llu", (unsigned long long)seed);
    json_set(canon, "seed", json_str_ascii(seedtxt));
    plan->dtype = DT_F32;
    if ((x = json_get(recipe, "dtype"))) {
        plan->dtype = (ts_dtype)read_enum(x, DTYPE_ENUM, "dtype");
        json_set(canon, "dtype", json_str_ascii(DTYPE_NAMES[plan->dtype]));
    }
    for (k = 0; k < 2; k++) {
        const char *key = k ? "tensors" : "layers";
        jvalue *arr;
        if (!(x = json_get(recipe, key))) continue;
        if (x->type != J_ARR) ts_fail("%s: expected an array, got %s", key, type_name(x));
        arr = json_arr(x->n);
        for (j = 0; j < x->n; j++) {
            char *p = pathf("%s.%zu", key, j);
            arr->items[j] = k ? read_tensor(x->items[j], p, &specs) : read_layer(x->items[j], p, &specs);
        }
        json_set(canon, key, arr);
    }
    if (specs.n == 0) ts_fail("a recipe needs at least one layer or tensor");
    if (specs.n > LIMIT_TENSORS) ts_fail("a recipe holds at most %d tensors", LIMIT_TENSORS);

    plan->n = specs.n;
    plan->tensors = ts_alloc(specs.n * sizeof(ts_tensor));
    for (k = 0; k < specs.n; k++) {
        spec_t *s = &specs.items[k];
        ts_tensor *t = &plan->tensors[k];
        char *where;
        for (j = 0; j < k; j++)
            if (specs.items[j].name.len == s->name.len && !memcmp(specs.items[j].name.cp, s->name.cp, s->name.len * 4))
                ts_fail("%s: duplicate tensor name \"%s\"", s->path, (char *)jstr_utf8(s->name, &hlen));
        memset(t, 0, sizeof *t);
        t->name = s->name;
        t->name_utf8 = jstr_utf8(s->name, &t->name_len);
        t->ndim = s->ndim;
        memcpy(t->shape, s->shape, sizeof s->shape);
        t->numel = 1;
        for (j = 0; j < (size_t)s->ndim; j++) t->numel *= s->shape[j];
        total += t->numel;
        if (total > LIMIT_TOTAL_ELEMENTS) ts_fail("%s: the recipe exceeds the limit of %lld elements", s->path,
                                                  (long long)LIMIT_TOTAL_ELEMENTS);
        where = pathf("%s (%s)", s->path, (char *)t->name_utf8);
        t->stream.s = sampler_of(&s->init, s->fans, plan->dtype, where);
        t->stream.key = ts_stream_key(seed, t->name_utf8, t->name_len);
        t->stream.dtype = plan->dtype;
        t->stream.zero_begin = s->zero_begin;
        t->stream.zero_end = s->zero_end;
    }
    qsort(plan->tensors, plan->n, sizeof(ts_tensor), by_name);

    /* The header (section 10): one entry per tensor and __metadata__, canonical JSON. */
    json_canonical(&recipe_json, canon);
    header = json_new(J_OBJ);
    for (k = 0; k < plan->n; k++) {
        ts_tensor *t = &plan->tensors[k];
        jvalue *e = json_new(J_OBJ), *offs = json_arr(2), *shape = json_arr((size_t)t->ndim);
        int64_t size = t->numel * (int64_t)ts_dtype_size(plan->dtype);
        offs->items[0] = json_num((double)offset);
        offs->items[1] = json_num((double)(offset + size));
        offset += size;
        for (j = 0; j < (size_t)t->ndim; j++) shape->items[j] = json_num((double)t->shape[j]);
        json_set(e, "data_offsets", offs);
        json_set(e, "dtype", json_str_ascii(DTYPE_ST[plan->dtype]));
        json_set(e, "shape", shape);
        /* json_set takes ASCII keys; tensor names are set directly */
        json_set(header, "", e);
        header->keys[header->n - 1] = t->name;
    }
    meta = json_new(J_OBJ);
    json_set(meta, "format", json_str_ascii("pt"));
    json_set(meta, "tensorseed.recipe", json_str(jstr_from_utf8(recipe_json.p, recipe_json.len)));
    json_set(meta, "tensorseed.spec", json_str_ascii(TS_SPEC_VERSION));
    json_set(header, "__metadata__", meta);
    json_canonical(&hdr, header);
    hlen = (hdr.len + 7) / 8 * 8;
    while (hdr.len < hlen) buf_put(&hdr, " ", 1);
    for (k = 0; k < 8; k++) lenb[k] = (unsigned char)((uint64_t)hlen >> (8 * k));
    memset(&plan->header, 0, sizeof plan->header);
    buf_put(&plan->header, lenb, 8);
    buf_put(&plan->header, hdr.p, hdr.len);
}
