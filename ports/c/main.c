/* tensorseed-c: the C port's command line.

     tensorseed-c < recipe.json > out.safetensors
     tensorseed-c --capabilities          what this port implements, as JSON
     tensorseed-c --batch < lines.jsonl   one recipe per line in; one JSON line out per recipe,
                                          written before the next line is read:
                                          {"ok":true,"size":N,"sha256":"..."} or {"ok":false,"error":"..."}

   Exit status: 0 on success, 2 for an invalid or unsupported recipe (message on stderr), 3 when it
   cannot run as the spec requires (out of memory; subnormals flushed to zero). */
#include "json.h"
#include "recipe.h"
#include "sha256.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_ELEMENTS (1u << 20)

typedef void (*sink_fn)(void *ctx, const unsigned char *p, size_t n);

static void write_sink(void *ctx, const unsigned char *p, size_t n) {
    if (fwrite(p, 1, n, (FILE *)ctx) != n) { perror("tensorseed-c: write"); exit(1); }
}

typedef struct { sha256_ctx h; unsigned long long size; } hash_ctx;

static void hash_sink(void *ctx, const unsigned char *p, size_t n) {
    hash_ctx *c = ctx;
    sha256_update(&c->h, p, n);
    c->size += n;
}

/* Streams the file: header, then each tensor in chunks (memory bounded by the chunk). */
static void emit(const ts_plan *plan, sink_fn sink, void *ctx) {
    static double *scratch;
    static uint32_t *words;
    static unsigned char *bytes;
    size_t k;
    if (!scratch) {
        scratch = malloc(CHUNK_ELEMENTS * sizeof(double));
        words = malloc(CHUNK_ELEMENTS * 2 * sizeof(uint32_t));
        bytes = malloc(CHUNK_ELEMENTS * 8);
        if (!scratch || !words || !bytes) { fputs("tensorseed-c: out of memory\n", stderr); exit(3); }
    }
    sink(ctx, plan->header.p, plan->header.len);
    for (k = 0; k < plan->n; k++) {
        const ts_tensor *t = &plan->tensors[k];
        int64_t start;
        for (start = 0; start < t->numel; start += CHUNK_ELEMENTS) {
            size_t count = t->numel - start < CHUNK_ELEMENTS ? (size_t)(t->numel - start) : CHUNK_ELEMENTS;
            if (t->gather) ts_gather_fill(t->gather, t->stream.dtype, start, count, words, scratch, bytes);
            else ts_fill(&t->stream, start, count, words, scratch, bytes);
            sink(ctx, bytes, count * ts_dtype_size(t->stream.dtype));
        }
    }
}

static unsigned char *read_all(FILE *f, size_t *len) {
    size_t cap = 1 << 16, n = 0, r;
    unsigned char *p = malloc(cap);
    while (p && (r = fread(p + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) p = realloc(p, cap *= 2);
    }
    if (!p) { fputs("tensorseed-c: out of memory\n", stderr); exit(3); }
    *len = n;
    return p;
}

static void json_error_line(const char *msg) {
    const char *c;
    fputs("{\"ok\":false,\"error\":\"", stdout);
    for (c = msg; *c; c++) {
        if (*c == '"' || *c == '\\') printf("\\%c", *c);
        else if ((unsigned char)*c < 0x20) printf("\\u%04x", (unsigned char)*c);
        else putchar(*c);
    }
    fputs("\"}\n", stdout);
}

/* One --batch line: a JSON result line, whatever happens. */
static void batch_line(const unsigned char *text, size_t len) {
    jmp_buf jb;
    ts_plan plan;
    hash_ctx hc;
    unsigned char d[32];
    int i;
    ts_error_jump = &jb;
    if (setjmp(jb)) {
        json_error_line(ts_error_message());
        ts_arena_reset();
        return;
    }
    ts_build_plan(json_parse(text, len), &plan);
    sha256_init(&hc.h);
    hc.size = 0;
    emit(&plan, hash_sink, &hc);
    sha256_final(&hc.h, d);
    printf("{\"ok\":true,\"size\":%llu,\"sha256\":\"", hc.size);
    for (i = 0; i < 32; i++) printf("%02x", d[i]);
    puts("\"}");
    ts_arena_reset();
}

/* Line by line, answering each line before reading the next, so a test can keep one process and
   talk to it recipe by recipe. */
static int batch(void) {
    size_t cap = 1 << 16, n;
    unsigned char *line = malloc(cap);
    int c = 0;
    while (line && c != EOF) {
        int blank = 1;
        n = 0;
        while ((c = getchar()) != EOF && c != '\n') {
            if (n == cap && !(line = realloc(line, cap *= 2))) break;
            line[n++] = (unsigned char)c;
            if (c != ' ' && c != '\t' && c != '\r') blank = 0;
        }
        if (!line) break;
        if (!blank) {
            batch_line(line, n);
            fflush(stdout);
        }
    }
    if (!line) { fputs("tensorseed-c: out of memory\n", stderr); return 3; }
    free(line);
    return 0;
}

static int single(const unsigned char *in, size_t len) {
    jmp_buf jb;
    ts_plan plan;
    ts_error_jump = &jb;
    if (setjmp(jb)) {
        fprintf(stderr, "tensorseed-c: invalid recipe: %s\n", ts_error_message());
        return 2;
    }
    ts_build_plan(json_parse(in, len), &plan);
    emit(&plan, write_sink, stdout);
    if (fflush(stdout)) { perror("tensorseed-c: write"); return 1; }
    return 0;
}

int main(int argc, char **argv) {
    size_t len;
    unsigned char *in;
    int rc;
    if (argc == 2 && !strcmp(argv[1], "--capabilities")) { puts(ts_capabilities()); return 0; }
    if (!ts_subnormals_ok()) {
        fputs("tensorseed-c: this process flushes subnormal floats to zero (FTZ/DAZ), which the spec forbids "
              "(section 14.1); refusing to write bytes\n", stderr);
        return 3;
    }
    if (argc == 2 && !strcmp(argv[1], "--batch")) return batch();
    if (argc != 1) {
        fputs("usage: tensorseed-c [--capabilities | --batch] < recipe.json > out.safetensors\n", stderr);
        return 2;
    }
    in = read_all(stdin, &len);
    rc = single(in, len);
    free(in);
    return rc;
}
