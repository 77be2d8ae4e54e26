/* Self test of the C port's stream against the numbers docs/stream-spec.md prints: Philox's
   known answers (section 2), the binary32 constants' decimal literals against their bit patterns
   (14.1) and the worked examples of tensorseed-stream/2 (section 17), intermediate values
   included, so a wrong step is named rather than found as a different file hash.

     make -C ports/c check        (the conformance suite runs it too)

   Prints one line per failed check and exits 1 if any failed. */
#include "stream.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0, checks = 0;

static uint32_t fb(float x) { uint32_t b; memcpy(&b, &x, 4); return b; }

static void check_bits(const char *what, float got, uint32_t want) {
    checks++;
    if (fb(got) != want) {
        printf("FAIL %s: got %08x (%.9g), spec says %08x\n", what, fb(got), (double)got, want);
        failures++;
    }
}

static void check_u32(const char *what, uint32_t got, uint32_t want) {
    checks++;
    if (got != want) {
        printf("FAIL %s: got %08x, spec says %08x\n", what, got, want);
        failures++;
    }
}

static void philox_known_answers(void) {
    static const uint32_t cases[3][10] = {
        {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
        {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
         0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
        {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0,
         0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
    };
    int i, j;
    for (i = 0; i < 3; i++) {
        uint32_t out[4];
        ts_philox(cases[i], cases[i][4], cases[i][5], out);
        for (j = 0; j < 4; j++) check_u32("philox known answer", out[j], cases[i][6 + j]);
    }
}

/* 14.1: each literal reads as the binary32 of its bit pattern, through strtof and through the
   nearest binary64 rounded to binary32 (what JavaScript's Math.fround(Number(s)) does). */
static void constants(void) {
    static const struct { const char *literal; uint32_t bits; } c[] = {
        {"1.4142135", 0x3fb504f3}, {"0.43173587", 0x3edd0c7c}, {"0.57671434", 0x3f13a38d},
        {"0.96179885", 0x3f763873}, {"2.88539", 0x4038aa3b}, {"-4.7739146e-10", 0xb0033970},
        {"1.72007e-08", 0x3293c0bd}, {"-2.2162992e-07", 0xb46df92b}, {"6.6971114e-07", 0x3533c633},
        {"9.9108165e-06", 0x372646a2}, {"-4.1226893e-05", 0xb82ceb0a}, {"-0.001099866", 0xba902961},
        {"0.007847186", 0x3c00917c}, {"0.22743337", 0x3e68e44b}, {"1.2533141", 0x3fa06c99},
        {"1.3862944", 0x3fb17218}, {"0.6931472", 0x3f317218}, {"2.2946765", 0x4012dbfb},
        {"-1.1344059", 0xbf913436}, {"0.57752603", 0x3f13d8bf}, {"0.041655894", 0x3d2a9f5f},
        {"0.67651165", 0x3f2d2fde}, {"-1.8378649", 0xbfeb3f28},
        {"2.9802322387695312e-08", 0x33000000}, {"1.1641532182693481e-10", 0x2f000000},
        {"5.9604644775390625e-08", 0x33800000}, {"0.001953125", 0x3b000000},
    };
    size_t i;
    for (i = 0; i < sizeof c / sizeof c[0]; i++) {
        check_bits(c[i].literal, strtof(c[i].literal, NULL), c[i].bits);
        check_bits(c[i].literal, (float)strtod(c[i].literal, NULL), c[i].bits);
    }
    check_bits("r32 saturates +inf", ts_r32(1e300), 0x7f7fffff);
    check_bits("r32 saturates -inf", ts_r32(-1e300), 0xff7fffff);
    check_bits("r32 of 2^128 - 2^104 (rounds to inf)", ts_r32(3.4028235677973366e38), 0x7f7fffff);
}

static float f_of(uint32_t b) { float x; memcpy(&x, &b, 4); return x; }

static void log2f_examples(void) {
    check_bits("log2f(0.75)", ts_log2f(0.75f), 0xbed47fcc);
    check_bits("log2f(3)", ts_log2f(3.0f), 0x3fcae00d);
}

static void normal32_examples(void) {
    ts_f32_scalars unit;
    memset(&unit, 0, sizeof unit);
    unit.M = 0.0f;
    unit.S = 1.0f;
    /* w = 8f3a2b1c: central */
    check_bits("half_open(0f3a2b1c)", ts_half_open(0x0f3a2b1c), 0x3d73a2b8);
    check_bits("log2f(c * (2 - c))", -ts_log2f(f_of(0x3e6524d2)), 0x400a3ba5);
    check_bits("central(3df3a2b8)", ts_central(f_of(0x3df3a2b8)), 0x3fc791fa);
    check_bits("Normal32 w=8f3a2b1c", ts_normal32_value(&unit, 0x8f3a2b1c), 0x3fc791fa);
    /* w = 00123456: tail */
    check_bits("half_open(00123456)", ts_half_open(0x00123456), 0x3991a2b4);
    check_bits("l2 = -log2f(u)", -ts_log2f(f_of(0x3991a2b4)), 0x413d053f);
    check_bits("log2f(y)", ts_log2f(f_of(0x418304df)), 0x40811385);
    check_bits("tail(413d053f)", ts_tail(f_of(0x413d053f)), 0x405cf4a9);
    check_bits("Normal32 w=00123456", ts_normal32_value(&unit, 0x00123456), 0xc05cf4a9);
    /* w = 7fffffff: the smallest |z| */
    check_bits("half_open(7fffffff)", ts_half_open(0x7fffffff), 0x3effffff);
    check_bits("Normal32 w=7fffffff", ts_normal32_value(&unit, 0x7fffffff), 0xb3a06c99);
    /* 15.2: the largest |z| */
    check_bits("tail(33)", ts_tail(33.0f), 0x40cad08d);
    check_bits("Normal32 w=80000000", ts_normal32_value(&unit, 0x80000000), 0x40cad08d);
}

static ts_f32_scalars trunc_unit(double alpha, double beta) {
    ts_sampler s;
    if (!ts_trunc_normal(0, 1, alpha, beta, alpha, beta, &s)) {
        printf("FAIL [%g, %g]: rejected\n", alpha, beta);
        failures++;
    }
    s = ts_binary32_sampler(s);
    checks++;
    if (s.kind != S_TRUNC32) { printf("FAIL [%g, %g]: not TruncNormal32\n", alpha, beta); failures++; }
    return s.f;
}

static void trunc32_examples(void) {
    ts_f32_scalars f = trunc_unit(5, 6);
    check_bits("[5, 6] W32", f.W, 0x34995d7f);
    check_bits("[5, 6] LW32", f.LW, 0xc1ade9d3);
    check_bits("[5, 6] R0", f.R0, 0x3b6256ad);
    check_bits("[5, 6] R1", f.R1, 0x3f80712b);
    check_u32("[5, 6] one-sided, both paths negate", (uint32_t)(f.one_sided && f.negate0 && f.negate1), 1);
    check_bits("[5, 6] log2f(v) path 0", ts_log2f(f_of(0x3b63027a)), 0xc102c635);
    check_bits("[5, 6] w=0000abcd", ts_trunc32_value(&f, 0x0000abcd), 0x40bffc0f);
    check_bits("[5, 6] w=80012345", ts_trunc32_value(&f, 0x80012345), 0x40a00006);

    f = trunc_unit(-2, 2);
    check_bits("[-2, 2] W32", f.W, 0x3f745a18);
    check_bits("[-2, 2] R0", f.R0, 0x3cc340ce);
    check_bits("[-2, 2] R1", f.R1, 0x3cc340ce);
    check_u32("[-2, 2] around 0, path 1 negates", (uint32_t)(!f.one_sided && !f.negate0 && f.negate1), 1);
    check_bits("[-2, 2] w=3c000000", ts_trunc32_value(&f, 0x3c000000), 0xbf2f87fc);

    f = trunc_unit(-1, 6);
    check_bits("[-1, 6] W32", f.W, 0x3f57625f);
    check_bits("[-1, 6] R1", f.R1, 0x30a12a51);
    check_bits("[-1, 6] w=c0000000", ts_trunc32_value(&f, 0xc0000000), 0x3f4e2534);

    f = trunc_unit(30, 37);
    check_bits("[30, 37] W32", f.W, 0x00000000);
    check_bits("[30, 37] LW32", f.LW, 0xc423dc9c);
    check_bits("[30, 37] R0", f.R0, 0x00000000);
    check_bits("[30, 37] R1", f.R1, 0x3f800000);
    check_bits("[30, 37] log2f(v)", ts_log2f(f_of(0x372bcd80)), 0xc1849a66);
    check_bits("[30, 37] w=0000abcd", ts_trunc32_value(&f, 0x0000abcd), 0x41f30a8a);
}

/* 13.2: v2's key prefix; the two versions' streams differ for the same seed and name. */
static void keys(void) {
    ts_key a = ts_stream_key(TS_V1, 7, (const unsigned char *)"t", 1);
    ts_key b = ts_stream_key(TS_V2, 7, (const unsigned char *)"t", 1);
    checks++;
    if (a.k0 == b.k0 && a.k1 == b.k1 && a.c2 == b.c2 && a.c3 == b.c3) {
        printf("FAIL v1 and v2 keys are equal\n");
        failures++;
    }
}

int main(void) {
    checks++;
    if (!ts_subnormals_ok()) { printf("FAIL subnormals are flushed to zero (FTZ/DAZ)\n"); failures++; }
    philox_known_answers();
    constants();
    log2f_examples();
    normal32_examples();
    trunc32_examples();
    keys();
    printf("%d of %d checks passed\n", checks - failures, checks);
    return failures ? 1 : 0;
}
