/* JSON reader and RFC 8785 writer; see json.h. */
#include "json.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Arena and errors ------------------------------------------------------------------- */

typedef struct chunk { struct chunk *next; size_t used, cap; } chunk;
static chunk *arena;

void *ts_alloc(size_t n) {
    unsigned char *p;
    n = (n + 15) & ~(size_t)15;
    if (!arena || arena->cap - arena->used < n) {
        size_t cap = n > (1u << 20) ? n : (1u << 20);
        chunk *c = malloc(sizeof(chunk) + 16 + cap);
        if (!c) { fputs("tensorseed-c: out of memory\n", stderr); exit(3); }
        c->next = arena; c->used = 0; c->cap = cap;
        arena = c;
    }
    p = (unsigned char *)(arena + 1) + 16 + arena->used;
    arena->used += n;
    return p;
}

void ts_arena_reset(void) {
    while (arena) { chunk *n = arena->next; free(arena); arena = n; }
}

jmp_buf *ts_error_jump;
static char errmsg[512];

void ts_fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(errmsg, sizeof errmsg, fmt, ap);
    va_end(ap);
    longjmp(*ts_error_jump, 1);
}

const char *ts_error_message(void) { return errmsg; }

/* ---- Buffers -------------------------------------------------------------------------------- */

void buf_put(tsbuf *b, const void *data, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        unsigned char *p;
        while (cap < b->len + n) cap *= 2;
        p = ts_alloc(cap);
        if (b->len) memcpy(p, b->p, b->len);
        b->p = p; b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

void buf_puts(tsbuf *b, const char *s) { buf_put(b, s, strlen(s)); }

/* ---- Reader -------------------------------------------------------------------------------- */

typedef struct {
    const uint32_t *s;  /* the text as code points */
    size_t n, i;
} reader;

#define MAX_DEPTH 512

static void rfail(reader *r, const char *what) { ts_fail("invalid JSON at character %zu: %s", r->i, what); }

static void ws(reader *r) {
    while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n' || r->s[r->i] == '\r'))
        r->i++;
}

static uint32_t peek(reader *r) { return r->i < r->n ? r->s[r->i] : 0xFFFFFFFFu; }

static jvalue *value(reader *r, int depth);

static uint32_t hex4(reader *r, size_t at) {
    uint32_t c = 0;
    size_t k;
    for (k = at; k < at + 4; k++) {
        uint32_t h = k < r->n ? r->s[k] : 0;
        if (h >= '0' && h <= '9') c = c * 16 + (h - '0');
        else if (h >= 'a' && h <= 'f') c = c * 16 + (h - 'a' + 10);
        else if (h >= 'A' && h <= 'F') c = c * 16 + (h - 'A' + 10);
        else { r->i = k; rfail(r, "invalid \\u escape"); }
    }
    return c;
}

static jstr string(reader *r) {
    size_t cap = 16, len = 0;
    uint32_t *out = ts_alloc(cap * 4);
    jstr s;
    r->i++; /* opening quote */
    for (;;) {
        uint32_t c;
        if (r->i >= r->n) rfail(r, "unterminated string");
        c = r->s[r->i];
        if (c == '"') { r->i++; break; }
        if (c < 0x20) rfail(r, "control character in string");
        if (c == '\\') {
            uint32_t e = r->i + 1 < r->n ? r->s[r->i + 1] : 0;
            r->i += 2;
            switch (e) {
            case '"': c = '"'; break;
            case '\\': c = '\\'; break;
            case '/': c = '/'; break;
            case 'b': c = 8; break;
            case 'f': c = 12; break;
            case 'n': c = 10; break;
            case 'r': c = 13; break;
            case 't': c = 9; break;
            case 'u':
                c = hex4(r, r->i);
                r->i += 4;
                /* Like the reference's reader: an escaped high surrogate directly followed by an
                   escaped low surrogate is one character; any other surrogate stays lone. */
                if (c >= 0xD800 && c <= 0xDBFF && r->i + 6 <= r->n && r->s[r->i] == '\\' && r->s[r->i + 1] == 'u') {
                    uint32_t c2 = hex4(r, r->i + 2);
                    if (c2 >= 0xDC00 && c2 <= 0xDFFF) {
                        c = 0x10000 + ((c - 0xD800) << 10) + (c2 - 0xDC00);
                        r->i += 6;
                    }
                }
                break;
            default: rfail(r, "invalid escape");
            }
        } else {
            r->i++;
        }
        if (len == cap) {
            uint32_t *p = ts_alloc(cap * 2 * 4);
            memcpy(p, out, len * 4);
            out = p; cap *= 2;
        }
        out[len++] = c;
    }
    s.cp = out; s.len = len;
    return s;
}

static int isdig(uint32_t c) { return c >= '0' && c <= '9'; }

static jvalue *number(reader *r) {
    size_t start = r->i, k;
    int is_int = 1;
    char *text;
    jvalue *v;
    if (peek(r) == '-') r->i++;
    if (peek(r) == '0') r->i++;
    else if (isdig(peek(r))) while (isdig(peek(r))) r->i++;
    else rfail(r, "invalid number");
    if (peek(r) == '.' && r->i + 1 < r->n && isdig(r->s[r->i + 1])) {
        is_int = 0;
        r->i++;
        while (isdig(peek(r))) r->i++;
    }
    if (peek(r) == 'e' || peek(r) == 'E') {
        size_t save = r->i;
        r->i++;
        if (peek(r) == '+' || peek(r) == '-') r->i++;
        if (isdig(peek(r))) {
            is_int = 0;
            while (isdig(peek(r))) r->i++;
        } else {
            r->i = save; /* not part of the number: the next token check fails */
        }
    }
    text = ts_alloc(r->i - start + 1);
    for (k = start; k < r->i; k++) text[k - start] = (char)r->s[k];
    text[r->i - start] = 0;
    v = json_new(J_NUM);
    v->text = text;
    v->is_int = is_int;
    v->num = strtod(text, NULL); /* correctly rounded (C99 with glibc, musl, BSD libc) */
    /* An integer literal denotes an integer, and the integer 0 has no sign: "-0" is +0
       (while "-0.0" is -0). */
    if (is_int && v->num == 0) v->num = 0.0;
    return v;
}

static int lit(reader *r, const char *w) {
    size_t k, n = strlen(w);
    if (r->i + n > r->n) return 0;
    for (k = 0; k < n; k++) if (r->s[r->i + k] != (uint32_t)w[k]) return 0;
    r->i += n;
    return 1;
}

static jvalue *value(reader *r, int depth) {
    uint32_t c;
    jvalue *v;
    if (depth > MAX_DEPTH) rfail(r, "nested too deeply");
    ws(r);
    c = peek(r);
    if (c == '{') {
        size_t cap = 8;
        v = json_new(J_OBJ);
        v->keys = ts_alloc(cap * sizeof(jstr));
        v->vals = ts_alloc(cap * sizeof(jvalue *));
        r->i++;
        ws(r);
        if (peek(r) == '}') { r->i++; return v; }
        for (;;) {
            jstr k;
            jvalue *x;
            size_t j;
            ws(r);
            if (peek(r) != '"') rfail(r, "expected a string key");
            k = string(r);
            ws(r);
            if (peek(r) != ':') rfail(r, "expected ':'");
            r->i++;
            x = value(r, depth + 1);
            for (j = 0; j < v->n; j++)  /* a repeated key keeps its last value */
                if (v->keys[j].len == k.len && !memcmp(v->keys[j].cp, k.cp, k.len * 4)) break;
            if (j == v->n) {
                if (v->n == cap) {
                    jstr *nk = ts_alloc(cap * 2 * sizeof(jstr));
                    jvalue **nv = ts_alloc(cap * 2 * sizeof(jvalue *));
                    memcpy(nk, v->keys, cap * sizeof(jstr));
                    memcpy(nv, v->vals, cap * sizeof(jvalue *));
                    v->keys = nk; v->vals = nv; cap *= 2;
                }
                v->keys[v->n++] = k;
            }
            v->vals[j] = x;
            ws(r);
            if (peek(r) == ',') { r->i++; continue; }
            if (peek(r) == '}') { r->i++; return v; }
            rfail(r, "expected ',' or '}'");
        }
    }
    if (c == '[') {
        size_t cap = 8;
        v = json_new(J_ARR);
        v->items = ts_alloc(cap * sizeof(jvalue *));
        r->i++;
        ws(r);
        if (peek(r) == ']') { r->i++; return v; }
        for (;;) {
            if (v->n == cap) {
                jvalue **ni = ts_alloc(cap * 2 * sizeof(jvalue *));
                memcpy(ni, v->items, cap * sizeof(jvalue *));
                v->items = ni; cap *= 2;
            }
            v->items[v->n++] = value(r, depth + 1);
            ws(r);
            if (peek(r) == ',') { r->i++; continue; }
            if (peek(r) == ']') { r->i++; return v; }
            rfail(r, "expected ',' or ']'");
        }
    }
    if (c == '"') {
        v = json_new(J_STR);
        v->str = string(r);
        return v;
    }
    if (c == '-' || isdig(c)) return number(r);
    if (lit(r, "true")) return json_new(J_TRUE);
    if (lit(r, "false")) return json_new(J_FALSE);
    if (lit(r, "null")) return json_new(J_NULL);
    rfail(r, c == 0xFFFFFFFFu ? "unexpected end of input" : "unexpected character");
    return NULL;
}

/* Strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) to code points. */
static uint32_t *decode_utf8(const unsigned char *t, size_t len, size_t *n) {
    uint32_t *out = ts_alloc((len + 1) * 4);
    size_t i = 0, k = 0;
    while (i < len) {
        uint32_t c = t[i], min;
        int extra, j;
        if (c < 0x80) { out[k++] = c; i++; continue; }
        if ((c & 0xE0) == 0xC0) { extra = 1; c &= 0x1F; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { extra = 2; c &= 0x0F; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { extra = 3; c &= 0x07; min = 0x10000; }
        else ts_fail("invalid recipe: not UTF-8 (byte %zu)", i);
        for (j = 1; j <= extra; j++) {
            if (i + j >= len || (t[i + j] & 0xC0) != 0x80) ts_fail("invalid recipe: not UTF-8 (byte %zu)", i);
            c = c << 6 | (t[i + j] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            ts_fail("invalid recipe: not UTF-8 (byte %zu)", i);
        out[k++] = c;
        i += extra + 1;
    }
    *n = k;
    return out;
}

jstr jstr_from_utf8(const unsigned char *text, size_t len) {
    jstr s;
    s.cp = decode_utf8(text, len, &s.len);
    return s;
}

jvalue *json_parse(const unsigned char *text, size_t len) {
    reader r;
    jvalue *v;
    r.s = decode_utf8(text, len, &r.n);
    r.i = 0;
    if (r.n && r.s[0] == 0xFEFF) rfail(&r, "byte order mark");
    v = value(&r, 0);
    ws(&r);
    if (r.i != r.n) rfail(&r, "extra data after the JSON value");
    return v;
}

/* ---- Access and construction ----------------------------------------------------------------- */

int jstr_eq(jstr s, const char *a) {
    size_t k, n = strlen(a);
    if (s.len != n) return 0;
    for (k = 0; k < n; k++) if (s.cp[k] != (unsigned char)a[k]) return 0;
    return 1;
}

jvalue *json_get(const jvalue *obj, const char *key) {
    size_t j;
    for (j = 0; j < obj->n; j++) if (jstr_eq(obj->keys[j], key)) return obj->vals[j];
    return NULL;
}

jvalue *json_new(jtype t) {
    jvalue *v = ts_alloc(sizeof *v);
    memset(v, 0, sizeof *v);
    v->type = t;
    return v;
}

jvalue *json_num(double x) {
    jvalue *v = json_new(J_NUM);
    v->num = x;
    return v;
}

jvalue *json_str(jstr s) {
    jvalue *v = json_new(J_STR);
    v->str = s;
    return v;
}

jvalue *json_str_ascii(const char *a) {
    size_t k, n = strlen(a);
    jstr s;
    s.cp = ts_alloc((n + 1) * 4);
    for (k = 0; k < n; k++) s.cp[k] = (unsigned char)a[k];
    s.len = n;
    return json_str(s);
}

void json_set(jvalue *obj, const char *key, jvalue *v) {
    jstr *nk = ts_alloc((obj->n + 1) * sizeof(jstr));
    jvalue **nv = ts_alloc((obj->n + 1) * sizeof(jvalue *));
    if (obj->n) {
        memcpy(nk, obj->keys, obj->n * sizeof(jstr));
        memcpy(nv, obj->vals, obj->n * sizeof(jvalue *));
    }
    nk[obj->n] = json_str_ascii(key)->str;
    nv[obj->n] = v;
    obj->keys = nk; obj->vals = nv; obj->n++;
}

jvalue *json_arr(size_t n) {
    jvalue *v = json_new(J_ARR);
    v->items = ts_alloc((n ? n : 1) * sizeof(jvalue *));
    v->n = n;
    return v;
}

unsigned char *jstr_utf8(jstr s, size_t *len) {
    unsigned char *o = ts_alloc(s.len * 4 + 1);
    size_t k, n = 0;
    for (k = 0; k < s.len; k++) {
        uint32_t c = s.cp[k];
        if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD; /* only in messages: names have no lone surrogates */
        if (c < 0x80) o[n++] = (unsigned char)c;
        else if (c < 0x800) { o[n++] = (unsigned char)(0xC0 | c >> 6); o[n++] = (unsigned char)(0x80 | (c & 0x3F)); }
        else if (c < 0x10000) {
            o[n++] = (unsigned char)(0xE0 | c >> 12); o[n++] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            o[n++] = (unsigned char)(0x80 | (c & 0x3F));
        } else {
            o[n++] = (unsigned char)(0xF0 | c >> 18); o[n++] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
            o[n++] = (unsigned char)(0x80 | ((c >> 6) & 0x3F)); o[n++] = (unsigned char)(0x80 | (c & 0x3F));
        }
    }
    o[n] = 0;
    *len = n;
    return o;
}

/* The i-th UTF-16 code unit of a code point sequence, walking with a cursor. */
static int next_unit(jstr s, size_t *k, int *low_pending, uint32_t *unit) {
    uint32_t c;
    if (*low_pending) {
        c = s.cp[*k];
        *unit = 0xDC00 + ((c - 0x10000) & 0x3FF);
        *low_pending = 0;
        (*k)++;
        return 1;
    }
    if (*k >= s.len) return 0;
    c = s.cp[*k];
    if (c >= 0x10000) {
        *unit = 0xD800 + ((c - 0x10000) >> 10);
        *low_pending = 1;
    } else {
        *unit = c;
        (*k)++;
    }
    return 1;
}

int jstr_cmp_utf16(jstr a, jstr b) {
    size_t i = 0, j = 0;
    int pa = 0, pb = 0;
    for (;;) {
        uint32_t ua, ub;
        int ha = next_unit(a, &i, &pa, &ua), hb = next_unit(b, &j, &pb, &ub);
        if (!ha || !hb) return ha - hb;
        if (ua != ub) return ua < ub ? -1 : 1;
    }
}

/* ---- RFC 8785 writer ------------------------------------------------------------------------- */

/* Shortest round-trip digits of x > 0 (finite), as ECMAScript Number::toString chooses them:
   the fewest digits k that read back as x, and of those the closest to x. For each precision
   p, printf's correctly rounded p-digit decimal is tried first; when it does not read back
   (possible only next to a power of two, where the rounding interval is lopsided), its two
   p-digit neighbours are tried. Result: digits (no trailing zeros) and n with
   x = 0.d1d2...dk * 10^n. */
static void shortest(double x, char digits[24], int *n) {
    int p;
    for (p = 1; p <= 17; p++) {
        char buf[40], cand[48];
        unsigned long long m, best = 0;
        int e, q, d, found = 0, kdig;
        const char *c;
        snprintf(buf, sizeof buf, "%.*e", p - 1, x);
        /* buf: d[.ddd]e[+-]XX -> m (p digits) and exponent e */
        m = 0;
        for (c = buf; *c != 'e'; c++) if (*c != '.') m = m * 10 + (unsigned long long)(*c - '0');
        e = atoi(c + 1);
        q = e - (p - 1); /* x ~ m * 10^q */
        for (d = 0; d < 3 && !found; d++) {
            unsigned long long cm = d == 0 ? m : d == 1 ? m - 1 : m + 1;
            if (cm == 0) continue;
            snprintf(cand, sizeof cand, "%llue%d", cm, q);
            if (strtod(cand, NULL) == x) { best = cm; found = 1; }
        }
        if (!found) continue;
        while (best % 10 == 0) { best /= 10; q++; }
        snprintf(digits, 24, "%llu", best);
        kdig = (int)strlen(digits);
        *n = kdig + q;
        return;
    }
    /* 17 significant digits always identify a double. */
    fputs("tensorseed-c: internal error in number formatting\n", stderr);
    abort();
}

void format_number(double x, char out[40]) {
    char d[24];
    int n, k, i, o = 0;
    if (x == 0) { strcpy(out, "0"); return; } /* also -0 */
    if (x < 0) { out[o++] = '-'; x = -x; }
    shortest(x, d, &n);
    k = (int)strlen(d);
    if (k <= n && n <= 21) {                 /* integer: digits then n - k zeros */
        for (i = 0; i < k; i++) out[o++] = d[i];
        for (i = 0; i < n - k; i++) out[o++] = '0';
    } else if (0 < n && n <= 21) {           /* ddd.ddd */
        for (i = 0; i < n; i++) out[o++] = d[i];
        out[o++] = '.';
        for (i = n; i < k; i++) out[o++] = d[i];
    } else if (-6 < n && n <= 0) {           /* 0.000ddd */
        out[o++] = '0'; out[o++] = '.';
        for (i = 0; i < -n; i++) out[o++] = '0';
        for (i = 0; i < k; i++) out[o++] = d[i];
    } else {                                 /* d.ddde+X / de-X */
        out[o++] = d[0];
        if (k > 1) { out[o++] = '.'; for (i = 1; i < k; i++) out[o++] = d[i]; }
        o += sprintf(out + o, "e%c%d", n - 1 < 0 ? '-' : '+', n - 1 < 0 ? 1 - n : n - 1);
    }
    out[o] = 0;
}

static void canonical_string(tsbuf *b, jstr s) {
    size_t k, n;
    unsigned char *u;
    buf_put(b, "\"", 1);
    for (k = 0; k < s.len; k++) {
        uint32_t c = s.cp[k];
        char esc[8];
        jstr one;
        switch (c) {
        case '"': buf_puts(b, "\\\""); continue;
        case '\\': buf_puts(b, "\\\\"); continue;
        case 8: buf_puts(b, "\\b"); continue;
        case 9: buf_puts(b, "\\t"); continue;
        case 10: buf_puts(b, "\\n"); continue;
        case 12: buf_puts(b, "\\f"); continue;
        case 13: buf_puts(b, "\\r"); continue;
        default: break;
        }
        if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)c);
            buf_puts(b, esc);
            continue;
        }
        one.cp = &s.cp[k]; one.len = 1;
        u = jstr_utf8(one, &n);
        buf_put(b, u, n);
    }
    buf_put(b, "\"", 1);
}

static const jstr *sort_keys_of;
static int by_key(const void *a, const void *b) {
    return jstr_cmp_utf16(sort_keys_of[*(const size_t *)a], sort_keys_of[*(const size_t *)b]);
}

void json_canonical(tsbuf *b, const jvalue *v) {
    size_t k;
    char num[40];
    switch (v->type) {
    case J_NULL: buf_puts(b, "null"); return;
    case J_TRUE: buf_puts(b, "true"); return;
    case J_FALSE: buf_puts(b, "false"); return;
    case J_NUM: format_number(v->num, num); buf_puts(b, num); return;
    case J_STR: canonical_string(b, v->str); return;
    case J_ARR:
        buf_put(b, "[", 1);
        for (k = 0; k < v->n; k++) {
            if (k) buf_put(b, ",", 1);
            json_canonical(b, v->items[k]);
        }
        buf_put(b, "]", 1);
        return;
    case J_OBJ: {
        size_t *order = ts_alloc((v->n + 1) * sizeof(size_t));
        for (k = 0; k < v->n; k++) order[k] = k;
        sort_keys_of = v->keys;
        qsort(order, v->n, sizeof(size_t), by_key);
        buf_put(b, "{", 1);
        for (k = 0; k < v->n; k++) {
            if (k) buf_put(b, ",", 1);
            canonical_string(b, v->keys[order[k]]);
            buf_put(b, ":", 1);
            json_canonical(b, v->vals[order[k]]);
        }
        buf_put(b, "}", 1);
        return;
    }
    }
}
