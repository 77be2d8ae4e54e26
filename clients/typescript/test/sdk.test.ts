// The generated TypeScript SDK against a live server (started by tests/clients/test_sdks.py).
// TENSORSEED_URL: a server with one job slot and no queue, so a held download makes it busy.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';

import {
  createClient,
  createRecipe,
  getRecipeStats,
  getRecipeWeights,
  type ErrorBody,
  type Recipe,
  type RecipeResource,
} from '../src/index.js';

const baseUrl = process.env.TENSORSEED_URL;
if (!baseUrl) throw new Error('set TENSORSEED_URL to a running tensorseed server');
const client = createClient({ baseUrl });

// JavaScript numbers are doubles: the seed goes as a decimal string.
const recipe: Recipe = {
  seed: '18446744073709551615',
  dtype: 'float16',
  layers: [{ type: 'linear', name: 'fc', in_features: 300, out_features: 200 }],
  tensors: [{ name: 'scale', shape: [64], init: { scheme: 'constant', value: 0.5 } }],
};
// 64 MiB of ones: cheap for the server, far larger than any socket buffer.
const large: Recipe = { seed: 1, tensors: [{ name: 'big', shape: [16, 1024, 1024], init: { scheme: 'ones' } }] };

async function create(r: Recipe): Promise<RecipeResource> {
  const { data, error, response } = await createRecipe({ client, body: r });
  assert.equal(response?.status, 200, JSON.stringify(error));
  assert.ok(data);
  return data;
}

/** sha256 of each tensor, computed from a streamed download without holding the file. */
async function streamedTensorDigests(info: RecipeResource): Promise<Map<string, string>> {
  const { data, response } = await getRecipeWeights({ client, path: { token: info.token }, parseAs: 'stream' });
  assert.equal(response?.status, 200);
  assert.equal(response?.headers.get('etag'), info.etag);
  const stream = data as unknown as ReadableStream<Uint8Array>;
  const digests = new Map<string, string>();
  const order = [...info.tensors].sort((a, b) => a.begin - b.begin);
  let pos = 0;
  let current = 0;
  let hash = createHash('sha256');
  let chunks = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    chunks += 1;
    let offset = 0;
    while (offset < chunk.length) {
      const t = order[current];
      if (t === undefined) throw new Error('more bytes than the file size');
      if (pos < t.begin) {  // header bytes
        const skip = Math.min(t.begin - pos, chunk.length - offset);
        offset += skip; pos += skip;
        continue;
      }
      const take = Math.min(t.end - pos, chunk.length - offset);
      hash.update(chunk.subarray(offset, offset + take));
      offset += take; pos += take;
      if (pos === t.end) {
        digests.set(t.name, hash.digest('hex'));
        hash = createHash('sha256');
        current += 1;
      }
    }
  }
  assert.equal(pos, info.size);
  assert.ok(chunks > 1, 'the body arrived in one piece: it was buffered, not streamed');
  return digests;
}

test('create a recipe, then stats and a streamed download agree', async () => {
  const info = await create(recipe);
  assert.equal(info.spec_version, 'tensorseed-stream/2');
  assert.match(info.etag, /^"[0-9a-f]{32}"$/);
  assert.deepEqual(info.tensors.map((t) => t.name), ['fc.bias', 'fc.weight', 'scale']);
  const stats = await getRecipeStats({ client, path: { token: info.token }, query: { bins: 4 } });
  assert.equal(stats.response?.status, 200);
  assert.ok(stats.data);
  assert.equal(stats.data.seed, '18446744073709551615');
  const digests = await streamedTensorDigests(info);
  for (const t of stats.data.tensors) assert.equal(digests.get(t.name), t.sha256, t.name);
});

test('a byte range through the SDK', async () => {
  const info = await create(recipe);
  const { data, response } = await getRecipeWeights({
    client, path: { token: info.token }, headers: { Range: 'bytes=0-7' }, parseAs: 'arrayBuffer',
  });
  assert.equal(response?.status, 206);
  assert.equal(response?.headers.get('content-range'), `bytes 0-7/${info.size}`);
  const length = new DataView(data as unknown as ArrayBuffer).getBigUint64(0, true);
  assert.equal(Number(length) + 8, info.header_size);
});

test('an invalid recipe is a typed 422 error', async () => {
  const bad = { seed: 1, tensors: [{ name: 't', shape: [0], init: { scheme: 'ones' } }] } as Recipe;
  const { data, error, response } = await createRecipe({ client, body: bad });
  assert.equal(response?.status, 422);
  assert.equal(data, undefined);
  const body: ErrorBody | undefined = error;
  assert.equal(body?.error_type, 'validation_error');
  assert.match(body?.error ?? '', /tensors\.0\.shape\.0/);
  await assert.rejects(createRecipe({ client, body: bad, throwOnError: true }), (e: ErrorBody) => {
    assert.equal(e.error_type, 'validation_error');
    return true;
  });
});

test('a busy server is a typed 429 error with Retry-After', async () => {
  const info = await create(recipe);
  const big = await create(large);
  const holder = new AbortController();
  const held = await getRecipeWeights({
    client, path: { token: big.token }, parseAs: 'stream', signal: holder.signal,
  });
  assert.equal(held.response?.status, 200);
  try {
    const { error, response } = await getRecipeStats({ client, path: { token: info.token } });
    assert.equal(response?.status, 429);
    assert.equal(error?.error_type, 'over_capacity');
    assert.ok(Number(response?.headers.get('retry-after')) >= 1);
  } finally {
    holder.abort();
  }
});
