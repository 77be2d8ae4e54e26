// The portable stream of docs/stream-spec.md, sections 2-7 (tensorseed-stream/1) and 13-15
// (tensorseed-stream/2): Philox4x32-10, key derivation, integer to float conversions, the
// portable math, the samplers and the rounding to the output dtype. The binary32 math of v2
// (section 14) is in binary32.mjs.
//
// Every f64 operation below is written in the order the spec gives; JavaScript numbers are IEEE
// binary64 with round-to-nearest-even and no fused multiply-add, which is exactly what the spec
// asks for. Integer work uses 32-bit operations (Math.imul, >>>) and exact double arithmetic on
// values below 2^53, so the core runs unchanged in browsers.

import {
  BATCH, centralBatch, central, halfOpen, log2f, normal32Batch, r32, tail, uniform24f,
} from './binary32.mjs';
import { sha256 } from './sha256.mjs';

export const SPEC_V1 = 'tensorseed-stream/1';
export const SPEC_V2 = 'tensorseed-stream/2';
/** The version a recipe without `spec` means (section 13.1). */
export const SPEC_VERSION = SPEC_V2;
/** The versions this port implements, oldest first. */
export const SPEC_VERSIONS = [SPEC_V1, SPEC_V2];

// ---------------------------------------------------------------------------------------------
// 2. Philox4x32-10

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
// The multipliers split in 16-bit halves: every partial product of a u32 with a half is below
// 2^32, so 32-bit integer operations (Math.imul, >>>) give the high word exactly, and fast.
const M0H = M0 >>> 16;
const M0L = M0 & 0xffff;
const M1H = M1 >>> 16;
const M1L = M1 & 0xffff;

/** hi32(a * (bh * 2^16 + bl)) for a u32 (or its int32 bit pattern). */
function mulhi(a, bh, bl) {
  const ah = a >>> 16;
  const al = a & 0xffff;
  const ll = Math.imul(al, bl);
  const m1 = Math.imul(ah, bl);
  const m2 = Math.imul(al, bh);
  const carry = ((ll >>> 16) + (m1 & 0xffff) + (m2 & 0xffff)) >>> 16;
  return (Math.imul(ah, bh) + (m1 >>> 16) + (m2 >>> 16) + carry) >>> 0;
}

/**
 * Philox4x32-10 of counter (c0..c3) and key (k0, k1), all u32; writes 4 u32 words into out (a
 * Uint32Array). Inside, words are int32 bit patterns; the Uint32Array store makes them unsigned.
 */
export function philox(c0, c1, c2, c3, k0, k1, out) {
  for (let i = 0; i < 10; i++) {
    const hi0 = mulhi(c0, M0H, M0L);
    const lo0 = Math.imul(c0, M0);
    const hi1 = mulhi(c2, M1H, M1L);
    const lo1 = Math.imul(c2, M1);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 = (k0 + W0) | 0;
    k1 = (k1 + W1) | 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

// ---------------------------------------------------------------------------------------------
// 3. A tensor's stream

// The key's prefix is the version string and one zero byte (sections 3 and 13.2).
const PREFIXES = Object.fromEntries(SPEC_VERSIONS.map((v) => [v, new TextEncoder().encode(v + '\0')]));

/** Stream key of (seed: BigInt u64, name: string) in a spec version: {k0, k1, c2, c3}. */
export function streamKey(seed, name, spec) {
  const PREFIX = PREFIXES[spec];
  if (PREFIX === undefined) throw new Error(`internal: unknown spec version ${spec}`);
  const nameBytes = new TextEncoder().encode(name);
  const msg = new Uint8Array(PREFIX.length + 8 + nameBytes.length);
  msg.set(PREFIX, 0);
  let s = BigInt.asUintN(64, seed);
  for (let i = 0; i < 8; i++) {
    msg[PREFIX.length + i] = Number(s & 0xffn);
    s >>= 8n;
  }
  msg.set(nameBytes, PREFIX.length + 8);
  const d = sha256(msg);
  const u32 = (o) => (d[o] | (d[o + 1] << 8) | (d[o + 2] << 16) | (d[o + 3] << 24)) >>> 0;
  return { k0: u32(0), k1: u32(4), c2: u32(8), c3: u32(12) };
}

// ---------------------------------------------------------------------------------------------
// 4. Integer to float conversions (exact)

const TWO_M24 = 2 ** -24;
const TWO_M53 = 2 ** -53;

const uniform24 = (w) => (w >>> 8) * TWO_M24;
// k = (w1 << 21) | (w0 >> 11) is below 2^53, so w1 * 2^21 + (w0 >>> 11) is exact.
const uniform53 = (w0, w1) => (w1 * 2097152 + (w0 >>> 11)) * TWO_M53;
// k = (w1 << 20) | (w0 >> 12), a 52-bit integer; (2k + 1) * 2^-53 is exact.
const open52 = (w0, w1) => (2 * (w1 * 1048576 + (w0 >>> 12)) + 1) * TWO_M53;

// ---------------------------------------------------------------------------------------------
// 5. Portable math

// Bit access to doubles. Typed arrays use the platform's byte order, so find where the high word is.
const f64 = new Float64Array(1);
const u32v = new Uint32Array(f64.buffer);
f64[0] = 1.0;
const HI = u32v[1] === 0x3ff00000 ? 1 : 0;

/** 2^k for an integer k in [-1022, 1023], built from bits (exact). */
function pow2(k) {
  u32v[HI] = (k + 1023) << 20;
  u32v[1 - HI] = 0;
  return f64[0];
}

function horner(coeffs, x) {
  let acc = coeffs[0];
  for (let i = 1; i < coeffs.length; i++) acc = acc * x + coeffs[i];
  return acc;
}

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700e0;
const SQRT_HALF = 0.70710678118654752440;

const EXP_C = [];
{
  // 1/13!, 1/12!, ..., 1/0!: each the correctly rounded quotient of 1 by an exact factorial.
  const fact = [1];
  for (let n = 1; n <= 13; n++) fact.push(fact[n - 1] * n);
  for (let n = 13; n >= 0; n--) EXP_C.push(1.0 / fact[n]);
}
const LOG_C = [];
for (let n = 11; n >= 0; n--) LOG_C.push(2.0 / (2 * n + 1));

export function exp(x) {
  if (x < -708) return 0;
  const k = Math.floor(x * INV_LN2 + 0.5);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  return horner(EXP_C, r) * pow2(k);
}

export function log(x) {
  if (x === 0) return -Infinity;
  // frexp: x = m * 2^e with 0.5 <= m < 1.
  f64[0] = x;
  let e = 0;
  if ((u32v[HI] >>> 20 & 0x7ff) === 0) {
    f64[0] = x * 18014398509481984; // 2^54: subnormals become normal
    e = -54;
  }
  const hi = u32v[HI];
  e += ((hi >>> 20) & 0x7ff) - 1022;
  u32v[HI] = (hi & 0x800fffff) | (1022 << 20);
  let m = f64[0];
  if (m < SQRT_HALF) {
    m = m * 2;
    e = e - 1;
  }
  const s = (m - 1) / (m + 1);
  const z = s * s;
  const t = horner(LOG_C, z);
  return e * LN2_HI + (s * t + e * LN2_LO);
}

const NA = [2.5090809287301226727e3, 3.3430575583588128105e4, 6.7265770927008700853e4,
  4.5921953931549871457e4, 1.3731693765509461125e4, 1.9715909503065514427e3,
  1.3314166789178437745e2, 3.3871328727963666080e0];
const NB = [5.2264952788528545610e3, 2.8729085735721942674e4, 3.9307895800092710610e4,
  2.1213794301586595867e4, 5.3941960214247511077e3, 6.8718700749205790830e2,
  4.2313330701600911252e1, 1.0];
const NC = [7.74545014278341407640e-4, 2.27238449892691845833e-2, 2.41780725177450611770e-1,
  1.27045825245236838258e0, 3.64784832476320460504e0, 5.76949722146069140550e0,
  4.63033784615654529590e0, 1.42343711074968357734e0];
const ND = [1.05075007164441684324e-9, 5.47593808499534494600e-4, 1.51986665636164571966e-2,
  1.48103976427480074590e-1, 6.89767334985100004550e-1, 1.67638483018380384940e0,
  2.05319162663775882187e0, 1.0];
const NE = [2.01033439929228813265e-7, 2.71155556874348757815e-5, 1.24266094738807843860e-3,
  2.65321895265761230930e-2, 2.96560571828504891230e-1, 1.78482653991729133580e0,
  5.46378491116411436990e0, 6.65790464350110377720e0];
const NF = [2.04426310338993978564e-15, 1.42151175831644588870e-7, 1.84631831751005468180e-5,
  7.86869131145613259100e-4, 1.48753612908506148525e-2, 1.36929880922735805310e-1,
  5.99832206555887937690e-1, 1.0];

export function ndtri(p) {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * horner(NA, r)) / horner(NB, r);
  }
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-log(r));
  let v;
  if (r <= 5) {
    r = r - 1.6;
    v = horner(NC, r) / horner(ND, r);
  } else {
    r = r - 5;
    v = horner(NE, r) / horner(NF, r);
  }
  return q < 0 ? -v : v;
}

const CA = [3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
  3.20937758913846947e03, 1.85777706184603153e-1];
const CB = [2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
  2.84423683343917062e03];
const CC = [5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
  2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
  2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8];
const CD = [1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
  1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
  3.43936767414372164e03, 1.23033935480374942e03];
const CP = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
  1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
const CQ = [2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1,
  6.05183413124413191e-2, 2.33520497626869185e-3];
const INV_SQRT_PI = 5.6418958354775628695e-1;

function expNegSquare(y) {
  const h = Math.floor(y * 16) / 16;
  const d = (y - h) * (y + h);
  return exp(-(h * h)) * exp(-d);
}

export function erfc(y) {
  if (y <= 0.46875) {
    const ysq = y * y;
    let num = CA[4] * ysq;
    let den = ysq;
    for (let i = 0; i < 3; i++) {
      num = (num + CA[i]) * ysq;
      den = (den + CB[i]) * ysq;
    }
    return 1 - (y * (num + CA[3])) / (den + CB[3]);
  }
  if (y <= 4) {
    let num = CC[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + CC[i]) * y;
      den = (den + CD[i]) * y;
    }
    return expNegSquare(y) * ((num + CC[7]) / (den + CD[7]));
  }
  if (y >= 26.543) return 0;
  const ysq = 1 / (y * y);
  let num = CP[5] * ysq;
  let den = ysq;
  for (let i = 0; i < 4; i++) {
    num = (num + CP[i]) * ysq;
    den = (den + CQ[i]) * ysq;
  }
  let r = (ysq * (num + CP[4])) / (den + CQ[4]);
  r = (INV_SQRT_PI - r) / y;
  return expNegSquare(y) * r;
}

export function ndtr(x) {
  if (x < 0) return 0.5 * erfc(-x * SQRT_HALF);
  return 1 - 0.5 * erfc(x * SQRT_HALF);
}

// ---------------------------------------------------------------------------------------------
// 6. Samplers. A sampler is {kind, wordsPerElement, ...scalars}; sample(sampler, w0, w1) -> f64.

export function constantSampler(v) {
  return { kind: 'constant', words: 0, v };
}

// binary32: the tensor is sampled by tensorseed-stream/2's binary32 samplers (section 13.4: a v2
// recipe and a float32, float16 or bfloat16 output); otherwise by v1's binary64 ones.

export function uniformSampler(low, high, wide, binary32 = false) {
  const width = high - low; // one f64 subtraction, computed once
  // Uniform32 (15.1) when the width rounds to a finite binary32; a wider interval keeps v1's
  // one-word binary64 formula and section 7's rounding.
  if (binary32 && Number.isFinite(Math.fround(width))) {
    return { kind: 'uniform32', words: 1, L: r32(low), D: r32(width) };
  }
  return { kind: 'uniform', words: wide ? 2 : 1, wide, low, width };
}

export function normalSampler(mean, std, binary32 = false) {
  if (binary32) return { kind: 'normal32', words: 1, M: r32(mean), S: r32(std) };
  return { kind: 'normal', words: 2, mean, std };
}

/** Returns null when the interval holds no representable probability (the recipe is rejected). */
// 6.2 Position-defined samplers: values from the element's position (sparse: also its words).

export function eyeSampler(cols, v) {
  return { kind: 'eye', words: 0, cols, v };
}

/** shape: the tensor's shape; outAxis, inAxis: the layout's channel axes (9.1). */
export function diracSampler(shape, outAxis, inAxis, groups) {
  return { kind: 'dirac', words: 0, shape, outAxis, inAxis, n: shape[outAxis] / groups };
}

/** The ZerO matrix W of shape (P, Q) = (out, in); transposed: the tensor holds W^T. */
export function zeroSampler(P, Q, transposed) {
  let p = 1;
  while (p < P) p *= 2;
  return { kind: 'zero', words: 0, P, Q, transposed, c: 1 / Math.sqrt(p) };
}

export function gateSliceSampler(n, v) {
  return { kind: 'gate', words: 0, n, v };
}

/** Sparse(rows, cols, std, zeros); maskKey: the key of the tensor's `sparse` sub-stream. */
export function sparseSampler(rows, cols, std, zeros, maskKey, binary32 = false) {
  const bits = rows - 1 === 0 ? 0 : 32 - Math.clz32(rows - 1);
  const h = Math.max(1, (bits + 1) >> 1);
  // v2 binary32: the values are Normal32(0, std) of word e (13.4); the mask is v1's.
  if (binary32) return { kind: 'sparse32', words: 1, rows, cols, S: r32(std), zeros, maskKey, h };
  return { kind: 'sparse', words: 2, rows, cols, std, zeros, maskKey, h };
}

export function truncNormalSampler(mean, std, alpha, beta, low, high, binary32 = false) {
  if (binary32) return truncNormal32Sampler(mean, std, alpha, beta, low, high);
  const flip = alpha > 0;
  const loX = flip ? -beta : alpha;
  const hiX = flip ? -alpha : beta;
  const cdfLow = ndtr(loX);
  const cdfWidth = ndtr(hiX) - cdfLow;
  if (!(cdfWidth > 0)) return null;
  return { kind: 'trunc_normal', words: 2, mean, std, alpha, beta, low, high, flip, cdfLow, cdfWidth };
}

const fr = Math.fround;
const TWO_M9 = 2 ** -9;
const TWO_64 = 2 ** 64;
const minF = (a, b) => (a <= b ? a : b); // the spec's min and max (section 14.1)

/**
 * TruncNormal32 (15.3): the per-tensor scalars, in binary64 with v1's functions, then r32.
 * Returns null when the interval holds no probability (W == 0: the recipe is rejected, as in v1).
 */
function truncNormal32Sampler(mean, std, alpha, beta, low, high) {
  const flip = alpha > 0;
  const lo = flip ? -beta : alpha;
  const hi = flip ? -alpha : beta;
  const cdfLow = ndtr(lo);
  const W = ndtr(hi) - cdfLow;
  if (!(W > 0)) return null;
  const oneSided = hi <= 0;
  const r0 = minF(cdfLow / W, TWO_64);
  const r1 = minF((oneSided ? ndtr(hi) : ndtr(-hi)) / W, TWO_64);
  const LW = log(W) * INV_LN2;
  return {
    kind: 'trunc_normal32',
    words: 1,
    oneSided,
    negate0: flip,
    negate1: oneSided ? flip : !flip,
    W32: r32(W),
    LW32: r32(LW),
    R0: r32(r0),
    R1: r32(r1),
    A: r32(alpha),
    B: r32(beta),
    M: r32(mean),
    S: r32(std),
    L: r32(low),
    H: r32(high),
  };
}

// ---------------------------------------------------------------------------------------------
// 7. Rounding to the output dtype

const f32 = new Float32Array(1);
const f32bits = new Uint32Array(f32.buffer);

/** float16 bits of a float32 given by its bits, round-to-nearest-even, subnormals kept. */
export function halfFromFloatBits(b) {
  const sign = (b >>> 16) & 0x8000;
  const exponent = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): the unit is 2^-24; value / 2^-24 = (1.mant) * 2^(e - 14 + 23).
    if (e < -10) return sign; // below 2^-25: rounds to zero
    const m = mant | 0x800000;
    const shift = 14 - e; // 14 .. 24
    let h = m >>> shift;
    const rem = m & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (h & 1))) h += 1;
    return sign | h;
  }
  let h = sign | (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to infinity, 0x7c00).
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h += 1;
  return h;
}

export const DTYPES = {
  float32: { size: 4, st: 'F32', wide: false, max: 3.4028234663852886e38 },
  float64: { size: 8, st: 'F64', wide: true, max: Number.MAX_VALUE },
  float16: { size: 2, st: 'F16', wide: false, max: 65504 },
  bfloat16: { size: 2, st: 'BF16', wide: false, max: 3.3895313892515355e38 },
  // Not a recipe dtype: the fixed dtype of integer buffers (section 7); max is 2^63 - 1024, the
  // largest binary64 below 2^63.
  int64: { size: 8, st: 'I64', wide: true, max: 9223372036854774784 },
};

// ---------------------------------------------------------------------------------------------
// Filling a range of a tensor

/**
 * Fills elements [start, start + count) of a tensor into a new Uint8Array (little-endian).
 * t: {key: {k0,k1,c2,c3}, sampler, dtype (name), zeroRow: {begin, end} | null}.
 */
export function fill(t, start, count) {
  // Every sampler writes binary64 numbers (the binary32 samplers' values are binary32 numbers);
  // one array type keeps the sampling loops monomorphic.
  const values = new Float64Array(count);
  sampleInto(t.sampler, t.key, start, count, values);
  if (t.zeroRow) {
    const a = Math.max(t.zeroRow.begin, start);
    const b = Math.min(t.zeroRow.end, start + count);
    for (let e = a; e < b; e++) values[e - start] = 0;
  }
  return encode(values, t.dtype);
}

const ENDIAN_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function encode(values, dtype) {
  const n = values.length;
  if (dtype === 'int64') {
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = BigInt(values[i]);
    return toLittle(new Uint8Array(out.buffer), 8);
  }
  if (dtype === 'float64') return toLittle(new Uint8Array(values.buffer), 8);
  // Rounded once to float32 (a Float32Array stores round-to-nearest-even, overflow to
  // infinity); a binary32 value of tensorseed-stream/2 is stored exactly. float16 and bfloat16
  // are rounded from that float32.
  const f = new Float32Array(values);
  if (dtype === 'float32') return toLittle(new Uint8Array(f.buffer), 4);
  const bits = new Uint32Array(f.buffer);
  const out = new Uint16Array(n);
  if (dtype === 'float16') {
    for (let i = 0; i < n; i++) out[i] = halfFromFloatBits(bits[i]);
  } else {
    // (b + 0x7FFF + ((b >> 16) & 1)) >> 16 on the pattern read as an int32: small integers stay
    // int32 in V8 (a u32 above 2^31 would be a heap number), the sum never leaves the int32 range
    // for a non-NaN pattern, and >>> 16 gives the same top 16 bits.
    const ibits = new Int32Array(f.buffer);
    for (let i = 0; i < n; i++) {
      const b = ibits[i];
      out[i] = (b + 0x7fff + ((b >> 16) & 1)) >>> 16;
    }
  }
  return toLittle(new Uint8Array(out.buffer), 2);
}

function toLittle(bytes, size) {
  if (ENDIAN_LITTLE) return bytes;
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  return bytes;
}

/** Words [first, first + n) of a tensor's stream: whole Philox blocks in a tight loop. */
export function streamWords(key, first, n) {
  const { k0, k1, c2, c3 } = key;
  const out = new Uint32Array(n);
  const x = new Uint32Array(4);
  const end = first + n;
  let k = 0;
  for (let b = Math.floor(first / 4); b * 4 < end; b++) {
    philox(b >>> 0, Math.floor(b / 4294967296) >>> 0, c2, c3, k0, k1, x);
    for (let j = 0, w = b * 4; j < 4; j++, w++) if (w >= first && w < end) out[k++] = x[j];
  }
  return out;
}

// Element e uses words e*W .. e*W + W - 1 (W = 0, 1 or 2, section 6).
function sampleInto(s, key, start, count, out) {
  if (s.kind === 'constant') {
    out.fill(s.v);
    return;
  }
  if (s.words === 0) {
    positionInto(s, start, count, out);
    return;
  }
  const words = streamWords(key, start * s.words, count * s.words);
  if (s.kind === 'uniform') {
    const { low, width } = s;
    if (s.wide) {
      for (let i = 0; i < count; i++) out[i] = low + width * uniform53(words[2 * i], words[2 * i + 1]);
    } else {
      for (let i = 0; i < count; i++) out[i] = low + width * uniform24(words[i]);
    }
  } else if (s.kind === 'normal') {
    const { mean, std } = s;
    for (let i = 0; i < count; i++) out[i] = mean + std * ndtri(open52(words[2 * i], words[2 * i + 1]));
  } else if (s.kind === 'trunc_normal') {
    const { mean, std, alpha, beta, low, high, flip, cdfLow, cdfWidth } = s;
    for (let i = 0; i < count; i++) {
      const q = cdfLow + cdfWidth * open52(words[2 * i], words[2 * i + 1]);
      let z = ndtri(q);
      if (flip) z = -z;
      // min/max as comparisons that keep the first operand on ties, not Math.min/max, whose
      // ordering of -0 and +0 differs.
      z = alpha > z ? alpha : z;
      z = beta < z ? beta : z;
      let x = mean + std * z;
      x = low > x ? low : x;
      x = high < x ? high : x;
      out[i] = x;
    }
  } else if (s.kind === 'sparse') {
    const { std, cols, zeros } = s;
    for (let i = 0; i < count; i++) {
      const e = start + i;
      const row = Math.floor(e / cols);
      const col = e - row * cols;
      out[i] = sparsePosition(s, col, row) < zeros ? 0 : 0 + std * ndtri(open52(words[2 * i], words[2 * i + 1]));
    }
  } else if (s.kind === 'uniform32') {
    // 15.1: x = L + D * uniform24f(w), each operation rounded to binary32.
    const { L, D } = s;
    for (let i = 0; i < count; i++) out[i] = fr(L + fr(D * uniform24f(words[i])));
  } else if (s.kind === 'normal32') {
    // 15.2: x = M + S * z.
    const { M, S } = s;
    const z = Z_BATCH;
    for (let b = 0; b < count; b += BATCH) {
      const n = Math.min(BATCH, count - b);
      normal32Batch(words, b, n, z);
      for (let i = 0; i < n; i++) out[b + i] = fr(M + fr(S * z[i]));
    }
  } else if (s.kind === 'trunc_normal32') {
    truncNormal32Into(s, words, count, out);
  } else if (s.kind === 'sparse32') {
    const { S, cols, zeros } = s;
    const z = Z_BATCH;
    for (let b = 0; b < count; b += BATCH) {
      const n = Math.min(BATCH, count - b);
      normal32Batch(words, b, n, z);
      for (let i = 0; i < n; i++) {
        const e = start + b + i;
        const row = Math.floor(e / cols);
        const col = e - row * cols;
        // Normal32(0, std): M = r32(0) = +0, so a zero product -0 becomes +0 as in M + S * z.
        out[b + i] = sparsePosition(s, col, row) < zeros ? 0 : fr(0 + fr(S * z[i]));
      }
    }
  } else {
    throw new Error(`internal: unknown sampler ${s.kind}`);
  }
}


const Z_BATCH = new Float64Array(BATCH);
const P_BATCH = new Float64Array(BATCH);
const V_BATCH = new Float64Array(BATCH);
const C_BATCH = new Float64Array(BATCH);

/**
 * TruncNormal32 (15.3): one word per element, every operation rounded to binary32. By batches:
 * the lanes of the central formula go through centralBatch together, the tail lanes one by one.
 */
function truncNormal32Into(s, words, count, out) {
  const { oneSided, negate0, negate1, W32, LW32, R0, R1, A, B, M, S, L, H } = s;
  const P = P_BATCH;
  const V = V_BATCH;
  const C = C_BATCH;
  const T = Z_BATCH;
  for (let b = 0; b < count; b += BATCH) {
    const n = Math.min(BATCH, count - b);
    let centralLanes = 0;
    for (let i = 0; i < n; i++) {
      const w = words[b + i];
      const u = halfOpen(w & 0x7fffffff);
      let v;
      if (w >>> 31 === 0) v = fr(R0 + u); // from lo upward
      else if (oneSided) v = fr(R1 - u); // from hi downward
      else v = fr(R1 + u); // from hi downward, in the mirror image
      const p = fr(W32 * v);
      V[i] = v;
      P[i] = p;
      // p + p and (1 - p) * 2 are exact (p <= 3/4); a tail lane computes central(1), unused.
      if (p >= TWO_M9) {
        C[i] = p <= 0.5 ? p + p : (1 - p) * 2;
        centralLanes++;
      } else {
        C[i] = 1;
      }
    }
    if (centralLanes) centralBatch(C, n, T);
    for (let i = 0; i < n; i++) {
      const p = P[i];
      let z;
      if (p >= TWO_M9) z = p <= 0.5 ? -T[i] : T[i];
      else z = -tail(-fr(LW32 + log2f(V[i])));
      if (words[b + i] >>> 31 === 0 ? negate0 : negate1) z = -z;
      z = z >= A ? z : A; // max(z, A)
      z = z <= B ? z : B; // min(z, B)
      let x = fr(M + fr(S * z));
      x = x >= L ? x : L; // max(x, L)
      x = x <= H ? x : H; // min(x, H)
      out[b + i] = x;
    }
  }
}

/** The readable TruncNormal32 of one word, section 15.3 line by line (the batch path above is
 * tested bit-equal to it). */
export function truncNormal32(s, w) {
  const { oneSided, negate0, negate1, W32, LW32, R0, R1, A, B, M, S, L, H } = s;
  const path = w >>> 31;
  const k = w & 0x7fffffff;
  const u = halfOpen(k);
  let v;
  if (path === 0) v = fr(R0 + u);
  else if (oneSided) v = fr(R1 - u);
  else v = fr(R1 + u);
  const p = fr(W32 * v);
  let z;
  if (p >= TWO_M9) {
    if (p <= 0.5) z = -central(fr(p + p));
    else z = central(fr(fr(1 - p) * 2));
  } else {
    z = -tail(-fr(LW32 + log2f(v)));
  }
  if (path === 0 ? negate0 : negate1) z = -z;
  z = z >= A ? z : A;
  z = z <= B ? z : B;
  let x = fr(M + fr(S * z));
  x = x >= L ? x : L;
  x = x <= H ? x : H;
  return x;
}

/** One word of a stream, by its index (w < 2^53). */
const WORD_BLOCK = new Uint32Array(4);

function wordAt(key, w) {
  const x = WORD_BLOCK;
  const b = Math.floor(w / 4);
  philox(b >>> 0, Math.floor(b / 4294967296) >>> 0, key.c2, key.c3, key.k0, key.k1, x);
  return x[w - b * 4];
}

/** pi_j(i) of section 6.2: the Feistel permutation of column j, with cycle walking. */
function sparsePosition(s, j, i) {
  const { h, rows, maskKey } = s;
  const M = 2 ** h - 1;
  const feistel = (x) => {
    let L = Math.floor(x / 2 ** h);
    let R = x & M;
    for (let r = 0; r < 4; r++) {
      const F = wordAt(maskKey, (j * 4 + r) * 2 ** h + R) & M;
      const t = R;
      R = (L ^ F) >>> 0;
      L = t;
    }
    return L * 2 ** h + R;
  };
  let x = feistel(i);
  while (x >= rows) x = feistel(x);
  return x;
}

function popcount(x) {
  let n = 0;
  while (x) {
    x &= x - 1;
    n++;
  }
  return n;
}

function positionInto(s, start, count, out) {
  for (let k = 0; k < count; k++) {
    const e = start + k;
    let v = 0;
    if (s.kind === 'eye') {
      const i = Math.floor(e / s.cols);
      v = i === e - i * s.cols ? s.v : 0;
    } else if (s.kind === 'gate') {
      v = e >= s.n / 4 && e < s.n / 2 ? s.v : 0;
    } else if (s.kind === 'zero') {
      let i;
      let j;
      if (s.transposed) {
        j = Math.floor(e / s.P);
        i = e - j * s.P;
      } else {
        i = Math.floor(e / s.Q);
        j = e - i * s.Q;
      }
      if (s.P <= s.Q) v = i === j ? 1 : 0;
      else v = popcount((i & j) >>> 0) % 2 === 0 ? s.c : -s.c;
    } else if (s.kind === 'dirac') {
      const { shape, outAxis, inAxis, n } = s;
      let rest = e;
      const idx = new Array(shape.length);
      for (let a = shape.length - 1; a >= 0; a--) {
        idx[a] = rest % shape[a];
        rest = Math.floor(rest / shape[a]);
      }
      const d = idx[outAxis] % n;
      let hit = d < shape[inAxis] && idx[inAxis] === d;
      for (let a = 0; a < shape.length && hit; a++) {
        if (a !== outAxis && a !== inAxis && idx[a] !== Math.floor(shape[a] / 2)) hit = false;
      }
      v = hit ? 1 : 0;
    } else {
      throw new Error(`internal: unknown sampler ${s.kind}`);
    }
    out[k] = v;
  }
}
