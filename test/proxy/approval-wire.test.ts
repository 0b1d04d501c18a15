// The approval traffic on the wire, with a hand-written client and the raw fixture server (which logs
// every line it receives): the proxy's elicitation uses its own ids, its answers never reach the server,
// and a call that runs after approval is forwarded as the client's exact bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APPROVAL_TIMEOUT_MS, DEFAULT_HEARTBEAT_MS } from '../../src/cli/commands/proxy.js';
import * as store from '../../src/approvals/store.js';
import { RAW, startProxy, tempDir, writeLockFor, type LineClient } from './helpers.js';

let lockPath: string;
beforeAll(async () => {
  lockPath = await writeLockFor(tempDir(), 'raw', [RAW]);
});

function start(): { client: LineClient; log: string } {
  const dir = tempDir();
  const policy = join(dir, 'policy.yaml');
  writeFileSync(policy, 'version: 1\nservers:\n  raw:\n    rules:\n      - tool: echo\n        action: approve\n');
  const log = join(dir, 'upstream.log');
  const client = startProxy(['--lock', lockPath, '--name', 'raw', '--policy', policy, '--audit', join(dir, 'audit.jsonl')], [RAW], {
    MCP_FIXTURE_LOG: log,
    XDG_CONFIG_HOME: join(dir, 'config'),
  });
  return { client, log };
}

const received = (log: string) => readFileSync(log, 'utf8').split('\n').filter(Boolean);

describe('elicitation on the wire', () => {
  it('asks with a proxy-own id, keeps the answer from the server, and forwards the approved call byte for byte', async () => {
    const { client, log } = start();
    await client.initialize({ elicitation: {} });
    const call = '{"jsonrpc":"2.0", "id":"c1","method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"} ,"_meta":{"progressToken":"p1"}}}';
    client.sendRaw(`${call}\n`);
    const ask = await client.waitFor((m) => m.method === 'elicitation/create', 'elicitation/create');
    expect(String(ask.id)).toMatch(/^mcp-guard-[0-9a-f]{12}-e\d+$/);
    expect(received(log).some((line) => line.includes('tools/call'))).toBe(false);
    const answer = { jsonrpc: '2.0', id: ask.id, result: { action: 'accept', content: { approve: true } } };
    client.send(answer);
    const result = await client.response('c1');
    expect(result.result.content[0].text).toContain('hi');
    // A duplicate (late) answer to the same question is dropped too.
    client.send(answer);
    await client.request('ping');
    const lines = received(log);
    expect(lines.filter((line) => line.includes('tools/call'))).toEqual([call]);
    expect(lines.some((line) => line.includes(String(ask.id)) || line.includes('"action"'))).toBe(false);
    await client.close();
  });

  it('an error answer to the question denies the call', async () => {
    const { client, log } = start();
    await client.initialize({ elicitation: {} });
    client.send({ jsonrpc: '2.0', id: 'c2', method: 'tools/call', params: { name: 'echo', arguments: { text: 'no' } } });
    const ask = await client.waitFor((m) => m.method === 'elicitation/create', 'elicitation/create');
    client.send({ jsonrpc: '2.0', id: ask.id, error: { code: -32601, message: 'Method not found' } });
    const result = await client.response('c2');
    expect(result.result.isError).toBe(true);
    expect(result.result.content[0].text).toContain('could not ask the user');
    expect(received(log).some((line) => line.includes('tools/call'))).toBe(false);
    await client.close();
  });
});

describe('defaults', () => {
  it('the proxy\'s approval defaults are the store\'s', () => {
    expect(DEFAULT_APPROVAL_TIMEOUT_MS).toBe(store.DEFAULT_APPROVAL_TIMEOUT_MS);
    expect(DEFAULT_HEARTBEAT_MS).toBe(store.DEFAULT_HEARTBEAT_MS);
  });
});
