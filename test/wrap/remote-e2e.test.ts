// A wrapped remote entry must start a working proxy session in front of the real HTTP server, with
// the bearer token reaching the server from the entry's env and never from the proxy's argv.
// Uses the built CLI (bin/mcp-guard.js → dist): the lock is taken with `mcp-guard lock` as a user would.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyCommand } from '../../src/cli/commands/proxy.js';
import { clientById } from '../../src/clients/registry.js';
import { clearRegisteredSecrets, redact } from '../../src/findings/redact.js';
import { ROOT, run, workspace } from './helpers.js';

const BIN = join(ROOT, 'bin/mcp-guard.js');
const HTTP_SERVER = join(ROOT, 'fixtures/servers/http.mjs');
const TOKEN = 'wrap-e2e-bearer-7f3c9a1d5e';

let server: ChildProcessWithoutNullStreams;
let url: string;
let dir: string;
let env: Record<string, string>;
let upstreamLog: string;

beforeAll(async () => {
  ({ dir, env } = await workspace());
  upstreamLog = join(dir, 'upstream.jsonl');
  server = spawn(process.execPath, [HTTP_SERVER], { env: { ...process.env, HTTP_BEARER_TOKEN: TOKEN, MCP_FIXTURE_LOG: upstreamLog } });
  url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    server.stderr.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening (\S+)/.exec(seen);
      if (match) resolve(match[1]!);
    });
    server.once('exit', (code) => reject(new Error(`http fixture exited with ${code}: ${seen}`)));
  });
});

afterAll(() => {
  server.kill();
});

/** The environment a client gives a stdio server: its own, plus the entry's env on top. */
function clientEnvironment(entryEnv: Record<string, string> | undefined): Record<string, string> {
  const own: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) own[key] = value;
  return { ...own, ...env, ...entryEnv };
}

describe('a wrapped remote entry', () => {
  it('locks, wraps, and then relays list and call to the HTTP server with the header from env; argv holds no header value', async () => {
    const config = join(dir, 'claude_desktop_config.json');
    writeFileSync(
      config,
      `${JSON.stringify({ mcpServers: { notes: { url, headers: { Authorization: `Bearer ${TOKEN}`, 'X-Tenant': 'acme-e2e' } } } }, null, 2)}\n`,
    );
    const lockPath = join(dir, 'remote.lock');
    const locked = spawnSync(process.execPath, [BIN, 'lock', '--config', config, '--lock', lockPath], { cwd: dir, env: clientEnvironment({}), encoding: 'utf8' });
    expect(locked.status, locked.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(lockPath, 'utf8')).servers)).toEqual(['notes']);

    const wrapped = await run('wrap', ['--config', config, '--lock', lockPath], dir, env);
    expect(wrapped.stdout).toMatch(/wrapped\s+notes\n/);
    const text = await readFile(config, 'utf8');
    const [entry] = clientById('claude-desktop').parse(text, config);
    expect(entry!.transport).toBe('stdio');
    expect(entry!.args!.join('\n')).not.toContain(TOKEN);
    expect(entry!.env).toEqual({ MCP_GUARD_HEADER_AUTHORIZATION: `Bearer ${TOKEN}`, MCP_GUARD_HEADER_X_TENANT: 'acme-e2e' });

    const transport = new StdioClientTransport({ command: entry!.command!, args: entry!.args!, env: clientEnvironment(entry!.env), stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: 'wrap-e2e', version: '1.0.0' }, { capabilities: {} });
    try {
      await client.connect(transport);
      // What `ps` shows for the proxy: its argv, read from /proc like ps does.
      const cmdline = readFileSync(`/proc/${transport.pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline).toContain('--header-env');
      expect(cmdline).toContain(url);
      expect(cmdline.join(' ')).not.toContain(TOKEN);
      expect(cmdline.join(' ')).not.toContain('acme-e2e');

      const tools = (await client.listTools()).tools;
      expect(tools.map((tool) => tool.name)).toEqual(['search_notes', 'tenant']);
      // The fixture echoes the X-Tenant header it received: the value came from the entry's env.
      expect(tools.find((tool) => tool.name === 'tenant')!.description).toBe('tenant=acme-e2e');
      // The fixture has no tools/call handler: its "method not found" proves the call reached it.
      await expect(client.callTool({ name: 'search_notes', arguments: { q: 'x' } })).rejects.toThrow(/Method not found/);
      const calls = readFileSync(upstreamLog, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { method: string; params: { name?: string } | null })
        .filter((request) => request.method === 'tools/call');
      expect(calls.map((call) => call.params?.name)).toEqual(['search_notes']);
    } finally {
      await client.close();
    }
    expect(stderr).not.toContain(TOKEN);

    const undo = await run('unwrap', ['--config', config], dir, env);
    expect(undo.stdout).toMatch(/unwrapped\s+notes\n/);
  });
});

describe('proxy --header-env', () => {
  it('is a usage error naming the variable when it is not set, and never prints a value', () => {
    const result = spawnSync(
      process.execPath,
      [BIN, 'proxy', '--lock', join(dir, 'none.lock'), '--url', 'http://127.0.0.1:9/mcp', '--header', `X-Other=${TOKEN}`, '--header-env', 'Authorization=MCP_GUARD_TEST_UNSET'],
      { env: clientEnvironment({}), encoding: 'utf8', input: '' },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/environment variable MCP_GUARD_TEST_UNSET is not set/);
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('registers the value it reads (and the token after Bearer) so no later message can print it', async () => {
    clearRegisteredSecrets();
    const value = 'Bearer opaque-0f9e8d7c6b5a';
    const sample = `upstream said: ${value}; token opaque-0f9e8d7c6b5a`;
    expect(redact(sample)).toContain('opaque-0f9e8d7c6b5a');
    let stderr = '';
    // No stdin: the command stops with a usage error right after reading its flags.
    const code = await proxyCommand(['--url', 'http://127.0.0.1:9/mcp', '--header-env', 'Authorization=MCP_GUARD_TEST_AUTH'], {
      stdout: { write: () => undefined },
      stderr: { write: (chunk: string) => void (stderr += chunk) },
      env: { MCP_GUARD_TEST_AUTH: value },
      cwd: dir,
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/needs real stdin\/stdout/);
    expect(redact(sample)).not.toContain('opaque-0f9e8d7c6b5a');
    clearRegisteredSecrets();
  });

  it('takes NAME=ENVVAR only, and only with --url', () => {
    const malformed = spawnSync(process.execPath, [BIN, 'proxy', '--url', 'http://127.0.0.1:9/mcp', '--header-env', 'Authorization'], { encoding: 'utf8', input: '' });
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toMatch(/--header-env takes NAME=ENVVAR/);
    const withoutUrl = spawnSync(process.execPath, [BIN, 'proxy', '--header-env', 'A=B', '--', 'node', 'x.js'], { encoding: 'utf8', input: '' });
    expect(withoutUrl.status).toBe(2);
    expect(withoutUrl.stderr).toMatch(/only apply with --url/);
  });
});
