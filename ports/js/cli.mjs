#!/usr/bin/env node
// node ports/js/cli.mjs < recipe.json > out.safetensors
// node ports/js/cli.mjs --capabilities        what this port implements, as JSON
// node ports/js/cli.mjs --batch < lines.jsonl one recipe per line in; one JSON line out per recipe,
//                                             written before the next line is read:
//                                             {"ok":true,"size":N,"sha256":"..."} or {"ok":false,"error":"..."}
// Exit status: 0 on success, 2 for an invalid or unsupported recipe (message on stderr).

import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { JsonError, RecipeError, capabilities, generate } from './tensorseed.mjs';

function readStdin() {
  // fatal: invalid UTF-8 is an error; ignoreBOM: keep a BOM so the JSON reader rejects it.
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readFileSync(0));
}


function batchLine(line) {
  try {
    const h = createHash('sha256');
    let size = 0;
    for (const c of generate(line)) {
      h.update(c);
      size += c.length;
    }
    return { ok: true, size, sha256: h.digest('hex') };
  } catch (e) {
    if (!(e instanceof RecipeError || e instanceof JsonError)) throw e;
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
    // Line by line, answering each line before reading the next, so a test can keep one process
    // and talk to it recipe by recipe.
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
      if (!line.trim()) continue;
      process.stdout.write(JSON.stringify(batchLine(line)) + '\n');
    }
    return 0;
  }
  if (argv.length) {
    process.stderr.write('usage: node cli.mjs [--capabilities | --batch] < recipe.json > out.safetensors\n');
    return 2;
  }
  let text;
  try {
    text = readStdin();
  } catch (e) {
    process.stderr.write(`tensorseed-js: invalid recipe: not UTF-8 (${e.message})\n`);
    return 2;
  }
  let chunks;
  try {
    chunks = generate(text); // a generator: validation happens at the first next()
    const first = chunks.next();
    await writeAll([first.value]);
  } catch (e) {
    if (!(e instanceof RecipeError || e instanceof JsonError)) throw e;
    process.stderr.write(`tensorseed-js: invalid recipe: ${e.message}\n`);
    return 2;
  }
  await writeAll(chunks);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
