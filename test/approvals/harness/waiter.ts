// A proxy stand-in in its own process: files one approval request, prints its id, prints the outcome.
import { ApprovalStore } from '../../../src/approvals/store.js';

// Pass `client` to let the store find the MCP client itself (here: the test process that spawned us).
const [tool = 'write_file', timeoutMs = '60000', client = 'none'] = process.argv.slice(2);
const store = new ApprovalStore({ env: process.env });
const result = await store.request(
  { server: 'files', tool, argumentsHash: 'sha256:ab', lockDigest: 'sha256:cd', argumentsPreview: '{"path":"/tmp/x"}', reason: 'policy: approve', ...(client === 'none' ? { clientPid: null } : {}) },
  { timeoutMs: Number(timeoutMs), onPending: (request) => process.stdout.write(`${JSON.stringify({ pending: request.id })}\n`) },
);
process.stdout.write(`${JSON.stringify(result)}\n`);
