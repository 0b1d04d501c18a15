// `mcp-guard --version` cold start vs a bare `node -e ""` measured in the same run (design §7: < 120 ms).
// Prints numbers; asserts nothing. Run after `npm run build`: node bench/cli-start.bench.mjs [runs]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 20);
const bin = fileURLToPath(new URL('../bin/mcp-guard.js', import.meta.url));

function time(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const bare = [];
const cli = [];
// Interleave so both see the same machine load.
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', '']));
  cli.push(time([bin, '--version']));
}
const b = median(bare);
const c = median(cli);
console.log(`node -e "" (baseline)      median ${b.toFixed(1)} ms`);
console.log(`mcp-guard --version         median ${c.toFixed(1)} ms  (${(c / b).toFixed(2)}× baseline, +${(c - b).toFixed(1)} ms)`);
