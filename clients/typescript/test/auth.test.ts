// The TypeScript SDK against a server with API keys (started by tests/clients/test_sdks.py).
// TENSORSEED_AUTH_URL: that server; TENSORSEED_API_KEY: one of its keys.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createClient, createRecipe, getRecipeWeights, type Recipe } from '../src/index.js';

const baseUrl = process.env.TENSORSEED_AUTH_URL;
const key = process.env.TENSORSEED_API_KEY;
if (!baseUrl || !key) throw new Error('set TENSORSEED_AUTH_URL and TENSORSEED_API_KEY');

const recipe: Recipe = { seed: 1, tensors: [{ name: 't', shape: [8], init: { scheme: 'normal' } }] };

test('without a key the server answers 401 with a typed error', async () => {
  const client = createClient({ baseUrl });
  const { error, response } = await createRecipe({ client, body: recipe });
  assert.equal(response?.status, 401);
  assert.equal(error?.error_type, 'unauthorized');
  assert.match(response?.headers.get('www-authenticate') ?? '', /^Bearer /);
});

test('with the key (the auth option) requests are served', async () => {
  const client = createClient({ baseUrl, auth: () => key });
  const { data, response } = await createRecipe({ client, body: recipe });
  assert.equal(response?.status, 200);
  assert.ok(data);
  const file = await getRecipeWeights({ client, path: { token: data.token }, parseAs: 'arrayBuffer' });
  assert.equal(file.response?.status, 200);
  assert.equal((file.data as unknown as ArrayBuffer).byteLength, data.size);
});
