#!/usr/bin/env node
// Throughput of the JavaScript port, tensorseed-stream/1 against tensorseed-stream/2, in one run:
//
//   node scripts/bench_js.mjs [MiB per tensor, default 16] [repeats, default 3]
//
// For each sampler and dtype it generates one tensor of that many MiB (the whole file: header
// and data, chunk by chunk as the CLI does) under both versions and prints the best of the
// repeats in MB/s (10^6 bytes of output per CPU second) and the v2 / v1 ratio. Timings on a
// shared machine are noisy: compare the ratios of one run.

import { generate } from '../ports/js/tensorseed.mjs';

const mib = Number(process.argv[2] ?? 16);
const repeats = Number(process.argv[3] ?? 3);

const INITS = {
  uniform: { scheme: 'uniform', a: -0.1, b: 0.1 },
  normal: { scheme: 'normal', std: 0.02 },
  trunc_normal: { scheme: 'trunc_normal', std: 0.02, a: -0.04, b: 0.04 },
};
const SIZES = { float32: 4, bfloat16: 2, float64: 8 };

// CPU time of this process (user + system), not wall time: on a shared machine it is much less
// disturbed by the other processes.
function seconds(text) {
  let best = Infinity;
  let bytes = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.cpuUsage();
    bytes = 0;
    for (const chunk of generate(text)) bytes += chunk.length;
    const t = process.cpuUsage(t0);
    best = Math.min(best, (t.user + t.system) / 1e6);
  }
  return { best, bytes };
}

console.log(`tensorseed JavaScript port, ${mib} MiB per tensor, best of ${repeats} (Node ${process.version})`);
console.log('sampler        dtype      v1 MB/s   v2 MB/s   v2/v1');
for (const [name, init] of Object.entries(INITS)) {
  for (const [dtype, size] of Object.entries(SIZES)) {
    const numel = Math.floor((mib * 2 ** 20) / size);
    const mb = {};
    for (const spec of ['tensorseed-stream/1', 'tensorseed-stream/2']) {
      const recipe = { seed: 1, spec, dtype, tensors: [{ name: 'w', shape: [numel], init }] };
      const { best, bytes } = seconds(JSON.stringify(recipe));
      mb[spec] = bytes / best / 1e6;
    }
    const v1 = mb['tensorseed-stream/1'];
    const v2 = mb['tensorseed-stream/2'];
    console.log(`${name.padEnd(14)} ${dtype.padEnd(9)} ${v1.toFixed(1).padStart(8)}  ${v2.toFixed(1).padStart(8)}  ${(v2 / v1).toFixed(2).padStart(6)}`);
  }
}
