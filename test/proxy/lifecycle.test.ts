// Process lifecycle and protocol-era handling, with real processes.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LineClient, RAW, SCENARIO, startProxy, tempDir, toolCallsReceived, upstreamLog, writeLockFor, BIN } from './helpers.js';

let lockPath: string;

beforeAll(async () => {
  lockPath = await writeLockFor(tempDir(), 'fx', [SCENARIO]);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
}

function serverPid(log: string): number {
  const started = upstreamLog(log).find((m) => (m as { fixture?: string }).fixture === 'started') as { pid: number } | undefined;
  if (!started) throw new Error('fixture did not log its pid');
  return started.pid;
}

describe('when the server crashes', () => {
  it('answers every pending request at once and exits with the server\'s code', async () => {
    const log = join(tempDir(), 'upstream.log');
    const client = startProxy(['--lock', lockPath, '--name', 'fx'], [SCENARIO], { MCP_FIXTURE_LOG: log });
    await client.initialize();
    client.send({ jsonrpc: '2.0', id: 'slow', method: 'tools/call', params: { name: 'slow', arguments: { ms: 60_000 } } });
    client.send({ jsonrpc: '2.0', id: 'crash', method: 'tools/call', params: { name: 'crash', arguments: {} } });
    const [slow, crash] = await Promise.all([client.response('slow'), client.response('crash')]);
    expect(slow.error.message).toMatch(/server exited \(code 3\)/);
    expect(crash.error.message).toMatch(/server exited/);
    expect((await client.exited).code).toBe(3);
  });

  it('exits with 128 + signal when the server is killed', async () => {
    const log = join(tempDir(), 'upstream.log');
    const client = startProxy(['--lock', lockPath, '--name', 'fx'], [SCENARIO], { MCP_FIXTURE_LOG: log });
    await client.initialize();
    process.kill(serverPid(log), 'SIGKILL');
    expect((await client.exited).code).toBe(137);
  });
});

describe('when the proxy is signalled', () => {
  it('forwards SIGTERM to the server\'s group and exits with 128 + 15', async () => {
    const log = join(tempDir(), 'upstream.log');
    const client = startProxy(['--lock', lockPath, '--name', 'fx'], [SCENARIO], { MCP_FIXTURE_LOG: log });
    await client.initialize();
    const pid = serverPid(log);
    client.child.kill('SIGTERM');
    expect((await client.exited).code).toBe(143);
    await waitUntil(() => !isAlive(pid));
    expect(isAlive(pid)).toBe(false);
  });
});

describe('when the client goes away', () => {
  it('ends an npx-style wrapper chain that ignores stdin EOF and SIGTERM, leaving no orphan', async () => {
    const log = join(tempDir(), 'upstream.log');
    // sh → node, like npx → sh → node; the real server ignores EOF and SIGTERM.
    const client = new LineClient(process.execPath, [
      BIN, 'proxy', '--lock', lockPath, '--name', 'fx', '--', 'sh', '-c', `"${process.execPath}" "${SCENARIO}"; echo wrapper-done >&2`,
    ], { MCP_FIXTURE_LOG: log, FIXTURE_IGNORE_EOF: '1', FIXTURE_IGNORE_SIGTERM: '1' });
    await client.initialize();
    const pid = serverPid(log);
    expect(isAlive(pid)).toBe(true);
    const exit = await client.close();
    await waitUntil(() => !isAlive(pid));
    expect(isAlive(pid)).toBe(false);
    expect(exit.code).not.toBe(0);
  });

  it('closes the server\'s stdin first so a well-behaved server exits cleanly with 0', async () => {
    const log = join(tempDir(), 'upstream.log');
    const client = startProxy(['--lock', lockPath, '--name', 'fx'], [SCENARIO], { MCP_FIXTURE_LOG: log });
    await client.initialize();
    expect((await client.close()).code).toBe(0);
  });
});

describe('start-up', () => {
  it('has no side effects when a client starts it and leaves without speaking (version probe)', async () => {
    const dir = tempDir();
    const log = join(dir, 'upstream.log');
    const report = join(dir, 'report.jsonl');
    const probe = startProxy(['--lock', lockPath, '--name', 'fx', '--report', report], [SCENARIO], { MCP_FIXTURE_LOG: log });
    expect((await probe.close()).code).toBe(0);
    expect(probe.lines).toEqual([]);
    expect(existsSync(report)).toBe(false);
    expect(upstreamLog(log).filter((m) => !('fixture' in m))).toEqual([]);
  });

  it('rejects bad usage with exit 2', async () => {
    const usage = new LineClient(process.execPath, [BIN, 'proxy', '--bogus']);
    expect((await usage.close()).code).toBe(2);
    expect(usage.stderr).toMatch(/bogus/);
    const noCommand = new LineClient(process.execPath, [BIN, 'proxy', '--lock', lockPath]);
    expect((await noCommand.close()).code).toBe(2);
    expect(noCommand.stderr).toMatch(/server command/);
  });
});

describe('2026-07-28 era traffic', () => {
  it('relays server/discover and _meta requests and still gates tools/call', async () => {
    const rawLock = await writeLockFor(tempDir(), 'raw', [RAW]);
    const log = join(tempDir(), 'upstream.log');
    const client = startProxy(['--lock', rawLock, '--name', 'raw'], [RAW], { MCP_FIXTURE_LOG: log, RAW_ERA: '2026' });
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    const discover = await client.request('server/discover', { _meta: meta });
    expect(discover.result.supportedVersions).toEqual(['2026-07-28']);
    const listed = await client.request('tools/list', { _meta: meta });
    expect(listed.result.tools.map((t: { name: string }) => t.name)).toEqual(['echo']);
    const ok = await client.request('tools/call', { name: 'echo', arguments: { text: 'hi' }, _meta: meta });
    expect(ok.result.content[0].text).toBe('{"text":"hi"}');
    const blocked = await client.request('tools/call', { name: 'shell', arguments: {}, _meta: meta });
    expect(blocked.result.isError).toBe(true);
    client.send({ jsonrpc: '2.0', id: 'sub', method: 'subscriptions/listen', params: { _meta: meta } });
    expect((await client.response('sub')).result).toEqual({ method: 'subscriptions/listen' });
    await client.close();
    const received = upstreamLog(log);
    expect(toolCallsReceived(log, 'shell')).toHaveLength(0);
    // The proxy's own listing carried the client's protocol _meta, so the server accepted it.
    expect(received.some((m) => typeof m.id === 'string' && m.id.startsWith('mcp-guard-') && m.method === 'tools/list')).toBe(true);
    expect(client.messages.some((m) => typeof m.id === 'string' && m.id.startsWith('mcp-guard-'))).toBe(false);
  });
});

describe('an invalid lock that names the server', () => {
  it('refuses the session; the early-started server hears nothing and is killed', async () => {
    const dir = tempDir();
    const badLock = join(dir, 'mcp.lock');
    writeFileSync(badLock, '{"servers":{"fx":{"tools":"not an object"}}}\n');
    const log = join(dir, 'upstream.log');
    const client = startProxy(['--lock', badLock, '--name', 'fx'], [SCENARIO], { MCP_FIXTURE_LOG: log });
    const response = await client.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } });
    expect(response.error.message).toMatch(/refused this session/);
    expect((await client.close()).code).toBe(2);
    const received = upstreamLog(log).filter((m) => !('fixture' in m));
    expect(received).toEqual([]);
    const started = upstreamLog(log).find((m) => 'fixture' in m) as { pid: number } | undefined;
    if (started) {
      await waitUntil(() => !isAlive(started.pid));
      expect(isAlive(started.pid)).toBe(false);
    }
  });
});
