// A floor for bench/proxy.bench.mjs: the least any relay that checks messages must do. It splits lines
// and JSON.parses each message in both directions, decides nothing, and writes the original bytes.
// The gap between this and the bare relay is what parsing alone costs in Node; the gap between the proxy
// and this is what mcp-guard's own checks cost.
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });

function lines(out) {
  let pending = [];
  return (chunk) => {
    let start = 0;
    let newline;
    while ((newline = chunk.indexOf(10, start)) !== -1) {
      pending.push(chunk.subarray(start, newline + 1));
      const line = pending.length === 1 ? pending[0] : Buffer.concat(pending);
      pending = [];
      const message = JSON.parse(line.toString('utf8'));
      if (message === null || typeof message !== 'object') throw new Error('not a JSON-RPC message');
      out.write(line);
      start = newline + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  };
}

process.stdin.on('data', lines(child.stdin));
process.stdin.on('end', () => child.stdin.end());
child.stdout.on('data', lines(process.stdout));
child.on('exit', (code) => process.exit(code ?? 1));
