#!/usr/bin/env node
// node ports/js/cli.mjs < recipe.json > out.safetensors
// node ports/js/cli.mjs --capabilities        what this port implements, as JSON
// node ports/js/cli.mjs --batch < lines.jsonl one recipe per line in; one JSON line out per recipe,
//                                             written before the next line is read:
//                                             {"ok":true,"size":N,"sha256":"..."} or {"ok":false,"error":"..."}
// Exit status: 0 on success, 2 for an invalid or unsupported recipe (message on stderr).

import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { JsonError, RecipeError, capabilities, generate } from './tensorseed.mjs';

class Utf8Error extends Error {}

function decodeUtf8(bytes) {
  // fatal: invalid UTF-8 is an error; ignoreBOM: keep a BOM so the JSON reader rejects it.
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (e) {
    throw new Utf8Error(`not UTF-8 (${e.message})`);
  }
}

const isBlank = (bytes) => bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0d);

function batchLine(bytes) {
  try {
    const line = decodeUtf8(bytes);
    const h = createHash('sha256');
    let size = 0;
    for (const c of generate(line)) {
      h.update(c);
      size += c.length;
    }
    return { ok: true, size, sha256: h.digest('hex') };
  } catch (e) {
    if (!(e instanceof RecipeError || e instanceof JsonError || e instanceof Utf8Error)) throw e;
    return { ok: false, error: e.message };
  }
}

async function writeAll(chunks) {
  for (const chunk of chunks) {
    if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
  }
}

async function main(argv) {
  if (argv[0] === '--capabilities') {
    process.stdout.write(JSON.stringify(capabilities()) + '\n');
    return 0;
  }
  if (argv[0] === '--batch') {
    // Line by line (split on \n only: a \r is JSON whitespace), answering each line before
    // reading the next, so a test can keep one process and talk to it recipe by recipe.
    let pending = Buffer.alloc(0);
    for await (const chunk of process.stdin) {
      pending = Buffer.concat([pending, chunk]);
      let nl;
      while ((nl = pending.indexOf(0x0a)) >= 0) {
        const line = pending.subarray(0, nl);
        pending = pending.subarray(nl + 1);
        if (!isBlank(line)) process.stdout.write(JSON.stringify(batchLine(line)) + '\n');
      }
    }
    return 0;
  }
  if (argv.length) {
    process.stderr.write('usage: node cli.mjs [--capabilities | --batch] < recipe.json > out.safetensors\n');
    return 2;
  }
  let chunks;
  try {
    chunks = generate(decodeUtf8(readFileSync(0))); // validation happens at the first next()
    const first = chunks.next();
    await writeAll([first.value]);
  } catch (e) {
    if (!(e instanceof RecipeError || e instanceof JsonError || e instanceof Utf8Error)) throw e;
    process.stderr.write(`tensorseed-js: invalid recipe: ${e.message}\n`);
    return 2;
  }
  await writeAll(chunks);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
