// Run by concurrency.test.ts in its own process (via vite-node): appends COUNT records to FILE,
// flushing after each so the writers contend for the lock as often as possible.
import { existsSync } from 'node:fs';
import { AuditLog } from '../../../src/audit/audit-log.js';

const [file, stateDir, keyHex, count, label, goFile] = process.argv.slice(2) as [string, string, string, string, string, string];
const log = new AuditLog({ file, stateDir, key: Buffer.from(keyHex, 'hex') });
process.stdout.write('ready\n');
// Wait for the go file so every writer starts together (vite-node start-up times vary).
while (!existsSync(goFile)) await new Promise((resolve) => setTimeout(resolve, 5));
for (let i = 0; i < Number(count); i++) {
  log.record({ server: label, tool: `tool_${i}`, decision: 'allow', arguments: { i } });
  await log.flush();
}
await log.close();
process.stdout.write('done\n');
