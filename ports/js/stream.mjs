// The portable stream of docs/stream-spec.md, sections 2-7: Philox4x32-10, key derivation, integer
// to float conversions, the portable math, the samplers and the rounding to the output dtype.
//
// Every f64 operation below is written in the order the spec gives; JavaScript numbers are IEEE
// binary64 with round-to-nearest-even and no fused multiply-add, which is exactly what the spec
// asks for. Integer work uses 32-bit operations (Math.imul, >>>) and exact double arithmetic on
// values below 2^53, so the core runs unchanged in browsers.

import { sha256 } from './sha256.mjs';

export const SPEC_VERSION = 'tensorseed-stream/1';

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

const PREFIX = new TextEncoder().encode(SPEC_VERSION + '\0');

/** Stream key of (seed: BigInt u64, name: string): {k0, k1, c2, c3}. */
export function streamKey(seed, name) {
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

export function uniformSampler(low, high, wide) {
  return { kind: 'uniform', words: wide ? 2 : 1, wide, low, width: high - low };
}

export function normalSampler(mean, std) {
  return { kind: 'normal', words: 2, mean, std };
}

/** Returns null when the interval holds no representable probability (the recipe is rejected). */
export function truncNormalSampler(mean, std, alpha, beta, low, high) {
  const flip = alpha > 0;
  const loX = flip ? -beta : alpha;
  const hiX = flip ? -alpha : beta;
  const cdfLow = ndtr(loX);
  const cdfWidth = ndtr(hiX) - cdfLow;
  if (!(cdfWidth > 0)) return null;
  return { kind: 'trunc_normal', words: 2, mean, std, alpha, beta, low, high, flip, cdfLow, cdfWidth };
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
};

// ---------------------------------------------------------------------------------------------
// Filling a range of a tensor

/**
 * Fills elements [start, start + count) of a tensor into a new Uint8Array (little-endian).
 * t: {key: {k0,k1,c2,c3}, sampler, dtype (name), zeroRow: {begin, end} | null}.
 */
export function fill(t, start, count) {
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
  if (dtype === 'float64') {
    const out = new Float64Array(values);
    return toLittle(new Uint8Array(out.buffer), 8);
  }
  // Rounded once to float32 (Float32Array stores round-to-nearest-even, overflow to infinity).
  const f = new Float32Array(values);
  if (dtype === 'float32') return toLittle(new Uint8Array(f.buffer), 4);
  const bits = new Uint32Array(f.buffer);
  const out = new Uint16Array(n);
  if (dtype === 'float16') {
    for (let i = 0; i < n; i++) out[i] = halfFromFloatBits(bits[i]);
  } else {
    for (let i = 0; i < n; i++) {
      const b = bits[i];
      out[i] = ((b + 0x7fff + ((b >>> 16) & 1)) >>> 0) >>> 16;
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
function streamWords(key, first, n) {
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
  } else {
    throw new Error(`internal: unknown sampler ${s.kind}`);
  }
}
