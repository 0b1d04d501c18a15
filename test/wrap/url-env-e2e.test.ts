// A remote server whose URL carries its API key: after wrap, the real proxy reads that URL from the
// entry's env (--url-env) and relays a session to it; the key is in no argv and in no stderr line.
// Uses the built CLI (bin/mcp-guard.js → dist): run `npm run build` first.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientById } from '../../src/clients/registry.js';
import { ROOT, run, workspace } from './helpers.js';

const BIN = join(ROOT, 'bin/mcp-guard.js');
const HTTP_SERVER = join(ROOT, 'fixtures/servers/proxy/http-server.mjs');
/** No token shape, no credential word: only the proxy's registration of the URL can hide it. */
const KEY = 'e2e-urlcanary-5b8c1f3a9d';
const BEARER = 'e2e-bearer-2c7e4a9f1b';

let upstream: ChildProcessWithoutNullStreams;
let gate: Server;
let gateOrigin: string;
/** Every request line the gate received (path and query). */
const seen: string[] = [];
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  ({ dir, env } = await workspace());
  upstream = spawn(process.execPath, [HTTP_SERVER], { env: { ...process.env, FIXTURE_REQUIRE_TOKEN: BEARER } });
  const port = await new Promise<number>((resolve) => upstream.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()).port as number)));
  // A hosted gateway in front of the fixture: it wants `?api_key=KEY` on every request, as servers that
  // issue keyed URLs do. `/fail` answers 500 with the key in the body, as careless servers do.
  gate = createServer((req, res) => {
    seen.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/fail') return void res.writeHead(500).end(`no such tenant for key ${url.searchParams.get('api_key')}`);
    if (url.searchParams.get('api_key') !== KEY) return void res.writeHead(401).end('unauthorized');
    const forward = request({ host: '127.0.0.1', port, path: '/mcp', method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      res.on('close', () => answer.destroy());
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  gateOrigin = `http://127.0.0.1:${(gate.address() as AddressInfo).port}`;
});

afterAll(async () => {
  upstream.kill();
  gate.closeAllConnections();
  await new Promise((resolve) => gate.close(resolve));
});

/** The environment a client gives a stdio server: its own, plus the entry's env on top. */
function clientEnvironment(entryEnv: Record<string, string> | undefined): Record<string, string> {
  const own: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) own[key] = value;
  return { ...own, ...env, ...entryEnv };
}

/** The CLI as a child process; asynchronous, because the gateway answers from this very process. */
function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: clientEnvironment(extraEnv) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end();
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

describe('a wrapped remote entry whose URL carries its key', () => {
  it('locks, wraps into --url-env, scans through it, and relays list and call with the URL from env', async () => {
    const url = `${gateOrigin}/mcp?api_key=${KEY}`;
    const config = join(dir, 'claude_desktop_config.json');
    const original = `${JSON.stringify({ mcpServers: { keyed: { url, headers: { Authorization: `Bearer ${BEARER}` } } } }, null, 2)}\n`;
    writeFileSync(config, original);
    const lockPath = join(dir, 'keyed.lock');
    const locked = await cli(['lock', '--config', config, '--lock', lockPath]);
    expect(locked.status, locked.stderr).toBe(0);
    const lockText = readFileSync(lockPath, 'utf8');
    expect(Object.keys(JSON.parse(lockText).servers)).toEqual(['keyed']);
    expect(lockText).not.toContain(KEY);

    const wrapped = await run('wrap', ['--config', config, '--lock', lockPath], dir, env);
    expect(wrapped.stdout).toMatch(/wrapped\s+keyed\n/);
    const [entry] = clientById('claude-desktop').parse(await readFile(config, 'utf8'), config);
    expect(entry!.args).toContain('--url-env');
    expect(entry!.args!.join('\n')).not.toContain(KEY);
    expect(entry!.env).toEqual({ MCP_GUARD_URL: url, MCP_GUARD_HEADER_AUTHORIZATION: `Bearer ${BEARER}` });

    // scan and lock see through the proxy to the server at the URL in env: the same lock, no drift.
    const relocked = await cli(['lock', '--config', config, '--lock', lockPath]);
    expect(relocked.status, relocked.stderr).toBe(0);
    expect(readFileSync(lockPath, 'utf8')).toBe(lockText);
    const scan = await cli(['scan', '--config', config, '--lock', lockPath, '--format', 'json']);
    expect(scan.status, scan.stdout).toBe(0);
    expect((JSON.parse(scan.stdout) as { drift: unknown[] }).drift).toEqual([]);
    expect(scan.stdout + scan.stderr).not.toContain(KEY);

    const requestsBefore = seen.length;
    const transport = new StdioClientTransport({ command: entry!.command!, args: entry!.args!, env: clientEnvironment(entry!.env), stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: 'url-env-e2e', version: '1.0.0' }, { capabilities: {} });
    try {
      await client.connect(transport);
      // What `ps` shows for the proxy: its argv, read from /proc like ps does.
      const cmdline = readFileSync(`/proc/${transport.pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline).toEqual(expect.arrayContaining(['--url-env', 'MCP_GUARD_URL']));
      expect(cmdline.join(' ')).not.toContain(KEY);
      expect(cmdline.join(' ')).not.toContain(gateOrigin);

      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['echo']);
      const result = await client.callTool({ name: 'echo', arguments: { text: 'through the keyed URL' } });
      expect(result.isError).toBeFalsy();
      expect(result.content).toEqual([{ type: 'text', text: 'through the keyed URL' }]);
    } finally {
      await client.close();
    }
    // Every request of the session reached the gateway on the keyed URL (the gateway refuses others).
    const session = seen.slice(requestsBefore);
    expect(session.length).toBeGreaterThan(0);
    expect(session.every((line) => line === `/mcp?api_key=${KEY}`)).toBe(true);
    expect(stderr).not.toContain(KEY);

    const undo = await run('unwrap', ['--config', config], dir, env);
    expect(undo.stdout).toMatch(/unwrapped\s+keyed\n/);
    expect(await readFile(config, 'utf8')).toBe(original);
  });

  it('keeps the key out of stderr and out of the client\'s answer when the server echoes it back in an error', async () => {
    const proxy = spawn(process.execPath, [BIN, 'proxy', '--learn', '--lock', join(dir, 'none.lock'), '--url-env', 'MCP_GUARD_URL'], {
      env: clientEnvironment({ MCP_GUARD_URL: `${gateOrigin}/fail?api_key=${KEY}` }),
    });
    let stderr = '';
    proxy.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const answer = new Promise<{ error?: { message: string } }>((resolve) => {
      let out = '';
      proxy.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))) as { error?: { message: string } });
      });
    });
    proxy.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`);
    const response = await answer;
    proxy.stdin.end();
    await new Promise((resolve) => proxy.once('exit', resolve));
    expect(response.error?.message).toMatch(/could not be reached/);
    // The answer reaches the client (and the model): redacted as well.
    expect(response.error?.message).toMatch(/no such tenant for key \[REDACTED\]/);
    expect(response.error?.message).not.toContain(KEY);
    // The server did say the key, and the proxy logged what it said: redacted, because it was registered.
    expect(stderr).toMatch(/could not deliver a message to http:\/\/127\.0\.0\.1:\d+: .*no such tenant for key \[REDACTED\]/);
    expect(stderr).not.toContain(KEY);
  });
});

describe('proxy --url-env usage errors', () => {
  it('exits 2 naming the variable when it is unset or empty, and never prints the value of a bad one', async () => {
    const lock = ['--lock', join(dir, 'none.lock')];
    const unset = await cli(['proxy', ...lock, '--url-env', 'MCP_GUARD_TEST_UNSET_URL']);
    expect(unset.status).toBe(2);
    expect(unset.stderr).toMatch(/--url-env: environment variable MCP_GUARD_TEST_UNSET_URL is not set/);

    const empty = await cli(['proxy', ...lock, '--url-env', 'MCP_GUARD_URL'], { MCP_GUARD_URL: ' ' });
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/environment variable MCP_GUARD_URL is empty/);

    for (const bad of [`ftp://files.example.com/x?token=${KEY}`, `not a url ${KEY}`]) {
      const result = await cli(['proxy', ...lock, '--url-env', 'MCP_GUARD_URL'], { MCP_GUARD_URL: bad });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/environment variable MCP_GUARD_URL does not hold an http:\/\/ or https:\/\/ URL/);
      expect(result.stderr).not.toContain(KEY);
    }
  });

  it('takes exactly one of --url, --url-env and a command', async () => {
    const both = await cli(['proxy', '--url', 'http://127.0.0.1:9/mcp', '--url-env', 'MCP_GUARD_URL'], { MCP_GUARD_URL: 'http://127.0.0.1:9/mcp' });
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/exactly one of --url, --url-env or a server command after --/);
    const withCommand = await cli(['proxy', '--url-env', 'MCP_GUARD_URL', '--', 'node', 'x.js'], { MCP_GUARD_URL: 'http://127.0.0.1:9/mcp' });
    expect(withCommand.status).toBe(2);
    expect(withCommand.stderr).toMatch(/exactly one of/);
    const nameless = await cli(['proxy', '--url-env=']);
    expect(nameless.status).toBe(2);
    expect(nameless.stderr).toMatch(/--url-env takes the name of an environment variable/);
  });
});
