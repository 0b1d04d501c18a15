// Remote (HTTP/SSE) entries: wrap turns each into a stdio entry launching `mcp-guard proxy --url`,
// with every header value moved from argv-visible places into the entry's env.
import { readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientById } from '../../src/clients/registry.js';
import type { ClientId } from '../../src/model.js';
import { installedProxyPaths, recogniseProxyLaunch, recogniseRemoteProxyLaunch } from '../../src/wrap/launch.js';
import { headerVariable, planRemoteMove } from '../../src/wrap/remote-entry.js';
import { run, workspace } from './helpers.js';

const { node, bin } = installedProxyPaths();

interface Case {
  name: string;
  file: string;
  client: ClientId;
  /**
   * Server → the URL the proxy gets and the env wrap must write (header values verbatim); with
   * `urlEnv`, the URL carries a credential and the proxy gets the variable's name instead.
   */
  wrapped: Record<string, { url: string; urlEnv?: string; env: Record<string, string>; headers: string[] }>;
  skipped: Record<string, RegExp>;
  /** Header values and URL credentials that must not be in any argv. */
  secrets: string[];
}

const CASES: Case[] = [
  {
    name: 'Claude Desktop JSON',
    file: 'claude-desktop/claude_desktop_config.json',
    client: 'claude-desktop',
    wrapped: {
      remote: {
        url: 'https://mcp.example.com/mcp',
        env: { MCP_GUARD_HEADER_AUTHORIZATION: 'Bearer sk-live-remote-0123456789abcdef', MCP_GUARD_HEADER_X_TENANT: 'acme' },
        headers: ['Authorization=MCP_GUARD_HEADER_AUTHORIZATION', 'X-Tenant=MCP_GUARD_HEADER_X_TENANT'],
      },
    },
    skipped: {},
    secrets: ['sk-live-remote-0123456789abcdef', 'acme'],
  },
  {
    name: 'Claude Code .mcp.json (http, sse with URL credentials, a key in the query moved to env)',
    file: 'claude-code/.mcp.json',
    client: 'claude-code',
    wrapped: {
      docs: { url: 'https://docs.example.com/mcp', env: { MCP_GUARD_HEADER_AUTHORIZATION: 'Bearer ${DOCS_TOKEN}' }, headers: ['Authorization=MCP_GUARD_HEADER_AUTHORIZATION'] },
      basic: {
        url: 'https://sse.example.com/sse',
        env: { MCP_GUARD_HEADER_AUTHORIZATION: `Basic ${Buffer.from('alice:p@ss-w0rd-9876').toString('base64')}` },
        headers: ['Authorization=MCP_GUARD_HEADER_AUTHORIZATION'],
      },
      keyed: { url: 'https://api.example.com/mcp?api_key=k-1234567890', urlEnv: 'MCP_GUARD_URL', env: { MCP_GUARD_URL: 'https://api.example.com/mcp?api_key=k-1234567890' }, headers: [] },
    },
    skipped: {},
    secrets: ['${DOCS_TOKEN}', 'p%40ss-w0rd-9876', 'alice', Buffer.from('alice:p@ss-w0rd-9876').toString('base64'), 'k-1234567890', 'api.example.com'],
  },
  {
    name: 'VS Code JSONC with an ${input:…} header',
    file: 'vscode/.vscode/mcp.json',
    client: 'vscode',
    wrapped: {
      search: { url: 'https://search.example.com/mcp', env: { MCP_GUARD_HEADER_AUTHORIZATION: 'Bearer ${input:search-token}' }, headers: ['Authorization=MCP_GUARD_HEADER_AUTHORIZATION'] },
    },
    skipped: {},
    secrets: ['${input:search-token}'],
  },
  {
    name: 'Gemini CLI (httpUrl)',
    file: 'gemini/.gemini/settings.json',
    client: 'gemini-cli',
    wrapped: {
      remote: { url: 'https://mcp.example.com/mcp', env: { MCP_GUARD_HEADER_AUTHORIZATION: 'Bearer $REMOTE_TOKEN' }, headers: ['Authorization=MCP_GUARD_HEADER_AUTHORIZATION'] },
    },
    skipped: { sso: /OAuth/ },
    secrets: ['$REMOTE_TOKEN'],
  },
  {
    name: 'Codex TOML (http_headers, bearer_token; env_http_headers left alone)',
    file: 'codex/config.toml',
    client: 'codex',
    wrapped: {
      remote: { url: 'https://mcp.example.com/mcp', env: { UNRELATED: '1', MCP_GUARD_HEADER_X_TENANT: 'acme' }, headers: ['X-Tenant=MCP_GUARD_HEADER_X_TENANT'] },
      docs: { url: 'https://docs.example.com/mcp', env: { MCP_GUARD_HEADER_AUTHORIZATION: 'Bearer tok-docs-0123456789' }, headers: ['Authorization=MCP_GUARD_HEADER_AUTHORIZATION'] },
    },
    skipped: { fromenv: /Codex's own environment/ },
    secrets: ['acme', 'tok-docs-0123456789'],
  },
  {
    name: 'OpenCode (type: remote → local, environment)',
    file: 'opencode/opencode.json',
    client: 'opencode',
    wrapped: {
      remote: { url: 'https://mcp.example.com/mcp', env: { MCP_GUARD_HEADER_AUTHORIZATION: 'Bearer {env:REMOTE_TOKEN}' }, headers: ['Authorization=MCP_GUARD_HEADER_AUTHORIZATION'] },
    },
    skipped: { sso: /OAuth/ },
    secrets: ['{env:REMOTE_TOKEN}'],
  },
  {
    name: 'Windsurf (serverUrl)',
    file: 'windsurf/.windsurf/mcp.json',
    client: 'windsurf',
    wrapped: {
      remote: { url: 'https://mcp.example.com/mcp', env: { MCP_GUARD_HEADER_AUTHORIZATION: 'Bearer ${env:REMOTE_TOKEN}' }, headers: ['Authorization=MCP_GUARD_HEADER_AUTHORIZATION'] },
    },
    skipped: {},
    secrets: ['${env:REMOTE_TOKEN}'],
  },
  {
    name: 'Cline (type streamableHttp, older transportType sse, a disabled server)',
    file: 'cline/cline_mcp_settings.json',
    client: 'cline',
    wrapped: {
      remote: { url: 'https://mcp.example.com/mcp', env: { MCP_GUARD_HEADER_X_API_KEY: 'cline-key-0123456789' }, headers: ['X-Api-Key=MCP_GUARD_HEADER_X_API_KEY'] },
      docs: { url: 'https://docs.example.com/sse', env: {}, headers: [] },
    },
    skipped: {},
    secrets: ['cline-key-0123456789'],
  },
  {
    name: 'Zed settings',
    file: 'zed/settings.json',
    client: 'zed',
    wrapped: {
      remote: { url: 'https://mcp.example.com/mcp', env: { MCP_GUARD_HEADER_AUTHORIZATION: 'Bearer zed-secret-0123456789' }, headers: ['Authorization=MCP_GUARD_HEADER_AUTHORIZATION'] },
    },
    skipped: {},
    secrets: ['zed-secret-0123456789'],
  },
];

describe.each(CASES)('wrap / unwrap of remote entries: $name', ({ file, client, wrapped, skipped, secrets }) => {
  it('moves headers into env, keeps secrets out of args, is idempotent, and unwrap restores the file byte for byte', async () => {
    const { dir, env } = await workspace();
    const root = join(dir, 'remote');
    const config = join(root, file);
    const original = await readFile(config, 'utf8');
    const before = clientById(client).parse(original, config);

    const first = await run('wrap', ['--config', file, '--lock', 'mcp.lock'], root, env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const name of Object.keys(wrapped)) expect(first.stdout).toMatch(new RegExp(`wrapped\\s+${name}\\n`));
    for (const [name, reason] of Object.entries(skipped)) expect(first.stdout).toMatch(new RegExp(`skipped\\s+${name}: .*${reason.source}`));

    const wrappedText = await readFile(config, 'utf8');
    const after = clientById(client).parse(wrappedText, config);
    const lock = await realpath(join(root, 'mcp.lock'));
    expect(after.map((server) => server.name)).toEqual(before.map((server) => server.name));
    for (const server of after) {
      const expected = wrapped[server.name];
      if (!expected) {
        expect(server).toEqual(before.find((candidate) => candidate.name === server.name));
        continue;
      }
      expect(server.transport).toBe('stdio');
      expect(server.command).toBe(node);
      const target = expected.urlEnv === undefined ? ['--url', expected.url] : ['--url-env', expected.urlEnv];
      expect(server.args).toEqual([bin, 'proxy', '--lock', lock, '--name', server.name, ...target, ...expected.headers.flatMap((pair) => ['--header-env', pair])]);
      expect(server.env ?? {}).toEqual(expected.env);
      expect(server.url).toBeUndefined();
      expect(server.headers).toBeUndefined();
      for (const secret of secrets) expect(server.args!.join(' ')).not.toContain(secret);
    }

    const second = await run('wrap', ['--config', file, '--lock', 'mcp.lock'], root, env);
    expect(second.code).toBe(0);
    for (const name of Object.keys(wrapped)) expect(second.stdout).toMatch(new RegExp(`already-wrapped\\s+${name}\\n`));
    expect(second.stdout).not.toMatch(/backup:/);
    expect(await readFile(config, 'utf8')).toBe(wrappedText);

    const undo = await run('unwrap', ['--config', file], root, env);
    expect(undo.code).toBe(0);
    for (const name of Object.keys(wrapped)) expect(undo.stdout).toMatch(new RegExp(`unwrapped\\s+${name}\\n`));
    expect(await readFile(config, 'utf8')).toBe(original);
  });
});

describe('remote wrap details', () => {
  it('keeps comments, inputs and unknown keys of the VS Code file, and the entry\'s type becomes stdio', async () => {
    const { dir, env } = await workspace();
    const root = join(dir, 'remote');
    const config = join(root, 'vscode/.vscode/mcp.json');
    const original = await readFile(config, 'utf8');
    await run('wrap', ['--config', config, '--lock', 'mcp.lock'], root, env);
    const text = await readFile(config, 'utf8');
    for (const kept of ['// Workspace MCP servers', '/* hosted search, token prompted */', '"password": true }', '"dev": {']) expect(text).toContain(kept);
    const firstEntry = original.indexOf('"search": ') + '"search": '.length;
    expect(text.slice(0, firstEntry)).toBe(original.slice(0, firstEntry));
    expect(text).toMatch(/"type": "stdio"/);
    expect(text).toContain('"MCP_GUARD_HEADER_AUTHORIZATION": "Bearer ${input:search-token}"');
  });

  it('writes OpenCode\'s local form: type local, command array, environment, no oauth key', async () => {
    const { dir, env } = await workspace();
    const root = join(dir, 'remote');
    const config = join(root, 'opencode/opencode.json');
    await run('wrap', ['--config', config, '--lock', 'mcp.lock'], root, env);
    const entry = JSON.parse(await readFile(config, 'utf8')).mcp.remote;
    expect(Object.keys(entry)).toEqual(['type', 'command', 'enabled', 'environment', 'timeout']);
    expect(entry.type).toBe('local');
    expect(entry.command[0]).toBe(node);
    expect(entry.environment).toEqual({ MCP_GUARD_HEADER_AUTHORIZATION: 'Bearer {env:REMOTE_TOKEN}' });
  });

  it('--dry-run prints the diff (values redacted) and writes nothing', async () => {
    const { dir, env } = await workspace();
    const root = join(dir, 'remote');
    const config = join(root, 'claude-desktop/claude_desktop_config.json');
    const original = await readFile(config, 'utf8');
    const result = await run('wrap', ['--config', config, '--lock', 'mcp.lock', '--dry-run'], root, env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('-      "url": "https://mcp.example.com/mcp",');
    expect(result.stdout).toContain('"--header-env",');
    expect(result.stdout).toContain('(dry run: nothing written)');
    expect(result.stdout).not.toContain('sk-live-remote-0123456789abcdef');
    expect(await readFile(config, 'utf8')).toBe(original);
  });

  it('rebuilds a wrapped remote entry changed after wrap from --url and its env, keeping the change', async () => {
    const { dir, env } = await workspace();
    const root = join(dir, 'remote');
    const config = join(root, 'zed/settings.json');
    await run('wrap', ['--config', config, '--lock', 'mcp.lock'], root, env);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(config, (await readFile(config, 'utf8')).replace('"source": "custom"', '"source": "custom", "enabled": true'));
    const undo = await run('unwrap', ['--config', config], root, env);
    expect(undo.stdout).toMatch(/restored-from-args\s+remote: the entry changed after wrap: rebuilt as a streamable HTTP entry/);
    const { parse } = await import('jsonc-parser');
    expect(parse(await readFile(config, 'utf8')).context_servers.remote).toEqual({
      source: 'custom',
      enabled: true,
      url: 'https://mcp.example.com/mcp',
      env: undefined,
      headers: { Authorization: 'Bearer zed-secret-0123456789' },
    });
  });

  it.each([
    ['claude-code/.mcp.json', 'claude-code'],
    ['gemini/.gemini/settings.json', 'gemini-cli'],
    ['codex/config.toml', 'codex'],
    ['opencode/opencode.json', 'opencode'],
    ['windsurf/.windsurf/mcp.json', 'windsurf'],
    ['cline/cline_mcp_settings.json', 'cline'],
  ] as const)('without the wrap record, rebuilds the remote entries of %s with their URLs and headers', async (file, client) => {
    const { dir, env } = await workspace();
    const root = join(dir, 'remote');
    const config = join(root, file);
    const before = clientById(client).parse(await readFile(config, 'utf8'), config);
    await run('wrap', ['--config', config, '--lock', 'mcp.lock'], root, env);
    const undo = await run('unwrap', ['--config', config], root, { ...env, XDG_STATE_HOME: join(dir, 'other-state') });
    expect(undo.stdout).toMatch(/restored-from-args\s+\S+: no record of the original entry/);
    const after = clientById(client).parse(await readFile(config, 'utf8'), config);
    for (const server of after) {
      const was = before.find((candidate) => candidate.name === server.name)!;
      expect(server.transport === 'stdio').toBe(was.transport === 'stdio');
      // URL credentials come back as the Basic header they were sent as.
      const url = (was.url ?? '').replace(/\/\/[^/@]*@/, '//');
      expect(server.url).toBe(was.url === undefined ? undefined : url);
      if (url === was.url) expect(server.headers).toEqual(was.headers);
      expect(server.env).toEqual(was.env);
    }
  });
});

describe('remote wrap: settings, hand-written proxies, line ends', () => {
  it('re-wrapping with --policy updates the launch only, and unwrap still restores the original', async () => {
    const { dir, env } = await workspace();
    const root = join(dir, 'remote');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(root, 'policy.yaml'), 'version: 1\ndefault: allow\n');
    const config = join(root, 'claude-code/.mcp.json');
    const original = await readFile(config, 'utf8');
    await run('wrap', ['--config', config, '--lock', 'mcp.lock'], root, env);
    const updated = await run('wrap', ['--config', config, '--lock', 'mcp.lock', '--policy', 'policy.yaml', '--server', 'docs'], root, env);
    expect(updated.stdout).toMatch(/updated\s+docs\n/);
    const docs = JSON.parse(await readFile(config, 'utf8')).mcpServers.docs;
    expect(docs.args.slice(4, 9)).toEqual(['--policy', join(root, 'policy.yaml'), '--name', 'docs', '--url']);
    expect(docs.env).toEqual({ MCP_GUARD_HEADER_AUTHORIZATION: 'Bearer ${DOCS_TOKEN}' });
    const undo = await run('unwrap', ['--config', config], root, env);
    expect(undo.stdout).toMatch(/unwrapped\s+docs\n/);
    expect(await readFile(config, 'utf8')).toBe(original);
  });

  it('leaves a remote proxy launch written by hand alone, in wrap and unwrap', async () => {
    const { dir, env } = await workspace();
    const root = join(dir, 'remote');
    const config = join(root, 'claude_desktop_config.json');
    const { writeFile } = await import('node:fs/promises');
    const text = `${JSON.stringify({ mcpServers: { remote: { command: 'mcp-guard', args: ['proxy', '--url', 'https://h/mcp', '--header-env', 'Authorization=TOKEN'] } } }, null, 2)}\n`;
    await writeFile(config, text);
    const wrapped = await run('wrap', ['--config', config, '--lock', 'mcp.lock'], root, env);
    expect(wrapped.stdout).toMatch(/already-wrapped\s+remote: already launched through mcp-guard proxy/);
    const undo = await run('unwrap', ['--config', config], root, env);
    expect(undo.stdout).toMatch(/not-wrapped\s+remote: launched through mcp-guard proxy by hand/);
    expect(await readFile(config, 'utf8')).toBe(text);
  });

  it('keeps CRLF line ends in a JSON file', async () => {
    const { dir, env } = await workspace();
    const root = join(dir, 'remote');
    const config = join(root, 'zed/settings.json');
    const { writeFile } = await import('node:fs/promises');
    const original = (await readFile(config, 'utf8')).replace(/\n/g, '\r\n');
    await writeFile(config, original);
    await run('wrap', ['--config', config, '--lock', 'mcp.lock'], root, env);
    const text = await readFile(config, 'utf8');
    expect(text).toContain('--header-env');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    await run('unwrap', ['--config', config], root, env);
    expect(await readFile(config, 'utf8')).toBe(original);
  });

  it('recognises the remote proxy launch, and keeps it apart from the stdio one', () => {
    const launch = { command: '/n', args: ['/x/mcp-guard.js', 'proxy', '--lock', 'l', '--name', 'a', '--url', 'https://h/mcp', '--header-env', 'Authorization=V'] };
    expect(recogniseRemoteProxyLaunch(launch)).toEqual({ name: 'a', url: 'https://h/mcp', headerEnv: [{ header: 'Authorization', variable: 'V' }], form: 'wrap' });
    expect(recogniseProxyLaunch(launch)).toBeUndefined();
    expect(recogniseRemoteProxyLaunch({ command: '/n', args: ['/x/mcp-guard.js', 'proxy', '--lock', 'l', '--', 'srv', '--url', 'u'] })).toBeUndefined();
    expect(recogniseRemoteProxyLaunch({ command: 'npx', args: ['-y', 'mcp-guard', 'proxy', '--url', 'u'] })).toBeUndefined();
    expect(recogniseRemoteProxyLaunch({ command: '/n', args: ['/x/mcp-guard.js', 'proxy', '--url', 'u', '--header-env', 'broken'] })).toBeUndefined();
  });
});

describe('planRemoteMove', () => {
  it('names variables after the header, deterministically, and never reuses a name the entry has for another value', () => {
    expect(headerVariable('Authorization')).toBe('MCP_GUARD_HEADER_AUTHORIZATION');
    expect(headerVariable('x-api-key')).toBe('MCP_GUARD_HEADER_X_API_KEY');
    const move = planRemoteMove(
      { name: 'a', pointer: 'mcpServers.a', transport: 'http', url: 'https://h/mcp', headers: { 'X-Api-Key': 'k1', 'X_API_KEY': 'k2' } },
      { MCP_GUARD_HEADER_X_API_KEY: 'other' },
    );
    expect(move).toEqual({
      url: 'https://h/mcp',
      headers: [
        { header: 'X-Api-Key', variable: 'MCP_GUARD_HEADER_X_API_KEY_2' },
        { header: 'X_API_KEY', variable: 'MCP_GUARD_HEADER_X_API_KEY_3' },
      ],
      env: { MCP_GUARD_HEADER_X_API_KEY_2: 'k1', MCP_GUARD_HEADER_X_API_KEY_3: 'k2' },
    });
  });

  it('refuses URL credentials built from placeholders, or alongside an Authorization header', () => {
    const base = { name: 'a', pointer: 'p', transport: 'http' as const };
    expect(planRemoteMove({ ...base, url: 'https://u:${env:PW}@h/mcp' })).toMatch(/placeholders/);
    expect(planRemoteMove({ ...base, url: 'https://u:pw@h/mcp', headers: { authorization: 'Bearer x' } })).toMatch(/Authorization header too/);
    expect(planRemoteMove({ ...base, url: 'https://u:%E0%A4%A@h/mcp' })).toMatch(/not valid percent-encoding/);
    // Parameter names that merely contain a short credential word are not credentials: the URL stays in argv.
    expect(planRemoteMove({ ...base, url: 'https://h/mcp?design=dark&monkey=1' })).toEqual({ url: 'https://h/mcp?design=dark&monkey=1', headers: [], env: {} });
  });
});
