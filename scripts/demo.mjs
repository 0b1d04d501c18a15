// `npm run demo`: lock the bundled demo servers, then scan them against that lock.
// The demo config holds one poisoned server on purpose, so `lock` refuses to pin it and `scan` exits 1;
// this script reports those exit codes and fails only when something else happens.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = 'fixtures/configs/demo/.mcp.json';
const lock = '.tmp/demo/mcp.lock';
rmSync(`${root}/.tmp/demo`, { recursive: true, force: true });
mkdirSync(`${root}/.tmp/demo`, { recursive: true });

function step(title, args) {
  console.log(`\n$ mcp-guard ${args.join(' ')}    # ${title}\n`);
  const result = spawnSync(process.execPath, ['bin/mcp-guard.js', ...args], { cwd: root, stdio: 'inherit' });
  return result.status ?? 128;
}

const lockCode = step('pin what the demo servers expose', ['lock', '--config', config, '--lock', lock, '--offline']);
const scanCode = step('scan them against the lock', ['scan', '--config', config, '--lock', lock, '--offline']);
console.log(`\nlock exited ${lockCode}, scan exited ${scanCode} (1 = findings: the demo's "weather" server is poisoned on purpose).`);
console.log(`The lock is at ${lock}.`);
process.exitCode = lockCode === 1 && scanCode === 1 ? 0 : 1;
