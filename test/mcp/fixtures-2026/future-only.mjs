// future-only.mjs — a stdio server that speaks only a protocol revision newer than any the lister
// knows. Plain JSON-RPC over stdio, no SDK.
// Env:
//   FUTURE_MODE  refuse-all (default): every request gets -32022 naming only "2027-01-01".
//                discover-elsewhere: initialize gets -32022 without a supported list; server/discover
//                answers, with supportedVersions ["2027-01-01"].
//   FUTURE_SECRET  written to stderr at start, so a test can check that error messages mask it.
import { createInterface } from 'node:readline';

const mode = process.env.FUTURE_MODE || 'refuse-all';
if (process.env.FUTURE_SECRET) process.stderr.write(`future-only: using key ${process.env.FUTURE_SECRET}\n`);
const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    return;
  }
  if (!('id' in request) || typeof request.method !== 'string') return;
  const requested = request.params?._meta?.['io.modelcontextprotocol/protocolVersion'] ?? request.params?.protocolVersion;
  if (mode === 'discover-elsewhere' && request.method === 'server/discover') {
    send({ id: request.id, result: { supportedVersions: ['2027-01-01'], capabilities: { tools: {} } } });
    return;
  }
  const data = mode === 'discover-elsewhere' ? undefined : { supported: ['2027-01-01'], requested };
  send({ id: request.id, error: { code: -32022, message: `Unsupported protocol version: ${requested}`, ...(data ? { data } : {}) } });
});
