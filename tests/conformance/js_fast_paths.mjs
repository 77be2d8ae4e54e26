// The JavaScript port's batch fast paths of tensorseed-stream/2 against its readable
// definitions (ports/js/binary32.mjs central/normal32, ports/js/stream.mjs truncNormal32), bit
// for bit. Run by tests/conformance/test_js_v2.py; prints one JSON line of counts, exits 1 on
// the first difference.

import { BATCH, bits32, central, centralBatch, normal32, normal32Batch } from '../../ports/js/binary32.mjs';
import { parseJson } from '../../ports/js/json.mjs';
import { buildPlan } from '../../ports/js/recipe.mjs';
import { fill, streamWords, truncNormal32 } from '../../ports/js/stream.mjs';

const counts = {};
function fail(what) {
  console.error(`fast path differs: ${what}`);
  process.exit(1);
}
const same = (a, b) => Object.is(a, b);

// 1. centralBatch on every input Normal32 gives it: c = u + u for every k >= 2^23.
{
  const c = new Float64Array(BATCH);
  const t = new Float64Array(BATCH);
  let n = 0;
  let checked = 0;
  const flush = () => {
    centralBatch(c, n, t);
    for (let i = 0; i < n; i++) if (!same(t[i], central(c[i]))) fail(`central(${c[i]})`);
    checked += n;
    n = 0;
  };
  for (let m = 1 << 15; m < 1 << 23; m++) {
    c[n++] = 2 * ((2 * m + 1) * 2 ** -25);
    if (n === BATCH) flush();
  }
  // and odd batch lengths (the four-at-a-time loop's remainder)
  for (const len of [1, 2, 3, 5, 7]) {
    for (let i = 0; i < len; i++) c[n++] = Math.fround(2 ** -8 + i / 8);
    flush();
  }
  counts.central = checked;
}

// 2. normal32Batch against normal32: every tail word (k < 2^23, both signs) and a stride of the
// central ones, in batches of every length up to 9 and of BATCH.
{
  const words = new Uint32Array(BATCH);
  const z = new Float64Array(BATCH);
  let checked = 0;
  let len = 1;
  let n = 0;
  const flush = () => {
    normal32Batch(words, 0, n, z);
    for (let i = 0; i < n; i++) if (!same(z[i], normal32(words[i]))) fail(`normal32(${words[i].toString(16)})`);
    checked += n;
    n = 0;
    len = len < 9 ? len + 1 : BATCH;
  };
  const push = (w) => {
    words[n++] = w >>> 0;
    if (n === len) flush();
  };
  for (let k = 0; k < 1 << 23; k++) push(k % 2 ? k : k | 0x80000000);
  for (let k = 1 << 23; k < 2 ** 31; k += 977) push(k % 2 ? k : k | 0x80000000);
  for (const w of [0x007fffff, 0x00800000, 0x807fffff, 0x80800000, 0x7fffffff, 0xffffffff, 0, 0x80000000]) push(w);
  if (n) flush();
  counts.normal32 = checked;
}

// 3. TruncNormal32 through fill (batches) against truncNormal32 word by word, for intervals of
// every kind: around 0, one-sided both ways, far tails, bounds whose Phi underflows binary32.
{
  const intervals = [[-2, 2], [-1, 6], [-6, 1], [5, 6], [-6, -5], [8, 30], [-30, -8], [14, 15], [30, 37],
    [-37, -30], [0, 1e-6], [-1e-6, 0], [-100, 100], [0.5, 0.75], [-0.01, 3]];
  const inits = intervals.map(([a, b]) => `{"scheme": "truncated_normal", "mean": 0.25, "std": 3, "a": ${a}, "b": ${b}}`);
  // Signed zeros at the clamps: low = -0 (L = -0) where x = M + S * z is +0 (max(+0, -0) = +0).
  inits.push('{"scheme": "trunc_normal", "mean": 0, "std": 1, "a": -0.0, "b": 1e-15}');
  inits.push('{"scheme": "trunc_normal", "mean": 0, "std": 1, "a": -1e-15, "b": -0.0}');
  let checked = 0;
  for (const init of inits) {
    const text = `{"seed": 99, "tensors": [{"name": "t", "shape": [5000], "init": ${init}}]}`;
    const t = buildPlan(parseJson(text)).tensors[0];
    if (t.sampler.kind !== 'trunc_normal32') fail(`sampler ${t.sampler.kind}`);
    const words = streamWords(t.key, 0, t.numel);
    const got = new Uint32Array(fill(t, 0, t.numel).slice().buffer);
    for (let i = 0; i < t.numel; i++) {
      if (got[i] !== bits32(truncNormal32(t.sampler, words[i]))) fail(`truncNormal32 ${init} element ${i}`);
    }
    checked += t.numel;
  }
  counts.trunc_normal32 = checked;
}

console.log(JSON.stringify(counts));
