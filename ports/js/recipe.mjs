// Recipes (docs/stream-spec.md sections 8 and 9): validation, the canonical recipe, and the plan
// (one entry per tensor: name, shape, sampler, stream key, zeroed row).
//
// Validation is strict on purpose: anything this port does not understand is an error, so a
// recipe either gives the reference's bytes or no bytes at all.

import { JNum } from './json.mjs';
import {
  DTYPES, constantSampler, normalSampler, streamKey, truncNormalSampler, uniformSampler,
} from './stream.mjs';

export class RecipeError extends Error {}

// The reference service's default limits (TENSORSEED_MAX_TENSOR_ELEMENTS etc.): a recipe beyond
// them has no reference file, so the port refuses it too.
export const LIMITS = { tensorElements: 2 ** 31, totalElements: 2 ** 33, tensors: 10000 };

const U64_MAX = (1n << 64n) - 1n;
const INT_MAX = 2n ** 63n - 1n;
// Integers other than the seed are re-printed in the canonical recipe as JSON numbers, which must
// be exact doubles; the reference refuses larger magnitudes.
const EXACT_INT = 2n ** 53n;

const NONLINEARITIES = ['linear', 'identity', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d',
  'conv_transpose2d', 'conv_transpose3d', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu'];

// Parameter kinds: {kind: 'float', default, min?, gt?} | {kind: 'enum', values, default} | required.
const num = (def, extra = {}) => ({ kind: 'float', default: def, ...extra });
const KAIMING = {
  a: num(0),
  mode: { kind: 'enum', values: ['fan_in', 'fan_out'], default: 'fan_in' },
  nonlinearity: { kind: 'enum', values: NONLINEARITIES, default: 'leaky_relu' },
};

/** The scheme catalogue of the spec, section 8. usesFans: needs fan_in and fan_out. */
export const SCHEMES = {
  zeros: { params: {}, usesFans: false },
  ones: { params: {}, usesFans: false },
  constant: { params: { value: { kind: 'float', required: true } }, usesFans: false },
  uniform: { params: { a: num(0), b: num(1) }, usesFans: false },
  normal: { params: { mean: num(0), std: num(1, { min: 0 }) }, usesFans: false },
  trunc_normal: {
    params: { mean: num(0), std: num(1, { gt: 0 }), a: num(-2), b: num(2) }, usesFans: false,
  },
  xavier_uniform: { params: { gain: num(1, { min: 0 }) }, usesFans: true },
  xavier_normal: { params: { gain: num(1, { min: 0 }) }, usesFans: true },
  kaiming_uniform: { params: KAIMING, usesFans: true },
  kaiming_normal: { params: KAIMING, usesFans: true },
  fan_in_uniform: { params: {}, usesFans: true },
};

export const LAYERS = {
  linear: ['weight', 'bias'],
  conv1d: ['weight', 'bias'],
  conv2d: ['weight', 'bias'],
  conv3d: ['weight', 'bias'],
  embedding: ['weight'],
};

// ---------------------------------------------------------------------------------------------
// Field readers: each checks the JSON type strictly (no coercion) and returns the value the
// canonical recipe prints.

const isObj = (v) => v instanceof Map;

function typeName(v) {
  if (v === null) return 'null';
  if (v instanceof JNum) return v.isInt ? 'integer' : 'number';
  if (isObj(v)) return 'object';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function readFloat(v, path) {
  if (!(v instanceof JNum)) throw new RecipeError(`${path}: expected a number, got ${typeName(v)}`);
  const x = v.toDouble();
  if (!Number.isFinite(x)) throw new RecipeError(`${path}: ${v.text} is not a finite binary64 number`);
  return x;
}

function readInt(v, path, min = null, max = INT_MAX) {
  if (!(v instanceof JNum) || !v.isInt) {
    throw new RecipeError(`${path}: expected an integer, got ${typeName(v)}`);
  }
  const n = v.toBigInt();
  if (min !== null && n < min) throw new RecipeError(`${path}: must be >= ${min}, got ${n}`);
  if (n > max) throw new RecipeError(`${path}: must be <= ${max}, got ${n}`);
  if (n > EXACT_INT || n < -EXACT_INT) {
    throw new RecipeError(`${path}: ${n} is not exactly representable as a JSON number (|n| > 2^53)`);
  }
  return Number(n);
}

function readBool(v, path) {
  if (typeof v !== 'boolean') throw new RecipeError(`${path}: expected a boolean, got ${typeName(v)}`);
  return v;
}

function readEnum(v, values, path) {
  if (typeof v !== 'string' || !values.includes(v)) {
    throw new RecipeError(`${path}: expected one of ${values.join(', ')}, got ${describe(v)}`);
  }
  return v;
}

function readName(v, path) {
  if (typeof v !== 'string') throw new RecipeError(`${path}: expected a string, got ${typeName(v)}`);
  if (v.length === 0) throw new RecipeError(`${path}: names must not be empty`);
  let chars = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) throw new RecipeError(`${path}: names must not contain control characters`);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = v.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) throw new RecipeError(`${path}: names must not contain lone surrogates`);
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      throw new RecipeError(`${path}: names must not contain lone surrogates`);
    }
    chars++; // characters are code points: an astral character counts once
  }
  if (chars > 256) throw new RecipeError(`${path}: names are at most 256 characters`);
  if (v === '__metadata__') throw new RecipeError(`${path}: '__metadata__' is reserved by the safetensors format`);
  return v;
}

function describe(v) {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof JNum) return v.text;
  return typeName(v);
}

function readObject(v, path, allowed) {
  if (!isObj(v)) throw new RecipeError(`${path}: expected an object, got ${typeName(v)}`);
  const unknown = [...v.keys()].filter((k) => !allowed.includes(k));
  if (unknown.length) throw new RecipeError(`${path}: unknown field(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}`);
  return v;
}

function required(obj, key, path) {
  if (!obj.has(key)) throw new RecipeError(`${path}.${key}: field required`);
  return obj.get(key);
}

// ---------------------------------------------------------------------------------------------
// Schemes

/** Validates an init object; returns {canon, scheme, params} with defaults filled in params. */
function readInit(v, path) {
  if (!isObj(v)) throw new RecipeError(`${path}: expected an object, got ${typeName(v)}`);
  if (!v.has('scheme')) throw new RecipeError(`${path}.scheme: field required`);
  const name = v.get('scheme');
  if (typeof name !== 'string' || !Object.hasOwn(SCHEMES, name)) {
    throw new RecipeError(`${path}.scheme: unsupported scheme ${describe(name)}; this port knows `
      + Object.keys(SCHEMES).join(', '));
  }
  const spec = SCHEMES[name];
  readObject(v, path, ['scheme', ...Object.keys(spec.params)]);
  const canon = new Map([['scheme', name]]);
  const params = {};
  for (const [key, p] of Object.entries(spec.params)) {
    const at = `${path}.${key}`;
    if (!v.has(key)) {
      if (p.required) throw new RecipeError(`${at}: field required`);
      params[key] = p.default;
      continue;
    }
    const x = p.kind === 'enum' ? readEnum(v.get(key), p.values, at) : readFloat(v.get(key), at);
    if (p.min !== undefined && !(x >= p.min)) throw new RecipeError(`${at}: must be >= ${p.min}, got ${x}`);
    if (p.gt !== undefined && !(x > p.gt)) throw new RecipeError(`${at}: must be > ${p.gt}, got ${x}`);
    params[key] = x;
    canon.set(key, x);
  }
  if (name === 'uniform' && !(params.a <= params.b)) {
    throw new RecipeError(`${path}: uniform needs a <= b, got a=${params.a}, b=${params.b}`);
  }
  if (name === 'trunc_normal' && !(params.a < params.b)) {
    throw new RecipeError(`${path}: trunc_normal needs a < b, got a=${params.a}, b=${params.b}`);
  }
  return { canon, scheme: name, params };
}

/** Gain table of the spec, kept as the square scale = gain^2. */
function gainScale(nonlinearity, a) {
  switch (nonlinearity) {
    case 'tanh': return 25 / 9;
    case 'relu': return 2;
    case 'leaky_relu': return 2 / (1 + a * a);
    case 'selu': return 9 / 16;
    default: return 1; // linear, identity, conv*, conv_transpose*, sigmoid
  }
}

/** The sampler of a scheme for a tensor; fans = {fanIn, fanOut} (f64) or null. */
function samplerOf(init, fans, dtype, path) {
  const { scheme, params } = init;
  const spec = DTYPES[dtype];
  if (SCHEMES[scheme].usesFans && fans === null) {
    throw new RecipeError(`${path}: ${scheme} needs fan_in and fan_out, which are undefined for tensors `
      + 'with fewer than 2 dimensions; give fan_in/fan_out explicitly');
  }
  // Bounds and constants must be finite in the output dtype (normal samplers are not bounded).
  const inRange = (...xs) => {
    for (const x of xs) {
      if (!(Math.abs(x) <= spec.max)) {
        throw new RecipeError(`${path}: value ${x} is outside the finite range of ${dtype}`);
      }
    }
  };
  const uniform = (low, high) => {
    inRange(low, high);
    return uniformSampler(low, high, spec.wide);
  };
  const fanOf = (mode) => {
    if (mode === 'fan_in') return fans.fanIn;
    if (mode === 'fan_out') return fans.fanOut;
    return (fans.fanIn + fans.fanOut) / 2; // the integer sum (exact below 2^53 each) then / 2
  };
  const varianceScaling = (scale, mode, distribution) => {
    const variance = scale / fanOf(mode);
    if (distribution === 'uniform') {
      const bound = Math.sqrt(3 * variance);
      return uniform(-bound, bound);
    }
    return normalSampler(0, Math.sqrt(variance));
  };
  switch (scheme) {
    case 'zeros': inRange(0); return constantSampler(0);
    case 'ones': inRange(1); return constantSampler(1);
    case 'constant': inRange(params.value); return constantSampler(params.value);
    case 'uniform': return uniform(params.a, params.b);
    case 'normal': return normalSampler(params.mean, params.std);
    case 'trunc_normal': {
      const { mean, std, a, b } = params;
      inRange(a, b);
      const s = truncNormalSampler(mean, std, (a - mean) / std, (b - mean) / std, a, b);
      if (s === null) {
        throw new RecipeError(`${path}: trunc_normal interval [${a}, ${b}] holds no probability `
          + 'representable in binary64');
      }
      return s;
    }
    case 'xavier_uniform': return varianceScaling(params.gain * params.gain, 'fan_avg', 'uniform');
    case 'xavier_normal': return varianceScaling(params.gain * params.gain, 'fan_avg', 'normal');
    case 'kaiming_uniform':
      return varianceScaling(gainScale(params.nonlinearity, params.a), params.mode, 'uniform');
    case 'kaiming_normal':
      return varianceScaling(gainScale(params.nonlinearity, params.a), params.mode, 'normal');
    case 'fan_in_uniform': {
      const bound = 1 / Math.sqrt(fans.fanIn);
      return uniform(-bound, bound);
    }
    default: throw new Error(`internal: scheme ${scheme}`);
  }
}

// Default inits of layer parameters (torch's): kaiming_uniform(a = sqrt(5)) and fan_in_uniform.
const DEFAULT_WEIGHT = {
  scheme: 'kaiming_uniform', params: { a: Math.sqrt(5), mode: 'fan_in', nonlinearity: 'leaky_relu' },
};
const DEFAULT_BIAS = { scheme: 'fan_in_uniform', params: {} };
const DEFAULT_EMBEDDING = { scheme: 'normal', params: { mean: 0, std: 1 } };

function fansOfShape(shape) {
  if (shape.length < 2) return null;
  let receptive = 1;
  for (const d of shape.slice(2)) receptive *= d;
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

// ---------------------------------------------------------------------------------------------
// Layers

const LAYER_FIELDS = {
  linear: ['type', 'name', 'in_features', 'out_features', 'bias', 'init'],
  conv: ['type', 'name', 'in_channels', 'out_channels', 'kernel_size', 'groups', 'bias', 'init'],
  embedding: ['type', 'name', 'num_embeddings', 'embedding_dim', 'padding_idx', 'init'],
};

/** Expands a layer into [{name, shape, init, fans, zeroRow}] and returns its canonical form. */
function readLayer(v, path, out) {
  if (!isObj(v)) throw new RecipeError(`${path}: expected an object, got ${typeName(v)}`);
  const type = v.get('type');
  if (!v.has('type')) throw new RecipeError(`${path}.type: field required`);
  if (typeof type !== 'string' || !Object.hasOwn(LAYERS, type)) {
    throw new RecipeError(`${path}.type: unsupported layer type ${describe(type)}; this port knows `
      + Object.keys(LAYERS).join(', '));
  }
  const kind = type.startsWith('conv') ? 'conv' : type;
  readObject(v, path, LAYER_FIELDS[kind]);
  const canon = new Map([['type', type]]);
  const name = readName(required(v, 'name', path), `${path}.name`);
  canon.set('name', name);
  const int = (key, min = 1n) => {
    const x = readInt(required(v, key, path), `${path}.${key}`, min);
    canon.set(key, x);
    return x;
  };
  let bias = true;
  if (v.has('bias')) {
    bias = readBool(v.get('bias'), `${path}.bias`);
    canon.set('bias', bias);
  }
  const params = []; // [suffix, shape, defaultInit, zeroRow]
  if (type === 'linear') {
    const inF = int('in_features');
    const outF = int('out_features');
    params.push(['weight', [outF, inF], DEFAULT_WEIGHT, null]);
    if (bias) params.push(['bias', [outF], DEFAULT_BIAS, null]);
  } else if (kind === 'conv') {
    const dims = Number(type[4]);
    const inC = int('in_channels');
    const outC = int('out_channels');
    const ks = required(v, 'kernel_size', path);
    let kernel;
    if (Array.isArray(ks)) {
      if (ks.length < 1 || ks.length > 3) {
        throw new RecipeError(`${path}.kernel_size: a list of 1 to 3 sizes, got ${ks.length}`);
      }
      kernel = ks.map((k, j) => readInt(k, `${path}.kernel_size.${j}`, 1n));
      if (kernel.length !== dims) {
        throw new RecipeError(`${path}.kernel_size: ${type} needs ${dims} kernel sizes, got ${kernel.length}`);
      }
      canon.set('kernel_size', kernel);
    } else {
      const k = readInt(ks, `${path}.kernel_size`, 1n);
      kernel = new Array(dims).fill(k);
      canon.set('kernel_size', k);
    }
    let groups = 1;
    if (v.has('groups')) groups = int('groups');
    if (inC % groups !== 0) throw new RecipeError(`${path}.in_channels: in_channels must be divisible by groups (${groups})`);
    if (outC % groups !== 0) throw new RecipeError(`${path}.out_channels: out_channels must be divisible by groups (${groups})`);
    params.push(['weight', [outC, inC / groups, ...kernel], DEFAULT_WEIGHT, null]);
    if (bias) params.push(['bias', [outC], DEFAULT_BIAS, null]);
  } else {
    const num = int('num_embeddings');
    const dim = int('embedding_dim');
    let zeroRow = null;
    if (v.has('padding_idx')) {
      const p = v.get('padding_idx');
      if (p === null) {
        canon.set('padding_idx', null);
      } else {
        const idx = readInt(p, `${path}.padding_idx`, null);
        canon.set('padding_idx', idx);
        if (idx < -num || idx >= num) {
          throw new RecipeError(`${path}.padding_idx: padding_idx must be within [${-num}, ${num})`);
        }
        const row = idx < 0 ? idx + num : idx;
        zeroRow = { begin: row * dim, end: (row + 1) * dim };
      }
    }
    params.push(['weight', [num, dim], DEFAULT_EMBEDDING, zeroRow]);
  }
  const overrides = new Map();
  if (v.has('init') && v.get('init') !== null) {
    const init = v.get('init');
    if (!isObj(init)) throw new RecipeError(`${path}.init: expected an object, got ${typeName(init)}`);
    const known = params.map((p) => p[0]);
    const unknown = [...init.keys()].filter((k) => !known.includes(k));
    if (unknown.length) {
      throw new RecipeError(`${path}.init: ${type} layer ${JSON.stringify(name)} has no parameter(s) `
        + `${unknown.join(', ')}; it has ${known.join(', ')}`);
    }
    const canonInit = new Map();
    for (const [k, x] of init) {
      const r = readInit(x, `${path}.init.${k}`);
      overrides.set(k, r);
      canonInit.set(k, r.canon);
    }
    canon.set('init', canonInit);
  } else if (v.has('init')) {
    canon.set('init', null);
  }
  // A bias uses the fans of its layer's weight.
  const fans = fansOfShape(params[0][1]);
  for (const [suffix, shape, def, zeroRow] of params) {
    out.push({
      name: `${name}.${suffix}`, shape, init: overrides.get(suffix) ?? def, fans, zeroRow,
      path: `${path}`,
    });
  }
  return canon;
}

function readTensor(v, path, out) {
  readObject(v, path, ['name', 'shape', 'init', 'fan_in', 'fan_out']);
  const canon = new Map();
  const name = readName(required(v, 'name', path), `${path}.name`);
  canon.set('name', name);
  const s = required(v, 'shape', path);
  if (!Array.isArray(s)) throw new RecipeError(`${path}.shape: expected an array, got ${typeName(s)}`);
  if (s.length < 1 || s.length > 8) throw new RecipeError(`${path}.shape: 1 to 8 dimensions, got ${s.length}`);
  const shape = s.map((d, j) => readInt(d, `${path}.shape.${j}`, 1n));
  canon.set('shape', shape);
  const init = readInit(required(v, 'init', path), `${path}.init`);
  canon.set('init', init.canon);
  const over = {};
  for (const key of ['fan_in', 'fan_out']) {
    if (!v.has(key)) continue;
    const x = v.get(key);
    canon.set(key, x === null ? null : readInt(x, `${path}.${key}`, 1n));
    if (x !== null) over[key] = canon.get(key);
  }
  let fans = fansOfShape(shape);
  if (fans === null && over.fan_in !== undefined && over.fan_out !== undefined) {
    fans = { fanIn: over.fan_in, fanOut: over.fan_out };
  } else if (fans !== null) {
    if (over.fan_in !== undefined) fans.fanIn = over.fan_in;
    if (over.fan_out !== undefined) fans.fanOut = over.fan_out;
  }
  out.push({ name, shape, init, fans, zeroRow: null, path });
  return canon;
}

function readSeed(v) {
  let n;
  if (v instanceof JNum && v.isInt) {
    n = v.toBigInt();
  } else if (typeof v === 'string') {
    if (!/^[0-9]{1,20}$/.test(v)) throw new RecipeError('seed: a seed string holds 1 to 20 decimal digits');
    n = BigInt(v);
  } else {
    throw new RecipeError(`seed: expected an integer or a string of decimal digits, got ${typeName(v)}`);
  }
  if (n < 0n || n > U64_MAX) throw new RecipeError(`seed: must be in [0, ${U64_MAX}] (an unsigned 64-bit integer)`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// The plan

/**
 * Validates a parsed recipe (parseJson output) and returns the plan:
 * {dtype, canonicalRecipe (a Map tree for canonicalJson), tensors: [{name, shape, numel, dtype,
 * sampler, key, zeroRow}] sorted by name in UTF-16 code-unit order}.
 */
export function buildPlan(recipe) {
  readObject(recipe, 'recipe', ['seed', 'dtype', 'layers', 'tensors']);
  const canon = new Map();
  const seed = readSeed(required(recipe, 'seed', 'recipe'));
  canon.set('seed', seed.toString());
  let dtype = 'float32';
  if (recipe.has('dtype')) {
    dtype = readEnum(recipe.get('dtype'), Object.keys(DTYPES), 'dtype');
    canon.set('dtype', dtype);
  }
  const specs = [];
  for (const key of ['layers', 'tensors']) {
    if (!recipe.has(key)) continue;
    const list = recipe.get(key);
    if (!Array.isArray(list)) throw new RecipeError(`${key}: expected an array, got ${typeName(list)}`);
    canon.set(key, list.map((x, j) => (key === 'layers' ? readLayer : readTensor)(x, `${key}.${j}`, specs)));
  }
  if (specs.length === 0) throw new RecipeError('a recipe needs at least one layer or tensor');
  if (specs.length > LIMITS.tensors) throw new RecipeError(`a recipe holds at most ${LIMITS.tensors} tensors`);
  const seen = new Set();
  let total = 0;
  const tensors = [];
  for (const t of specs) {
    if (seen.has(t.name)) throw new RecipeError(`${t.path}: duplicate tensor name ${JSON.stringify(t.name)}`);
    seen.add(t.name);
    let numel = 1;
    for (const d of t.shape) {
      numel *= d; // stops growing past the limit below long before doubles lose exactness
      if (numel > LIMITS.tensorElements) {
        throw new RecipeError(`${t.path}: ${t.name} exceeds the per-tensor limit of ${LIMITS.tensorElements} elements`);
      }
    }
    total += numel;
    if (total > LIMITS.totalElements) {
      throw new RecipeError(`${t.path}: the recipe exceeds the limit of ${LIMITS.totalElements} elements`);
    }
    const sampler = samplerOf(t.init, t.fans, dtype, `${t.path} (${t.name})`);
    tensors.push({ name: t.name, shape: t.shape, numel, dtype, sampler, key: streamKey(seed, t.name), zeroRow: t.zeroRow });
  }
  tensors.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { dtype, canonicalRecipe: canon, tensors };
}
