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

static const char *DTYPE_NAMES[5] = {"float32", "float64", "float16", "bfloat16", "int64"};
static const char *DTYPE_ENUM[5] = {"float32", "float64", "float16", "bfloat16", NULL}; /* ts_dtype order */
static const char *DTYPE_ST[5] = {"F32", "F64", "F16", "BF16", "I64"};
/* int64: 2^63 - 1024, the largest binary64 below 2^63 */
static const double DTYPE_MAX[5] = {3.4028234663852886e38, 1.7976931348623157e308, 65504.0,
                                    3.3895313892515355e38, 9223372036854774784.0};

static const char *NONLINEARITIES[] = {"linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                                       "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu",
                                       "leaky_relu", "selu", NULL};
static const char *MODES[] = {"fan_in", "fan_out", NULL};
static const char *VS_MODES[] = {"fan_in", "fan_out", "fan_avg", "fan_geo_avg", NULL};
static const char *VS_DISTS[] = {"uniform", "normal", "truncated_normal", "untruncated_normal", NULL};
static const char *BLOCKS[] = {"encoder", "decoder", NULL};
static const char *ROLES[] = {"input", "hidden", "output", NULL};
/* Conventions: a name's meaning is torch (0), keras (1) or jax (2); flax (3) means jax. */
static const char *CONVENTIONS[] = {"torch", "keras", "jax", "flax", NULL};
#define MEANING(c) ((c) == 3 ? 2 : (c))

/* ---- Schemes (spec section 8) ------------------------------------------------------------- */

typedef enum { P_NONE, P_FLOAT, P_ENUM, P_INT } pkind;
typedef struct {
    const char *name;
    pkind kind;
    int required;
    int nullable;          /* null is accepted and means "not given" */
    double def;            /* float default */
    int by_convention;     /* float default by meaning: conv_def[torch, keras, jax] */
    double conv_def[3];
    const char *def_enum;
    const char **values;
    int has_min, has_gt, has_lt;
    double min, gt, lt;
    int64_t idef, imin, imax; /* int: default (-1: none, null), bounds */
} param_spec;

typedef struct {
    const char *name;
    const char *alias_of;  /* an alias names the same scheme */
    int uses_fans;
    param_spec params[4];
} scheme_spec;

#define F_(n, d) {n, P_FLOAT, 0, 0, d, 0, {0, 0, 0}, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0}
#define F_MIN(n, d, m) {n, P_FLOAT, 0, 0, d, 0, {0, 0, 0}, NULL, NULL, 1, 0, 0, m, 0, 0, 0, 0, 0}
#define F_GT(n, d, m) {n, P_FLOAT, 0, 0, d, 0, {0, 0, 0}, NULL, NULL, 0, 1, 0, 0, m, 0, 0, 0, 0}
#define F_REQ(n) {n, P_FLOAT, 1, 0, 0, 0, {0, 0, 0}, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0}
#define F_CONV(n, t, k, j, hm, hg) {n, P_FLOAT, 0, 1, 0, 1, {t, k, j}, NULL, NULL, hm, hg, 0, 0, 0, 0, 0, 0, 0}
#define E_(n, d, vals) {n, P_ENUM, 0, 0, 0, 0, {0, 0, 0}, d, vals, 0, 0, 0, 0, 0, 0, 0, 0, 0}
#define I_REQ(n) {n, P_INT, 1, 0, 0, 0, {0, 0, 0}, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 1, INT63_MAX}
#define I_(n, d, lo, hi, nul) {n, P_INT, 0, nul, 0, 0, {0, 0, 0}, NULL, NULL, 0, 0, 0, 0, 0, 0, d, lo, hi}
#define KAIMING_PARAMS {F_("a", 0.0), E_("mode", "fan_in", MODES), E_("nonlinearity", "leaky_relu", NONLINEARITIES)}

static const scheme_spec SCHEMES[] = {
    {"zeros", NULL, 0, {{0}}},
    {"ones", NULL, 0, {{0}}},
    {"constant", NULL, 0, {F_REQ("value")}},
    {"uniform", NULL, 0, {F_CONV("a", 0.0, -0.05, 0.0, 0, 0), F_CONV("b", 1.0, 0.05, 0.01, 0, 0)}},
    {"normal", NULL, 0, {F_("mean", 0.0), F_CONV("std", 1.0, 0.05, 0.01, 1, 0)}},
    {"trunc_normal", NULL, 0, {F_("mean", 0.0), F_GT("std", 1.0, 0.0), F_("a", -2.0), F_("b", 2.0)}},
    {"truncated_normal", NULL, 0, {F_("mean", 0.0), F_CONV("std", 1.0, 0.05, 0.01, 0, 1), F_("a", -2.0), F_("b", 2.0)}},
    {"variance_scaling", NULL, 1, {F_GT("scale", 1.0, 0.0), E_("mode", "fan_in", VS_MODES),
                                   E_("distribution", "truncated_normal", VS_DISTS)}},
    {"xavier_uniform", NULL, 1, {F_MIN("gain", 1.0, 0.0)}},
    {"glorot_uniform", "xavier_uniform", 1, {{0}}},
    {"xavier_normal", NULL, 1, {F_MIN("gain", 1.0, 0.0)}},
    {"glorot_normal", "xavier_normal", 1, {{0}}},
    {"kaiming_uniform", NULL, 1, KAIMING_PARAMS},
    {"he_uniform", "kaiming_uniform", 1, {{0}}},
    {"kaiming_normal", NULL, 1, KAIMING_PARAMS},
    {"he_normal", "kaiming_normal", 1, {{0}}},
    {"lecun_uniform", NULL, 1, {{0}}},
    {"lecun_normal", NULL, 1, {{0}}},
    {"fan_in_uniform", NULL, 1, {{0}}},
    {"selu", NULL, 1, {{0}}},
    {"sparse", NULL, 0, {{"sparsity", P_FLOAT, 1, 0, 0, 0, {0, 0, 0}, NULL, NULL, 1, 0, 1, 0.0, 0, 1.0, 0, 0, 0},
                         F_MIN("std", 0.01, 0.0)}},
    {"eye", NULL, 0, {F_("gain", 1.0)}},
    {"identity", "eye", 0, {{0}}},
    {"irnn", NULL, 0, {F_("gain", 1.0)}},
    {"dirac", NULL, 0, {I_("groups", 1, 1, INT63_MAX, 0)}},
    {"zero", NULL, 0, {{0}}},
    {"lstm_forget_bias", NULL, 0, {F_("value", 1.0)}},
    {"zero_init_residual", NULL, 0, {{0}}},
    {"scaled_residual", NULL, 0, {F_MIN("std", 0.02, 0.0), I_REQ("n_layers")}},
    {"small_init", NULL, 0, {I_REQ("dim")}},
    {"wang_init", NULL, 0, {I_REQ("n_layers"), I_REQ("dim")}},
    {"deepnet", NULL, 1, {I_REQ("n_layers"), I_("decoder_layers", -1, 1, INT63_MAX, 1), E_("block", "encoder", BLOCKS)}},
    {"t_fixup", NULL, 1, {I_REQ("n_layers"), E_("block", "encoder", BLOCKS)}},
    {"t_fixup_embedding", NULL, 0, {I_REQ("n_layers"), I_REQ("dim")}},
    {"fixup", NULL, 1, {I_REQ("n_branches"), I_("m", 2, 2, 64, 0), E_("mode", "fan_out", MODES)}},
    {"mup", NULL, 1, {F_MIN("std", 1.0, 0.0), I_REQ("base_fan_in"), E_("role", "hidden", ROLES)}},
};
#define N_SCHEMES (sizeof SCHEMES / sizeof SCHEMES[0])
/* Tolerance-tier schemes (QR, section 6.3): refused loudly, never approximated. */
static const char *TOLERANCE[] = {"orthogonal", "delta_orthogonal", NULL};

enum {
    L_LINEAR, L_BILINEAR, L_CONV1, L_CONV2, L_CONV3, L_CONVT1, L_CONVT2, L_CONVT3, L_EMBEDDING, L_LAYER_NORM,
    L_RMS_NORM, L_BN1, L_BN2, L_BN3, L_GROUP_NORM, L_RNN, L_LSTM, L_GRU, L_MHA, L_PRELU
};
static const char *LAYER_TYPES[] = {
    "linear", "bilinear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    "conv_transpose3d", "embedding", "layer_norm", "rms_norm", "batch_norm1d", "batch_norm2d", "batch_norm3d",
    "group_norm", "rnn", "lstm", "gru", "multihead_attention", "prelu", NULL};
/* The torch.nn class name of each layer type (same order): the same layer, kept as written. */
static const char *TORCH_CLASS_NAMES[] = {
    "Linear", "Bilinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
    "ConvTranspose3d", "Embedding", "LayerNorm", "RMSNorm", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d",
    "GroupNorm", "RNN", "LSTM", "GRU", "MultiheadAttention", "PReLU", NULL};

/* The export targets (section 18) this port writes for every layer type; a recipe naming another
   is refused (the conformance suite holds the port to this list). */
static const char *EXPORTS[] = {"torch", "keras", "flax", NULL};

const char *ts_capabilities(void) {
    static char out[4096];
    size_t k;
    /* spec_versions: every stream version this port implements (the conformance suite checks the
       port on each); spec_version: the one a recipe without "spec" means. */
    int o = snprintf(out, sizeof out, "{\"port\":\"c\",\"spec_version\":\"%s\",\"spec_versions\":[\"%s\",\"%s\"],"
                     "\"schemes\":[", TS_SPEC_DEFAULT, TS_SPEC_V1, TS_SPEC_V2);
    for (k = 0; k < N_SCHEMES; k++) o += snprintf(out + o, sizeof out - o, "%s\"%s\"", k ? "," : "", SCHEMES[k].name);
    o += snprintf(out + o, sizeof out - o, "],\"layers\":[");
    for (k = 0; LAYER_TYPES[k]; k++) o += snprintf(out + o, sizeof out - o, "%s\"%s\"", k ? "," : "", LAYER_TYPES[k]);
    o += snprintf(out + o, sizeof out - o, "],\"refuses\":{\"schemes\":[\"orthogonal\",\"delta_orthogonal\"],"
                  "\"fields\":[\"rng (other than \\\"portable\\\")\",\"model\"]}");
    o += snprintf(out + o, sizeof out - o, ",\"dtypes\":[\"float32\",\"float64\",\"float16\",\"bfloat16\"]");
    o += snprintf(out + o, sizeof out - o, ",\"exports\":[");
    for (k = 0; EXPORTS[k]; k++) o += snprintf(out + o, sizeof out - o, "%s\"%s\"", k ? "," : "", EXPORTS[k]);
    snprintf(out + o, sizeof out - o, "]}");
    return out;
}

static const scheme_spec *find_scheme(const char *name) {
    size_t k;
    for (k = 0; k < N_SCHEMES; k++) if (!strcmp(SCHEMES[k].name, name)) return &SCHEMES[k];
    return NULL;
}

/* A validated init: its (canonical) scheme and parameter values; isnull[p]: not given, so the
   default applies (for by_convention parameters: the default of the init's meaning). */
typedef struct {
    const scheme_spec *scheme;
    double f[4];
    const char *e[4];
    int64_t i[4];
    int isnull[4];
    int convention;        /* -1: inherited */
    int tolerance;         /* a tolerance-tier default (orthogonal): refused */
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

static int read_convention(const jvalue *v, const char *path, int nullable) {
    if (nullable && v->type == J_NULL) return -1;
    return read_enum(v, CONVENTIONS, path);
}

static void read_init(const jvalue *v, const char *path, init_t *out, jvalue **canon) {
    const jvalue *s, *x;
    const scheme_spec *sp = NULL, *named = NULL;
    const char *allowed[7];
    size_t k;
    int p;
    if (v->type != J_OBJ) ts_fail("%s: expected an object, got %s", path, type_name(v));
    s = required(v, "scheme", path);
    if (s->type == J_STR)
        for (k = 0; TOLERANCE[k]; k++)
            if (jstr_eq(s->str, TOLERANCE[k]))
                ts_fail("%s.scheme: %s is a tolerance-tier scheme (it needs a QR factorization, spec section 6.3): "
                        "its bytes are not defined exactly, so this port does not produce it; use the reference "
                        "service", path, TOLERANCE[k]);
    if (s->type == J_STR)
        for (k = 0; k < N_SCHEMES; k++) if (jstr_eq(s->str, SCHEMES[k].name)) named = &SCHEMES[k];
    if (!named) ts_fail("%s.scheme: unsupported scheme (this port implements the exact tier of the catalogue, "
                        "spec section 8.3)", path);
    sp = named->alias_of ? find_scheme(named->alias_of) : named;
    allowed[0] = "scheme";
    allowed[1] = "convention";
    for (p = 0; p < 4 && sp->params[p].name; p++) allowed[p + 2] = sp->params[p].name;
    allowed[p + 2] = NULL;
    check_fields(v, path, allowed);
    *canon = json_new(J_OBJ);
    json_set(*canon, "scheme", json_str(s->str));
    memset(out, 0, sizeof *out);
    out->scheme = sp;
    out->convention = -1;
    if ((x = json_get(v, "convention"))) {
        out->convention = read_convention(x, pathf("%s.convention", path), 1);
        json_set(*canon, "convention", out->convention < 0 ? json_new(J_NULL) : json_str_ascii(CONVENTIONS[out->convention]));
    }
    for (p = 0; p < 4 && sp->params[p].name; p++) {
        const param_spec *ps = &sp->params[p];
        char *at = pathf("%s.%s", path, ps->name);
        x = json_get(v, ps->name);
        if (!x || (ps->nullable && x->type == J_NULL)) {
            if (!x && ps->required) ts_fail("%s: field required", at);
            if (x) json_set(*canon, ps->name, json_new(J_NULL));
            out->isnull[p] = 1;
            out->f[p] = ps->def;
            out->e[p] = ps->def_enum;
            out->i[p] = ps->idef;
            continue;
        }
        if (ps->kind == P_ENUM) {
            out->e[p] = ps->values[read_enum(x, ps->values, at)];
            json_set(*canon, ps->name, json_str_ascii(out->e[p]));
        } else if (ps->kind == P_INT) {
            int64_t n = read_int(x, at, 1, ps->imin);
            if (n > ps->imax) ts_fail("%s: must be <= %lld", at, (long long)ps->imax);
            out->i[p] = n;
            json_set(*canon, ps->name, json_num((double)n));
        } else {
            double f = read_float(x, at);
            if (ps->has_min && !(f >= ps->min)) ts_fail("%s: must be >= %g", at, ps->min);
            if (ps->has_gt && !(f > ps->gt)) ts_fail("%s: must be > %g", at, ps->gt);
            if (ps->has_lt && !(f < ps->lt)) ts_fail("%s: must be < %g", at, ps->lt);
            out->f[p] = f;
            json_set(*canon, ps->name, json_num(f));
        }
    }
    if (!strcmp(sp->name, "uniform") && !out->isnull[0] && !out->isnull[1] && !(out->f[0] <= out->f[1]))
        ts_fail("%s: uniform needs a <= b", path);
    if ((!strcmp(sp->name, "trunc_normal") || !strcmp(sp->name, "truncated_normal")) && !(out->f[2] < out->f[3]))
        ts_fail("%s: %s needs a < b", path, sp->name);
}

/* A default init of a layer parameter: every parameter at its default. */
static init_t def_init(const char *scheme, int convention) {
    init_t in;
    int p;
    memset(&in, 0, sizeof in);
    in.scheme = find_scheme(scheme);
    in.convention = convention;
    for (p = 0; p < 4 && in.scheme->params[p].name; p++) {
        in.isnull[p] = 1;
        in.f[p] = in.scheme->params[p].def;
        in.e[p] = in.scheme->params[p].def_enum;
        in.i[p] = in.scheme->params[p].idef;
    }
    return in;
}

static init_t def_value(const char *scheme, int p, double value) {
    init_t in = def_init(scheme, -1);
    in.f[p] = value;
    in.isnull[p] = 0;
    return in;
}

static init_t def_symmetric(double b) {
    init_t in = def_init("uniform", -1);
    in.f[0] = -b; in.f[1] = b;
    in.isnull[0] = in.isnull[1] = 0;
    return in;
}

/* Gain table, as the square scale = gain^2. */
static double gain_scale(const char *nl, double a) {
    if (!strcmp(nl, "tanh")) return 25.0 / 9.0;
    if (!strcmp(nl, "relu")) return 2.0;
    if (!strcmp(nl, "leaky_relu")) return 2.0 / (1 + a * a);
    if (!strcmp(nl, "selu")) return 9.0 / 16.0;
    return 1.0;
}

/* f64(x0 * x1 * ...): the product of positive integers formed exactly, rounded once to nearest-even. */
static double f64_product(int n, const uint64_t *xs) {
    uint32_t limb[16];
    int len = 1, k, j, top, bits;
    uint64_t mant = 0, rem;
    int sticky = 0, b;
    memset(limb, 0, sizeof limb);
    limb[0] = 1;
    for (k = 0; k < n; k++) {
        uint32_t out[16], part[2];
        memset(out, 0, sizeof out);
        part[0] = (uint32_t)xs[k]; part[1] = (uint32_t)(xs[k] >> 32);
        for (j = 0; j < 2; j++) {
            uint64_t carry = 0;
            int i;
            for (i = 0; i < len && i + j < 16; i++) {
                uint64_t t = (uint64_t)limb[i] * part[j] + out[i + j] + carry;
                out[i + j] = (uint32_t)t;
                carry = t >> 32;
            }
            for (i = len + j; carry && i < 16; i++) {
                uint64_t t = (uint64_t)out[i] + carry;
                out[i] = (uint32_t)t;
                carry = t >> 32;
            }
        }
        memcpy(limb, out, sizeof out);
        len = 16;
        while (len > 1 && !limb[len - 1]) len--;
    }
    top = len - 1;
    bits = 32 * top;
    { uint32_t t = limb[top]; while (t) { bits++; t >>= 1; } }
    if (bits <= 64) {
        uint64_t v = (uint64_t)limb[0] | (len > 1 ? (uint64_t)limb[1] << 32 : 0);
        if (bits <= 53) return (double)v;
    }
    /* the top 64 bits, then round to 53 with the rest as a sticky bit */
    for (b = bits - 1; b >= 0; b--) {
        int bit = (int)((limb[b / 32] >> (b % 32)) & 1);
        if (b >= bits - 64) mant = mant << 1 | (uint64_t)bit;
        else if (bit) sticky = 1;
    }
    if (bits < 64) mant <<= 64 - bits;
    rem = mant & 0x7FF;
    mant >>= 11;
    if (rem > 0x400 || (rem == 0x400 && (sticky || (mant & 1)))) mant++;
    return ldexp((double)mant, bits - 53);
}

static double f64_1(int64_t a) { uint64_t x[1]; x[0] = (uint64_t)a; return f64_product(1, x); }
static double f64_2(int64_t a, int64_t b) { uint64_t x[2]; x[0] = (uint64_t)a; x[1] = (uint64_t)b; return f64_product(2, x); }

typedef struct { int defined; int64_t fan_in, fan_out; } fans_t;

/* What a scheme is applied to. */
typedef struct {
    int ndim;
    const int64_t *shape;
    fans_t fans;
    int torch_layout;      /* (out, in, *k); else channels-last (*k, in, out) */
    int meaning;           /* 0 torch, 1 keras, 2 jax */
    ts_dtype dtype;
    ts_version version;
    uint64_t seed;
    jstr name;
} target_t;

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

static ts_sampler trunc_checked(double mean, double std, double alpha, double beta, double lo, double hi,
                                ts_dtype dt, const char *path) {
    ts_sampler s;
    in_range(lo, dt, path);
    in_range(hi, dt, path);
    if (!ts_trunc_normal(mean, std, alpha, beta, lo, hi, &s))
        ts_fail("%s: the truncation interval holds no probability representable in binary64", path);
    return s;
}

enum { D_UNIFORM, D_NORMAL, D_TRUNCATED };

static double fan_of(const char *mode, fans_t fans) {
    if (!strcmp(mode, "fan_in")) return (double)fans.fan_in;
    if (!strcmp(mode, "fan_out")) return (double)fans.fan_out;
    if (!strcmp(mode, "fan_avg")) return (double)(fans.fan_in + fans.fan_out) / 2; /* sum < 2^63, rounded once */
    return sqrt(f64_2(fans.fan_in, fans.fan_out));                                  /* fan_geo_avg */
}

/* 8.2: the variance-scaling core. */
static ts_sampler vs(double scale, const char *mode, int dist, const target_t *t, const char *path) {
    double variance = scale / fan_of(mode, t->fans), s;
    if (dist == D_UNIFORM) {
        double bound = sqrt(3 * variance);
        return uniform_checked(-bound, bound, t->dtype, path);
    }
    if (dist == D_NORMAL) return ts_normal(0, sqrt(variance));
    s = sqrt(variance) / 0.87962566103423978;
    return trunc_checked(0, s, -2, 2, -(2 * s), 2 * s, t->dtype, path);
}

static void shape_fail(const char *path, const char *scheme, const char *what, const target_t *t) {
    ts_fail("%s: %s needs %s, got a tensor of %d dimension(s)", path, scheme, what, t->ndim);
}

static ts_sampler sampler_of(const init_t *in, const target_t *t, const char *path) {
    const char *name = in->scheme->name;
    double f[4];
    const int64_t *I = in->i;
    const char *const *e = in->e;
    int p, meaning = t->meaning, N = meaning == 0 ? D_NORMAL : D_TRUNCATED;
    ts_dtype dt = t->dtype;
    if (in->tolerance)
        ts_fail("%s: its default init, orthogonal, is a tolerance-tier scheme (QR, spec section 6.3): its bytes are "
                "not defined exactly, so this port does not produce it; override this parameter's init with an "
                "exact scheme, or use the reference service", path);
    for (p = 0; p < 4; p++) {
        f[p] = in->f[p];
        if (p < 4 && in->scheme->params[p].name && in->isnull[p] && in->scheme->params[p].by_convention)
            f[p] = in->scheme->params[p].conv_def[meaning];
    }
    if (in->scheme->uses_fans && !t->fans.defined && !(!strcmp(name, "mup") && !strcmp(e[2], "input")))
        ts_fail("%s: %s needs fan_in and fan_out, which are undefined for this tensor; give fan_in/fan_out "
                "explicitly", path, name);
    if (!strcmp(name, "zeros") || !strcmp(name, "zero_init_residual")) { in_range(0, dt, path); return ts_constant(0.0); }
    if (!strcmp(name, "ones")) { in_range(1, dt, path); return ts_constant(1.0); }
    if (!strcmp(name, "constant")) { in_range(f[0], dt, path); return ts_constant(f[0]); }
    if (!strcmp(name, "uniform")) {
        if (!(f[0] <= f[1])) ts_fail("%s: uniform needs a <= b", path);
        return uniform_checked(f[0], f[1], dt, path);
    }
    if (!strcmp(name, "normal")) return ts_normal(f[0], f[1]);
    if (!strcmp(name, "trunc_normal"))
        return trunc_checked(f[0], f[1], (f[2] - f[0]) / f[1], (f[3] - f[0]) / f[1], f[2], f[3], dt, path);
    if (!strcmp(name, "truncated_normal"))
        return trunc_checked(f[0], f[1], f[2], f[3], f[0] + f[1] * f[2], f[0] + f[1] * f[3], dt, path);
    if (!strcmp(name, "variance_scaling")) {
        int d = !strcmp(e[2], "uniform") ? D_UNIFORM : !strcmp(e[2], "untruncated_normal") ? D_NORMAL
              : !strcmp(e[2], "truncated_normal") ? D_TRUNCATED : meaning == 1 ? D_TRUNCATED : D_NORMAL;
        return vs(f[0], e[1], d, t, path);
    }
    if (!strcmp(name, "xavier_uniform")) return vs(f[0] * f[0], "fan_avg", D_UNIFORM, t, path);
    if (!strcmp(name, "xavier_normal")) return vs(f[0] * f[0], "fan_avg", N, t, path);
    if (!strcmp(name, "kaiming_uniform")) return vs(gain_scale(e[2], f[0]), e[1], D_UNIFORM, t, path);
    if (!strcmp(name, "kaiming_normal")) return vs(gain_scale(e[2], f[0]), e[1], N, t, path);
    if (!strcmp(name, "lecun_uniform")) return vs(1, "fan_in", D_UNIFORM, t, path);
    if (!strcmp(name, "lecun_normal")) return vs(1, "fan_in", N, t, path);
    if (!strcmp(name, "selu")) return vs(1, "fan_in", D_NORMAL, t, path);
    if (!strcmp(name, "fan_in_uniform")) {
        double bound = 1 / sqrt((double)t->fans.fan_in);
        return uniform_checked(-bound, bound, dt, path);
    }
    if (!strcmp(name, "sparse")) {
        size_t len;
        unsigned char *u8 = jstr_utf8(t->name, &len), *sub;
        if (t->ndim != 2) shape_fail(path, name, "a 2-D tensor", t);
        sub = ts_alloc(len + 8);
        memcpy(sub, u8, len);
        memcpy(sub + len, "\0sparse", 7); /* the name + U+0000 + "sparse" (section 3) */
        return ts_sparse(t->shape[0], t->shape[1], f[1], (int64_t)ceil(f[0] * (double)t->shape[0]),
                         ts_stream_key(t->version, t->seed, sub, len + 7));
    }
    if (!strcmp(name, "eye")) {
        if (t->ndim != 2) shape_fail(path, name, "a 2-D tensor", t);
        in_range(f[0], dt, path);
        return ts_eye(t->shape[1], f[0]);
    }
    if (!strcmp(name, "irnn")) {
        if (t->ndim != 2 || t->shape[0] != t->shape[1]) shape_fail(path, name, "a square 2-D recurrent matrix", t);
        in_range(f[0], dt, path);
        return ts_eye(t->shape[1], f[0]);
    }
    if (!strcmp(name, "dirac")) {
        int out_axis, in_axis;
        if (t->ndim < 3 || t->ndim > 5) shape_fail(path, name, "a 3-, 4- or 5-D convolution weight", t);
        out_axis = t->torch_layout ? 0 : t->ndim - 1;
        in_axis = t->torch_layout ? 1 : t->ndim - 2;
        if (t->shape[out_axis] % I[0]) ts_fail("%s: dirac needs out channels divisible by groups", path);
        return ts_dirac(t->ndim, t->shape, out_axis, in_axis, I[0]);
    }
    if (!strcmp(name, "zero")) {
        if (t->ndim != 2) shape_fail(path, name, "a 2-D weight", t);
        return t->torch_layout ? ts_zero(t->shape[0], t->shape[1], 0) : ts_zero(t->shape[1], t->shape[0], 1);
    }
    if (!strcmp(name, "lstm_forget_bias")) {
        if (t->ndim != 1 || t->shape[0] % 4) shape_fail(path, name, "a 1-D (4 * hidden) LSTM bias", t);
        in_range(f[0], dt, path);
        return ts_gate(t->shape[0], f[0]);
    }
    if (!strcmp(name, "scaled_residual")) return ts_normal(0, f[0] / sqrt(f64_2(2, I[1])));
    if (!strcmp(name, "small_init")) return ts_normal(0, sqrt(2 / f64_2(5, I[0])));
    if (!strcmp(name, "wang_init")) return ts_normal(0, (2 / f64_1(I[0])) / sqrt(f64_1(I[1])));
    if (!strcmp(name, "deepnet")) {
        int64_t n = I[0], m = I[1];
        double beta;
        if (in->isnull[1]) beta = 1 / sqrt(sqrt(f64_2(8, n)));
        else if (!strcmp(e[2], "decoder")) beta = 1 / sqrt(sqrt(f64_2(12, m)));
        else {
            uint64_t xs[5];
            xs[0] = xs[1] = xs[2] = xs[3] = (uint64_t)n; xs[4] = (uint64_t)m;
            beta = 0.87 / sqrt(sqrt(sqrt(sqrt(f64_product(5, xs)))));
        }
        return vs(beta * beta, "fan_avg", D_NORMAL, t, path);
    }
    if (!strcmp(name, "t_fixup")) {
        double g = !strcmp(e[1], "decoder") ? 1 / sqrt(sqrt(f64_2(9, I[0]))) : 0.67 / sqrt(sqrt(f64_1(I[0])));
        return vs(g * g, "fan_avg", D_UNIFORM, t, path);
    }
    if (!strcmp(name, "t_fixup_embedding"))
        return ts_normal(0, (1 / sqrt(f64_1(I[1]))) / sqrt(sqrt(f64_2(9, I[0]))));
    if (!strcmp(name, "fixup"))
        return vs(2 * ts_exp(-(ts_log(f64_1(I[0])) / f64_1(I[1] - 1))), e[2], D_NORMAL, t, path);
    if (!strcmp(name, "mup")) {
        double ratio;
        if (!strcmp(e[2], "input")) return ts_normal(0, f[0]);
        ratio = f64_1(I[1]) / (double)t->fans.fan_in;
        if (!strcmp(e[2], "hidden")) return ts_normal(0, f[0] * sqrt(ratio));
        return ts_normal(0, f[0] * ratio);
    }
    ts_fail("%s: internal: scheme %s has no sampler", path, name);
    return ts_constant(0);
}

/* ---- Layers and tensors ------------------------------------------------------------------- */

typedef struct {
    jstr name;
    int ndim;
    int64_t shape[8];
    init_t init;
    fans_t fans;
    int torch_layout, meaning;
    int fixed_dtype;       /* the tensor has its own dtype, whatever the recipe's: */
    ts_dtype dtype;        /* DT_I64 (int64 buffers, section 7) or DT_F32 (Flax batch_stats in v2, 13.5) */
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

/* Fans of a shape under a convention's rule (9.1): 0 torch, 1 keras, 2 jax/flax. */
static fans_t fans_of(int ndim, const int64_t *shape, int rule) {
    fans_t f = {0, 0, 0};
    int64_t rf = 1, numel = 1;
    int k;
    if (rule == 1 && ndim == 1) { f.defined = 1; f.fan_in = f.fan_out = shape[0]; return f; }
    if (ndim < 2) return f;
    f.defined = 1;
    if (rule == 0) {
        for (k = 2; k < ndim; k++) rf *= shape[k];
        f.fan_in = shape[1] * rf; f.fan_out = shape[0] * rf;
    } else if (rule == 1) {
        for (k = 0; k < ndim - 2; k++) rf *= shape[k];
        f.fan_in = shape[ndim - 2] * rf; f.fan_out = shape[ndim - 1] * rf;
    } else {
        for (k = 0; k < ndim; k++) numel *= shape[k];
        f.fan_in = numel / shape[ndim - 1]; f.fan_out = numel / shape[ndim - 2];
    }
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

/* One parameter of a layer before overrides. fans_from >= 0: use that parameter's fans. */
typedef struct {
    char suffix[40];
    int ndim;
    int64_t shape[8];
    init_t init;
    fans_t fans;
    int fans_from;
    int own_rule;          /* -1: fans given in .fans; else the rule of its own shape */
    int fixed_dtype;       /* its own dtype (int64 buffers; v2's Flax batch_stats) */
    ts_dtype dtype;
    int64_t zero_begin, zero_end;
} lparam;

typedef struct { lparam p[64]; int n; } lparams;

static lparam *addp(lparams *L, const char *suffix, int ndim, const int64_t *shape, init_t init, int rule) {
    lparam *q;
    if (L->n >= 64) ts_fail("a layer with more than 64 parameters is beyond this port");
    q = &L->p[L->n++];
    memset(q, 0, sizeof *q);
    snprintf(q->suffix, sizeof q->suffix, "%s", suffix);
    q->ndim = ndim;
    if (ndim) memcpy(q->shape, shape, (size_t)ndim * sizeof *shape);
    q->init = init;
    q->fans_from = -1;
    q->own_rule = rule;
    return q;
}

static int64_t *sh(int n, ...) {
    static int64_t buf[8];
    va_list ap;
    int k;
    va_start(ap, n);
    for (k = 0; k < n; k++) buf[k] = va_arg(ap, int64_t);
    va_end(ap);
    return buf;
}
#define S1(a) sh(1, (int64_t)(a))
#define S2(a, b) sh(2, (int64_t)(a), (int64_t)(b))
#define S3(a, b, c) sh(3, (int64_t)(a), (int64_t)(b), (int64_t)(c))

/* The validated fields of a layer (defaults filled). */
typedef struct {
    int64_t in_f, out_f, in1, in2, in_c, out_c, groups, kernel[3], num, dim, nshape[8], features, num_groups,
        channels, input, hidden, layers, proj, embed, heads, kdim, vdim, nparams;
    int dims, nndim, bias, depthwise, affine_el, lbias, affine, track, bidir, add_kv, init_value_written;
    int64_t zero_row; /* -1: none */
    double init_value;
} lfields;

static void layer_reject(const char *path, const char *field, const char *msg) {
    ts_fail("%s.%s: %s", path, field, msg);
}

static void torch_params(int type, const lfields *f, lparams *L) {
    init_t kaiming = def_init("kaiming_uniform", -1), fiu = def_init("fan_in_uniform", -1);
    init_t zeros = def_init("zeros", -1), ones = def_init("ones", -1);
    int k;
    kaiming.f[0] = sqrt(5.0); kaiming.isnull[0] = 0;
    if (type == L_LINEAR) {
        addp(L, "weight", 2, S2(f->out_f, f->in_f), kaiming, 0);
        if (f->bias) addp(L, "bias", 1, S1(f->out_f), fiu, 0)->fans_from = 0;
    } else if (type == L_BILINEAR) {
        init_t u = def_symmetric(1 / sqrt((double)f->in1));
        addp(L, "weight", 3, S3(f->out_f, f->in1, f->in2), u, 0);
        if (f->bias) addp(L, "bias", 1, S1(f->out_f), u, 0)->fans_from = 0;
    } else if (type >= L_CONV1 && type <= L_CONVT3) {
        int64_t shape[5];
        int transposed = type >= L_CONVT1;
        shape[0] = transposed ? f->in_c : f->out_c;
        shape[1] = (transposed ? f->out_c : f->in_c) / f->groups;
        for (k = 0; k < f->dims; k++) shape[2 + k] = f->kernel[k];
        addp(L, "weight", 2 + f->dims, shape, kaiming, 0);
        if (f->bias) addp(L, "bias", 1, S1(f->out_c), fiu, 0)->fans_from = 0;
    } else if (type == L_EMBEDDING) {
        lparam *q = addp(L, "weight", 2, S2(f->num, f->dim), def_value("normal", 1, 1.0), 0);
        q->init.f[0] = 0; q->init.isnull[0] = 0;
        if (f->zero_row >= 0) { q->zero_begin = f->zero_row * f->dim; q->zero_end = (f->zero_row + 1) * f->dim; }
    } else if (type == L_LAYER_NORM) { /* normalization layers: no fans */
        if (f->affine_el) {
            addp(L, "weight", f->nndim, f->nshape, ones, -1);
            if (f->lbias) addp(L, "bias", f->nndim, f->nshape, zeros, -1);
        }
    } else if (type == L_RMS_NORM) {
        if (f->affine_el) addp(L, "weight", f->nndim, f->nshape, ones, -1);
    } else if (type >= L_BN1 && type <= L_BN3) {
        if (f->affine) {
            addp(L, "weight", 1, S1(f->features), ones, -1);
            addp(L, "bias", 1, S1(f->features), zeros, -1);
        }
        if (f->track) {
            addp(L, "running_mean", 1, S1(f->features), zeros, -1);
            addp(L, "running_var", 1, S1(f->features), ones, -1);
            lparam *q = addp(L, "num_batches_tracked", 0, NULL, zeros, -1);
            q->fixed_dtype = 1;
            q->dtype = DT_I64;
        }
    } else if (type == L_GROUP_NORM) {
        if (f->affine) {
            addp(L, "weight", 1, S1(f->channels), ones, -1);
            addp(L, "bias", 1, S1(f->channels), zeros, -1);
        }
    } else if (type == L_RNN || type == L_LSTM || type == L_GRU) {
        int64_t G = f->hidden * (type == L_RNN ? 1 : type == L_LSTM ? 4 : 3);
        int64_t H = f->proj > 0 ? f->proj : f->hidden, D = f->bidir ? 2 : 1, l, d;
        init_t u = def_symmetric(1 / sqrt((double)f->hidden));
        char nm[40];
        for (l = 0; l < f->layers; l++) {
            for (d = 0; d < D; d++) {
                const char *sfx = d ? "_reverse" : "";
                int ih, hh;
                snprintf(nm, sizeof nm, "weight_ih_l%lld%s", (long long)l, sfx);
                ih = L->n;
                addp(L, nm, 2, S2(G, l == 0 ? f->input : H * D), u, 0);
                snprintf(nm, sizeof nm, "weight_hh_l%lld%s", (long long)l, sfx);
                hh = L->n;
                addp(L, nm, 2, S2(G, H), u, 0);
                if (f->bias) {
                    snprintf(nm, sizeof nm, "bias_ih_l%lld%s", (long long)l, sfx);
                    addp(L, nm, 1, S1(G), u, 0)->fans_from = ih;
                    snprintf(nm, sizeof nm, "bias_hh_l%lld%s", (long long)l, sfx);
                    addp(L, nm, 1, S1(G), u, 0)->fans_from = hh;
                }
                if (f->proj > 0) {
                    snprintf(nm, sizeof nm, "weight_hr_l%lld%s", (long long)l, sfx);
                    addp(L, nm, 2, S2(f->proj, f->hidden), u, 0);
                }
            }
        }
    } else if (type == L_MHA) {
        int64_t E = f->embed;
        init_t xavier = def_init("xavier_uniform", -1);
        int first = L->n, out;
        if (f->kdim == E && f->vdim == E) {
            addp(L, "in_proj_weight", 2, S2(3 * E, E), xavier, 0);
        } else {
            addp(L, "q_proj_weight", 2, S2(E, E), xavier, 0);
            addp(L, "k_proj_weight", 2, S2(E, f->kdim), xavier, 0);
            addp(L, "v_proj_weight", 2, S2(E, f->vdim), xavier, 0);
        }
        if (f->bias) addp(L, "in_proj_bias", 1, S1(3 * E), zeros, 0)->fans_from = first;
        if (f->add_kv) {
            addp(L, "bias_k", 3, S3(1, 1, E), def_init("xavier_normal", -1), 0);
            addp(L, "bias_v", 3, S3(1, 1, E), def_init("xavier_normal", -1), 0);
        }
        out = L->n;
        addp(L, "out_proj.weight", 2, S2(E, E), kaiming, 0);
        if (f->bias) addp(L, "out_proj.bias", 1, S1(E), zeros, 0)->fans_from = out;
    } else if (type == L_PRELU) {
        addp(L, "weight", 1, S1(f->nparams), def_value("constant", 0, f->init_value), -1); /* no fans */
    }
}

/* Keras (convention 1) and Flax (3; jax 2 is the same) parameters: channels-last, own-shape fans. */
static void channels_last_params(int type, const lfields *f, int keras, ts_version version, lparams *L,
                                 const char *path) {
    int rule = keras ? 1 : 2, k;
    const char *lib = keras ? "keras" : "flax";
    init_t glorot = def_init("xavier_uniform", -1), lecun = def_init("lecun_normal", 2);
    init_t kernel = keras ? glorot : lecun, zeros = def_init("zeros", -1), ones = def_init("ones", -1);
    init_t orth = def_init("zeros", keras ? 1 : 2);
    char msg[200];
    orth.tolerance = 1; /* orthogonal (tolerance tier): refused unless overridden */
#define NOFIELD(cond, field, text) do { if (cond) { snprintf(msg, sizeof msg, "%s %s", lib, text); \
        layer_reject(path, field, msg); } } while (0)
    if (type == L_LINEAR) {
        addp(L, "kernel", 2, S2(f->in_f, f->out_f), kernel, rule);
        if (f->bias) addp(L, "bias", 1, S1(f->out_f), zeros, rule);
    } else if (type == L_BILINEAR) {
        NOFIELD(1, "type", "has no bilinear layer");
    } else if (type >= L_CONV1 && type <= L_CONV3) {
        int64_t shape[5];
        for (k = 0; k < f->dims; k++) shape[k] = f->kernel[k];
        if (keras && f->depthwise && type != L_CONV3) {
            shape[f->dims] = f->in_c; shape[f->dims + 1] = f->out_c / f->in_c;
        } else {
            shape[f->dims] = f->in_c / f->groups; shape[f->dims + 1] = f->out_c;
        }
        addp(L, "kernel", f->dims + 2, shape, kernel, rule);
        if (f->bias) addp(L, "bias", 1, S1(f->out_c), zeros, rule);
    } else if (type >= L_CONVT1 && type <= L_CONVT3) {
        int64_t shape[5];
        NOFIELD(f->groups != 1, "groups", "transposed convolutions have no groups");
        for (k = 0; k < f->dims; k++) shape[k] = f->kernel[k];
        shape[f->dims] = keras ? f->out_c : f->in_c;
        shape[f->dims + 1] = keras ? f->in_c : f->out_c;
        addp(L, "kernel", f->dims + 2, shape, kernel, rule);
        if (f->bias) addp(L, "bias", 1, S1(f->out_c), zeros, rule);
    } else if (type == L_EMBEDDING) {
        NOFIELD(f->zero_row >= 0, "padding_idx", "embeddings have no padding_idx");
        if (keras) {
            init_t u = def_symmetric(0.05);
            addp(L, "embeddings", 2, S2(f->num, f->dim), u, rule);
        } else {
            init_t in = def_init("variance_scaling", 2);
            lparam *q;
            in.e[2] = "normal";
            q = addp(L, "embedding", 2, S2(f->num, f->dim), in, -1);
            q->fans.defined = 1; q->fans.fan_in = q->fans.fan_out = f->dim;
        }
    } else if (type == L_LAYER_NORM) {
        if (f->affine_el) {
            addp(L, keras ? "gamma" : "scale", f->nndim, f->nshape, ones, rule);
            if (f->lbias) addp(L, keras ? "beta" : "bias", f->nndim, f->nshape, zeros, rule);
        }
    } else if (type == L_RMS_NORM) {
        NOFIELD(keras && !f->affine_el, "elementwise_affine", "RMSNormalization always has a scale");
        if (f->affine_el) addp(L, "scale", f->nndim, f->nshape, ones, rule);
    } else if (type >= L_BN1 && type <= L_BN3) {
        NOFIELD(!f->track, "track_running_stats", "batch normalization always tracks running statistics");
        if (f->affine) {
            addp(L, keras ? "gamma" : "scale", 1, S1(f->features), ones, rule);
            addp(L, keras ? "beta" : "bias", 1, S1(f->features), zeros, rule);
        }
        {
            lparam *mean = addp(L, keras ? "moving_mean" : "mean", 1, S1(f->features), zeros, rule);
            lparam *var = addp(L, keras ? "moving_variance" : "var", 1, S1(f->features), ones, rule);
            if (!keras && version == TS_V2) { /* 13.5: Flax creates batch_stats as jnp.float32 */
                mean->fixed_dtype = var->fixed_dtype = 1;
                mean->dtype = var->dtype = DT_F32;
            }
        }
    } else if (type == L_GROUP_NORM) {
        if (f->affine) {
            addp(L, keras ? "gamma" : "scale", 1, S1(f->channels), ones, rule);
            addp(L, keras ? "beta" : "bias", 1, S1(f->channels), zeros, rule);
        }
    } else if (type == L_RNN || type == L_LSTM || type == L_GRU) {
        int64_t u = f->hidden, in = f->input;
        char nm[40];
        NOFIELD(f->layers != 1, "num_layers", "recurrent layers have one layer");
        NOFIELD(f->bidir, "bidirectional", "recurrent layers have one direction");
        NOFIELD(f->proj > 0, "proj_size", "LSTMs have no proj_size");
        NOFIELD(!keras && !f->bias, "bias", "recurrent cells always have biases");
        if (keras) {
            int64_t g = type == L_RNN ? 1 : type == L_LSTM ? 4 : 3;
            addp(L, "kernel", 2, S2(in, g * u), glorot, rule);
            addp(L, "recurrent_kernel", 2, S2(u, g * u), orth, rule);
            if (f->bias) {
                if (type == L_RNN) addp(L, "bias", 1, S1(u), zeros, rule);
                else if (type == L_LSTM) addp(L, "bias", 1, S1(4 * u), def_init("lstm_forget_bias", -1), rule);
                else addp(L, "bias", 2, S2(2, 3 * u), zeros, rule);
            }
        } else if (type == L_RNN) {
            addp(L, "i.kernel", 2, S2(in, u), lecun, rule);
            addp(L, "i.bias", 1, S1(u), zeros, rule);
            addp(L, "h.kernel", 2, S2(u, u), orth, rule);
        } else {
            const char *gates = type == L_LSTM ? "ifgo" : "rzn";
            for (k = 0; gates[k]; k++) {
                snprintf(nm, sizeof nm, "i%c.kernel", gates[k]);
                addp(L, nm, 2, S2(in, u), lecun, rule);
                if (type == L_GRU) { snprintf(nm, sizeof nm, "i%c.bias", gates[k]); addp(L, nm, 1, S1(u), zeros, rule); }
                snprintf(nm, sizeof nm, "h%c.kernel", gates[k]);
                addp(L, nm, 2, S2(u, u), orth, rule);
                if (type == L_LSTM) { snprintf(nm, sizeof nm, "h%c.bias", gates[k]); addp(L, nm, 1, S1(u), zeros, rule); }
            }
            if (type == L_GRU) addp(L, "hn.bias", 1, S1(u), zeros, rule);
        }
    } else if (type == L_MHA) {
        int64_t E = f->embed, h = f->heads, d = f->embed / f->heads;
        const char *out = keras ? "attention_output" : "out";
        char nm[40];
        lparam *q;
        int64_t ins[4];
        const char *names[4] = {"query", "key", "value", NULL};
        NOFIELD(f->add_kv, "add_bias_kv", "attention has no bias_k / bias_v");
        ins[0] = E; ins[1] = f->kdim; ins[2] = f->vdim;
        names[3] = out;
        for (k = 0; k < 4; k++) {
            snprintf(nm, sizeof nm, "%s.kernel", names[k]);
            q = k < 3 ? addp(L, nm, 3, S3(ins[k], h, d), kernel, rule) : addp(L, nm, 3, S3(h, d, E), kernel, rule);
            if (!keras) { /* DenseGeneral flattens: fans of (in, E) */
                q->own_rule = -1;
                q->fans.defined = 1; q->fans.fan_in = k < 3 ? ins[k] : E; q->fans.fan_out = E;
            } else if (version == TS_V2) {
                /* 13.5: Keras 3.15's EinsumDense takes fans from the einsum's summed (in) and
                   output axes: projections (in, h * d), the output projection (h * d, E). */
                q->own_rule = -1;
                q->fans.defined = 1;
                q->fans.fan_in = k < 3 ? ins[k] : h * d;
                q->fans.fan_out = k < 3 ? h * d : E;
            }
        }
        if (f->bias) {
            for (k = 0; k < 3; k++) {
                snprintf(nm, sizeof nm, "%s.bias", names[k]);
                addp(L, nm, 2, S2(h, d), zeros, keras ? rule : -1);
            }
            snprintf(nm, sizeof nm, "%s.bias", out);
            addp(L, nm, 1, S1(E), zeros, keras ? rule : -1);
        }
    } else if (type == L_PRELU) {
        if (keras) {
            addp(L, "alpha", 1, S1(f->nparams), f->init_value_written ? def_value("constant", 0, f->init_value) : zeros, rule);
        } else {
            NOFIELD(f->nparams != 1, "num_parameters", "PReLU has one slope");
            addp(L, "negative_slope", 0, NULL, def_value("constant", 0, f->init_value_written ? f->init_value : 0.01), rule);
        }
    }
#undef NOFIELD
}

static const char **layer_fields(int type) {
    static const char *LINEAR[] = {"in_features", "out_features", "bias", NULL};
    static const char *BILINEAR[] = {"in1_features", "in2_features", "out_features", "bias", NULL};
    static const char *CONV[] = {"in_channels", "out_channels", "kernel_size", "groups", "depthwise", "bias", NULL};
    static const char *CONVT[] = {"in_channels", "out_channels", "kernel_size", "groups", "bias", NULL};
    static const char *EMB[] = {"num_embeddings", "embedding_dim", "padding_idx", NULL};
    static const char *LN[] = {"normalized_shape", "elementwise_affine", "bias", NULL};
    static const char *RMS[] = {"normalized_shape", "elementwise_affine", NULL};
    static const char *BN[] = {"num_features", "affine", "track_running_stats", NULL};
    static const char *GN[] = {"num_groups", "num_channels", "affine", NULL};
    static const char *RNN[] = {"input_size", "hidden_size", "num_layers", "bias", "bidirectional", NULL};
    static const char *LSTM[] = {"input_size", "hidden_size", "num_layers", "bias", "bidirectional", "proj_size", NULL};
    static const char *MHA[] = {"embed_dim", "num_heads", "bias", "add_bias_kv", "kdim", "vdim", NULL};
    static const char *PRELU[] = {"num_parameters", "init_value", NULL};
    switch (type) {
    case L_LINEAR: return LINEAR;
    case L_BILINEAR: return BILINEAR;
    case L_CONV1: case L_CONV2: case L_CONV3: return CONV;
    case L_CONVT1: case L_CONVT2: case L_CONVT3: return CONVT;
    case L_EMBEDDING: return EMB;
    case L_LAYER_NORM: return LN;
    case L_RMS_NORM: return RMS;
    case L_BN1: case L_BN2: case L_BN3: return BN;
    case L_GROUP_NORM: return GN;
    case L_RNN: case L_GRU: return RNN;
    case L_LSTM: return LSTM;
    case L_MHA: return MHA;
    default: return PRELU;
    }
}

static int has_field(int type, const char *key) {
    const char **f = layer_fields(type);
    for (; *f; f++) if (!strcmp(*f, key)) return 1;
    return 0;
}

/* What export needs of a layer (section 18): its fields, convention and own parameters. */
typedef struct {
    int type, convention;  /* convention: an index of CONVENTIONS */
    lfields F;
    const lparams *own;    /* its parameters in its convention, in the order of its tensors */
    jstr name;
    const char *path;
    size_t first;          /* index of its first tensor among the recipe's specs */
} layer_rec;

static jvalue *read_layer(const jvalue *v, const char *path, specs_t *out, int recipe_convention,
                          ts_version version, layer_rec *rec) {
    const jvalue *t, *x, *name;
    const char *allowed[16];
    const char **fields;
    jvalue *canon;
    int type = -1, k, n, convention = recipe_convention;
    lfields F;
    lparams *L = ts_alloc(sizeof(lparams));
    init_t *overrides;
    int *has_override;

    if (v->type != J_OBJ) ts_fail("%s: expected an object, got %s", path, type_name(v));
    t = required(v, "type", path);
    if (t->type == J_STR)
        for (k = 0; LAYER_TYPES[k]; k++)
            if (jstr_eq(t->str, LAYER_TYPES[k]) || jstr_eq(t->str, TORCH_CLASS_NAMES[k])) type = k;
    if (type < 0) ts_fail("%s.type: unsupported layer type (this port knows the layer types of spec section 9)", path);
    fields = layer_fields(type);
    allowed[0] = "type"; allowed[1] = "name"; allowed[2] = "init"; allowed[3] = "convention";
    for (n = 0; fields[n]; n++) allowed[4 + n] = fields[n];
    allowed[4 + n] = NULL;
    check_fields(v, path, allowed);
    canon = json_new(J_OBJ);
    json_set(canon, "type", json_str(t->str)); /* as written: canonical or torch class name */
    name = required(v, "name", path);
    read_name(name, pathf("%s.name", path));
    json_set(canon, "name", json_str(name->str));
    if ((x = json_get(v, "convention"))) {
        int c = read_convention(x, pathf("%s.convention", path), 1);
        json_set(canon, "convention", c < 0 ? json_new(J_NULL) : json_str_ascii(CONVENTIONS[c]));
        if (c >= 0) convention = c;
    }
    memset(&F, 0, sizeof F);
    F.zero_row = -1;
#define INT_FIELD(var, key) do { \
        var = read_int(required(v, key, path), pathf("%s.%s", path, key), 1, 1); \
        json_set(canon, key, json_num((double)var)); } while (0)
#define OPT_INT(var, key, dflt, min) do { var = dflt; if ((x = json_get(v, key))) { \
        var = read_int(x, pathf("%s.%s", path, key), 1, min); json_set(canon, key, json_num((double)var)); } } while (0)
#define BOOL_FIELD(var, key, dflt) do { var = dflt; if ((x = json_get(v, key))) { \
        if (x->type != J_TRUE && x->type != J_FALSE) ts_fail("%s.%s: expected a boolean, got %s", path, key, type_name(x)); \
        var = x->type == J_TRUE; json_set(canon, key, json_new(x->type)); } } while (0)
    if (has_field(type, "bias")) BOOL_FIELD(F.bias, "bias", 1);
    F.lbias = F.bias;
    BOOL_FIELD(F.depthwise, "depthwise", 0);
    BOOL_FIELD(F.affine_el, "elementwise_affine", 1);
    BOOL_FIELD(F.affine, "affine", 1);
    BOOL_FIELD(F.track, "track_running_stats", 1);
    BOOL_FIELD(F.bidir, "bidirectional", 0);
    BOOL_FIELD(F.add_kv, "add_bias_kv", 0);
    switch (type) {
    case L_LINEAR:
        INT_FIELD(F.in_f, "in_features");
        INT_FIELD(F.out_f, "out_features");
        break;
    case L_BILINEAR:
        INT_FIELD(F.in1, "in1_features");
        INT_FIELD(F.in2, "in2_features");
        INT_FIELD(F.out_f, "out_features");
        break;
    case L_CONV1: case L_CONV2: case L_CONV3: case L_CONVT1: case L_CONVT2: case L_CONVT3: {
        const jvalue *ks;
        int kk, has_groups;
        F.dims = type >= L_CONVT1 ? type - L_CONVT1 + 1 : type - L_CONV1 + 1;
        INT_FIELD(F.in_c, "in_channels");
        INT_FIELD(F.out_c, "out_channels");
        ks = required(v, "kernel_size", path);
        if (ks->type == J_ARR) {
            jvalue *arr;
            if (ks->n < 1 || ks->n > 3) ts_fail("%s.kernel_size: a list of 1 to 3 sizes, got %zu", path, ks->n);
            arr = json_arr(ks->n);
            for (kk = 0; kk < (int)ks->n; kk++) {
                int64_t kv = read_int(ks->items[kk], pathf("%s.kernel_size.%d", path, kk), 1, 1);
                if (kk < 3) F.kernel[kk] = kv;
                arr->items[kk] = json_num((double)kv);
            }
            if ((int)ks->n != F.dims) ts_fail("%s.kernel_size: %s needs %d kernel sizes, got %zu", path, LAYER_TYPES[type], F.dims, ks->n);
            json_set(canon, "kernel_size", arr);
        } else {
            int64_t kv = read_int(ks, pathf("%s.kernel_size", path), 1, 1);
            for (kk = 0; kk < F.dims; kk++) F.kernel[kk] = kv;
            json_set(canon, "kernel_size", json_num((double)kv));
        }
        has_groups = json_get(v, "groups") != NULL;
        OPT_INT(F.groups, "groups", 1, 1);
        if (F.depthwise) {
            if (has_groups && F.groups != F.in_c) layer_reject(path, "groups", "a depthwise convolution has groups = in_channels");
            F.groups = F.in_c;
            if (F.out_c % F.in_c) layer_reject(path, "out_channels", "a depthwise convolution needs out_channels a multiple of in_channels");
        }
        if (F.in_c % F.groups) layer_reject(path, "in_channels", "in_channels must be divisible by groups");
        if (F.out_c % F.groups) layer_reject(path, "out_channels", "out_channels must be divisible by groups");
        break;
    }
    case L_EMBEDDING:
        INT_FIELD(F.num, "num_embeddings");
        INT_FIELD(F.dim, "embedding_dim");
        if ((x = json_get(v, "padding_idx"))) {
            if (x->type == J_NULL) {
                json_set(canon, "padding_idx", json_new(J_NULL));
            } else {
                int64_t idx = read_int(x, pathf("%s.padding_idx", path), 0, 0);
                json_set(canon, "padding_idx", json_num((double)idx));
                if (idx < -F.num || idx >= F.num) layer_reject(path, "padding_idx", "padding_idx out of range");
                F.zero_row = idx < 0 ? idx + F.num : idx;
            }
        }
        break;
    case L_LAYER_NORM: case L_RMS_NORM: {
        const jvalue *ns = required(v, "normalized_shape", path);
        if (ns->type == J_ARR) {
            jvalue *arr;
            int kk;
            if (ns->n < 1 || ns->n > 8) ts_fail("%s.normalized_shape: 1 to 8 sizes, got %zu", path, ns->n);
            arr = json_arr(ns->n);
            F.nndim = (int)ns->n;
            for (kk = 0; kk < F.nndim; kk++) {
                F.nshape[kk] = read_int(ns->items[kk], pathf("%s.normalized_shape.%d", path, kk), 1, 1);
                arr->items[kk] = json_num((double)F.nshape[kk]);
            }
            json_set(canon, "normalized_shape", arr);
        } else {
            F.nndim = 1;
            F.nshape[0] = read_int(ns, pathf("%s.normalized_shape", path), 1, 1);
            json_set(canon, "normalized_shape", json_num((double)F.nshape[0]));
        }
        break;
    }
    case L_BN1: case L_BN2: case L_BN3:
        INT_FIELD(F.features, "num_features");
        break;
    case L_GROUP_NORM:
        INT_FIELD(F.num_groups, "num_groups");
        INT_FIELD(F.channels, "num_channels");
        if (F.channels % F.num_groups) layer_reject(path, "num_channels", "num_channels must be divisible by num_groups");
        break;
    case L_RNN: case L_LSTM: case L_GRU:
        INT_FIELD(F.input, "input_size");
        INT_FIELD(F.hidden, "hidden_size");
        OPT_INT(F.layers, "num_layers", 1, 1);
        F.proj = 0;
        if (type == L_LSTM) OPT_INT(F.proj, "proj_size", 0, 0);
        if (F.proj > 0 && F.proj >= F.hidden) layer_reject(path, "proj_size", "proj_size must be smaller than hidden_size");
        break;
    case L_MHA:
        INT_FIELD(F.embed, "embed_dim");
        INT_FIELD(F.heads, "num_heads");
        if (F.embed % F.heads) layer_reject(path, "num_heads", "embed_dim must be divisible by num_heads");
        F.kdim = F.vdim = F.embed;
        for (k = 0; k < 2; k++) {
            const char *key = k ? "vdim" : "kdim";
            if (!(x = json_get(v, key))) continue;
            if (x->type == J_NULL) { json_set(canon, key, json_new(J_NULL)); continue; }
            if (k) INT_FIELD(F.vdim, "vdim"); else INT_FIELD(F.kdim, "kdim");
        }
        break;
    default: /* L_PRELU */
        OPT_INT(F.nparams, "num_parameters", 1, 1);
        F.init_value = 0.25;
        if ((x = json_get(v, "init_value"))) {
            F.init_value = read_float(x, pathf("%s.init_value", path));
            F.init_value_written = 1;
            json_set(canon, "init_value", json_num(F.init_value));
        }
    }
#undef INT_FIELD
#undef OPT_INT
#undef BOOL_FIELD
    L->n = 0;
    if (convention == 0) torch_params(type, &F, L);
    else channels_last_params(type, &F, convention == 1, version, L, path);
    overrides = ts_alloc((size_t)(L->n + 1) * sizeof(init_t));
    has_override = ts_alloc((size_t)(L->n + 1) * sizeof(int));
    memset(has_override, 0, (size_t)(L->n + 1) * sizeof(int));
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
                for (k = 0; k < L->n; k++) if (jstr_eq(x->keys[j], L->p[k].suffix)) which = k;
                if (which < 0) ts_fail("%s.init: the %s layer has no parameter \"%s\"", path, LAYER_TYPES[type],
                                       (char *)jstr_utf8(x->keys[j], &len));
                read_init(x->vals[j], pathf("%s.init.%s", path, L->p[which].suffix), &overrides[which], &c);
                has_override[which] = 1;
                json_set(ci, L->p[which].suffix, c);
            }
            json_set(canon, "init", ci);
        }
    }
    for (k = 0; k < L->n; k++) {
        lparam *q = &L->p[k];
        check_numel(q->ndim, q->shape, path);
        if (q->own_rule >= 0) q->fans = fans_of(q->ndim, q->shape, q->own_rule);
    }
    rec->type = type;
    rec->convention = convention;
    rec->F = F;
    rec->own = L;
    rec->name = name->str;
    rec->path = path;
    rec->first = out->n;
    for (k = 0; k < L->n; k++) {
        lparam *q = &L->p[k];
        spec_t *s = push_spec(out);
        s->name = suffixed(name->str, q->suffix);
        s->ndim = q->ndim;
        memcpy(s->shape, q->shape, sizeof q->shape);
        s->init = has_override[k] ? overrides[k] : q->init;
        s->fans = q->fans_from >= 0 ? L->p[q->fans_from].fans : q->fans;
        s->torch_layout = convention == 0;
        s->meaning = MEANING(s->init.convention >= 0 ? s->init.convention : convention);
        s->fixed_dtype = q->fixed_dtype;
        s->dtype = q->dtype;
        s->zero_begin = q->zero_begin;
        s->zero_end = q->zero_end;
        s->path = path;
    }
    return canon;
}

static jvalue *read_tensor(const jvalue *v, const char *path, specs_t *out, int recipe_convention) {
    static const char *FIELDS[] = {"name", "shape", "init", "fan_in", "fan_out", "convention", NULL};
    const jvalue *name, *shape, *x;
    jvalue *canon, *cshape, *cinit;
    spec_t *s;
    size_t k;
    int convention = recipe_convention;
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
    if ((x = json_get(v, "convention"))) {
        int c = read_convention(x, pathf("%s.convention", path), 1);
        json_set(canon, "convention", c < 0 ? json_new(J_NULL) : json_str_ascii(CONVENTIONS[c]));
        if (c >= 0) convention = c;
    }
    for (k = 0; k < 2; k++) {
        const char *key = k ? "fan_out" : "fan_in";
        if (!(x = json_get(v, key))) continue;
        if (x->type == J_NULL) { json_set(canon, key, json_new(J_NULL)); continue; }
        over[k] = read_int(x, pathf("%s.%s", path, key), 1, 1);
        json_set(canon, key, json_num((double)over[k]));
    }
    /* Each given override replaces its fan; the tensor has fans when both are then defined (a
       convention's fans are both defined or both undefined). */
    s->fans = fans_of(s->ndim, s->shape, MEANING(convention));
    if (!s->fans.defined) {
        if (over[0] && over[1]) { s->fans.defined = 1; s->fans.fan_in = over[0]; s->fans.fan_out = over[1]; }
    } else {
        if (over[0]) s->fans.fan_in = over[0];
        if (over[1]) s->fans.fan_out = over[1];
    }
    s->torch_layout = convention == 0;
    s->meaning = MEANING(s->init.convention >= 0 ? s->init.convention : convention);
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

/* Section 13.1: the version a recipe's "spec" names; absent means tensorseed-stream/2. */
static ts_version read_spec(const jvalue *recipe) {
    const jvalue *x = json_get(recipe, "spec");
    if (!x) return TS_V2;
    if (x->type == J_STR && jstr_eq(x->str, TS_SPEC_V1)) return TS_V1;
    if (x->type == J_STR && jstr_eq(x->str, TS_SPEC_V2)) return TS_V2;
    ts_fail("spec: expected \"%s\" or \"%s\" (the stream versions this port implements; absent means %s), "
            "got %s", TS_SPEC_V1, TS_SPEC_V2, TS_SPEC_DEFAULT,
            x->type == J_STR ? "another string" : type_name(x));
    return TS_V2;
}

static ts_tensor *find_tensor_in(ts_tensor *tensors, size_t n, jstr name) {
    size_t k;
    for (k = 0; k < n; k++)
        if (tensors[k].name.len == name.len && !memcmp(tensors[k].name.cp, name.cp, name.len * 4)) return &tensors[k];
    return NULL;
}

static ts_tensor *find_tensor(ts_plan *plan, size_t n, jstr name) { return find_tensor_in(plan->tensors, n, name); }

/* Recipe ties (section 9): each key is a tensor holding the bytes (the stream, keyed by the
   target's name) of the tensor its value names. */
static void add_ties(const jvalue *ties, ts_plan *plan, jvalue *canon, int64_t *total) {
    size_t k, j, len, n = plan->n;
    jvalue *out = json_new(J_OBJ);
    if (ties->type != J_OBJ) ts_fail("ties: expected an object, got %s", type_name(ties));
    for (k = 0; k < ties->n; k++) {
        jvalue key = {0};
        char *path = pathf("ties.%s", (char *)jstr_utf8(ties->keys[k], &len));
        key.type = J_STR;
        key.str = ties->keys[k];
        read_name(&key, path);
        read_name(ties->vals[k], path);
        json_set(out, "", json_str(ties->vals[k]->str));
        out->keys[out->n - 1] = ties->keys[k];
    }
    {
        ts_tensor *grown = ts_alloc((n + ties->n) * sizeof(ts_tensor));
        memcpy(grown, plan->tensors, n * sizeof(ts_tensor));
        plan->tensors = grown;
    }
    for (k = 0; k < ties->n; k++) {
        jstr name = ties->keys[k], target = ties->vals[k]->str;
        char *path = pathf("ties.%s", (char *)jstr_utf8(name, &len));
        ts_tensor *source;
        for (j = 0; j < ties->n; j++)
            if (ties->keys[j].len == target.len && !memcmp(ties->keys[j].cp, target.cp, target.len * 4))
                ts_fail("%s: tied to \"%s\", itself tied", path, (char *)jstr_utf8(target, &len));
        if (find_tensor(plan, plan->n, name)) ts_fail("%s: duplicate tensor name", path);
        source = find_tensor(plan, n, target);
        if (!source) ts_fail("%s: tied to \"%s\", which is not in the recipe", path, (char *)jstr_utf8(target, &len));
        if (plan->n >= LIMIT_TENSORS) ts_fail("a recipe holds at most %d tensors", LIMIT_TENSORS);
        *total += source->numel;
        if (*total > LIMIT_TOTAL_ELEMENTS)
            ts_fail("%s: the recipe exceeds the limit of %lld elements", path, (long long)LIMIT_TOTAL_ELEMENTS);
        plan->tensors[plan->n] = *source; /* same stream: the key stays the target's */
        plan->tensors[plan->n].name = name;
        plan->tensors[plan->n].name_utf8 = jstr_utf8(name, &plan->tensors[plan->n].name_len);
        plan->n++;
    }
    json_set(canon, "ties", out);
}

/* ---- Export layouts (section 18) ---------------------------------------------------------- */

/* A layer's parameters by name, as expressions over its own tensors. */
typedef struct { const char *name[64]; const ts_expr *x[64]; int n; } xmap;

static void xput(xmap *m, const char *name, const ts_expr *x) {
    char *copy;
    if (m->n >= 64) ts_fail("internal: an exported layer with more than 64 parameters");
    copy = ts_alloc(strlen(name) + 1);
    strcpy(copy, name);
    m->name[m->n] = copy;
    m->x[m->n++] = x;
}

static const ts_expr *xget(const xmap *m, const char *name) {
    int k;
    for (k = 0; k < m->n; k++) if (!strcmp(m->name[k], name)) return m->x[k];
    return NULL;
}

static const ts_expr *xneed(const xmap *m, const char *name) {
    const ts_expr *x = xget(m, name);
    if (!x) ts_fail("internal: export reads a parameter \"%s\" the layer does not have", name);
    return x;
}

static const ts_expr *xzero1(int64_t n) { return tx_zero(1, &n); }

static const ts_expr *xreshape1(const ts_expr *x, int64_t a) { return tx_reshape(x, 1, &a); }
static const ts_expr *xreshape2(const ts_expr *x, int64_t a, int64_t b) {
    int64_t s[2];
    s[0] = a; s[1] = b;
    return tx_reshape(x, 2, s);
}
static const ts_expr *xreshape3(const ts_expr *x, int64_t a, int64_t b, int64_t c) {
    int64_t s[3];
    s[0] = a; s[1] = b; s[2] = c;
    return tx_reshape(x, 3, s);
}

/* The library whose layouts a convention writes: 0 torch, 1 keras, 2 flax (jax is flax). */
static int library_of(int convention) { return convention == 0 ? 0 : convention == 1 ? 1 : 2; }
static const char *LIBRARIES[] = {"torch", "keras", "flax", NULL};

static int is_batch_norm(int type) { return type >= L_BN1 && type <= L_BN3; }
static int is_conv(int type) { return type >= L_CONV1 && type <= L_CONVT3; }
static int is_transposed(int type) { return type >= L_CONVT1 && type <= L_CONVT3; }
static int is_recurrent(int type) { return type == L_RNN || type == L_LSTM || type == L_GRU; }
static int keras_depthwise(const layer_rec *r) { return (r->type == L_CONV1 || r->type == L_CONV2) && r->F.depthwise; }

/* Renamed parameters (values as they are): {library's name, torch's name} pairs, per library. */
static const char *const *renames(int type, int library) {
    static const char *const EMB[2][3] = {{"embeddings", "weight", NULL}, {"embedding", "weight", NULL}};
    static const char *const NORM[2][5] = {{"gamma", "weight", "beta", "bias", NULL},
                                           {"scale", "weight", "bias", "bias", NULL}};
    static const char *const RMS[2][3] = {{"scale", "weight", NULL}, {"scale", "weight", NULL}};
    static const char *const BN[2][9] = {
        {"gamma", "weight", "beta", "bias", "moving_mean", "running_mean", "moving_variance", "running_var", NULL},
        {"scale", "weight", "bias", "bias", "mean", "running_mean", "var", "running_var", NULL}};
    int lib = library - 1;
    if (type == L_EMBEDDING) return EMB[lib];
    if (type == L_LAYER_NORM || type == L_GROUP_NORM) return NORM[lib];
    if (type == L_RMS_NORM) return RMS[lib];
    if (is_batch_norm(type)) return BN[lib];
    return NULL;
}

static const ts_expr *conv_to_torch(const layer_rec *r, int library, const ts_expr *kernel) {
    int d = r->F.dims, axes[5], k;
    if (library == 1 && keras_depthwise(r)) {
        /* (*k, in, multiplier) -> (in, multiplier, *k) -> (out = in * multiplier, 1, *k) */
        int64_t shape[5];
        axes[0] = d; axes[1] = d + 1;
        for (k = 0; k < d; k++) axes[2 + k] = k;
        shape[0] = r->F.out_c; shape[1] = 1;
        for (k = 0; k < d; k++) shape[2 + k] = r->F.kernel[k];
        return tx_reshape(tx_transpose(kernel, d + 2, axes), d + 2, shape);
    }
    if (is_transposed(r->type) && library == 2) {
        /* Flax (*k, in, out), applied without torch's spatial flip -> (in, out, *k) flipped */
        int flip[3];
        axes[0] = d; axes[1] = d + 1;
        for (k = 0; k < d; k++) { axes[2 + k] = k; flip[k] = 2 + k; }
        return tx_flip(tx_transpose(kernel, d + 2, axes), d, flip);
    }
    /* ordinary and grouped (*k, in/g, out) -> (out, in/g, *k); Keras transposed (*k, out, in) -> (in, out, *k) */
    axes[0] = d + 1; axes[1] = d;
    for (k = 0; k < d; k++) axes[2 + k] = k;
    return tx_transpose(kernel, d + 2, axes);
}

static const ts_expr *conv_from_torch(const layer_rec *r, int library, const ts_expr *weight) {
    int d = r->F.dims, axes[5], k;
    for (k = 0; k < d; k++) axes[k] = 2 + k;
    if (library == 1 && keras_depthwise(r)) { /* (in, multiplier, *k) -> (*k, in, multiplier) */
        int64_t shape[5];
        shape[0] = r->F.groups; shape[1] = r->F.out_c / r->F.groups;
        for (k = 0; k < d; k++) shape[2 + k] = r->F.kernel[k];
        axes[d] = 0; axes[d + 1] = 1;
        return tx_transpose(tx_reshape(weight, d + 2, shape), d + 2, axes);
    }
    if (is_transposed(r->type) && library == 2) { /* Flax (*k, in, out), flipped */
        axes[d] = 0; axes[d + 1] = 1;
        return tx_transpose(tx_flip(weight, d, axes), d + 2, axes);
    }
    axes[d] = 1; axes[d + 1] = 0; /* (out, in/g, *k) -> (*k, in/g, out); Keras transposed -> (*k, out, in) */
    return tx_transpose(weight, d + 2, axes);
}

/* Keras keeps GRU gates as (z, r, n), torch as (r, z, n): P of table A, on axis 0. */
static const int GRU_KERAS_ORDER[3] = {1, 0, 2};
static const ts_expr *keras_gru_order(const ts_expr *x) {
    const ts_expr *p[3];
    int q;
    for (q = 0; q < 3; q++) p[q] = tx_gate(x, GRU_KERAS_ORDER[q], 3);
    return tx_concat(3, p, 0);
}

static void recurrent_to_torch(const layer_rec *r, int library, const xmap *s, xmap *t) {
    int64_t h = r->F.hidden;
    int g = r->type == L_RNN ? 1 : r->type == L_LSTM ? 4 : 3, q;
    char nm[40];
    if (library == 1) {
        const ts_expr *ih = tx_swap(xneed(s, "kernel")), *hh = tx_swap(xneed(s, "recurrent_kernel")), *b;
        if (r->type == L_GRU) { ih = keras_gru_order(ih); hh = keras_gru_order(hh); }
        xput(t, "weight_ih_l0", ih);
        xput(t, "weight_hh_l0", hh);
        if ((b = xget(s, "bias"))) {
            if (r->type == L_GRU) { /* (2, 3h): row 0 the input biases, row 1 the recurrent ones */
                xput(t, "bias_ih_l0", keras_gru_order(xreshape1(tx_take(b, 0, 0, 1), 3 * h)));
                xput(t, "bias_hh_l0", keras_gru_order(xreshape1(tx_take(b, 0, 1, 2), 3 * h)));
            } else { /* one bias, on the input side */
                xput(t, "bias_ih_l0", b);
                xput(t, "bias_hh_l0", xzero1(g * h));
            }
        }
        return;
    }
    if (r->type == L_RNN) { /* SimpleCell: i (with bias), h (without) */
        xput(t, "weight_ih_l0", tx_swap(xneed(s, "i.kernel")));
        xput(t, "weight_hh_l0", tx_swap(xneed(s, "h.kernel")));
        xput(t, "bias_ih_l0", xneed(s, "i.bias"));
        xput(t, "bias_hh_l0", xzero1(h));
        return;
    }
    {
        const char *gates = r->type == L_LSTM ? "ifgo" : "rzn";
        const char *sides = "ih";
        const ts_expr *parts[4];
        int side;
        for (side = 0; side < 2; side++) {
            for (q = 0; q < g; q++) {
                snprintf(nm, sizeof nm, "%c%c.kernel", sides[side], gates[q]);
                parts[q] = tx_swap(xneed(s, nm));
            }
            xput(t, side ? "weight_hh_l0" : "weight_ih_l0", tx_concat(g, parts, 0));
        }
        for (side = 0; side < 2; side++) {
            for (q = 0; q < g; q++) {
                const ts_expr *b;
                snprintf(nm, sizeof nm, "%c%c.bias", sides[side], gates[q]);
                parts[q] = (b = xget(s, nm)) ? b : xzero1(h);
            }
            xput(t, side ? "bias_hh_l0" : "bias_ih_l0", tx_concat(g, parts, 0));
        }
    }
}

static void recurrent_from_torch(const layer_rec *r, int library, const xmap *t, xmap *out) {
    int g = r->type == L_RNN ? 1 : r->type == L_LSTM ? 4 : 3, q;
    const ts_expr *w_ih = xneed(t, "weight_ih_l0"), *w_hh = xneed(t, "weight_hh_l0");
    const ts_expr *b_ih = xget(t, "bias_ih_l0"), *b_hh = xget(t, "bias_hh_l0");
    const ts_expr *parts[3];
    char nm[40], *what;
    if (library == 1) {
        if (r->type == L_GRU) {
            for (q = 0; q < 3; q++) parts[q] = tx_swap(tx_gate(w_ih, GRU_KERAS_ORDER[q], 3));
            xput(out, "kernel", tx_concat(3, parts, 1));
            for (q = 0; q < 3; q++) parts[q] = tx_swap(tx_gate(w_hh, GRU_KERAS_ORDER[q], 3));
            xput(out, "recurrent_kernel", tx_concat(3, parts, 1));
            if (b_ih) {
                parts[0] = keras_gru_order(b_ih);
                parts[1] = keras_gru_order(b_hh);
                xput(out, "bias", xreshape2(tx_concat(2, parts, 0), 2, 3 * r->F.hidden));
            }
            return;
        }
        xput(out, "kernel", tx_swap(w_ih));
        xput(out, "recurrent_kernel", tx_swap(w_hh));
        if (b_ih) xput(out, "bias", tx_merge(b_ih, b_hh, "bias_ih_l0 + bias_hh_l0"));
        return;
    }
    /* Flax cells always have biases (their parameter list refuses bias: false first) */
    if (!b_ih || !b_hh) ts_fail("internal: a Flax cell exported without biases");
    if (r->type == L_RNN) {
        xput(out, "i.kernel", tx_swap(w_ih));
        xput(out, "h.kernel", tx_swap(w_hh));
        xput(out, "i.bias", tx_merge(b_ih, b_hh, "bias_ih_l0 + bias_hh_l0"));
        return;
    }
    {
        const char *gates = r->type == L_LSTM ? "ifgo" : "rzn";
        for (q = 0; q < g; q++) {
            const ts_expr *bi = tx_gate(b_ih, q, g), *bh = tx_gate(b_hh, q, g);
            snprintf(nm, sizeof nm, "i%c.kernel", gates[q]);
            xput(out, nm, tx_swap(tx_gate(w_ih, q, g)));
            snprintf(nm, sizeof nm, "h%c.kernel", gates[q]);
            xput(out, nm, tx_swap(tx_gate(w_hh, q, g)));
            what = ts_alloc(48);
            snprintf(what, 48, "gate %c: bias_ih_l0 + bias_hh_l0", gates[q]);
            if (r->type == L_LSTM) { /* LSTMCell: biases on the h side only */
                snprintf(nm, sizeof nm, "h%c.bias", gates[q]);
                xput(out, nm, tx_merge(bh, bi, what));
            } else if (gates[q] == 'n') { /* GRUCell: in.bias outside the reset gate, hn.bias inside, as torch */
                xput(out, "in.bias", bi);
                xput(out, "hn.bias", bh);
            } else { /* GRUCell r and z: biases on the i side only */
                snprintf(nm, sizeof nm, "i%c.bias", gates[q]);
                xput(out, nm, tx_merge(bi, bh, what));
            }
        }
    }
}

static const char *ATTENTION_PROJ[3] = {"query", "key", "value"};

static void attention_to_torch(const layer_rec *r, int library, const xmap *s, xmap *t) {
    int64_t E = r->F.embed, widths[3];
    const char *o = library == 1 ? "attention_output" : "out";
    const ts_expr *proj[3], *bias[3];
    char nm[40];
    int p;
    widths[0] = E; widths[1] = r->F.kdim; widths[2] = r->F.vdim;
    /* (in, heads, head_dim) -> (in, E) -> (E, in): row a * head_dim + b is head a, feature b */
    for (p = 0; p < 3; p++) {
        snprintf(nm, sizeof nm, "%s.kernel", ATTENTION_PROJ[p]);
        proj[p] = tx_swap(xreshape2(xneed(s, nm), widths[p], E));
    }
    if (r->F.kdim == E && r->F.vdim == E) {
        xput(t, "in_proj_weight", tx_concat(3, proj, 0));
    } else {
        xput(t, "q_proj_weight", proj[0]);
        xput(t, "k_proj_weight", proj[1]);
        xput(t, "v_proj_weight", proj[2]);
    }
    if (xget(s, "query.bias")) {
        for (p = 0; p < 3; p++) {
            snprintf(nm, sizeof nm, "%s.bias", ATTENTION_PROJ[p]);
            bias[p] = xreshape1(xneed(s, nm), E);
        }
        xput(t, "in_proj_bias", tx_concat(3, bias, 0));
        snprintf(nm, sizeof nm, "%s.bias", o);
        xput(t, "out_proj.bias", xneed(s, nm));
    }
    snprintf(nm, sizeof nm, "%s.kernel", o); /* (heads, head_dim, E) -> (E, E)^T */
    xput(t, "out_proj.weight", tx_swap(xreshape2(xneed(s, nm), E, E)));
}

static void attention_from_torch(const layer_rec *r, int library, const xmap *t, xmap *out) {
    int64_t E = r->F.embed, h = r->F.heads, d = r->F.embed / r->F.heads, widths[3];
    const char *o = library == 1 ? "attention_output" : "out";
    const ts_expr *w[3], *in_proj = xget(t, "in_proj_weight"), *in_bias = xget(t, "in_proj_bias");
    char nm[40];
    int p;
    widths[0] = E; widths[1] = r->F.kdim; widths[2] = r->F.vdim;
    for (p = 0; p < 3; p++) {
        static const char *SEPARATE[3] = {"q_proj_weight", "k_proj_weight", "v_proj_weight"};
        w[p] = in_proj ? tx_gate(in_proj, p, 3) : xneed(t, SEPARATE[p]);
        snprintf(nm, sizeof nm, "%s.kernel", ATTENTION_PROJ[p]);
        xput(out, nm, xreshape3(tx_swap(w[p]), widths[p], h, d));
    }
    if (in_bias) {
        for (p = 0; p < 3; p++) {
            snprintf(nm, sizeof nm, "%s.bias", ATTENTION_PROJ[p]);
            xput(out, nm, xreshape2(tx_gate(in_bias, p, 3), h, d));
        }
        snprintf(nm, sizeof nm, "%s.bias", o);
        xput(out, nm, xneed(t, "out_proj.bias"));
    }
    snprintf(nm, sizeof nm, "%s.kernel", o);
    xput(out, nm, xreshape3(tx_swap(xneed(t, "out_proj.weight")), h, d, E));
}

/* Table A: torch's parameters of a layer as expressions over the library form's (s). */
static void to_torch(const layer_rec *r, int library, const xmap *s, xmap *t) {
    const char *const *names = renames(r->type, library);
    if (names) {
        for (; *names; names += 2) if (xget(s, names[0])) xput(t, names[1], xget(s, names[0]));
        if (is_batch_norm(r->type)) xput(t, "num_batches_tracked", tx_zero(0, NULL));
    } else if (r->type == L_LINEAR) {
        xput(t, "weight", tx_swap(xneed(s, "kernel")));
        if (xget(s, "bias")) xput(t, "bias", xget(s, "bias"));
    } else if (is_conv(r->type)) {
        xput(t, "weight", conv_to_torch(r, library, xneed(s, "kernel")));
        if (xget(s, "bias")) xput(t, "bias", xget(s, "bias"));
    } else if (r->type == L_PRELU) {
        xput(t, "weight", xreshape1(xneed(s, library == 1 ? "alpha" : "negative_slope"), r->F.nparams));
    } else if (is_recurrent(r->type)) {
        recurrent_to_torch(r, library, s, t);
    } else if (r->type == L_MHA) {
        attention_to_torch(r, library, s, t);
    } else {
        ts_fail("internal: no export table for %s", LAYER_TYPES[r->type]);
    }
}

/* Table B: the library form's parameters as expressions over torch's (t). */
static void from_torch(const layer_rec *r, int library, const xmap *t, xmap *out) {
    const char *const *names = renames(r->type, library);
    if (names) {
        for (; *names; names += 2) if (xget(t, names[1])) xput(out, names[0], xget(t, names[1]));
    } else if (r->type == L_LINEAR) {
        xput(out, "kernel", tx_swap(xneed(t, "weight")));
        if (xget(t, "bias")) xput(out, "bias", xget(t, "bias"));
    } else if (is_conv(r->type)) {
        xput(out, "kernel", conv_from_torch(r, library, xneed(t, "weight")));
        if (xget(t, "bias")) xput(out, "bias", xget(t, "bias"));
    } else if (r->type == L_PRELU) {
        if (library == 1) xput(out, "alpha", xneed(t, "weight"));
        else xput(out, "negative_slope", tx_reshape(xneed(t, "weight"), 0, NULL));
    } else if (is_recurrent(r->type)) {
        recurrent_from_torch(r, library, t, out);
    } else if (r->type == L_MHA) {
        attention_from_torch(r, library, t, out);
    } else {
        ts_fail("internal: no export table for %s", LAYER_TYPES[r->type]);
    }
}

/* 18.3: a source is zero by its scheme when its sampler is Constant(0) (zeros, constant 0 or -0). */
static int zero_source(void *ctx, int src) {
    const ts_tensor *own = ctx;
    return own[src].stream.s.kind == S_CONSTANT && own[src].stream.s.v == 0.0;
}

/* The first source an expression reads (its dtype is the exported tensor's), or -1. */
static int first_source(const ts_expr *x) {
    int k, s;
    switch (x->kind) {
    case X_SRC: return x->src;
    case X_ZERO: return -1;
    case X_CONCAT:
        for (k = 0; k < x->nparts; k++) if ((s = first_source(x->parts[k])) >= 0) return s;
        return -1;
    default: return first_source(x->inner);
    }
}

/* One exported tensor of a layer: the target parameter q, with its expression over own. */
static ts_tensor exported_tensor(const layer_rec *r, const lparam *q, const ts_expr *x, const ts_tensor *own,
                                 ts_dtype recipe_dtype) {
    ts_tensor t;
    int src = first_source(x);
    memset(&t, 0, sizeof t);
    t.name = suffixed(r->name, q->suffix);
    t.name_utf8 = jstr_utf8(t.name, &t.name_len);
    t.ndim = q->ndim;
    memcpy(t.shape, q->shape, sizeof t.shape);
    t.numel = tx_numel(x);
    if (src < 0) { /* a parameter the source has not (torch's counter, a second bias): zeros */
        t.stream.s = ts_constant(0.0);
        t.stream.dtype = q->fixed_dtype ? q->dtype : recipe_dtype;
    } else if (x->kind == X_SRC || (x->kind == X_RESHAPE && x->inner->kind == X_SRC)) {
        t.stream = own[src].stream; /* renamed or reshaped: the source's elements in order */
    } else {
        ts_gather *g = ts_alloc(sizeof *g);
        ts_tensor_stream *sources = ts_alloc((size_t)r->own->n * sizeof *sources);
        int k;
        for (k = 0; k < r->own->n; k++) sources[k] = own[k].stream;
        g->expr = x;
        g->sources = sources;
        t.gather = g;
        t.stream.dtype = own[src].stream.dtype; /* a tensor keeps its source's dtype (18.4) */
    }
    return t;
}

/* Section 18: every layer whose library is not the target's is replaced by the target's
   parameters, each an expression over the layer's own tensors (plan->tensors[first ..]). */
static void export_layers(ts_plan *plan, const layer_rec *recs, size_t nrecs, int target, const jvalue *ties,
                          int64_t *total) {
    ts_tensor *out = NULL;
    size_t k, j, n = 0, cap, len;
    unsigned char *gone = ts_alloc(plan->n + 1);
    lparams **wanted = ts_alloc((nrecs + 1) * sizeof *wanted);
    const ts_expr ***exprs = ts_alloc((nrecs + 1) * sizeof *exprs);
    memset(gone, 0, plan->n + 1);
    /* Every layer's target parameters and expressions first: refusals before anything changes. */
    for (k = 0; k < nrecs; k++) {
        const layer_rec *r = &recs[k];
        int source = library_of(r->convention), q;
        xmap own, torch, lib;
        wanted[k] = NULL;
        if (source == target) continue; /* already in the target's form */
        wanted[k] = ts_alloc(sizeof(lparams));
        wanted[k]->n = 0;
        if (target == 0) torch_params(r->type, &r->F, wanted[k]);
        else channels_last_params(r->type, &r->F, target == 1, plan->version, wanted[k],
                                  pathf("%s (export to %s)", r->path, LIBRARIES[target]));
        own.n = torch.n = lib.n = 0;
        for (q = 0; q < r->own->n; q++) xput(&own, r->own->p[q].suffix, tx_src(q, r->own->p[q].ndim, r->own->p[q].shape));
        if (source == 0) torch = own;
        else to_torch(r, source, &own, &torch);
        if (target == 0) lib = torch;
        else from_torch(r, target, &torch, &lib);
        exprs[k] = ts_alloc((size_t)(wanted[k]->n + 1) * sizeof *exprs[k]);
        for (q = 0; q < wanted[k]->n; q++) {
            const lparam *p = &wanted[k]->p[q];
            const char *what = NULL;
            const ts_expr *x = tx_resolve_merges(xneed(&lib, p->suffix), zero_source,
                                                 (void *)&plan->tensors[r->first], &what);
            if (!x)
                ts_fail("%s.init: export to %s: layer \"%s\": the target keeps one bias where the source has two "
                        "(%s); their sum is not any of the source's values. Initialize one of them with 'zeros' "
                        "to export it", r->path, LIBRARIES[target], (char *)jstr_utf8(r->name, &len), what);
            if (x->ndim != p->ndim || (p->ndim && memcmp(x->shape, p->shape, (size_t)p->ndim * sizeof *p->shape)))
                ts_fail("internal: export of %s: parameter %s has the wrong shape", LAYER_TYPES[r->type], p->suffix);
            exprs[k][q] = x;
        }
        for (q = 0; q < r->own->n; q++) gone[r->first + (size_t)q] = 1;
    }
    /* Ties copy a tensor's stream under a new name; export rewrites the layer's tensors. */
    if (ties)
        for (k = 0; k < ties->n; k++)
            for (j = 0; j < plan->n; j++) {
                jstr a = ties->vals[k]->str, b = plan->tensors[j].name;
                if (gone[j] && a.len == b.len && !memcmp(a.cp, b.cp, a.len * 4))
                    ts_fail("export: \"%s\" is tied to \"%s\", which export rewrites; ties cannot be exported",
                            (char *)jstr_utf8(ties->keys[k], &len), (char *)plan->tensors[j].name_utf8);
            }
    cap = plan->n + 1;
    for (k = 0; k < nrecs; k++) if (wanted[k]) cap += (size_t)wanted[k]->n;
    out = ts_alloc(cap * sizeof *out);
    for (j = 0; j < plan->n; j++) {
        if (gone[j]) *total -= plan->tensors[j].numel;
        else out[n++] = plan->tensors[j];
    }
    for (k = 0; k < nrecs; k++) {
        const layer_rec *r = &recs[k];
        int q;
        if (!wanted[k]) continue;
        for (q = 0; q < wanted[k]->n; q++) {
            ts_tensor t = exported_tensor(r, &wanted[k]->p[q], exprs[k][q], &plan->tensors[r->first], plan->dtype);
            if (find_tensor_in(out, n, t.name))
                ts_fail("%s: exported tensor \"%s\" duplicates another tensor's name", r->path, (char *)t.name_utf8);
            if (n >= LIMIT_TENSORS) ts_fail("a recipe holds at most %d tensors", LIMIT_TENSORS);
            /* 18.4: 9.4's limits hold for exported tensors; a concatenation can pass what its
               sources stay under (Flax gate kernels, attention projections). */
            if (t.numel > LIMIT_TENSOR_ELEMENTS)
                ts_fail("%s: exported tensor \"%s\" has more than %lld elements (the per-tensor limit)", r->path,
                        (char *)t.name_utf8, (long long)LIMIT_TENSOR_ELEMENTS);
            *total += t.numel;
            if (*total > LIMIT_TOTAL_ELEMENTS)
                ts_fail("export: the recipe exceeds the limit of %lld elements", (long long)LIMIT_TOTAL_ELEMENTS);
            out[n++] = t;
        }
    }
    plan->tensors = out;
    plan->n = n;
}

void ts_build_plan(const jvalue *recipe, ts_plan *plan) {
    static const char *FIELDS[] = {"seed", "spec", "dtype", "convention", "rng", "model", "export", "layers", "tensors",
                                   "ties", NULL};
    int convention = 0, target = -1;
    layer_rec *recs = NULL;
    size_t nrecs = 0;
    jvalue *canon = json_new(J_OBJ), *header, *meta;
    const jvalue *x;
    uint64_t seed;
    char seedtxt[24];
    specs_t specs = {NULL, 0, 0};
    size_t k, j, hlen;
    int64_t total = 0, offset = 0;
    tsbuf recipe_json = {NULL, 0, 0}, hdr = {NULL, 0, 0};
    unsigned char lenb[8];
    int nonempty = 0;

    check_fields(recipe, "recipe", FIELDS);
    plan->version = read_spec(recipe);
    /* 13.3: a v2 canonical recipe always names its version; a v1 one never does */
    if (plan->version == TS_V2) json_set(canon, "spec", json_str_ascii(TS_SPEC_V2));
    seed = read_seed(required(recipe, "seed", "recipe"));
    snprintf(seedtxt, sizeof seedtxt, "%llu", (unsigned long long)seed);
    json_set(canon, "seed", json_str_ascii(seedtxt));
    plan->dtype = DT_F32;
    if ((x = json_get(recipe, "dtype"))) {
        plan->dtype = (ts_dtype)read_enum(x, DTYPE_ENUM, "dtype");
        json_set(canon, "dtype", json_str_ascii(DTYPE_NAMES[plan->dtype]));
    }
    /* Not part of the portable stream: the reference's torch-compatible generator and its model
       presets. Refused loudly, never approximated. */
    if ((x = json_get(recipe, "rng"))) {
        if (!(x->type == J_STR && jstr_eq(x->str, "portable")))
            ts_fail("rng: this port implements only rng \"portable\" (the tensorseed stream); other rng modes are "
                    "not part of the stream specification");
        json_set(canon, "rng", json_str_ascii("portable"));
    }
    if ((x = json_get(recipe, "model"))) {
        if (x->type != J_NULL)
            ts_fail("model: model presets are not part of the stream specification and this port does not expand "
                    "them; write the layers out, or use the reference service");
        json_set(canon, "model", json_new(J_NULL));
    }
    if ((x = json_get(recipe, "export"))) { /* section 18; null: none, kept in the canonical recipe */
        if (x->type == J_NULL) {
            json_set(canon, "export", json_new(J_NULL));
        } else {
            target = read_enum(x, LIBRARIES, "export");
            for (k = 0; EXPORTS[k] && strcmp(EXPORTS[k], LIBRARIES[target]); k++) continue;
            if (!EXPORTS[k]) ts_fail("export: this port does not write the %s layout", LIBRARIES[target]);
            json_set(canon, "export", json_str_ascii(LIBRARIES[target]));
        }
    }
    if ((x = json_get(recipe, "convention"))) {
        convention = read_convention(x, "convention", 0);
        json_set(canon, "convention", json_str_ascii(CONVENTIONS[convention]));
    }
    for (k = 0; k < 2; k++) {
        const char *key = k ? "tensors" : "layers";
        jvalue *arr;
        if (!(x = json_get(recipe, key))) continue;
        if (x->type != J_ARR) ts_fail("%s: expected an array, got %s", key, type_name(x));
        arr = json_arr(x->n);
        if (!k) { /* what export needs of each layer (section 18) */
            recs = ts_alloc((x->n + 1) * sizeof *recs);
            nrecs = x->n;
        }
        for (j = 0; j < x->n; j++) {
            char *p = pathf("%s.%zu", key, j);
            arr->items[j] = k ? read_tensor(x->items[j], p, &specs, convention)
                              : read_layer(x->items[j], p, &specs, convention, plan->version, &recs[j]);
        }
        json_set(canon, key, arr);
        if (x->n) nonempty = 1;
    }
    if (!nonempty) ts_fail("a recipe needs at least one layer or tensor");
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
        {
            target_t tg;
            tg.ndim = s->ndim; tg.shape = s->shape; tg.fans = s->fans; tg.torch_layout = s->torch_layout;
            tg.meaning = s->meaning; tg.dtype = s->fixed_dtype ? s->dtype : plan->dtype; tg.seed = seed;
            tg.version = plan->version;
            tg.name = s->name;
            t->stream.s = sampler_of(&s->init, &tg, where);
            /* 13.4: v2 samples float32, float16 and bfloat16 outputs in binary32 */
            if (plan->version == TS_V2 && tg.dtype != DT_F64 && tg.dtype != DT_I64)
                t->stream.s = ts_binary32_sampler(t->stream.s);
            if (tg.dtype == DT_I64 && !(t->stream.s.kind == S_CONSTANT && t->stream.s.v == floor(t->stream.s.v)))
                ts_fail("%s: an int64 buffer takes an integral constant only (zeros, ones, constant)", where);
            t->stream.dtype = tg.dtype;
        }
        t->stream.key = ts_stream_key(plan->version, seed, t->name_utf8, t->name_len);
        t->stream.zero_begin = s->zero_begin;
        t->stream.zero_end = s->zero_end;
    }
    if ((x = json_get(recipe, "ties"))) add_ties(x, plan, canon, &total);
    if (target >= 0) export_layers(plan, recs, nrecs, target, json_get(recipe, "ties"), &total);
    qsort(plan->tensors, plan->n, sizeof(ts_tensor), by_name);

    /* The header (section 10): one entry per tensor and __metadata__, canonical JSON. */
    json_canonical(&recipe_json, canon);
    header = json_new(J_OBJ);
    for (k = 0; k < plan->n; k++) {
        ts_tensor *t = &plan->tensors[k];
        jvalue *e = json_new(J_OBJ), *offs = json_arr(2), *shape = json_arr((size_t)t->ndim);
        int64_t size = t->numel * (int64_t)ts_dtype_size(t->stream.dtype);
        offs->items[0] = json_num((double)offset);
        offs->items[1] = json_num((double)(offset + size));
        offset += size;
        for (j = 0; j < (size_t)t->ndim; j++) shape->items[j] = json_num((double)t->shape[j]);
        json_set(e, "data_offsets", offs);
        json_set(e, "dtype", json_str_ascii(DTYPE_ST[t->stream.dtype]));
        json_set(e, "shape", shape);
        /* json_set takes ASCII keys; tensor names are set directly */
        json_set(header, "", e);
        header->keys[header->n - 1] = t->name;
    }
    meta = json_new(J_OBJ);
    json_set(meta, "format", json_str_ascii("pt"));
    json_set(meta, "tensorseed.recipe", json_str(jstr_from_utf8(recipe_json.p, recipe_json.len)));
    json_set(meta, "tensorseed.spec", json_str_ascii(ts_version_name(plan->version)));
    json_set(header, "__metadata__", meta);
    json_canonical(&hdr, header);
    hlen = (hdr.len + 7) / 8 * 8;
    while (hdr.len < hlen) buf_put(&hdr, " ", 1);
    for (k = 0; k < 8; k++) lenb[k] = (unsigned char)((uint64_t)hlen >> (8 * k));
    memset(&plan->header, 0, sizeof plan->header);
    buf_put(&plan->header, lenb, 8);
    buf_put(&plan->header, hdr.p, hdr.len);
}
