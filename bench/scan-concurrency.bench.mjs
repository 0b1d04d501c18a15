// Scan wall-clock: 20 servers vs the slowest one alone (design §7: < 1.5×), measured in the same run.
// Three scenarios, each "20 servers" vs "the slowest one alone":
//   io-bound  — 19 light servers (plain node, no SDK) + one that takes SLOW_MS to initialize (a server
//               waiting on the network or a cold cache): what the scanner's own concurrency costs;
//   sdk-mixed — the same with 19 SDK-based servers (each ~0.3 s of start-up CPU);
//   cpu-bound — 20 SDK-based servers vs one: every start is CPU, so on 2 cores this measures the
//               machine's cores more than the scanner.
// Prints numbers; asserts nothing. Run after `npm run build`: node bench/scan-concurrency.bench.mjs [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 3);
const SLOW_MS = 2000;
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'mcp-guard.js');
const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-bench-'));
const server = (file, env) => ({ command: process.execPath, args: [join(root, 'fixtures/servers', file)], ...(env ? { env } : {}) });

function config(name, servers) {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ mcpServers: servers }));
  return path;
}

function scan(path) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, 'scan', '--config', path, '--offline', '--lock', join(dir, 'none.lock'), '--format', 'json'], {
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const report = JSON.parse(result.stdout);
  if (report.summary.serversListed !== report.summary.servers) throw new Error(`not every server listed: ${result.stdout}`);
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const slow = server('slow.mjs', { SLOW_INIT_MS: String(SLOW_MS) });
const quick = server('benign.mjs');
const light = server('proxy/raw-server.mjs');
const many = (count, entry, prefix) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}-${i}`, entry]));
const scenarios = {
  'io-bound': [config('slowest', { slow }), config('io-20', { slow, ...many(19, light, 'light') })],
  'sdk-mixed': [config('slowest-again', { slow }), config('mixed-20', { slow, ...many(19, quick, 'quick') })],
  'cpu-bound': [config('one', { quick }), config('cpu-20', many(20, quick, 'quick'))],
};

for (const [name, [single, twenty]] of Object.entries(scenarios)) {
  const one = [];
  const many = [];
  for (let i = 0; i < runs; i++) {
    one.push(scan(single));
    many.push(scan(twenty));
  }
  const a = median(one);
  const b = median(many);
  console.log(`${name.padEnd(10)} slowest alone ${a.toFixed(0).padStart(6)} ms   20 servers ${b.toFixed(0).padStart(6)} ms   ratio ${(b / a).toFixed(2)}×`);
}
