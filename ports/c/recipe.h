/* Recipes (docs/stream-spec.md sections 8-10 and 13): validation, canonical recipe, plan, header. */
#ifndef TS_RECIPE_H
#define TS_RECIPE_H
#include "export.h"
#include "json.h"
#include "stream.h"

typedef struct {
    jstr name;
    unsigned char *name_utf8;
    size_t name_len;
    int ndim;
    int64_t shape[8];
    int64_t numel;
    ts_tensor_stream stream; /* its stream; with gather, only its dtype counts */
    const ts_gather *gather;  /* an exported tensor gathered from several elements (section 18), or NULL */
} ts_tensor;

typedef struct {
    ts_version version;      /* the recipe's "spec" (section 13.1) */
    ts_dtype dtype;
    size_t n;
    ts_tensor *tensors;      /* sorted by name, UTF-16 code-unit order */
    tsbuf header;            /* the file's first bytes: u64 length + padded canonical header */
} ts_plan;

/* Validates a parsed recipe; on any problem calls ts_fail with a clear message. */
void ts_build_plan(const jvalue *recipe, ts_plan *plan);

/* What this port implements, as a JSON line. */
const char *ts_capabilities(void);
#endif
