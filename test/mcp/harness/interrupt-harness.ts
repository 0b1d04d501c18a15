// Run by processes.test.ts in its own process (via vite-node): lists a server that never answers,
// with interrupt cleanup installed, so the test can send SIGINT/SIGTERM and check what is left behind.
// argv: <server script> [args…]; env is passed through to the server.
import { installInterruptCleanup } from '../../../src/mcp/child-process.js';
import { listServer } from '../../../src/mcp/list-server.js';

// vite-node's dev server installs its own SIGTERM handler that exits at once; the CLI process this
// harness stands in for has none, so remove it and let ours do the work.
for (const listener of process.listeners('SIGTERM')) process.off('SIGTERM', listener);
installInterruptCleanup();
const [script, ...args] = process.argv.slice(2);
if (!script) throw new Error('usage: interrupt-harness <server script> [args…]');
await listServer(
  { name: 'harnessed', transport: 'stdio', command: process.execPath, args: [script, ...args], sources: [] },
  { timeoutMs: 120_000 },
);
process.stdout.write('listing finished without an interrupt\n');
