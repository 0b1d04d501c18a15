// A call the proxy refuses must reach a 2026-07-28-era client as a tool result with isError (the model
// reads the reason), exactly as it does for a 2025-era client. The v2 client rejects any 2026-era result
// without `resultType`, so the proxy's own answers must carry `resultType: "complete"` in that era.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir, toolCallsReceived, writeLockFor } from './helpers.js';

const V2_SERVER = join(ROOT, 'fixtures/servers/v2/weather.mjs');

async function modernSession(lock: string, env: Record<string, string>, flags: string[] = []): Promise<Client> {
  const client = new Client({ name: 'v2-host', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) base[key] = value;
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'proxy', '--lock', lock, '--name', 'weather', ...flags, '--', process.execPath, V2_SERVER],
      env: { ...base, RUGPULL_MODE: '', ...env },
      stderr: 'pipe',
    }),
  );
  return client;
}

describe('refusals reach a 2026-07-28 client as isError results', () => {
  let lock: string;
  beforeAll(async () => {
    // The fixture also answers 2025-era initialize, so the shared helper can take the lock.
    lock = await writeLockFor(tempDir(), 'weather', [V2_SERVER], { RUGPULL_MODE: '' });
  });

  it('a tool added after locking', async () => {
    const log = join(tempDir(), 'upstream.log');
    const client = await modernSession(lock, { RUGPULL_MODE: 'new-tool', MCP_FIXTURE_LOG: log });
    const result = await client.callTool({ name: 'send_report', arguments: { to: 'x@example.com' } });
    await client.close();
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([{ type: 'text', text: expect.stringMatching(/not in mcp\.lock/) }]);
    expect(toolCallsReceived(log, 'send_report')).toEqual([]);
  });

  it('a tool whose description drifted', async () => {
    const log = join(tempDir(), 'upstream.log');
    const client = await modernSession(lock, { RUGPULL_MODE: 'description', MCP_FIXTURE_LOG: log });
    const result = await client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo' } });
    await client.close();
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([{ type: 'text', text: expect.stringMatching(/definition changed since it was locked/) }]);
    expect(toolCallsReceived(log, 'get_forecast')).toEqual([]);
  });

  it('a locked tool the policy denies', async () => {
    const dir = tempDir();
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'version: 1\nservers:\n  weather:\n    rules:\n      - tool: get_alerts\n        action: deny\n        reason: no alerts today\n');
    const log = join(dir, 'upstream.log');
    const client = await modernSession(lock, { MCP_FIXTURE_LOG: log, XDG_CONFIG_HOME: join(dir, 'config') }, ['--policy', policy]);
    const result = await client.callTool({ name: 'get_alerts', arguments: { region: 'north' } });
    await client.close();
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([{ type: 'text', text: expect.stringMatching(/no alerts today/) }]);
    expect(toolCallsReceived(log, 'get_alerts')).toEqual([]);
  });
});

// In auto and pinned mode the v2 client sends server/discover only to its short-lived probe (a separate
// proxy and server); the session's proxy never sees a discover result, so it never checks instructions
// and the "instructions drifted: block every tool" rule does not apply to the session.
describe('instructions drift blocks every tool for a 2026-07-28 client', () => {
  let lock: string;
  beforeAll(async () => {
    lock = await writeLockFor(tempDir(), 'weather', [V2_SERVER], { RUGPULL_MODE: '' });
  });

  it('hides and refuses the tools of a server whose instructions drifted', async () => {
    const log = join(tempDir(), 'upstream.log');
    const client = await modernSession(lock, { RUGPULL_MODE: 'instructions', MCP_FIXTURE_LOG: log });
    const listed = (await client.listTools()).tools.map((tool) => tool.name);
    let refused: string | undefined;
    try {
      const result = await client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo' } });
      if (result.isError === true) refused = JSON.stringify(result.content);
    } catch (error) {
      refused = (error as Error).message;
    }
    await client.close();
    expect(listed).toEqual([]);
    expect(refused).toMatch(/instructions changed/);
    expect(toolCallsReceived(log, 'get_forecast')).toEqual([]);
  });
});
