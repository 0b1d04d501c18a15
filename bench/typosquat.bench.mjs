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
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const { loadTyposquatIndex } = await import(`${root}/dist/supply/typosquat.js`);
  const index = loadTyposquatIndex();
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  let flagged = 0;
  for (const name of names) if (index.check(name)) flagged++;
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  // CPU time is reported beside wall time: on a shared machine the wall clock includes waiting for a core.
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const checkCpu = process.cpuUsage(c1);
  const checkCpuMs = (checkCpu.user + checkCpu.system) / 1000;
  process.stdout.write(JSON.stringify({ loadMs: t1 - t0, checkMs: t2 - t1, totalMs: t2 - t0, cpuMs, checkCpuMs, names: names.length, flagged, indexSize: index.size }));
} else {
  const runs = Number.parseInt(values.runs, 10);
  const results = [];
  for (let i = 0; i < runs; i++) {
    results.push(JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8' })));
  }
  const sorted = (k) => results.map((r) => r[k]).sort((a, b) => a - b);
  // The minimum is the run least disturbed by other work on the machine; the median is typical.
  const median = (k) => `${sorted(k)[Math.floor(results.length / 2)].toFixed(1)} ms (min ${sorted(k)[0].toFixed(1)})`;
  const first = results[0];
  console.log(`typosquat: ${first.names} names against ${first.indexSize} indexed names, ${first.flagged} flagged; ${runs} cold runs`);
  console.log(`  index load (import + read + build): median ${median('loadMs')}`);
  console.log(`  1,000 checks:                       median ${median('checkMs')}`);
  console.log(`  total wall:                         median ${median('totalMs')}  (design budget 200 ms)`);
  console.log(`  total CPU:                          median ${median('cpuMs')}, of which checks ${median('checkCpuMs')}`);
  console.log(`  machine load average (1 min):       ${(await import('node:os')).loadavg()[0].toFixed(2)} on ${(await import('node:os')).cpus().length} cores`);
}
