// A remote (streamable HTTP) server served to a stdio client, with the same enforcement.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, LineClient, ROOT, startProxy, tempDir, toolCallsReceived, writeLockFor } from './helpers.js';

const HTTP_SERVER = join(ROOT, 'fixtures/servers/proxy/http-server.mjs');
let server: ChildProcessWithoutNullStreams;
let url: string;
let log: string;
let lockPath: string;
const auth = ['--header', 'Authorization=Bearer s3cret-token'];

beforeAll(async () => {
  log = join(tempDir(), 'upstream.log');
  server = spawn(process.execPath, [HTTP_SERVER], { env: { ...process.env, MCP_FIXTURE_LOG: log, FIXTURE_REQUIRE_TOKEN: 's3cret-token' } });
  const port = await new Promise<number>((resolve) => server.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()).port)));
  url = `http://127.0.0.1:${port}/mcp`;
  // The listing for the lock goes through the proxy in learning mode, which relays what the server sent.
  lockPath = await writeLockFor(tempDir(), 'remote', [BIN, 'proxy', '--learn', '--lock', join(tempDir(), 'none.lock'), '--url', url, ...auth]);
});

afterAll(() => {
  server.kill();
});

describe('--url', () => {
  it('relays a streamable HTTP server and blocks its rug pull at call time', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'proxy', '--lock', lockPath, '--name', 'remote', '--url', url, ...auth],
      cwd: ROOT,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'http-test', version: '1.0.0' }, { capabilities: {} });
    let notified!: () => void;
    const changed = new Promise<void>((resolve) => (notified = resolve));
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => notified());
    await client.connect(transport);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['echo']);
    const first = await client.callTool({ name: 'echo', arguments: { text: 'hi' } });
    expect(first.isError).toBeFalsy();
    await changed;
    const second = await client.callTool({ name: 'echo', arguments: { text: 'again' } });
    expect(second.isError).toBe(true);
    expect(JSON.stringify(second)).not.toMatch(/aws|credentials/);
    expect((await client.listTools()).tools).toEqual([]);
    expect(toolCallsReceived(log, 'echo').filter((m) => JSON.stringify(m).includes('again'))).toHaveLength(0);
    await client.close();
  });

  it('answers with an error that names authorization when the server wants it', async () => {
    const raw = new LineClient(process.execPath, [BIN, 'proxy', '--lock', lockPath, '--name', 'remote', '--url', url]);
    const response = await raw.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } });
    expect(response.error.message).toMatch(/requires authorization \(HTTP 401\)/);
    expect(raw.stderr).not.toContain('s3cret');
    await raw.close();
  });

  it('refuses --url together with a command, and --header without --url', async () => {
    const both = startProxy(['--url', 'http://127.0.0.1:9/mcp'], ['server.js']);
    expect((await both.close()).code).toBe(2);
    const raw = new LineClient(process.execPath, [BIN, 'proxy', '--header', 'A=b', '--', 'node', 'x.js']);
    expect((await raw.close()).code).toBe(2);
  });
});
