// Cold-process cost of reading mcp.lock (what `mcp-guard proxy` pays at start, design §7: < 60 ms
// over the bare server) against a bare `node -e ''` measured in the same run, interleaved so both see
// the same machine load. Prints numbers; asserts nothing.
//
//   npm run build && node bench/lock-read.bench.mjs [runs] [root ...]
//
// Each root is a directory holding dist/lock/lock-file.js (default: this checkout), so a build of an
// older commit can be compared side by side, e.g. `git archive <rev> src mcp-lock.schema.json
// tsconfig.json package.json | tar -x -C /tmp/old`, link node_modules, `tsc -p /tmp/old`.
// MCP_GUARD_BENCH_LOCK picks the lock read (default: the recorded reference-servers lock).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const runs = Number(process.argv[2] ?? 21);
const roots = process.argv.length > 3 ? process.argv.slice(3).map((root) => resolve(root)) : [fileURLToPath(new URL('..', import.meta.url))];
const lockPath = resolve(process.env.MCP_GUARD_BENCH_LOCK ?? fileURLToPath(new URL('../fixtures/locks/reference-servers.mcp.lock', import.meta.url)));

// The child reports its own split (module graph import vs readLock) and how many CommonJS modules it
// loaded (ajv's among them): none is needed to read a valid lock.
function childScript(root) {
  const module = pathToFileURL(resolve(root, 'dist/lock/lock-file.js')).href;
  return `
const t0 = performance.now();
import(${JSON.stringify(module)}).then(async (m) => {
  const t1 = performance.now();
  const lock = await m.readLock(${JSON.stringify(lockPath)});
  const t2 = performance.now();
  if (!lock) throw new Error('no lock at ${lockPath.replace(/[\\'"]/g, '')}');
  const cjs = Object.keys(require('node:module')._cache);
  const ajv = cjs.filter((k) => /[\\\\/]node_modules[\\\\/]ajv[\\\\/]/.test(k)).length;
  console.log(JSON.stringify({ importMs: t1 - t0, readMs: t2 - t1, ajv, cjs: cjs.length }));
});`;
}

function spawnTimed(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return { wallMs, report: result.stdout.trim() ? JSON.parse(result.stdout) : undefined };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const bare = [];
const samples = roots.map(() => []);
for (let i = 0; i < runs; i++) {
  bare.push(spawnTimed(['-e', '']).wallMs);
  roots.forEach((root, r) => samples[r].push(spawnTimed(['-e', childScript(root)])));
}

const b = median(bare);
console.log(`lock: ${lockPath}`);
console.log(`runs: ${runs} per variant, medians`);
console.log(`node -e '' (baseline)   ${b.toFixed(1)} ms`);
roots.forEach((root, r) => {
  const wall = median(samples[r].map((s) => s.wallMs));
  const imp = median(samples[r].map((s) => s.report.importMs));
  const read = median(samples[r].map((s) => s.report.readMs));
  const { ajv, cjs } = samples[r][0].report;
  console.log(`${root}`);
  console.log(`  cold readLock          ${wall.toFixed(1)} ms  (+${(wall - b).toFixed(1)} ms over baseline)`);
  console.log(`  in child: import ${imp.toFixed(1)} ms, readLock ${read.toFixed(1)} ms; CommonJS modules loaded: ${cjs} (ajv: ${ajv})`);
});
