// Run by concurrency.test.ts in its own process (via vite-node): appends COUNT records to FILE,
// flushing after each so the writers contend for the lock as often as possible. Halfway through it
// waits until the file holds a record of OTHER, so the two writers' records interleave however the
// scheduler runs them (on a loaded machine one writer could otherwise finish before the other starts).
import { existsSync, readFileSync } from 'node:fs';
import { AuditLog } from '../../../src/audit/audit-log.js';

const [file, stateDir, keyHex, count, label, goFile, other] = process.argv.slice(2) as [string, string, string, string, string, string, string];
const log = new AuditLog({ file, stateDir, key: Buffer.from(keyHex, 'hex') });
process.stdout.write('ready\n');
// Wait for the go file so every writer starts together (vite-node start-up times vary).
while (!existsSync(goFile)) await new Promise((resolve) => setTimeout(resolve, 5));
const half = Math.floor(Number(count) / 2);
for (let i = 0; i < Number(count); i++) {
  if (i === half) {
    const deadline = Date.now() + 60_000;
    while (!readFileSync(file, 'utf8').includes(`"server":"${other}"`)) {
      if (Date.now() > deadline) throw new Error(`${label}: no record of ${other} appeared within a minute`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  log.record({ server: label, tool: `tool_${i}`, decision: 'allow', arguments: { i } });
  await log.flush();
}
await log.close();
process.stdout.write('done\n');
