/* A strict JSON reader (numbers kept as their literal text, strings as code points) and the
   RFC 8785 canonical writer. Memory comes from an arena released per recipe. */
#ifndef TS_JSON_H
#define TS_JSON_H
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

/* Bump allocator: everything of one recipe is freed at once. */
void *ts_alloc(size_t n);
void ts_arena_reset(void);

/* Errors longjmp to *ts_error_jump (set by the caller with setjmp); the message says what and
   where. */
extern jmp_buf *ts_error_jump;
void ts_fail(const char *fmt, ...);
const char *ts_error_message(void);

typedef enum { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jvalue jvalue;

typedef struct {
    uint32_t *cp;   /* code points; an unpaired escaped surrogate stays as its value */
    size_t len;
} jstr;

struct jvalue {
    jtype type;
    /* J_NUM from the reader: text (its literal) and is_int (no fraction, no exponent).
       J_NUM built for the canonical writer: text == NULL and the value in num. */
    const char *text;
    int is_int;
    double num;
    jstr str;                 /* J_STR */
    size_t n;                 /* J_ARR items / J_OBJ members */
    jvalue **items;           /* J_ARR */
    jstr *keys;               /* J_OBJ (unique: a repeated key keeps its last value) */
    jvalue **vals;            /* J_OBJ */
};

jvalue *json_parse(const unsigned char *text, size_t len);

/* Object access. */
jvalue *json_get(const jvalue *obj, const char *key);
int jstr_eq(jstr s, const char *ascii);
/* Helpers for building the canonical tree. */
jvalue *json_new(jtype t);
jvalue *json_num(double x);
jvalue *json_str_ascii(const char *s);
jvalue *json_str(jstr s);
void json_set(jvalue *obj, const char *key, jvalue *v); /* appends; keys must be new */
jvalue *json_arr(size_t n);

/* Code points of UTF-8 text (fails on invalid UTF-8). */
jstr jstr_from_utf8(const unsigned char *text, size_t len);
/* UTF-8 of a string (a lone surrogate becomes U+FFFD), NUL-terminated, length in *len. */
unsigned char *jstr_utf8(jstr s, size_t *len);
/* Compares as sequences of UTF-16 code units (RFC 8785 member order). */
int jstr_cmp_utf16(jstr a, jstr b);

/* Growing byte buffer. */
typedef struct { unsigned char *p; size_t len, cap; } tsbuf;
void buf_put(tsbuf *b, const void *data, size_t n);
void buf_puts(tsbuf *b, const char *s);

/* RFC 8785 canonical JSON of v, appended to b. */
void json_canonical(tsbuf *b, const jvalue *v);
/* ECMAScript Number::toString(x) of a finite double. */
void format_number(double x, char out[40]);
#endif
