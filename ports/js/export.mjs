// Export layouts (docs/stream-spec.md section 18): a layer's values, as its own convention defines
// them, under another library's parameter names and layouts.
//
// An exported tensor is an index expression (18.1) over the layer's own tensors: transposes,
// reshapes, slices, flips and concatenations, with zero blocks where the target keeps a parameter
// the source has not. Every element is one element of a source tensor, bit for bit, or zero, so
// the port generates each source tensor as it always does (keyed by its own name) and gathers the
// exported tensor's bytes from it. Mappings go through torch's form (18.2): keras -> flax is
// fromTorch(flax, toTorch(keras, layer)), so each library needs one table each way.

import { DTYPES, fill } from './stream.mjs';

/** The library whose layers a convention describes (jax recipes use Flax's). */
export const libraryOf = (convention) => (convention === 'jax' || convention === 'flax' ? 'flax'
  : convention === 'keras' ? 'keras' : 'torch');

// ---------------------------------------------------------------------------------------------
// Index expressions: {op, shape, ...}. The constructors simplify as the reference's do (an identity
// transpose is no transpose, a slice inside one part of a concatenation reads that part), which
// keeps 18.3's "every source it reads" the same set of sources as the reference's.

const prod = (shape) => shape.reduce((a, b) => a * b, 1);
const range = (lo, hi) => Array.from({ length: hi - lo }, (_, k) => lo + k);
const sameShape = (a, b) => a.length === b.length && a.every((x, k) => x === b[k]);

const src = (name, shape) => ({ op: 'src', shape, name });
const zero = (shape) => ({ op: 'zero', shape });

function transpose(x, axes) {
  if (axes.every((a, k) => a === k)) return x;
  // Axis k of the result is axis axes[k] of x, so axis x.axes[axes[k]] of x's operand.
  if (x.op === 'T') return transpose(x.x, axes.map((a) => x.axes[a]));
  return { op: 'T', shape: axes.map((a) => x.shape[a]), x, axes };
}

const swap = (x) => transpose(x, [1, 0]);

function reshape(x, shape) {
  if (prod(shape) !== prod(x.shape)) throw new Error(`internal: reshape ${x.shape} to ${shape}`);
  if (sameShape(shape, x.shape)) return x;
  if (x.op === 'R') return reshape(x.x, shape);
  if (x.op === 'zero') return zero(shape);
  return { op: 'R', shape, x };
}

/** Indices [start, stop) along axis. */
function take(x, axis, start, stop) {
  if (start === 0 && stop === x.shape[axis]) return x;
  const shape = x.shape.slice();
  shape[axis] = stop - start;
  if (x.op === 'zero') return zero(shape);
  if (x.op === 'S' && x.axis === axis) return take(x.x, axis, x.start + start, x.start + stop);
  if (x.op === 'C' && x.axis === axis) {
    let offset = 0;
    for (const part of x.parts) {
      const size = part.shape[axis];
      if (offset <= start && stop <= offset + size) return take(part, axis, start - offset, stop - offset);
      offset += size;
    }
  }
  return { op: 'S', shape, x, axis, start };
}

const flip = (x, axes) => (axes.length ? { op: 'F', shape: x.shape, x, axes } : x);

function concat(parts, axis) {
  if (parts.length === 1) return parts[0];
  const shape = parts[0].shape.slice();
  shape[axis] = parts.reduce((n, p) => n + p.shape[axis], 0);
  return { op: 'C', shape, parts, axis };
}

/** One of two summed recurrent biases (18.3); `a` is on the target's side. */
const merge = (a, b, what) => ({ op: 'M', shape: a.shape, a, b, what });

/** The n gate slices of x along axis 0 (G_q of 18.1). */
function gates(x, n) {
  const size = x.shape[0] / n;
  return range(0, n).map((q) => take(x, 0, q * size, (q + 1) * size));
}

function operands(x) {
  if (x.op === 'C') return x.parts;
  if (x.op === 'M') return [x.a, x.b];
  return x.op === 'src' || x.op === 'zero' ? [] : [x.x];
}

/** Source and zero blocks, left to right. */
function leaves(x) {
  return x.op === 'src' || x.op === 'zero' ? [x] : operands(x).flatMap(leaves);
}

/** x with every merge replaced by the side it takes, or a refusal (18.3): a side is zero when
 * every block it reads is zeros or a source whose scheme is the constant 0. */
function resolveMerges(x, isZeroSource, refuse) {
  const isZero = (e) => leaves(e).every((b) => b.op === 'zero' || isZeroSource(b.name));
  const inner = (e) => resolveMerges(e, isZeroSource, refuse);
  switch (x.op) {
    case 'src': case 'zero': return x;
    case 'M':
      if (isZero(x.b)) return inner(x.a);
      if (isZero(x.a)) return inner(x.b);
      return refuse(x.what);
    case 'T': return transpose(inner(x.x), x.axes);
    case 'R': return reshape(inner(x.x), x.shape);
    case 'S': return take(inner(x.x), x.axis, x.start, x.start + x.shape[x.axis]);
    case 'F': return flip(inner(x.x), x.axes);
    default: return concat(x.parts.map(inner), x.axis);
  }
}

// ---------------------------------------------------------------------------------------------
// Layer tables: each library's form <-> torch's form (18.2, tables A and B)

const RENAMES = { // layer family -> library -> {library's parameter: torch's parameter}
  embedding: { keras: { embeddings: 'weight' }, flax: { embedding: 'weight' } },
  layer_norm: { keras: { gamma: 'weight', beta: 'bias' }, flax: { scale: 'weight', bias: 'bias' } },
  rms_norm: { keras: { scale: 'weight' }, flax: { scale: 'weight' } },
  group_norm: { keras: { gamma: 'weight', beta: 'bias' }, flax: { scale: 'weight', bias: 'bias' } },
  batch_norm: {
    keras: { gamma: 'weight', beta: 'bias', moving_mean: 'running_mean', moving_variance: 'running_var' },
    flax: { scale: 'weight', bias: 'bias', mean: 'running_mean', var: 'running_var' },
  },
};
const GRU_KERAS_ORDER = [1, 0, 2]; // Keras keeps the gates (z, r, n); torch (r, z, n)
const FLAX_GATES = { lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'] };
const GATE_COUNT = { rnn: 1, lstm: 4, gru: 3 };

const has = (o, k) => Object.hasOwn(o, k);
const family = (type) => (type.startsWith('batch_norm') ? 'batch_norm' : type);
const isConvType = (type) => type.startsWith('conv');
const isTransposed = (type) => type.startsWith('conv_transpose');
const spatial = (type) => Number(type[type.length - 2]);
const kerasDepthwise = (layer) => (layer.type === 'conv1d' || layer.type === 'conv2d') && layer.f.depthwise;
const withBias = (out, s, from = 'bias', to = 'bias') => (has(s, from) ? { ...out, [to]: s[from] } : out);

/** torch's parameters of a layer as expressions over the library form's (s: suffix -> expr). */
function toTorch(layer, lib, s) {
  const { type, f } = layer;
  const fam = family(type);
  if (has(RENAMES, fam)) {
    const out = {};
    for (const [name, torch] of Object.entries(RENAMES[fam][lib])) if (has(s, name)) out[torch] = s[name];
    if (fam === 'batch_norm') out.num_batches_tracked = zero([]);
    return out;
  }
  if (type === 'linear') return withBias({ weight: swap(s.kernel) }, s);
  if (isConvType(type)) return withBias({ weight: convToTorch(layer, lib, s.kernel) }, s);
  if (type === 'prelu') return { weight: reshape(lib === 'keras' ? s.alpha : s.negative_slope, [f.num_parameters]) };
  if (has(GATE_COUNT, type)) return recurrentToTorch(layer, lib, s);
  return attentionToTorch(layer, lib, s);
}

/** The library form's parameters of a layer as expressions over torch's (t: suffix -> expr). */
function fromTorch(layer, lib, t) {
  const { type } = layer;
  const fam = family(type);
  if (has(RENAMES, fam)) {
    const out = {};
    for (const [name, torch] of Object.entries(RENAMES[fam][lib])) if (has(t, torch)) out[name] = t[torch];
    return out;
  }
  if (type === 'linear') return withBias({ kernel: swap(t.weight) }, t);
  if (isConvType(type)) return withBias({ kernel: convFromTorch(layer, lib, t.weight) }, t);
  if (type === 'prelu') return lib === 'keras' ? { alpha: t.weight } : { negative_slope: reshape(t.weight, []) };
  if (has(GATE_COUNT, type)) return recurrentFromTorch(layer, lib, t);
  return attentionFromTorch(layer, lib, t);
}

function convToTorch(layer, lib, kernel) {
  const d = spatial(layer.type);
  const sp = range(0, d);
  if (lib === 'keras' && kerasDepthwise(layer)) {
    // (*k, in, multiplier) -> (in, multiplier, *k) -> (out = in * multiplier, 1, *k)
    return reshape(transpose(kernel, [d, d + 1, ...sp]), [layer.f.out_channels, 1, ...layer.f.kernel]);
  }
  if (isTransposed(layer.type)) {
    if (lib === 'keras') return transpose(kernel, [d + 1, d, ...sp]); // (*k, out, in) -> (in, out, *k)
    // Flax (*k, in, out), applied without torch's spatial flip -> (in, out, *k) flipped
    return flip(transpose(kernel, [d, d + 1, ...sp]), range(2, d + 2));
  }
  return transpose(kernel, [d + 1, d, ...sp]); // (*k, in/g, out) -> (out, in/g, *k)
}

function convFromTorch(layer, lib, weight) {
  const d = spatial(layer.type);
  const ax = range(2, d + 2);
  if (lib === 'keras' && kerasDepthwise(layer)) {
    const { in_channels: groups, out_channels: out, kernel } = layer.f;
    // (out, 1, *k) -> (in, multiplier, *k) -> (*k, in, multiplier)
    return transpose(reshape(weight, [groups, out / groups, ...kernel]), [...ax, 0, 1]);
  }
  if (isTransposed(layer.type)) {
    if (lib === 'keras') return transpose(weight, [...ax, 1, 0]); // (in, out, *k) -> (*k, out, in)
    return transpose(flip(weight, ax), [...ax, 0, 1]); // Flax (*k, in, out), flipped
  }
  return transpose(weight, [...ax, 1, 0]); // (out, in/g, *k) -> (*k, in/g, out)
}

function recurrentToTorch(layer, lib, s) {
  const { type } = layer;
  const h = layer.f.hidden_size;
  const out = {};
  if (lib === 'keras') {
    let kernels = [swap(s.kernel), swap(s.recurrent_kernel)]; // (g*h, in), (g*h, h)
    const reorder = (x) => concat(GRU_KERAS_ORDER.map((q) => gates(x, 3)[q]), 0); // Keras (z, r, n) -> torch (r, z, n)
    if (type === 'gru') kernels = kernels.map(reorder);
    [out.weight_ih_l0, out.weight_hh_l0] = kernels;
    if (has(s, 'bias')) {
      if (type === 'gru') { // (2, 3h): row 0 the input biases, row 1 the recurrent ones
        [out.bias_ih_l0, out.bias_hh_l0] = [0, 1].map((r) => reorder(reshape(take(s.bias, 0, r, r + 1), [3 * h])));
      } else { // one bias, on the input side
        out.bias_ih_l0 = s.bias;
        out.bias_hh_l0 = zero([GATE_COUNT[type] * h]);
      }
    }
    return out;
  }
  if (type === 'rnn') { // SimpleCell: i (with bias), h (without)
    return { weight_ih_l0: swap(s['i.kernel']), weight_hh_l0: swap(s['h.kernel']), bias_ih_l0: s['i.bias'], bias_hh_l0: zero([h]) };
  }
  const names = FLAX_GATES[type];
  const bias = (side, q) => (has(s, `${side}${q}.bias`) ? s[`${side}${q}.bias`] : zero([h]));
  return {
    weight_ih_l0: concat(names.map((q) => swap(s[`i${q}.kernel`])), 0),
    weight_hh_l0: concat(names.map((q) => swap(s[`h${q}.kernel`])), 0),
    bias_ih_l0: concat(names.map((q) => bias('i', q)), 0),
    bias_hh_l0: concat(names.map((q) => bias('h', q)), 0),
  };
}

function recurrentFromTorch(layer, lib, t) {
  const { type } = layer;
  const g = GATE_COUNT[type];
  const { weight_ih_l0: wIh, weight_hh_l0: wHh } = t;
  const hasBias = has(t, 'bias_ih_l0');
  const sum = 'bias_ih_l0 + bias_hh_l0';
  if (lib === 'keras') {
    if (type === 'gru') {
      const columns = (w) => concat(GRU_KERAS_ORDER.map((q) => swap(gates(w, 3)[q])), 1);
      const out = { kernel: columns(wIh), recurrent_kernel: columns(wHh) };
      if (hasBias) {
        const both = [t.bias_ih_l0, t.bias_hh_l0].map((b) => concat(GRU_KERAS_ORDER.map((q) => gates(b, 3)[q]), 0));
        out.bias = reshape(concat(both, 0), [2, g * layer.f.hidden_size]);
      }
      return out;
    }
    const out = { kernel: swap(wIh), recurrent_kernel: swap(wHh) };
    if (hasBias) out.bias = merge(t.bias_ih_l0, t.bias_hh_l0, sum);
    return out;
  }
  const { bias_ih_l0: bIh, bias_hh_l0: bHh } = t;
  if (type === 'rnn') return { 'i.kernel': swap(wIh), 'h.kernel': swap(wHh), 'i.bias': merge(bIh, bHh, sum) };
  const out = {};
  const [wi, wh, bi, bh] = [wIh, wHh, bIh, bHh].map((x) => gates(x, g));
  FLAX_GATES[type].forEach((q, j) => {
    out[`i${q}.kernel`] = swap(wi[j]);
    out[`h${q}.kernel`] = swap(wh[j]);
    const what = `gate ${q}: ${sum}`;
    if (type === 'lstm') { // LSTMCell: biases on the h side only
      out[`h${q}.bias`] = merge(bh[j], bi[j], what);
    } else if (q === 'n') { // GRUCell: in.bias outside the reset gate, hn.bias inside it, as torch
      out['in.bias'] = bi[j];
      out['hn.bias'] = bh[j];
    } else { // GRUCell r and z: biases on the i side only
      out[`i${q}.bias`] = merge(bi[j], bh[j], what);
    }
  });
  return out;
}

const attentionNames = (lib) => ['query', 'key', 'value', lib === 'keras' ? 'attention_output' : 'out'];

function attentionToTorch(layer, lib, s) {
  const { embed_dim: e, kdim, vdim } = layer.f;
  const [q, k, v, o] = attentionNames(lib);
  // (in, heads, head_dim) -> (in, E) -> (E, in): row a * head_dim + b is head a, feature b.
  const proj = [[q, e], [k, kdim], [v, vdim]].map(([n, w]) => swap(reshape(s[`${n}.kernel`], [w, e])));
  const out = {};
  if (kdim === e && vdim === e) out.in_proj_weight = concat(proj, 0);
  else [out.q_proj_weight, out.k_proj_weight, out.v_proj_weight] = proj;
  if (has(s, `${q}.bias`)) {
    out.in_proj_bias = concat([q, k, v].map((n) => reshape(s[`${n}.bias`], [e])), 0);
    out['out_proj.bias'] = s[`${o}.bias`];
  }
  out['out_proj.weight'] = swap(reshape(s[`${o}.kernel`], [e, e])); // (heads, head_dim, E) -> (E, E)^T
  return out;
}

function attentionFromTorch(layer, lib, t) {
  const { embed_dim: e, num_heads: heads, kdim, vdim } = layer.f;
  const head = e / heads;
  const [q, k, v, o] = attentionNames(lib);
  const weights = has(t, 'in_proj_weight') ? gates(t.in_proj_weight, 3) : [t.q_proj_weight, t.k_proj_weight, t.v_proj_weight];
  const out = {};
  [[q, e], [k, kdim], [v, vdim]].forEach(([n, width], j) => {
    out[`${n}.kernel`] = reshape(swap(weights[j]), [width, heads, head]);
  });
  if (has(t, 'in_proj_bias')) {
    gates(t.in_proj_bias, 3).forEach((b, j) => {
      out[`${[q, k, v][j]}.bias`] = reshape(b, [heads, head]);
    });
    out[`${o}.bias`] = t['out_proj.bias'];
  }
  out[`${o}.kernel`] = reshape(swap(t['out_proj.weight']), [heads, head, e]);
  return out;
}

/**
 * The target's parameters of a layer as expressions over its own (named by suffix), merges
 * resolved: [{suffix, shape, dtype, expr}] in the target's order, or null when the layer already
 * is in the target's form. layer: {type, f, convention}; own: [{suffix, shape}] in its convention;
 * wanted: the target convention's parameter list; isZeroSource(suffix): whether that own tensor
 * is the constant 0 by its scheme; refuseMerge(what) throws 18.3's refusal.
 */
export function exportLayer(layer, target, own, wanted, isZeroSource, refuseMerge) {
  const source = libraryOf(layer.convention);
  if (source === target) return null;
  const s = Object.fromEntries(own.map((p) => [p.suffix, src(p.suffix, p.shape)]));
  const torch = source === 'torch' ? s : toTorch(layer, source, s);
  const exprs = target === 'torch' ? torch : fromTorch(layer, target, torch);
  return wanted.map((p) => {
    const expr = resolveMerges(exprs[p.suffix], isZeroSource, refuseMerge);
    if (!sameShape(expr.shape, p.shape)) {
      throw new Error(`internal: ${layer.type} ${p.suffix} exports as [${expr.shape}], expected [${p.shape}]`);
    }
    return { suffix: p.suffix, shape: p.shape, dtype: p.dtype ?? null, expr };
  });
}

/** The suffixes of the own tensors an expression reads, each once, left to right. */
export const sourcesOf = (expr) => [...new Set(leaves(expr).filter((b) => b.op === 'src').map((b) => b.name))];

/** Whether the expression is one source in its own element order (renamed or reshaped): such
 * a tensor is its source's bytes and is generated as the source is. */
export const plainSource = (expr) => (expr.op === 'R' ? expr.x : expr).op === 'src';

// ---------------------------------------------------------------------------------------------
// Gathering (18.5): element e of an exported tensor, walked down to one source element or zero.

function strides(shape) {
  const out = new Array(shape.length);
  let s = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    out[k] = s;
    s *= shape[k];
  }
  return out;
}

/** A function from a flat index of x to [source suffix, flat index in it], or null for a zero.
 * Each node owns one scratch multi-index (a node is visited once per element). */
function compile(x) {
  if (x.op === 'src') return (e) => [x.name, e];
  if (x.op === 'zero') return () => null;
  if (x.op === 'R') return compile(x.x);
  const { shape } = x;
  const n = shape.length;
  const i = new Array(n);
  const unravel = (e) => {
    for (let k = n - 1; k >= 0; k--) {
      const q = Math.floor(e / shape[k]);
      i[k] = e - q * shape[k];
      e = q;
    }
  };
  if (x.op === 'C') {
    const parts = x.parts.map((p) => ({ at: compile(p), size: p.shape[x.axis], st: strides(p.shape) }));
    return (e) => {
      unravel(e);
      let offset = 0;
      for (const p of parts) {
        if (i[x.axis] < offset + p.size) {
          let j = 0;
          for (let k = 0; k < n; k++) j += (k === x.axis ? i[k] - offset : i[k]) * p.st[k];
          return p.at(j);
        }
        offset += p.size;
      }
      throw new Error('internal: concatenation index out of range');
    };
  }
  const inner = compile(x.x);
  const st = strides(x.x.shape);
  // The inner flat index of multi-index i: operand axis a reads index(a) of the result's.
  let coefficient; // result axis k's stride in the operand
  let offset = 0;
  let reversed = []; // result axes read backwards
  if (x.op === 'T') {
    coefficient = x.axes.map((a) => st[a]);
  } else if (x.op === 'S') {
    coefficient = st;
    offset = x.start * st[x.axis];
  } else { // F
    coefficient = st;
    reversed = x.axes;
  }
  const flipped = new Array(n).fill(false);
  for (const a of reversed) flipped[a] = true;
  return (e) => {
    unravel(e);
    let j = offset;
    for (let k = 0; k < n; k++) j += (flipped[k] ? shape[k] - 1 - i[k] : i[k]) * coefficient[k];
    return inner(j);
  };
}

/**
 * Gathering state of one exported tensor: expr over sources (suffix -> the source tensor's plan
 * entry); `shared` (one per layer) holds the source tensors' bytes while exported tensors that
 * read them are still to be written.
 */
export function gatherPlan(expr, sources, shared) {
  for (const name of sources.keys()) shared.readers.set(name, (shared.readers.get(name) ?? 0) + 1);
  return { at: compile(expr), sources, shared };
}

/** A fresh per-layer store of generated source tensors. */
export const sharedSources = () => ({ bytes: new Map(), readers: new Map() });

/** Elements per fill() call while a source tensor is generated. */
const SOURCE_CHUNK = 1 << 20;

function sourceBytes(g, name) {
  let bytes = g.shared.bytes.get(name);
  if (bytes === undefined) {
    // The whole source, encoded (its dtype's size per element), filled chunk by chunk so that
    // no binary64 copy of it is ever held.
    const t = g.sources.get(name);
    const size = DTYPES[t.dtype].size;
    bytes = new Uint8Array(t.numel * size);
    for (let start = 0; start < t.numel; start += SOURCE_CHUNK) {
      bytes.set(fill(t, start, Math.min(SOURCE_CHUNK, t.numel - start)), start * size);
    }
    g.shared.bytes.set(name, bytes);
  }
  return bytes;
}

/** Bytes of elements [start, start + count) of an exported tensor t (t.gather from gatherPlan). */
export function gatherRange(t, start, count) {
  const g = t.gather;
  const size = DTYPES[t.dtype].size;
  const out = new Uint8Array(count * size); // a zero element is all zero bytes in every dtype
  const bytes = new Map([...g.sources.keys()].map((name) => [name, sourceBytes(g, name)]));
  for (let e = 0; e < count; e++) {
    const hit = g.at(start + e);
    if (hit === null) continue;
    const from = bytes.get(hit[0]);
    const o = e * size;
    const s = hit[1] * size;
    for (let b = 0; b < size; b++) out[o + b] = from[s + b];
  }
  return out;
}

/** Called once an exported tensor is written: frees the sources no later tensor reads. */
export function gatherDone(t) {
  const { shared, sources } = t.gather;
  for (const name of sources.keys()) {
    const left = shared.readers.get(name) - 1;
    shared.readers.set(name, left);
    if (left === 0) shared.bytes.delete(name);
  }
}
