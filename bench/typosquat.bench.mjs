#!/usr/bin/env node
// Typosquat check budget (design §7): load the index from rules/data and check 1,000 names against
// the 50,000 popular names, in a fresh process so the load is cold. Prints numbers; asserts nothing.
//
//   npm run build && node bench/typosquat.bench.mjs [--runs 5]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, child: { type: 'boolean', default: false } } });
const root = fileURLToPath(new URL('..', import.meta.url));

/** 1,000 query names: real popular names, real names outside the list, and hand-made near misses. */
function queries() {
  const lines = readFileSync(`${root}/rules/data/popular-npm.txt`, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  const names = lines.map((l) => l.slice(0, l.indexOf('\t')));
  const out = [];
  for (let i = 0; out.length < 400; i += 97) out.push(names[i % names.length]);
  for (let i = 0; out.length < 700; i += 131) {
    const n = names[i % names.length];
    out.push(`${n.slice(0, 2)}${n[3] ?? ''}${n[2] ?? ''}${n.slice(4)}`); // transposition
  }
  for (let i = 0; out.length < 850; i += 59) out.push(`${names[i % names.length]}-mcp-server`);
  for (let i = 0; out.length < 1000; i += 211) out.push(names[i % names.length].replace(/o/g, '0').replace(/-/g, ''));
  return out;
}

if (values.child) {
  const names = queries();
  const t0 = performance.now();
  const { loadTyposquatIndex } = await import(`${root}/dist/supply/typosquat.js`);
  const index = loadTyposquatIndex();
  const t1 = performance.now();
  let flagged = 0;
  for (const name of names) if (index.check(name)) flagged++;
  const t2 = performance.now();
  process.stdout.write(JSON.stringify({ loadMs: t1 - t0, checkMs: t2 - t1, totalMs: t2 - t0, names: names.length, flagged, indexSize: index.size }));
} else {
  const runs = Number.parseInt(values.runs, 10);
  const results = [];
  for (let i = 0; i < runs; i++) {
    results.push(JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8' })));
  }
  const median = (k) => results.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
  const first = results[0];
  console.log(`typosquat: ${first.names} names against ${first.indexSize} indexed names, ${first.flagged} flagged; ${runs} cold runs`);
  console.log(`  index load (import + read + build): median ${median('loadMs').toFixed(1)} ms`);
  console.log(`  1,000 checks:                       median ${median('checkMs').toFixed(1)} ms`);
  console.log(`  total:                              median ${median('totalMs').toFixed(1)} ms  (design budget 200 ms)`);
}
