// Recipes (docs/stream-spec.md sections 8 and 9): validation, the canonical recipe, and the plan
// (one entry per tensor: name, shape, sampler, stream key, zeroed row).
//
// Validation is strict on purpose: anything this port does not understand is an error, so a
// recipe either gives the reference's bytes or no bytes at all.

import { JNum } from './json.mjs';
import {
  DTYPES, constantSampler, diracSampler, exp, eyeSampler, gateSliceSampler, log, normalSampler,
  SPEC_V1, SPEC_V2, SPEC_VERSION, SPEC_VERSIONS, sparseSampler, streamKey, truncNormalSampler,
  uniformSampler, zeroSampler,
} from './stream.mjs';
import { exportLayer, gatherPlan, libraryOf, plainSource, sharedSources, sourcesOf } from './export.mjs';

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

// Parameter kinds: {kind: 'float'|'int'|'enum', default?, byConvention?, min?, gt?, lt?, max?,
// required?, nullable?}. A nullable parameter written as null takes its default.
const num = (def, extra = {}) => ({ kind: 'float', default: def, ...extra });
const count = (extra = {}) => ({ kind: 'int', min: 1, required: true, ...extra });
const en = (values, def) => ({ kind: 'enum', values, default: def });
const KAIMING = {
  a: num(0),
  mode: en(['fan_in', 'fan_out'], 'fan_in'),
  nonlinearity: en(NONLINEARITIES, 'leaky_relu'),
};
const BLOCK = en(['encoder', 'decoder'], 'encoder');

/**
 * The exact-tier scheme catalogue of the spec, section 8.3 (aliases map to their scheme).
 * usesFans: needs the target's fans (mup: only for the hidden and output roles).
 */
export const SCHEMES = {
  zeros: { params: {} },
  ones: { params: {} },
  constant: { params: { value: { kind: 'float', required: true } } },
  uniform: {
    params: {
      a: num(null, { nullable: true, byConvention: { torch: 0, keras: -0.05, jax: 0 } }),
      b: num(null, { nullable: true, byConvention: { torch: 1, keras: 0.05, jax: 0.01 } }),
    },
  },
  normal: {
    params: { mean: num(0), std: num(null, { min: 0, nullable: true, byConvention: { torch: 1, keras: 0.05, jax: 0.01 } }) },
  },
  trunc_normal: { params: { mean: num(0), std: num(1, { gt: 0 }), a: num(-2), b: num(2) } },
  truncated_normal: {
    params: {
      mean: num(0),
      std: num(null, { gt: 0, nullable: true, byConvention: { torch: 1, keras: 0.05, jax: 0.01 } }),
      a: num(-2),
      b: num(2),
    },
  },
  variance_scaling: {
    params: {
      scale: num(1, { gt: 0 }),
      mode: en(['fan_in', 'fan_out', 'fan_avg', 'fan_geo_avg'], 'fan_in'),
      distribution: en(['uniform', 'normal', 'truncated_normal', 'untruncated_normal'], 'truncated_normal'),
    },
    usesFans: true,
  },
  xavier_uniform: { params: { gain: num(1, { min: 0 }) }, usesFans: true },
  glorot_uniform: { alias: 'xavier_uniform' },
  xavier_normal: { params: { gain: num(1, { min: 0 }) }, usesFans: true },
  glorot_normal: { alias: 'xavier_normal' },
  kaiming_uniform: { params: KAIMING, usesFans: true },
  he_uniform: { alias: 'kaiming_uniform' },
  kaiming_normal: { params: KAIMING, usesFans: true },
  he_normal: { alias: 'kaiming_normal' },
  lecun_uniform: { params: {}, usesFans: true },
  lecun_normal: { params: {}, usesFans: true },
  fan_in_uniform: { params: {}, usesFans: true },
  selu: { params: {}, usesFans: true },
  sparse: { params: { sparsity: num(null, { required: true, min: 0, lt: 1 }), std: num(0.01, { min: 0 }) } },
  eye: { params: { gain: num(1) } },
  identity: { alias: 'eye' },
  irnn: { params: { gain: num(1) } },
  dirac: { params: { groups: count({ required: false, default: 1 }) } },
  zero: { params: {} },
  lstm_forget_bias: { params: { value: num(1) } },
  zero_init_residual: { params: {} },
  scaled_residual: { params: { std: num(0.02, { min: 0 }), n_layers: count() } },
  small_init: { params: { dim: count() } },
  wang_init: { params: { n_layers: count(), dim: count() } },
  deepnet: {
    params: { n_layers: count(), decoder_layers: count({ required: false, default: null, nullable: true }), block: BLOCK },
    usesFans: true,
  },
  t_fixup: { params: { n_layers: count(), block: BLOCK }, usesFans: true },
  t_fixup_embedding: { params: { n_layers: count(), dim: count() } },
  fixup: {
    params: { n_branches: count(), m: count({ required: false, default: 2, min: 2, max: 64 }), mode: en(['fan_in', 'fan_out'], 'fan_out') },
    usesFans: true,
  },
  mup: {
    params: { std: num(1, { min: 0 }), base_fan_in: count(), role: en(['input', 'hidden', 'output'], 'hidden') },
    usesFans: true,
  },
};

/** Tolerance-tier schemes (QR, section 6.3): never produced by this port, refused loudly. */
export const TOLERANCE_SCHEMES = ['orthogonal', 'delta_orthogonal'];

export const LAYERS = {
  linear: ['in_features', 'out_features', 'bias'],
  bilinear: ['in1_features', 'in2_features', 'out_features', 'bias'],
  conv1d: ['in_channels', 'out_channels', 'kernel_size', 'groups', 'depthwise', 'bias'],
  conv2d: ['in_channels', 'out_channels', 'kernel_size', 'groups', 'depthwise', 'bias'],
  conv3d: ['in_channels', 'out_channels', 'kernel_size', 'groups', 'depthwise', 'bias'],
  conv_transpose1d: ['in_channels', 'out_channels', 'kernel_size', 'groups', 'bias'],
  conv_transpose2d: ['in_channels', 'out_channels', 'kernel_size', 'groups', 'bias'],
  conv_transpose3d: ['in_channels', 'out_channels', 'kernel_size', 'groups', 'bias'],
  embedding: ['num_embeddings', 'embedding_dim', 'padding_idx'],
  layer_norm: ['normalized_shape', 'elementwise_affine', 'bias'],
  rms_norm: ['normalized_shape', 'elementwise_affine'],
  batch_norm1d: ['num_features', 'affine', 'track_running_stats'],
  batch_norm2d: ['num_features', 'affine', 'track_running_stats'],
  batch_norm3d: ['num_features', 'affine', 'track_running_stats'],
  group_norm: ['num_groups', 'num_channels', 'affine'],
  rnn: ['input_size', 'hidden_size', 'num_layers', 'bias', 'bidirectional'],
  lstm: ['input_size', 'hidden_size', 'num_layers', 'bias', 'bidirectional', 'proj_size'],
  gru: ['input_size', 'hidden_size', 'num_layers', 'bias', 'bidirectional'],
  multihead_attention: ['embed_dim', 'num_heads', 'bias', 'add_bias_kv', 'kdim', 'vdim'],
  prelu: ['num_parameters', 'init_value'],
};

const CONVENTIONS = ['torch', 'keras', 'jax', 'flax'];
const meaningOf = (c) => (c === 'flax' ? 'jax' : c);

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

function readConvention(v, path, nullable = true) {
  if (v === null && nullable) return null;
  return readEnum(v, CONVENTIONS, path);
}

/**
 * Validates an init object; returns {canon, scheme (canonical name), written, params, convention}.
 * params holds the written values (null for absent nullable/defaulted-by-convention ones).
 */
function readInit(v, path) {
  if (!isObj(v)) throw new RecipeError(`${path}: expected an object, got ${typeName(v)}`);
  if (!v.has('scheme')) throw new RecipeError(`${path}.scheme: field required`);
  const written = v.get('scheme');
  if (typeof written === 'string' && TOLERANCE_SCHEMES.includes(written)) {
    throw new RecipeError(`${path}.scheme: ${written} is a tolerance-tier scheme (it needs a QR `
      + 'factorization, spec section 6.3): its bytes are not defined exactly, so this port does not '
      + 'produce it; use the reference service');
  }
  if (typeof written !== 'string' || !Object.hasOwn(SCHEMES, written)) {
    throw new RecipeError(`${path}.scheme: unsupported scheme ${describe(written)}; this port knows `
      + Object.keys(SCHEMES).join(', '));
  }
  const name = SCHEMES[written].alias ?? written;
  const spec = SCHEMES[name];
  readObject(v, path, ['scheme', 'convention', ...Object.keys(spec.params)]);
  const canon = new Map([['scheme', written]]);
  let convention = null;
  if (v.has('convention')) {
    convention = readConvention(v.get('convention'), `${path}.convention`);
    canon.set('convention', convention);
  }
  const params = {};
  for (const [key, p] of Object.entries(spec.params)) {
    const at = `${path}.${key}`;
    if (!v.has(key) || (p.nullable && v.get(key) === null)) {
      if (!v.has(key) && p.required) throw new RecipeError(`${at}: field required`);
      if (v.has(key)) canon.set(key, null);
      params[key] = p.default ?? null;
      continue;
    }
    let x;
    if (p.kind === 'enum') x = readEnum(v.get(key), p.values, at);
    else if (p.kind === 'int') x = readInt(v.get(key), at, BigInt(p.min), p.max === undefined ? INT_MAX : BigInt(p.max));
    else x = readFloat(v.get(key), at);
    if (p.min !== undefined && p.kind === 'float' && !(x >= p.min)) throw new RecipeError(`${at}: must be >= ${p.min}, got ${x}`);
    if (p.gt !== undefined && !(x > p.gt)) throw new RecipeError(`${at}: must be > ${p.gt}, got ${x}`);
    if (p.lt !== undefined && !(x < p.lt)) throw new RecipeError(`${at}: must be < ${p.lt}, got ${x}`);
    params[key] = x;
    canon.set(key, x);
  }
  if (name === 'uniform' && params.a !== null && params.b !== null && !(params.a <= params.b)) {
    throw new RecipeError(`${path}: uniform needs a <= b, got a=${params.a}, b=${params.b}`);
  }
  if ((name === 'trunc_normal' || name === 'truncated_normal') && !(params.a < params.b)) {
    throw new RecipeError(`${path}: ${name} needs a < b, got a=${params.a}, b=${params.b}`);
  }
  return { canon, scheme: name, params, convention };
}

/** A default init of a layer parameter (section 9): scheme, parameters, optional meaning. */
const def = (scheme, params = {}, convention = null) => ({ scheme, params: { ...params }, convention, isDefault: true });

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

/** f64(product of integers): formed exactly, then rounded once to nearest-even. */
const f64 = (...factors) => Number(factors.reduce((acc, x) => acc * BigInt(x), 1n));

/**
 * The sampler of a scheme for a target {shape, fans ({fanIn, fanOut} integers, or null), layout
 * ('torch' or 'last'), meaning ('torch'|'keras'|'jax'), dtype, name, seed, spec (the version)}.
 */
function samplerOf(init, target, path) {
  const scheme = SCHEMES[init.scheme].alias ?? init.scheme;
  const params = { ...init.params };
  const { shape, fans, meaning, dtype } = target;
  const out = DTYPES[dtype];
  for (const [key, p] of Object.entries(SCHEMES[scheme].params)) {
    if (params[key] === null && p.byConvention) params[key] = p.byConvention[meaning];
  }
  const needsFans = SCHEMES[scheme].usesFans && !(scheme === 'mup' && params.role === 'input');
  if (needsFans && fans === null) {
    throw new RecipeError(`${path}: ${scheme} needs fan_in and fan_out, which are undefined for this `
      + 'tensor; give fan_in/fan_out explicitly');
  }
  const fail = (msg) => {
    throw new RecipeError(`${path}: ${scheme} ${msg}, got a tensor of shape [${shape.join(', ')}]`);
  };
  // Bounds and constants must be finite in the output dtype (normal samplers are not bounded).
  const inRange = (...xs) => {
    for (const x of xs) {
      if (!(Math.abs(x) <= out.max)) {
        throw new RecipeError(`${path}: value ${x} is outside the finite range of ${dtype}`);
      }
    }
  };
  // Section 13.4: tensorseed-stream/2 samples float32, float16 and bfloat16 outputs in binary32
  // (one word per element); float64 keeps v1's binary64 samplers, and v1 is v1 throughout.
  const binary32 = target.spec === SPEC_V2 && !out.wide;
  const normal = (mean, std) => normalSampler(mean, std, binary32);
  const constant = (v) => {
    inRange(v);
    return constantSampler(v);
  };
  const uniform = (low, high) => {
    inRange(low, high);
    return uniformSampler(low, high, out.wide, binary32);
  };
  const truncNormal = (mean, std, alpha, beta, low, high) => {
    inRange(low, high);
    const s = truncNormalSampler(mean, std, alpha, beta, low, high, binary32);
    if (s === null) {
      throw new RecipeError(`${path}: ${scheme} interval [${low}, ${high}] holds no probability representable in binary64`);
    }
    return s;
  };
  const fanOf = (mode) => {
    if (mode === 'fan_in') return fans.fanIn;
    if (mode === 'fan_out') return fans.fanOut;
    if (mode === 'fan_avg') return f64(BigInt(fans.fanIn) + BigInt(fans.fanOut)) / 2;
    return Math.sqrt(f64(fans.fanIn, fans.fanOut)); // fan_geo_avg
  };
  // 8.2: one variance-scaling core; N is untruncated for torch, truncated for keras and jax.
  const vs = (scale, mode, distribution) => {
    const variance = scale / fanOf(mode);
    if (distribution === 'uniform') {
      const bound = Math.sqrt(3 * variance);
      return uniform(-bound, bound);
    }
    if (distribution === 'normal') return normal(0, Math.sqrt(variance));
    const s = Math.sqrt(variance) / 0.87962566103423978;
    return truncNormal(0, s, -2, 2, -(2 * s), 2 * s);
  };
  const N = meaning === 'torch' ? 'normal' : 'truncated_normal';
  switch (scheme) {
    case 'zeros': case 'zero_init_residual': return constant(0);
    case 'ones': return constant(1);
    case 'constant': return constant(params.value);
    case 'uniform':
      if (!(params.a <= params.b)) {
        throw new RecipeError(`${path}: uniform needs a <= b, got a=${params.a}, b=${params.b}`);
      }
      return uniform(params.a, params.b);
    case 'normal': return normal(params.mean, params.std);
    case 'trunc_normal': {
      const { mean, std, a, b } = params;
      return truncNormal(mean, std, (a - mean) / std, (b - mean) / std, a, b);
    }
    case 'truncated_normal': {
      const { mean, std, a, b } = params;
      return truncNormal(mean, std, a, b, mean + std * a, mean + std * b);
    }
    case 'variance_scaling': {
      let d = params.distribution;
      if (d === 'untruncated_normal') d = 'normal';
      else if (d === 'normal' && meaning === 'keras') d = 'truncated_normal';
      return vs(params.scale, params.mode, d);
    }
    case 'xavier_uniform': return vs(params.gain * params.gain, 'fan_avg', 'uniform');
    case 'xavier_normal': return vs(params.gain * params.gain, 'fan_avg', N);
    case 'kaiming_uniform': return vs(gainScale(params.nonlinearity, params.a), params.mode, 'uniform');
    case 'kaiming_normal': return vs(gainScale(params.nonlinearity, params.a), params.mode, N);
    case 'lecun_uniform': return vs(1, 'fan_in', 'uniform');
    case 'lecun_normal': return vs(1, 'fan_in', N);
    case 'selu': return vs(1, 'fan_in', 'normal');
    case 'fan_in_uniform': {
      const bound = 1 / Math.sqrt(fans.fanIn);
      return uniform(-bound, bound);
    }
    case 'sparse': {
      if (shape.length !== 2) fail('needs a 2-D tensor');
      const [rows, cols] = shape;
      const key = streamKey(target.seed, `${target.name}\u0000sparse`, target.spec);
      return sparseSampler(rows, cols, params.std, Math.ceil(params.sparsity * rows), key, binary32);
    }
    case 'eye':
      if (shape.length !== 2) fail('needs a 2-D tensor');
      inRange(0, params.gain);
      return eyeSampler(shape[1], params.gain);
    case 'irnn':
      if (shape.length !== 2 || shape[0] !== shape[1]) fail('needs a square 2-D recurrent matrix');
      inRange(0, params.gain);
      return eyeSampler(shape[1], params.gain);
    case 'dirac': {
      if (shape.length < 3 || shape.length > 5) fail('needs a 3-, 4- or 5-D convolution weight');
      const n = shape.length;
      const [outAxis, inAxis] = target.layout === 'torch' ? [0, 1] : [n - 1, n - 2];
      if (shape[outAxis] % params.groups !== 0) fail(`needs out channels divisible by groups (${params.groups})`);
      return diracSampler(shape, outAxis, inAxis, params.groups);
    }
    case 'zero': {
      if (shape.length !== 2) fail('needs a 2-D weight');
      return target.layout === 'torch'
        ? zeroSampler(shape[0], shape[1], false) : zeroSampler(shape[1], shape[0], true);
    }
    case 'lstm_forget_bias':
      if (shape.length !== 1 || shape[0] % 4 !== 0) fail('needs a 1-D (4 * hidden) LSTM bias');
      inRange(0, params.value);
      return gateSliceSampler(shape[0], params.value);
    case 'scaled_residual': return normal(0, params.std / Math.sqrt(f64(2, params.n_layers)));
    case 'small_init': return normal(0, Math.sqrt(2 / f64(5, params.dim)));
    case 'wang_init': return normal(0, (2 / f64(params.n_layers)) / Math.sqrt(f64(params.dim)));
    case 'deepnet': {
      const N_ = params.n_layers;
      const M = params.decoder_layers;
      let beta;
      if (M === null) beta = 1 / Math.sqrt(Math.sqrt(f64(8, N_)));
      else if (params.block === 'decoder') beta = 1 / Math.sqrt(Math.sqrt(f64(12, M)));
      else beta = 0.87 / Math.sqrt(Math.sqrt(Math.sqrt(Math.sqrt(f64(N_, N_, N_, N_, M)))));
      return vs(beta * beta, 'fan_avg', 'normal');
    }
    case 't_fixup': {
      const g = params.block === 'decoder'
        ? 1 / Math.sqrt(Math.sqrt(f64(9, params.n_layers)))
        : 0.67 / Math.sqrt(Math.sqrt(f64(params.n_layers)));
      return vs(g * g, 'fan_avg', 'uniform');
    }
    case 't_fixup_embedding':
      return normal(0, (1 / Math.sqrt(f64(params.dim))) / Math.sqrt(Math.sqrt(f64(9, params.n_layers))));
    case 'fixup':
      return vs(2 * exp(-(log(f64(params.n_branches)) / f64(params.m - 1))), params.mode, 'normal');
    case 'mup': {
      if (params.role === 'input') return normal(0, params.std);
      const ratio = f64(params.base_fan_in) / f64(fans.fanIn);
      if (params.role === 'hidden') return normal(0, params.std * Math.sqrt(ratio));
      return normal(0, params.std * ratio);
    }
    default: throw new Error(`internal: scheme ${scheme}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Fans (9.1)

function prod(xs) {
  let p = 1;
  for (const x of xs) p *= x;
  return p;
}

/** Fans of a shape under a convention's rule, or null where undefined. */
function fansOf(shape, convention) {
  const n = shape.length;
  if (convention === 'torch') {
    if (n < 2) return null;
    const rf = prod(shape.slice(2));
    return { fanIn: shape[1] * rf, fanOut: shape[0] * rf };
  }
  if (convention === 'keras') {
    if (n === 0) return null;
    if (n === 1) return { fanIn: shape[0], fanOut: shape[0] };
    const rf = prod(shape.slice(0, -2));
    return { fanIn: shape[n - 2] * rf, fanOut: shape[n - 1] * rf };
  }
  if (n < 2) return null; // jax, flax
  const p = prod(shape);
  return { fanIn: p / shape[n - 1], fanOut: p / shape[n - 2] };
}

// ---------------------------------------------------------------------------------------------
// Layers (9.2 torch, 9.3 keras, 9.4 flax)

const SQRT5 = Math.sqrt(5);
const KAIMING_DEFAULT = def('kaiming_uniform', { a: SQRT5, mode: 'fan_in', nonlinearity: 'leaky_relu' });
const ZEROS = def('zeros');
const ONES = def('ones');
const symmetric = (b) => def('uniform', { a: -b, b });

/**
 * The parameters of a layer in a convention: [{suffix, shape, init, fans, zeroRow?, dtype?}].
 * f: the validated fields (defaults filled), reject(field, msg) throws a 422-like error; spec:
 * the stream version (two layers follow newer library releases in v2, section 13.5).
 */
function layerParams(type, f, convention, reject, spec) {
  const P = [];
  const add = (suffix, shape, init, fans = 'own', extra = {}) => P.push({ suffix, shape, init, fans, ...extra });
  const fansOfParam = (suffix) => P.find((p) => p.suffix === suffix).resolvedFans;
  const isConv = /^conv[123]d$/.test(type);
  const isConvT = type.startsWith('conv_transpose');
  const bn = type.startsWith('batch_norm');
  if (convention === 'torch') {
    const own = (p) => {
      p.resolvedFans = fansOf(p.shape, 'torch');
      return p;
    };
    const none = (p) => { // torch's normalization layers and PReLU: no fans
      p.resolvedFans = null;
      return p;
    };
    const weightFans = (w) => (p) => {
      p.resolvedFans = fansOfParam(w);
      return p;
    };
    if (type === 'linear') {
      add('weight', [f.out_features, f.in_features], KAIMING_DEFAULT, own);
      if (f.bias) add('bias', [f.out_features], def('fan_in_uniform'), weightFans('weight'));
    } else if (type === 'bilinear') {
      const b = 1 / Math.sqrt(f.in1_features);
      add('weight', [f.out_features, f.in1_features, f.in2_features], symmetric(b), own);
      if (f.bias) add('bias', [f.out_features], symmetric(b), weightFans('weight'));
    } else if (isConv || isConvT) {
      const shape = isConv
        ? [f.out_channels, f.in_channels / f.groups, ...f.kernel]
        : [f.in_channels, f.out_channels / f.groups, ...f.kernel];
      add('weight', shape, KAIMING_DEFAULT, own);
      if (f.bias) add('bias', [f.out_channels], def('fan_in_uniform'), weightFans('weight'));
    } else if (type === 'embedding') {
      add('weight', [f.num_embeddings, f.embedding_dim], def('normal', { mean: 0, std: 1 }), own,
        { zeroRow: f.zeroRow });
    } else if (type === 'layer_norm') {
      if (f.elementwise_affine) {
        add('weight', f.normalized_shape, ONES, none);
        if (f.bias) add('bias', f.normalized_shape, ZEROS, none);
      }
    } else if (type === 'rms_norm') {
      if (f.elementwise_affine) add('weight', f.normalized_shape, ONES, none);
    } else if (bn) {
      const C = [f.num_features];
      if (f.affine) {
        add('weight', C, ONES, none);
        add('bias', C, ZEROS, none);
      }
      if (f.track_running_stats) {
        add('running_mean', C, ZEROS, none);
        add('running_var', C, ONES, none);
        add('num_batches_tracked', [], ZEROS, none, { dtype: 'int64' });
      }
    } else if (type === 'group_norm') {
      if (f.affine) {
        add('weight', [f.num_channels], ONES, none);
        add('bias', [f.num_channels], ZEROS, none);
      }
    } else if (type === 'rnn' || type === 'lstm' || type === 'gru') {
      const G = f.hidden_size * { rnn: 1, lstm: 4, gru: 3 }[type];
      const H = f.proj_size > 0 ? f.proj_size : f.hidden_size;
      const D = f.bidirectional ? 2 : 1;
      const u = symmetric(1 / Math.sqrt(f.hidden_size));
      for (let k = 0; k < f.num_layers; k++) {
        for (const s of D === 2 ? ['', '_reverse'] : ['']) {
          add(`weight_ih_l${k}${s}`, [G, k === 0 ? f.input_size : H * D], u, own);
          add(`weight_hh_l${k}${s}`, [G, H], u, own);
          if (f.bias) {
            add(`bias_ih_l${k}${s}`, [G], u, weightFans(`weight_ih_l${k}${s}`));
            add(`bias_hh_l${k}${s}`, [G], u, weightFans(`weight_hh_l${k}${s}`));
          }
          if (f.proj_size > 0) add(`weight_hr_l${k}${s}`, [f.proj_size, f.hidden_size], u, own);
        }
      }
    } else if (type === 'multihead_attention') {
      const E = f.embed_dim;
      const xavier = def('xavier_uniform', { gain: 1 });
      let first;
      if (f.kdim === E && f.vdim === E) {
        add('in_proj_weight', [3 * E, E], xavier, own);
        first = 'in_proj_weight';
      } else {
        add('q_proj_weight', [E, E], xavier, own);
        add('k_proj_weight', [E, f.kdim], xavier, own);
        add('v_proj_weight', [E, f.vdim], xavier, own);
        first = 'q_proj_weight';
      }
      if (f.bias) add('in_proj_bias', [3 * E], ZEROS, weightFans(first));
      if (f.add_bias_kv) {
        add('bias_k', [1, 1, E], def('xavier_normal', { gain: 1 }), own);
        add('bias_v', [1, 1, E], def('xavier_normal', { gain: 1 }), own);
      }
      add('out_proj.weight', [E, E], KAIMING_DEFAULT, own);
      if (f.bias) add('out_proj.bias', [E], ZEROS, weightFans('out_proj.weight'));
    } else if (type === 'prelu') {
      add('weight', [f.num_parameters], def('constant', { value: f.init_value }), none);
    }
    for (const p of P) p.fans(p);
    return P.map((p) => ({ ...p, fans: p.resolvedFans }));
  }
  // Keras and Flax: channels-last; fans by each library's rule on the parameter's own shape.
  const keras = convention === 'keras';
  const rule = keras ? 'keras' : 'jax';
  const glorot = def('glorot_uniform', { gain: 1 });
  const lecun = def('lecun_normal', {}, 'jax');
  const kernelInit = keras ? glorot : lecun;
  const orth = def('orthogonal', { gain: 1 }, keras ? 'keras' : 'jax');
  const addOwn = (suffix, shape, init, fans = undefined, extra = {}) => P.push({ suffix, shape, init, fans: fans === undefined ? fansOf(shape, rule) : fans, ...extra });
  const noField = (cond, field, msg) => {
    if (cond) reject(field, msg);
  };
  const lib = keras ? 'keras' : 'flax';
  if (type === 'linear') {
    addOwn('kernel', [f.in_features, f.out_features], kernelInit);
    if (f.bias) addOwn('bias', [f.out_features], ZEROS);
  } else if (type === 'bilinear') {
    reject('type', `${lib} has no bilinear layer`);
  } else if (isConv) {
    if (keras && f.depthwise && type !== 'conv3d') {
      addOwn('kernel', [...f.kernel, f.in_channels, f.out_channels / f.in_channels], kernelInit);
    } else {
      addOwn('kernel', [...f.kernel, f.in_channels / f.groups, f.out_channels], kernelInit);
    }
    if (f.bias) addOwn('bias', [f.out_channels], ZEROS);
  } else if (isConvT) {
    noField(f.groups !== 1, 'groups', `${lib} transposed convolutions have no groups`);
    addOwn('kernel', keras ? [...f.kernel, f.out_channels, f.in_channels] : [...f.kernel, f.in_channels, f.out_channels], kernelInit);
    if (f.bias) addOwn('bias', [f.out_channels], ZEROS);
  } else if (type === 'embedding') {
    noField(f.zeroRow !== null, 'padding_idx', `${lib} embeddings have no padding_idx`);
    if (keras) addOwn('embeddings', [f.num_embeddings, f.embedding_dim], def('uniform', { a: -0.05, b: 0.05 }));
    else {
      addOwn('embedding', [f.num_embeddings, f.embedding_dim],
        def('variance_scaling', { scale: 1, mode: 'fan_in', distribution: 'normal' }, 'jax'),
        { fanIn: f.embedding_dim, fanOut: f.embedding_dim });
    }
  } else if (type === 'layer_norm') {
    if (f.elementwise_affine) {
      addOwn(keras ? 'gamma' : 'scale', f.normalized_shape, ONES);
      if (f.bias) addOwn(keras ? 'beta' : 'bias', f.normalized_shape, ZEROS);
    }
  } else if (type === 'rms_norm') {
    noField(keras && !f.elementwise_affine, 'elementwise_affine', 'keras RMSNormalization always has a scale');
    if (f.elementwise_affine) addOwn('scale', f.normalized_shape, ONES);
  } else if (bn) {
    noField(!f.track_running_stats, 'track_running_stats', `${lib} batch normalization always tracks running statistics`);
    const C = [f.num_features];
    if (f.affine) {
      addOwn(keras ? 'gamma' : 'scale', C, ONES);
      addOwn(keras ? 'beta' : 'bias', C, ZEROS);
    }
    // v2 (13.5): Flax creates batch_stats in float32 whatever the parameters' dtype.
    const stats = !keras && spec === SPEC_V2 ? { dtype: 'float32' } : {};
    addOwn(keras ? 'moving_mean' : 'mean', C, ZEROS, undefined, stats);
    addOwn(keras ? 'moving_variance' : 'var', C, ONES, undefined, stats);
  } else if (type === 'group_norm') {
    if (f.affine) {
      addOwn(keras ? 'gamma' : 'scale', [f.num_channels], ONES);
      addOwn(keras ? 'beta' : 'bias', [f.num_channels], ZEROS);
    }
  } else if (type === 'rnn' || type === 'lstm' || type === 'gru') {
    noField(f.num_layers !== 1, 'num_layers', `${lib} recurrent layers have one layer`);
    noField(f.bidirectional, 'bidirectional', `${lib} recurrent layers have one direction`);
    noField(f.proj_size > 0, 'proj_size', `${lib} LSTMs have no proj_size`);
    noField(!keras && !f.bias, 'bias', 'flax recurrent cells always have biases');
    const u = f.hidden_size;
    const inp = f.input_size;
    if (keras) {
      const g = { rnn: 1, lstm: 4, gru: 3 }[type];
      addOwn('kernel', [inp, g * u], glorot);
      addOwn('recurrent_kernel', [u, g * u], orth);
      if (f.bias) {
        if (type === 'rnn') addOwn('bias', [u], ZEROS);
        else if (type === 'lstm') addOwn('bias', [4 * u], def('lstm_forget_bias', { value: 1 }));
        else addOwn('bias', [2, 3 * u], ZEROS);
      }
    } else if (type === 'rnn') {
      addOwn('i.kernel', [inp, u], lecun);
      addOwn('i.bias', [u], ZEROS);
      addOwn('h.kernel', [u, u], orth);
    } else if (type === 'lstm') {
      for (const g of ['i', 'f', 'g', 'o']) {
        addOwn(`i${g}.kernel`, [inp, u], lecun);
        addOwn(`h${g}.kernel`, [u, u], orth);
        addOwn(`h${g}.bias`, [u], ZEROS);
      }
    } else {
      for (const g of ['r', 'z', 'n']) {
        addOwn(`i${g}.kernel`, [inp, u], lecun);
        addOwn(`i${g}.bias`, [u], ZEROS);
        addOwn(`h${g}.kernel`, [u, u], orth);
      }
      addOwn('hn.bias', [u], ZEROS);
    }
  } else if (type === 'multihead_attention') {
    noField(f.add_bias_kv, 'add_bias_kv', `${lib} attention has no bias_k / bias_v`);
    const E = f.embed_dim;
    const h = f.num_heads;
    const d = E / h;
    // Kernel fans (fan_in, fan_out): Flax's DenseGeneral flattens to (in, E) and (E, E); Keras
    // 3.15's EinsumDense (v2, 13.5) takes the same from the einsum's summed and output axes
    // (h * (E/h) = E); v1's Keras kept the rule of each kernel's own shape.
    const fl = (i, o) => (keras && spec === SPEC_V1 ? undefined : { fanIn: i, fanOut: o });
    addOwn('query.kernel', [E, h, d], kernelInit, fl(E, E));
    addOwn('key.kernel', [f.kdim, h, d], kernelInit, fl(f.kdim, E));
    addOwn('value.kernel', [f.vdim, h, d], kernelInit, fl(f.vdim, E));
    const out = keras ? 'attention_output' : 'out';
    addOwn(`${out}.kernel`, [h, d, E], kernelInit, fl(E, E));
    if (f.bias) {
      const nf = keras ? undefined : null;
      addOwn('query.bias', [h, d], ZEROS, nf);
      addOwn('key.bias', [h, d], ZEROS, nf);
      addOwn('value.bias', [h, d], ZEROS, nf);
      addOwn(`${out}.bias`, [E], ZEROS, nf);
    }
  } else if (type === 'prelu') {
    if (keras) {
      addOwn('alpha', [f.num_parameters], f.init_value_written ? def('constant', { value: f.init_value }) : ZEROS);
    } else {
      noField(f.num_parameters !== 1, 'num_parameters', 'flax PReLU has one slope');
      addOwn('negative_slope', [], def('constant', { value: f.init_value_written ? f.init_value : 0.01 }));
    }
  }
  return P;
}

/** torch.nn class names accepted as layer types (spec section 9), by canonical type. */
const TORCH_CLASS_NAMES = {
  Linear: 'linear', Bilinear: 'bilinear', Conv1d: 'conv1d', Conv2d: 'conv2d', Conv3d: 'conv3d',
  ConvTranspose1d: 'conv_transpose1d', ConvTranspose2d: 'conv_transpose2d', ConvTranspose3d: 'conv_transpose3d',
  Embedding: 'embedding', LayerNorm: 'layer_norm', RMSNorm: 'rms_norm', BatchNorm1d: 'batch_norm1d',
  BatchNorm2d: 'batch_norm2d', BatchNorm3d: 'batch_norm3d', GroupNorm: 'group_norm', RNN: 'rnn', LSTM: 'lstm',
  GRU: 'gru', MultiheadAttention: 'multihead_attention', PReLU: 'prelu',
};

/** Validates a layer's fields and expands it into tensor specs; returns its canonical form. */
function readLayer(v, path, out, recipeConvention, spec, layers) {
  if (!isObj(v)) throw new RecipeError(`${path}: expected an object, got ${typeName(v)}`);
  const written = v.get('type');
  if (!v.has('type')) throw new RecipeError(`${path}.type: field required`);
  // A torch.nn class name is the same layer as its canonical type (section 9); the canonical
  // recipe keeps what was written.
  const type = typeof written === 'string' && Object.hasOwn(TORCH_CLASS_NAMES, written)
    ? TORCH_CLASS_NAMES[written] : written;
  if (typeof type !== 'string' || !Object.hasOwn(LAYERS, type)) {
    throw new RecipeError(`${path}.type: unsupported layer type ${describe(type)}; this port knows `
      + Object.keys(LAYERS).join(', '));
  }
  readObject(v, path, ['type', 'name', 'init', 'convention', ...LAYERS[type]]);
  const canon = new Map([['type', written]]);
  const name = readName(required(v, 'name', path), `${path}.name`);
  canon.set('name', name);
  let convention = recipeConvention;
  if (v.has('convention')) {
    const c = readConvention(v.get('convention'), `${path}.convention`);
    canon.set('convention', c);
    if (c !== null) convention = c;
  }
  const f = {};
  const has = (key) => LAYERS[type].includes(key);
  const int = (key, dflt, min = 1n) => {
    if (!v.has(key)) {
      if (dflt === undefined) throw new RecipeError(`${path}.${key}: field required`);
      return dflt;
    }
    const x = readInt(v.get(key), `${path}.${key}`, min);
    canon.set(key, x);
    return x;
  };
  const bool = (key, dflt) => {
    if (!v.has(key)) return dflt;
    const x = readBool(v.get(key), `${path}.${key}`);
    canon.set(key, x);
    return x;
  };
  const ints = (key, min, max) => { // an int, or a list of min..max ints
    const x = required(v, key, path);
    if (Array.isArray(x)) {
      if (x.length < min || x.length > max) throw new RecipeError(`${path}.${key}: a list of ${min} to ${max} sizes, got ${x.length}`);
      const list = x.map((k, j) => readInt(k, `${path}.${key}.${j}`, 1n));
      canon.set(key, list);
      return { list, scalar: false };
    }
    const k = readInt(x, `${path}.${key}`, 1n);
    canon.set(key, k);
    return { list: [k], scalar: true };
  };
  const reject = (field, msg) => {
    throw new RecipeError(`${path}.${field}: ${msg}`);
  };
  for (const key of LAYERS[type]) {
    if (['bias', 'depthwise', 'elementwise_affine', 'affine', 'track_running_stats', 'bidirectional', 'add_bias_kv'].includes(key)) {
      f[key] = bool(key, !['depthwise', 'bidirectional', 'add_bias_kv'].includes(key));
    }
  }
  if (type === 'linear') {
    f.in_features = int('in_features');
    f.out_features = int('out_features');
  } else if (type === 'bilinear') {
    f.in1_features = int('in1_features');
    f.in2_features = int('in2_features');
    f.out_features = int('out_features');
  } else if (type.startsWith('conv')) {
    const dims = Number(type[type.length - 2]);
    f.in_channels = int('in_channels');
    f.out_channels = int('out_channels');
    const ks = ints('kernel_size', 1, 3);
    if (!ks.scalar && ks.list.length !== dims) reject('kernel_size', `${type} needs ${dims} kernel sizes, got ${ks.list.length}`);
    f.kernel = ks.scalar ? new Array(dims).fill(ks.list[0]) : ks.list;
    f.groups = int('groups', null);
    if (f.depthwise) {
      if (f.groups !== null && f.groups !== f.in_channels) reject('groups', 'a depthwise convolution has groups = in_channels');
      f.groups = f.in_channels;
      if (f.out_channels % f.in_channels !== 0) reject('out_channels', 'a depthwise convolution needs out_channels a multiple of in_channels');
    }
    if (f.groups === null) f.groups = 1;
    if (f.in_channels % f.groups !== 0) reject('in_channels', `in_channels must be divisible by groups (${f.groups})`);
    if (f.out_channels % f.groups !== 0) reject('out_channels', `out_channels must be divisible by groups (${f.groups})`);
  } else if (type === 'embedding') {
    f.num_embeddings = int('num_embeddings');
    f.embedding_dim = int('embedding_dim');
    f.zeroRow = null;
    if (v.has('padding_idx')) {
      const p = v.get('padding_idx');
      if (p === null) {
        canon.set('padding_idx', null);
      } else {
        const idx = readInt(p, `${path}.padding_idx`, null);
        canon.set('padding_idx', idx);
        const num = f.num_embeddings;
        if (idx < -num || idx >= num) reject('padding_idx', `padding_idx must be within [${-num}, ${num})`);
        const row = idx < 0 ? idx + num : idx;
        f.zeroRow = { begin: row * f.embedding_dim, end: (row + 1) * f.embedding_dim };
      }
    }
  } else if (type === 'layer_norm' || type === 'rms_norm') {
    const x = required(v, 'normalized_shape', path);
    if (Array.isArray(x)) {
      if (x.length < 1 || x.length > 8) reject('normalized_shape', `1 to 8 sizes, got ${x.length}`);
      f.normalized_shape = x.map((k, j) => readInt(k, `${path}.normalized_shape.${j}`, 1n));
      canon.set('normalized_shape', f.normalized_shape);
    } else {
      const k = readInt(x, `${path}.normalized_shape`, 1n);
      canon.set('normalized_shape', k);
      f.normalized_shape = [k];
    }
  } else if (type.startsWith('batch_norm')) {
    f.num_features = int('num_features');
  } else if (type === 'group_norm') {
    f.num_groups = int('num_groups');
    f.num_channels = int('num_channels');
    if (f.num_channels % f.num_groups !== 0) reject('num_channels', `num_channels must be divisible by num_groups (${f.num_groups})`);
  } else if (type === 'rnn' || type === 'lstm' || type === 'gru') {
    f.input_size = int('input_size');
    f.hidden_size = int('hidden_size');
    f.num_layers = int('num_layers', 1);
    f.proj_size = has('proj_size') ? int('proj_size', 0, 0n) : 0;
    if (f.proj_size >= f.hidden_size && f.proj_size > 0) reject('proj_size', 'proj_size must be smaller than hidden_size');
  } else if (type === 'multihead_attention') {
    f.embed_dim = int('embed_dim');
    f.num_heads = int('num_heads');
    if (f.embed_dim % f.num_heads !== 0) reject('num_heads', 'embed_dim must be divisible by num_heads');
    for (const key of ['kdim', 'vdim']) {
      f[key] = f.embed_dim;
      if (v.has(key)) {
        if (v.get(key) === null) canon.set(key, null);
        else f[key] = int(key);
      }
    }
  } else if (type === 'prelu') {
    f.num_parameters = int('num_parameters', 1);
    f.init_value = 0.25;
    f.init_value_written = v.has('init_value');
    if (f.init_value_written) {
      f.init_value = readFloat(v.get('init_value'), `${path}.init_value`);
      canon.set('init_value', f.init_value);
    }
  }
  const params = layerParams(type, f, convention, reject, spec);
  const overrides = new Map();
  if (v.has('init') && v.get('init') !== null) {
    const init = v.get('init');
    if (!isObj(init)) throw new RecipeError(`${path}.init: expected an object, got ${typeName(init)}`);
    const known = params.map((p) => p.suffix);
    const canonInit = new Map();
    const unknown = [...init.keys()].filter((k) => !known.includes(k));
    for (const [k, x] of init) {
      const r = readInit(x, `${path}.init.${k}`);
      overrides.set(k, r);
      canonInit.set(k, r.canon);
    }
    if (unknown.length) {
      throw new RecipeError(`${path}.init: ${type} layer ${JSON.stringify(name)} has no parameter(s) `
        + `${unknown.join(', ')}; it has ${known.join(', ')}`);
    }
    canon.set('init', canonInit);
  } else if (v.has('init')) {
    canon.set('init', null);
  }
  // What export (section 18) needs to write the layer in another library's layout.
  layers.push({ name, type, f, convention, path, own: params.map((p) => ({ suffix: p.suffix, shape: p.shape })) });
  const layout = convention === 'torch' ? 'torch' : 'last';
  for (const p of params) {
    const init = overrides.get(p.suffix) ?? p.init;
    out.push({
      name: `${name}.${p.suffix}`, shape: p.shape, init, fans: p.fans, zeroRow: p.zeroRow ?? null,
      layout, meaning: meaningOf(init.convention ?? convention), dtype: p.dtype ?? null, path,
    });
  }
  return canon;
}

function readTensor(v, path, out, recipeConvention) {
  readObject(v, path, ['name', 'shape', 'init', 'fan_in', 'fan_out', 'convention']);
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
  let convention = recipeConvention;
  if (v.has('convention')) {
    const c = readConvention(v.get('convention'), `${path}.convention`);
    canon.set('convention', c);
    if (c !== null) convention = c;
  }
  const over = {};
  for (const key of ['fan_in', 'fan_out']) {
    if (!v.has(key)) continue;
    const x = v.get(key);
    canon.set(key, x === null ? null : readInt(x, `${path}.${key}`, 1n));
    if (x !== null) over[key] = canon.get(key);
  }
  // Each given override replaces its fan; the tensor has fans when both are then defined.
  const computed = fansOf(shape, convention) ?? { fanIn: undefined, fanOut: undefined };
  const fanIn = over.fan_in ?? computed.fanIn;
  const fanOut = over.fan_out ?? computed.fanOut;
  const fans = fanIn !== undefined && fanOut !== undefined ? { fanIn, fanOut } : null;
  out.push({
    name, shape, init, fans, zeroRow: null, path, layout: convention === 'torch' ? 'torch' : 'last',
    meaning: meaningOf(init.convention ?? convention), dtype: null,
  });
  return canon;
}

/** The recipe's stream version (13.1): absent means tensorseed-stream/2; others are refused. */
function readSpec(recipe) {
  if (!recipe.has('spec')) return SPEC_VERSION;
  const v = recipe.get('spec');
  if (typeof v === 'string' && SPEC_VERSIONS.includes(v)) return v;
  throw new RecipeError(`spec: unsupported stream version ${describe(v)}; this port implements `
    + `${SPEC_VERSIONS.map((x) => JSON.stringify(x)).join(' and ')} (absent means ${JSON.stringify(SPEC_VERSION)})`);
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
 * {spec (the stream version), dtype, canonicalRecipe (a Map tree for canonicalJson), tensors: [{name, shape, numel, dtype,
 * sampler, key, zeroRow}] sorted by name in UTF-16 code-unit order}. With "export" (section 18),
 * an exported tensor that reorders its sources has {gather} (export.mjs) instead of a sampler.
 */
export function buildPlan(recipe) {
  readObject(recipe, 'recipe', ['seed', 'spec', 'dtype', 'convention', 'rng', 'model', 'export', 'layers', 'tensors', 'ties']);
  const canon = new Map();
  const seed = readSeed(required(recipe, 'seed', 'recipe'));
  canon.set('seed', seed.toString());
  const version = readSpec(recipe);
  // 13.3: a v2 canonical recipe always names its version (so a v2 file or token describes itself
  // forever); a v1 canonical recipe never does (v1's files predate the field).
  if (version === SPEC_V2) canon.set('spec', SPEC_V2);
  let dtype = 'float32';
  if (recipe.has('dtype')) {
    dtype = readEnum(recipe.get('dtype'), ['float32', 'float64', 'float16', 'bfloat16'], 'dtype');
    canon.set('dtype', dtype);
  }
  // Not part of the portable stream: the reference's torch-compatible generator and its model
  // presets. Refused loudly, never approximated.
  if (recipe.has('rng')) {
    const rng = recipe.get('rng');
    if (rng !== 'portable') {
      throw new RecipeError(`rng: this port implements only rng "portable" (the tensorseed stream); `
        + `rng ${describe(rng)} is not part of the stream specification`);
    }
    canon.set('rng', rng);
  }
  if (recipe.has('model')) {
    if (recipe.get('model') !== null) {
      throw new RecipeError('model: model presets are not part of the stream specification and this port '
        + 'does not expand them; write the layers out, or use the reference service');
    }
    canon.set('model', null);
  }
  let convention = 'torch';
  if (recipe.has('convention')) {
    convention = readConvention(recipe.get('convention'), 'convention', false);
    canon.set('convention', convention);
  }
  let target = null;
  if (recipe.has('export')) {
    target = recipe.get('export');
    if (target !== null && !EXPORT_TARGETS.includes(target)) {
      throw new RecipeError(`export: expected one of ${EXPORT_TARGETS.map((x) => JSON.stringify(x)).join(', ')} `
        + `or null, got ${describe(target)}`);
    }
    canon.set('export', target);
  }
  const specs = [];
  const layers = [];
  for (const key of ['layers', 'tensors']) {
    if (!recipe.has(key)) continue;
    const list = recipe.get(key);
    if (!Array.isArray(list)) throw new RecipeError(`${key}: expected an array, got ${typeName(list)}`);
    canon.set(key, list.map((x, j) => (key === 'layers' ? readLayer : readTensor)(x, `${key}.${j}`, specs, convention, version, layers)));
  }
  if (!(recipe.has('layers') && recipe.get('layers').length) && !(recipe.has('tensors') && recipe.get('tensors').length)) {
    throw new RecipeError('a recipe needs at least one layer or tensor');
  }
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
    const tdtype = t.dtype ?? dtype;
    if (TOLERANCE_SCHEMES.includes(t.init.scheme)) {
      throw new RecipeError(`${t.path} (${t.name}): ${t.init.scheme} is a tolerance-tier scheme (QR, spec `
        + 'section 6.3): its bytes are not defined exactly, so this port does not produce it; override '
        + 'this parameter\'s init with an exact scheme, or use the reference service');
    }
    const target = {
      shape: t.shape, fans: t.fans, layout: t.layout, meaning: t.meaning, dtype: tdtype, name: t.name, seed, spec: version,
    };
    const sampler = samplerOf(t.init, target, `${t.path} (${t.name})`);
    if (tdtype === 'int64' && !(sampler.kind === 'constant' && Number.isInteger(sampler.v))) {
      throw new RecipeError(`${t.path} (${t.name}): an int64 buffer takes an integral constant only (zeros, ones, constant)`);
    }
    tensors.push({ name: t.name, shape: t.shape, numel, dtype: tdtype, sampler, key: streamKey(seed, t.name, version), zeroRow: t.zeroRow });
  }
  const tiedTo = new Map(); // tie name -> the tensor whose bytes it holds
  if (recipe.has('ties')) {
    const ties = recipe.get('ties');
    if (!isObj(ties)) throw new RecipeError(`ties: expected an object, got ${typeName(ties)}`);
    const byName = new Map(tensors.map((t) => [t.name, t]));
    const canonTies = new Map();
    for (const [name, target] of ties) {
      const path = `ties.${name}`;
      readName(name, path);
      if (typeof target !== 'string') throw new RecipeError(`${path}: expected a tensor name, got ${typeName(target)}`);
      readName(target, path);
      canonTies.set(name, target);
    }
    for (const [name, target] of canonTies) {
      const path = `ties.${name}`;
      if (canonTies.has(target)) throw new RecipeError(`${path}: tied to ${JSON.stringify(target)}, itself tied`);
      if (byName.has(name)) throw new RecipeError(`${path}: duplicate tensor name ${JSON.stringify(name)}`);
      const source = byName.get(target);
      if (source === undefined) throw new RecipeError(`${path}: tied to ${JSON.stringify(target)}, which is not in the recipe`);
      if (byName.size >= LIMITS.tensors) throw new RecipeError(`a recipe holds at most ${LIMITS.tensors} tensors`);
      total += source.numel;
      if (total > LIMITS.totalElements) throw new RecipeError(`${path}: the recipe exceeds the limit of ${LIMITS.totalElements} elements`);
      // the target's stream (its key) under the tie's own name
      const tied = { ...source, name };
      tiedTo.set(name, target);
      byName.set(name, tied);
      tensors.push(tied);
    }
    canon.set('ties', canonTies);
  }
  const written = target === null ? tensors
    : exportLayers(target, layers, tensors, tiedTo, total, { seed, version, dtype });
  written.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { spec: version, dtype, canonicalRecipe: canon, tensors: written };
}

const EXPORT_TARGETS = ['torch', 'keras', 'flax'];

/**
 * Section 18: every layer's tensors in the target library's names and layouts. A layer's own
 * tensors (planned as without export, limits and refusals included) are replaced by exported
 * ones, each a renamed source, zeros, or gathered from the sources; raw tensors and ties stay.
 * Returns the new tensor list; total is the element count before export.
 */
function exportLayers(target, layers, tensors, tiedTo, total, { seed, version, dtype }) {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const exports = [];
  for (const layer of layers) {
    if (libraryOf(layer.convention) === target) continue;
    const { name, type, path } = layer;
    const what = `layer ${JSON.stringify(name)} (${type})`;
    const refuse = (field, msg) => {
      throw new RecipeError(`${path}.${field}: ${what} cannot be exported to ${target}: ${msg}`);
    };
    // The target convention's parameter list: its names, shapes, fixed dtypes and refusals.
    const wanted = layerParams(type, layer.f, target, refuse, version);
    const own = new Map(layer.own.map((p) => [p.suffix, byName.get(`${name}.${p.suffix}`)]));
    const isZero = (suffix) => {
      const s = own.get(suffix).sampler;
      return s.kind === 'constant' && s.v === 0; // zeros, or constant 0 / -0 (18.3)
    };
    const refuseMerge = (sum) => {
      throw new RecipeError(`${path}.init: export: ${what}: the target keeps one bias where the source has `
        + `two (${sum}); their sum is not any of the source's values. Initialize one of them with `
        + '"zeros" to export it');
    };
    const params = exportLayer(layer, target, layer.own, wanted, isZero, refuseMerge);
    exports.push({ layer, own, params });
  }
  const tieOf = new Map([...tiedTo].map(([tie, source]) => [source, tie]));
  const rewritten = new Set();
  for (const { own } of exports) {
    for (const t of own.values()) {
      if (tieOf.has(t.name)) {
        throw new RecipeError(`ties.${tieOf.get(t.name)}: tied to ${JSON.stringify(t.name)}, which export `
          + 'rewrites; ties cannot be exported');
      }
      rewritten.add(t.name);
      total -= t.numel;
    }
  }
  const out = tensors.filter((t) => !rewritten.has(t.name));
  const names = new Set(out.map((t) => t.name));
  for (const { layer, own, params } of exports) {
    const shared = sharedSources();
    for (const p of params) {
      const name = `${layer.name}.${p.suffix}`;
      if (names.has(name)) throw new RecipeError(`${layer.path}: exported tensor ${JSON.stringify(name)} duplicates another tensor's name`);
      if (out.length >= LIMITS.tensors) throw new RecipeError(`export: a recipe holds at most ${LIMITS.tensors} tensors`);
      const numel = prod(p.shape);
      // 18.4: 9.4's limits hold for exported tensors; a concatenation can pass what its sources
      // stay under (Flax gate kernels, attention projections).
      if (numel > LIMITS.tensorElements) {
        throw new RecipeError(`${layer.path}: exported tensor ${JSON.stringify(name)} exceeds the per-tensor limit of ${LIMITS.tensorElements} elements`);
      }
      total += numel;
      if (total > LIMITS.totalElements) throw new RecipeError(`export: the recipe exceeds the limit of ${LIMITS.totalElements} elements`);
      const used = sourcesOf(p.expr);
      let tensor;
      if (!used.length) { // a parameter the source has not: torch's counter, a second bias
        tensor = {
          name, shape: p.shape, numel, dtype: p.dtype ?? dtype, sampler: constantSampler(0),
          key: streamKey(seed, name, version), zeroRow: null,
        };
      } else if (plainSource(p.expr)) { // renamed or reshaped: the source's bytes, generated as it is
        tensor = { ...own.get(used[0]), name, shape: p.shape };
      } else {
        const sources = new Map(used.map((u) => [u, own.get(u)]));
        // All sources of one tensor have one dtype (18.4).
        tensor = { name, shape: p.shape, numel, dtype: sources.get(used[0]).dtype, gather: gatherPlan(p.expr, sources, shared) };
      }
      names.add(name);
      out.push(tensor);
    }
  }
  return out;
}
