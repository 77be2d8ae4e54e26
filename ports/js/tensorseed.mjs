// tensorseed JavaScript port: the public entry point. Browser-safe (no Node APIs).
//
//   import { generate } from './tensorseed.mjs';
//   for (const chunk of generate(recipeJsonText)) { ... }   // the safetensors file, in chunks

import { parseJson } from './json.mjs';
import { LAYERS, SCHEMES, TOLERANCE_SCHEMES, buildPlan } from './recipe.mjs';
import { fileChunks } from './safetensors.mjs';
import { SPEC_VERSION, SPEC_VERSIONS } from './stream.mjs';

export { JsonError, canonicalJson, parseJson } from './json.mjs';
export { RecipeError, buildPlan } from './recipe.mjs';
export { fileChunks, headerBytes } from './safetensors.mjs';
export { SPEC_V1, SPEC_V2, SPEC_VERSION, SPEC_VERSIONS, fill, philox, streamKey } from './stream.mjs';
export { sha256, toHex } from './sha256.mjs';

/** Validates the recipe (JSON text) at once, then yields the safetensors file in chunks. */
export function generate(recipeText, chunkBytes) {
  return fileChunks(buildPlan(parseJson(recipeText)), chunkBytes);
}

/** What this port implements, for the conformance suite's coverage check. */
export function capabilities() {
  return {
    port: 'js',
    // The version a recipe without "spec" means, and every version the port implements (a
    // recipe's "spec" picks one, docs/stream-spec.md 13.1).
    spec_version: SPEC_VERSION,
    spec_versions: SPEC_VERSIONS,
    schemes: Object.keys(SCHEMES),
    refuses: { schemes: TOLERANCE_SCHEMES, fields: ['rng (other than "portable")', 'model'] },
    layers: Object.keys(LAYERS),
    dtypes: ['float32', 'float64', 'float16', 'bfloat16'],
    // Export layouts (section 18): the targets this port writes for every layer type.
    exports: ['torch', 'keras', 'flax'],
  };
}
