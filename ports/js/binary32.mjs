// Binary32 arithmetic and portable binary32 math of docs/stream-spec.md section 14
// (tensorseed-stream/2): the integer to binary32 conversions, log2f and the normal quantile
// (central and tail).
//
// JavaScript has no binary32 type, but every operation here takes binary32 operands, and
// binary64 carries more than 2 * 24 + 2 bits, so `Math.fround(a op b)` (and
// `Math.fround(Math.sqrt(a))`) is the correctly rounded binary32 result (section 14.1). So every
// `+ - * / sqrt` below is wrapped in `fr`, in the order the spec writes, with no fusion: V8 keeps
// a double for each intermediate and rounds it at each `fr`. Unary minus and multiplications by
// powers of two that stay normal are exact and need none.

const fr = Math.fround;

// Bit patterns through one shared view (the platform's byte order is the same for both arrays).
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** The u32 bit pattern of a binary32 value x. */
export function bits32(x) {
  F32[0] = x;
  return U32[0];
}

/** The binary32 value with bit pattern b. */
export function fromBits32(b) {
  U32[0] = b;
  return F32[0];
}

/** The largest finite binary32, 7f7fffff. */
export const MAX32 = fromBits32(0x7f7fffff);

/**
 * r32 of section 14.1: a per-tensor binary64 scalar rounded to the nearest binary32, an infinity
 * replaced by the largest finite binary32 of the same sign (so no element sees inf - inf).
 */
export function r32(x) {
  const y = fr(x);
  if (y === Infinity) return MAX32;
  if (y === -Infinity) return -MAX32;
  return y;
}

// ---------------------------------------------------------------------------------------------
// 14.2 Integer to binary32 conversions (exact: an odd integer below 2^24 times a power of two)

const TWO_M24 = 2 ** -24;
const TWO_M25 = 2 ** -25;
const TWO_M33 = 2 ** -33;

/** uniform24f(w) = f32(w >> 8) * 2^-24, in [0, 1). */
export const uniform24f = (w) => (w >>> 8) * TWO_M24;

/** half_open(k) for 31 bits k: in (0, 1/2), full relative resolution below 2^-9 (k < 2^23). */
export const halfOpen = (k) => (k < 0x800000 ? (2 * k + 1) * TWO_M33 : (2 * (k >>> 8) + 1) * TWO_M25);

// ---------------------------------------------------------------------------------------------
// 14.3 log2f. Constants from their bit patterns (the spec says the hex pattern decides).

const LOG2_SPLIT = fromBits32(0x3fb504f3); // 1.4142135
const L3 = fromBits32(0x3edd0c7c); // 0.43173587
const L2 = fromBits32(0x3f13a38d); // 0.57671434
const L1 = fromBits32(0x3f763873); // 0.96179885
const L0 = fromBits32(0x4038aa3b); // 2.88539

/** log2 of a positive normal binary32 x (2^-126 <= x < 2^128). */
export function log2f(x) {
  F32[0] = x;
  const b = U32[0];
  let e = (b >>> 23) - 127; // x > 0: the sign bit is 0
  U32[0] = (b & 0x007fffff) | 0x3f800000;
  let m = F32[0]; // 1 <= m < 2, exact
  if (m > LOG2_SPLIT) {
    m = m * 0.5; // exact
    e = e + 1;
  }
  const f = m - 1; // exact (Sterbenz)
  const s = fr(f / fr(f + 2));
  const z = fr(s * s);
  // horner32(LOG2_C, z)
  let t = fr(fr(L3 * z) + L2);
  t = fr(fr(t * z) + L1);
  t = fr(fr(t * z) + L0);
  return fr(e + fr(s * t)); // f32(e) is exact
}

// ---------------------------------------------------------------------------------------------
// 14.4 The normal quantile: t = Phi^-1(1 - p) >= 0 for a one-sided tail probability p <= 1/2.

const C9 = fromBits32(0xb0033970); // -4.7739146e-10
const C8 = fromBits32(0x3293c0bd); // 1.72007e-08
const C7 = fromBits32(0xb46df92b); // -2.2162992e-07
const C6 = fromBits32(0x3533c633); // 6.6971114e-07
const C5 = fromBits32(0x372646a2); // 9.9108165e-06
const C4 = fromBits32(0xb82ceb0a); // -4.1226893e-05
const C3 = fromBits32(0xba902961); // -0.001099866
const C2 = fromBits32(0x3c00917c); // 0.007847186
const C1 = fromBits32(0x3e68e44b); // 0.22743337
const C0 = fromBits32(0x3fa06c99); // 1.2533141

/** central(c) for c = 2p in [2^-8, 1] (Giles' single-precision erfinv form, log2 units). */
export function central(c) {
  const x = fr(1 - c);
  const w = -log2f(fr(c * fr(2 - c)));
  return fr(x * centralPoly(w));
}

/** horner32(CENTRAL_C, w): the central polynomial, one binary32 multiply and add per step. */
function centralPoly(w) {
  let a = fr(fr(C9 * w) + C8);
  a = fr(fr(a * w) + C7);
  a = fr(fr(a * w) + C6);
  a = fr(fr(a * w) + C5);
  a = fr(fr(a * w) + C4);
  a = fr(fr(a * w) + C3);
  a = fr(fr(a * w) + C2);
  a = fr(fr(a * w) + C1);
  a = fr(fr(a * w) + C0);
  return a;
}

const TWO_LN2 = fromBits32(0x3fb17218); // 1.3862944
const LN2 = fromBits32(0x3f317218); // 0.6931472
const T5 = fromBits32(0x4012dbfb); // 2.2946765
const T4 = fromBits32(0xbf913436); // -1.1344059
const T3 = fromBits32(0x3f13d8bf); // 0.57752603
const T2 = fromBits32(0x3d2a9f5f); // 0.041655894
const T1 = fromBits32(0x3f2d2fde); // 0.67651165
const T0 = fromBits32(0xbfeb3f28); // -1.8378649

/** tail(l2) for l2 = -log2(p) in [8.95, 1110] (the asymptotic normal tail, inverted). */
export function tail(l2) {
  const y = fr(l2 * TWO_LN2);
  const g = log2f(y);
  const q = fr(g / y);
  // horner32(TAIL_C, q)
  let a = fr(fr(T5 * q) + T4);
  a = fr(fr(a * q) + T3);
  a = fr(fr(a * q) + T2);
  a = fr(fr(a * q) + T1);
  a = fr(fr(a * q) + T0);
  return fr(Math.sqrt(fr(fr(y - fr(g * LN2)) + a)));
}

/** The standard normal value of one word (15.2): the sign bit picks the side. */
export function normal32(w) {
  const k = w & 0x7fffffff;
  const u = halfOpen(k);
  // u >= 2^-9 exactly when k >= 2^23; u + u is exact.
  const t = k >= 0x800000 ? central(u + u) : tail(-log2f(u));
  return w >>> 31 ? t : -t;
}

// ---------------------------------------------------------------------------------------------
// The fast path: the same operations on a batch of elements, bit-equal to central() and
// normal32() (tests/conformance/test_js_v2.py checks it on every input Normal32 produces).
//
// Each binary32 operation is a binary64 operation and a rounding (Math.fround: two conversions),
// so one element's quantile is a chain of about 80 dependent steps, and a loop that evaluates
// the chain element after element waits on its latency. Split into stages over a batch, with the
// longest stage (the degree-9 polynomial) on four elements at once, the processor overlaps
// independent elements: about twice as fast, and faster than v1's binary64 normal.

/** Elements per batch: the stages' scratch arrays stay in the L1 cache. */
export const BATCH = 1024;
const X = new Float64Array(BATCH);
const WL = new Float64Array(BATCH);
const ARG = new Float32Array(BATCH); // log2f's argument; its bits through the Uint32Array view
const ARG_BITS = new Uint32Array(ARG.buffer);
const TWO_M23 = 2 ** -23;

/** t[i] = central(c[i]) for i < n <= BATCH: each c[i] a binary32 value in [2^-8, 1]. */
export function centralBatch(c, n, t) {
  for (let i = 0; i < n; i++) {
    const ci = c[i];
    X[i] = fr(1 - ci);
    ARG[i] = fr(ci * fr(2 - ci)); // already binary32: the store is exact
  }
  // w = -log2f(c * (2 - c)), as log2f above; the mantissa 1 + bits * 2^-23 is exact.
  for (let i = 0; i < n; i++) {
    const b = ARG_BITS[i];
    let e = (b >>> 23) - 127;
    let m = 1 + (b & 0x007fffff) * TWO_M23;
    if (m > LOG2_SPLIT) {
      m = m * 0.5;
      e = e + 1;
    }
    const f = m - 1;
    const s = fr(f / fr(f + 2));
    const z = fr(s * s);
    let q = fr(fr(L3 * z) + L2);
    q = fr(fr(q * z) + L1);
    q = fr(fr(q * z) + L0);
    WL[i] = -fr(e + fr(s * q));
  }
  // x * horner32(CENTRAL_C, w), four elements at a time.
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const w0 = WL[i];
    const w1 = WL[i + 1];
    const w2 = WL[i + 2];
    const w3 = WL[i + 3];
    let a0 = fr(fr(C9 * w0) + C8);
    let a1 = fr(fr(C9 * w1) + C8);
    let a2 = fr(fr(C9 * w2) + C8);
    let a3 = fr(fr(C9 * w3) + C8);
    a0 = fr(fr(a0 * w0) + C7); a1 = fr(fr(a1 * w1) + C7); a2 = fr(fr(a2 * w2) + C7); a3 = fr(fr(a3 * w3) + C7);
    a0 = fr(fr(a0 * w0) + C6); a1 = fr(fr(a1 * w1) + C6); a2 = fr(fr(a2 * w2) + C6); a3 = fr(fr(a3 * w3) + C6);
    a0 = fr(fr(a0 * w0) + C5); a1 = fr(fr(a1 * w1) + C5); a2 = fr(fr(a2 * w2) + C5); a3 = fr(fr(a3 * w3) + C5);
    a0 = fr(fr(a0 * w0) + C4); a1 = fr(fr(a1 * w1) + C4); a2 = fr(fr(a2 * w2) + C4); a3 = fr(fr(a3 * w3) + C4);
    a0 = fr(fr(a0 * w0) + C3); a1 = fr(fr(a1 * w1) + C3); a2 = fr(fr(a2 * w2) + C3); a3 = fr(fr(a3 * w3) + C3);
    a0 = fr(fr(a0 * w0) + C2); a1 = fr(fr(a1 * w1) + C2); a2 = fr(fr(a2 * w2) + C2); a3 = fr(fr(a3 * w3) + C2);
    a0 = fr(fr(a0 * w0) + C1); a1 = fr(fr(a1 * w1) + C1); a2 = fr(fr(a2 * w2) + C1); a3 = fr(fr(a3 * w3) + C1);
    a0 = fr(fr(a0 * w0) + C0); a1 = fr(fr(a1 * w1) + C0); a2 = fr(fr(a2 * w2) + C0); a3 = fr(fr(a3 * w3) + C0);
    t[i] = fr(X[i] * a0);
    t[i + 1] = fr(X[i + 1] * a1);
    t[i + 2] = fr(X[i + 2] * a2);
    t[i + 3] = fr(X[i + 3] * a3);
  }
  for (; i < n; i++) {
    t[i] = fr(X[i] * centralPoly(WL[i]));
  }
}

const C_IN = new Float64Array(BATCH);
const T_OUT = new Float64Array(BATCH);

/**
 * z[i] = normal32(words[from + i]) for i < n <= BATCH: the central lanes through centralBatch,
 * the tail lanes (k < 2^23, one in 256) one by one.
 */
export function normal32Batch(words, from, n, z) {
  for (let i = 0; i < n; i++) {
    const k = words[from + i] & 0x7fffffff;
    // c = u + u for a central lane; a tail lane computes central(1) = 0, then is replaced.
    C_IN[i] = k >= 0x800000 ? 2 * ((2 * (k >>> 8) + 1) * TWO_M25) : 1;
  }
  centralBatch(C_IN, n, T_OUT);
  for (let i = 0; i < n; i++) {
    const w = words[from + i];
    const k = w & 0x7fffffff;
    const t = k >= 0x800000 ? T_OUT[i] : tail(-log2f((2 * k + 1) * TWO_M33));
    z[i] = w >>> 31 ? t : -t;
  }
}
