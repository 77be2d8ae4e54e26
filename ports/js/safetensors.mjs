// The safetensors file of a plan (docs/stream-spec.md section 10), produced chunk by chunk so
// that memory stays proportional to a chunk, not to the file.

import { gatherDone, gatherRange } from './export.mjs';
import { canonicalJson } from './json.mjs';
import { DTYPES, fill } from './stream.mjs';

/** The file's first bytes: 8-byte header length, then the space-padded canonical header. */
export function headerBytes(plan) {
  const header = new Map();
  let offset = 0;
  for (const t of plan.tensors) {
    const size = t.numel * DTYPES[t.dtype].size;
    header.set(t.name, { data_offsets: [offset, offset + size], dtype: DTYPES[t.dtype].st, shape: t.shape });
    offset += size;
  }
  header.set('__metadata__', {
    format: 'pt',
    'tensorseed.recipe': canonicalJson(plan.canonicalRecipe),
    'tensorseed.spec': plan.spec,
  });
  const json = new TextEncoder().encode(canonicalJson(header));
  const n = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + n).fill(0x20, 8);
  new DataView(out.buffer).setUint32(0, n, true); // headers are far below 2^32 bytes
  out.set(json, 8);
  return out;
}

/** Yields the whole file as Uint8Array chunks of at most about chunkBytes of tensor data. */
export function* fileChunks(plan, chunkBytes = 1 << 22) {
  yield headerBytes(plan);
  for (const t of plan.tensors) {
    const per = Math.max(1, Math.floor(chunkBytes / DTYPES[t.dtype].size));
    for (let start = 0; start < t.numel; start += per) {
      const count = Math.min(per, t.numel - start);
      // An exported tensor that reorders its sources gathers their elements (section 18).
      yield t.gather ? gatherRange(t, start, count) : fill(t, start, count);
    }
    if (t.gather) gatherDone(t);
  }
}
