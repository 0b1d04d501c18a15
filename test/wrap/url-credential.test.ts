// Remote entries whose URL itself carries a credential (`?api_key=`, a key in the path, a URL built
// from a placeholder): wrap moves the whole URL into the entry's env and launches the proxy with
// `--url-env VAR`, so the credential is in no argv; unwrap puts it back.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientById } from '../../src/clients/registry.js';
import type { ClientId } from '../../src/model.js';
import { installedProxyPaths, recogniseProxyLaunch, recogniseRemoteProxyLaunch } from '../../src/wrap/launch.js';
import { codexRemoteTable, planRemoteMove, remoteEntryFromWrapped, remoteProxyLaunch } from '../../src/wrap/remote-entry.js';
import { urlCarriesCredential, urlCredentialParts } from '../../src/wrap/url-credentials.js';
import { run, workspace } from './helpers.js';

const base = { name: 'keyed', pointer: 'mcpServers.keyed', transport: 'http' as const };

describe('planRemoteMove with a credential in the URL', () => {
  it.each([
    ['a credential-named query parameter', 'https://h/mcp?access_token=abc'],
    ['a bare `key` parameter among others', 'https://h/mcp?region=eu&key=abc'],
    ['a token shape in the path', 'https://actions.example.com/mcp/sk-ant-0123456789abcdefghijklmn/sse'],
    ['an opaque path segment the lock would redact', 'https://gw.example.com/mcp/a1b2c3d4e5f6a7b8c9d0e1f2a3/sse'],
    ['a placeholder, moved verbatim', 'https://h/mcp?api_key=${input:api-key}'],
    ['a placeholder anywhere', 'https://${env:MCP_HOST}/mcp'],
  ])('moves the whole URL into MCP_GUARD_URL for %s', (_, url) => {
    expect(planRemoteMove({ ...base, url })).toEqual({ url, urlVariable: 'MCP_GUARD_URL', headers: [], env: { MCP_GUARD_URL: url } });
  });

  it('leaves a URL without a credential in argv', () => {
    for (const url of ['https://mcp.example.com/mcp', 'https://h/mcp?design=dark&monkey=1', 'https://h/v2/sse?region=eu']) {
      expect(urlCarriesCredential(url)).toBe(false);
      expect(planRemoteMove({ ...base, url })).toEqual({ url, headers: [], env: {} });
    }
  });

  it('never overwrites a different value the entry already has under the variable, and reuses an equal one', () => {
    const url = 'https://h/mcp?token=t-123456';
    expect(planRemoteMove({ ...base, url }, { MCP_GUARD_URL: 'https://other/mcp', MCP_GUARD_URL_2: 'x' })).toMatchObject({
      urlVariable: 'MCP_GUARD_URL_3',
      env: { MCP_GUARD_URL_3: url },
    });
    expect(planRemoteMove({ ...base, url }, { MCP_GUARD_URL: url })).toMatchObject({ urlVariable: 'MCP_GUARD_URL', env: { MCP_GUARD_URL: url } });
  });

  it('turns userinfo into an Authorization header as before, and moves what is left when it still carries a key', () => {
    const basic = `Basic ${Buffer.from('alice:pw-1234').toString('base64')}`;
    expect(planRemoteMove({ ...base, url: 'https://alice:pw-1234@h/mcp?api_key=k-1', headers: { 'X-Tenant': 'acme' } })).toEqual({
      url: 'https://h/mcp?api_key=k-1',
      urlVariable: 'MCP_GUARD_URL',
      headers: [
        { header: 'Authorization', variable: 'MCP_GUARD_HEADER_AUTHORIZATION' },
        { header: 'X-Tenant', variable: 'MCP_GUARD_HEADER_X_TENANT' },
      ],
      env: { MCP_GUARD_URL: 'https://h/mcp?api_key=k-1', MCP_GUARD_HEADER_AUTHORIZATION: basic, MCP_GUARD_HEADER_X_TENANT: 'acme' },
    });
    // Userinfo alone is fully handled by the header: the URL left over has nothing to hide.
    expect(planRemoteMove({ ...base, url: 'https://alice:pw-1234@h/mcp' })).not.toHaveProperty('urlVariable');
  });

  it('names the secret parts of a URL, raw and decoded, for the proxy to register', () => {
    expect(urlCredentialParts('https://u:p%40ss-1@h/mcp/sk-ant-0123456789abcdefghijklmn?region=europe&api_key=k%2B1-abcdef')).toEqual(
      expect.arrayContaining(['k%2B1-abcdef', 'k+1-abcdef', 'u', 'p%40ss-1', 'p@ss-1', 'sk-ant-0123456789abcdefghijklmn']),
    );
    expect(urlCredentialParts('https://h/mcp?region=europe&api_key=k-1')).not.toContain('europe');
  });
});

describe('the launch', () => {
  const settings = { node: '/n', bin: '/x/mcp-guard.js', lock: '/l/mcp.lock' };

  it('names the variable, never the URL, and is recognised back with urlEnv', () => {
    const launch = remoteProxyLaunch(settings, 'keyed', { urlEnv: 'MCP_GUARD_URL' }, [{ header: 'X-Tenant', variable: 'MCP_GUARD_HEADER_X_TENANT' }]);
    expect(launch.args).toEqual(['/x/mcp-guard.js', 'proxy', '--lock', '/l/mcp.lock', '--name', 'keyed', '--url-env', 'MCP_GUARD_URL', '--header-env', 'X-Tenant=MCP_GUARD_HEADER_X_TENANT']);
    expect(recogniseRemoteProxyLaunch(launch)).toEqual({
      name: 'keyed',
      urlEnv: 'MCP_GUARD_URL',
      headerEnv: [{ header: 'X-Tenant', variable: 'MCP_GUARD_HEADER_X_TENANT' }],
      form: 'wrap',
    });
    expect(recogniseProxyLaunch(launch)).toBeUndefined();
  });

  it('does not recognise a launch the proxy would refuse: both --url and --url-env, or --url-env without a name', () => {
    expect(recogniseRemoteProxyLaunch({ command: '/n', args: ['/x/mcp-guard.js', 'proxy', '--url', 'https://h/mcp', '--url-env', 'V'] })).toBeUndefined();
    expect(recogniseRemoteProxyLaunch({ command: '/n', args: ['/x/mcp-guard.js', 'proxy', '--url-env', ''] })).toBeUndefined();
    expect(recogniseRemoteProxyLaunch({ command: '/n', args: ['/x/mcp-guard.js', 'proxy', '--url-env'] })).toBeUndefined();
    expect(recogniseRemoteProxyLaunch({ command: 'mcp-guard', args: ['proxy', '--url-env', 'V'] })).toEqual({ urlEnv: 'V', headerEnv: [], form: 'by-hand' });
  });
});

describe('rebuilding a wrapped entry without its record', () => {
  const url = 'https://h/mcp?api_key=k-123456';

  it('takes the URL back out of env, with the headers, and keeps the rest of env and later keys', () => {
    const entry = {
      type: 'stdio',
      command: '/n',
      args: ['/x/mcp-guard.js', 'proxy', '--url-env', 'MCP_GUARD_URL'],
      env: { MCP_GUARD_URL: url, MCP_GUARD_HEADER_X_TENANT: 'acme', KEEP: '1' },
      note: 'added later',
    };
    expect(remoteEntryFromWrapped('claude-code', entry, { urlEnv: 'MCP_GUARD_URL' }, [{ header: 'X-Tenant', variable: 'MCP_GUARD_HEADER_X_TENANT' }])).toEqual({
      type: 'http',
      url,
      headers: { 'X-Tenant': 'acme' },
      env: { KEEP: '1' },
      note: 'added later',
    });
    expect(remoteEntryFromWrapped('gemini-cli', { command: '/n', env: { MCP_GUARD_URL: url } }, { urlEnv: 'MCP_GUARD_URL' }, [])).toEqual({ httpUrl: url });
  });

  it('says why when the variable is gone', () => {
    expect(remoteEntryFromWrapped('claude-code', { command: '/n', env: {} }, { urlEnv: 'MCP_GUARD_URL' }, [])).toMatch(/no MCP_GUARD_URL for the URL/);
    const toml = '[mcp_servers.keyed]\ncommand = "/n"\nargs = ["--url-env", "MCP_GUARD_URL"]\n';
    expect(codexRemoteTable(toml, 'keyed', { urlEnv: 'MCP_GUARD_URL' }, [])).toBeUndefined();
    expect(codexRemoteTable(`${toml}env = { MCP_GUARD_URL = "${url}", KEEP = "1" }\n`, 'keyed', { urlEnv: 'MCP_GUARD_URL' }, [])).toBe(
      `[mcp_servers.keyed]\nurl = "${url}"\n\n[mcp_servers.keyed.env]\nKEEP = "1"\n`,
    );
  });
});

const { node, bin } = installedProxyPaths();

interface ClientCase {
  client: ClientId;
  /** Where the fixture tree keeps this client's file (detection goes by path and content). */
  file: string;
  text: string;
  /** The URL as written, which must end up in env only. */
  url: string;
  /** The env variable wrap must pick (the entry may already use MCP_GUARD_URL for something else). */
  variable: string;
}

const CANARY = 'canary-url-7d2f9a1c3b5e';

const CLIENT_CASES: ClientCase[] = [
  {
    client: 'claude-desktop',
    file: 'claude-desktop/claude_desktop_config.json',
    url: `https://mcp.example.com/mcp?api_key=${CANARY}`,
    variable: 'MCP_GUARD_URL',
    text: `{\n  "mcpServers": {\n    "keyed": {\n      "url": "https://mcp.example.com/mcp?api_key=${CANARY}",\n      "headers": { "X-Tenant": "acme" },\n      "note": "kept"\n    }\n  }\n}\n`,
  },
  {
    client: 'claude-code',
    file: 'claude-code/.mcp.json',
    url: `https://api.example.com/mcp?token=${CANARY}&region=eu`,
    variable: 'MCP_GUARD_URL',
    text: `{\n  "mcpServers": {\n    "keyed": { "type": "http", "url": "https://api.example.com/mcp?token=${CANARY}&region=eu" }\n  }\n}\n`,
  },
  {
    client: 'vscode',
    file: 'vscode/.vscode/mcp.json',
    url: 'https://search.example.com/mcp?api_key=${input:search-key}',
    variable: 'MCP_GUARD_URL',
    text: `{\n\t// the key is prompted\n\t"inputs": [{ "type": "promptString", "id": "search-key", "password": true }],\n\t"servers": {\n\t\t"keyed": {\n\t\t\t"type": "http",\n\t\t\t"url": "https://search.example.com/mcp?api_key=\${input:search-key}", // key in the query\n\t\t},\n\t},\n}\n`,
  },
  {
    client: 'gemini-cli',
    file: 'gemini/.gemini/settings.json',
    url: `https://mcp.example.com/mcp?key=${CANARY}`,
    variable: 'MCP_GUARD_URL',
    text: `{\n  "mcpServers": {\n    "keyed": { "httpUrl": "https://mcp.example.com/mcp?key=${CANARY}", "timeout": 30000 }\n  }\n}\n`,
  },
  {
    client: 'codex',
    file: 'codex/config.toml',
    url: `https://mcp.example.com/mcp?api_key=${CANARY}`,
    variable: 'MCP_GUARD_URL_2',
    text: `# Codex\n[mcp_servers.keyed]\n# key in the query\nurl = "https://mcp.example.com/mcp?api_key=${CANARY}"\nstartup_timeout_sec = 20\n\n[mcp_servers.keyed.env]\nMCP_GUARD_URL = "something else"\n`,
  },
  {
    client: 'opencode',
    file: 'opencode/opencode.json',
    url: `https://mcp.example.com/mcp?apikey=${CANARY}`,
    variable: 'MCP_GUARD_URL',
    text: `{\n  "$schema": "https://opencode.ai/config.json",\n  "mcp": {\n    "keyed": { "type": "remote", "url": "https://mcp.example.com/mcp?apikey=${CANARY}", "enabled": true }\n  }\n}\n`,
  },
  {
    client: 'windsurf',
    file: 'windsurf/.windsurf/mcp.json',
    url: 'https://actions.example.com/mcp/sk-ant-canary0123456789abcdefgh/sse',
    variable: 'MCP_GUARD_URL',
    text: '{\n  "mcpServers": {\n    "keyed": { "serverUrl": "https://actions.example.com/mcp/sk-ant-canary0123456789abcdefgh/sse", "disabled": false }\n  }\n}\n',
  },
  {
    client: 'cline',
    file: 'cline/cline_mcp_settings.json',
    url: `https://mcp.example.com/mcp?access_token=${CANARY}`,
    variable: 'MCP_GUARD_URL',
    text: `{\n  "mcpServers": {\n    "keyed": { "type": "streamableHttp", "url": "https://mcp.example.com/mcp?access_token=${CANARY}", "autoApprove": [], "timeout": 60 }\n  }\n}\n`,
  },
  {
    client: 'zed',
    file: 'zed/settings.json',
    url: 'https://gw.example.com/mcp/a1b2c3d4e5f6a7b8c9d0e1f2a3',
    variable: 'MCP_GUARD_URL',
    text: '// Zed\n{\n  "context_servers": {\n    "keyed": { "source": "custom", "url": "https://gw.example.com/mcp/a1b2c3d4e5f6a7b8c9d0e1f2a3" }\n  }\n}\n',
  },
];

/** The part of the URL that is the credential: what must appear in no argv. */
function secretOf(url: string): string {
  return /\$\{input:[^}]+\}|canary-url-\w+|sk-ant-\w+|a1b2c3d4\w+/.exec(url)![0];
}

describe.each(CLIENT_CASES)('wrap / unwrap of a credential-bearing URL: $client', ({ client, file, text, url, variable }) => {
  it('puts the URL in env only, launches --url-env, is idempotent, and unwrap restores the file byte for byte', async () => {
    const { dir, env } = await workspace();
    const root = join(dir, 'remote');
    const config = join(root, file);
    await writeFile(config, text);
    const before = clientById(client).parse(text, config);

    const first = await run('wrap', ['--config', file, '--lock', 'mcp.lock'], root, env);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/wrapped\s+keyed\n/);
    const wrappedText = await readFile(config, 'utf8');
    const [server] = clientById(client).parse(wrappedText, config);
    expect(server!.transport).toBe('stdio');
    expect(server!.command).toBe(node);
    expect(server!.args).toEqual([bin, 'proxy', '--lock', join(root, 'mcp.lock'), '--name', 'keyed', '--url-env', variable, ...(client === 'claude-desktop' ? ['--header-env', 'X-Tenant=MCP_GUARD_HEADER_X_TENANT'] : [])]);
    expect(server!.env?.[variable]).toBe(url);
    // The canary property: the credential is in the written file exactly once, as the env value.
    const secret = secretOf(url);
    expect(server!.args!.some((arg) => arg.includes(secret))).toBe(false);
    expect(wrappedText.split(secret).length - 1).toBe(1);
    if (client === 'codex') expect(server!.env).toEqual({ MCP_GUARD_URL: 'something else', MCP_GUARD_URL_2: url });

    const second = await run('wrap', ['--config', file, '--lock', 'mcp.lock'], root, env);
    expect(second.stdout).toMatch(/already-wrapped\s+keyed\n/);
    expect(await readFile(config, 'utf8')).toBe(wrappedText);

    const undo = await run('unwrap', ['--config', file], root, env);
    expect(undo.stdout).toMatch(/unwrapped\s+keyed\n/);
    expect(await readFile(config, 'utf8')).toBe(text);

    // Again, with the record gone: the entry is rebuilt with the URL taken back out of env.
    await run('wrap', ['--config', file, '--lock', 'mcp.lock'], root, env);
    const rebuilt = await run('unwrap', ['--config', file], root, { ...env, XDG_STATE_HOME: join(dir, 'other-state') });
    expect(rebuilt.stdout).toMatch(/restored-from-args\s+keyed: no record of the original entry: rebuilt as a streamable HTTP entry from the URL/);
    const [after] = clientById(client).parse(await readFile(config, 'utf8'), config);
    expect(after!.transport).not.toBe('stdio');
    expect(after!.url).toBe(url);
    expect(after!.headers).toEqual(before[0]!.headers);
    expect(after!.env).toEqual(before[0]!.env);
  });
});

describe('wrap --dry-run', () => {
  it('masks the credential of a URL it moves into env, in both the removed and the added line', async () => {
    const { dir, env } = await workspace();
    const root = join(dir, 'remote');
    const zed = CLIENT_CASES.find((c) => c.client === 'zed')!;
    await writeFile(join(root, zed.file), zed.text);
    const result = await run('wrap', ['--config', zed.file, '--lock', 'mcp.lock', '--dry-run'], root, env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"--url-env",');
    expect(result.stdout).toMatch(/-.*"url": "https:\/\/gw\.example\.com\/mcp\/\[REDACTED\]"/);
    expect(result.stdout).toMatch(/\+.*"MCP_GUARD_URL": "https:\/\/gw\.example\.com\/mcp\/\[REDACTED\]"/);
    expect(result.stdout).not.toContain(secretOf(zed.url));
    expect(await readFile(join(root, zed.file), 'utf8')).toBe(zed.text);
  });
});

describe('a --url-env entry after wrap', () => {
  it('re-wrapping with --policy changes the launch only; an edit after wrap is kept when unwrap rebuilds the entry', async () => {
    const { dir, env } = await workspace();
    const root = join(dir, 'remote');
    const { file, text, url } = CLIENT_CASES.find((c) => c.client === 'claude-code')!;
    const config = join(root, file);
    await writeFile(config, text);
    await writeFile(join(root, 'policy.yaml'), 'version: 1\ndefault: allow\n');
    await run('wrap', ['--config', file, '--lock', 'mcp.lock'], root, env);
    const updated = await run('wrap', ['--config', file, '--lock', 'mcp.lock', '--policy', 'policy.yaml'], root, env);
    expect(updated.stdout).toMatch(/updated\s+keyed\n/);
    const keyed = JSON.parse(await readFile(config, 'utf8')).mcpServers.keyed;
    expect(keyed.args.slice(4)).toEqual(['--policy', join(root, 'policy.yaml'), '--name', 'keyed', '--url-env', 'MCP_GUARD_URL']);
    expect(keyed.env).toEqual({ MCP_GUARD_URL: url });

    await writeFile(config, (await readFile(config, 'utf8')).replace('"env": {', '"timeout": 30,\n      "env": {'));
    const undo = await run('unwrap', ['--config', file], root, env);
    expect(undo.stdout).toMatch(/restored-from-args\s+keyed: the entry changed after wrap: rebuilt as a streamable HTTP entry from the URL and the header values in its env, later edits kept/);
    expect(JSON.parse(await readFile(config, 'utf8')).mcpServers.keyed).toEqual({ type: 'http', url, timeout: 30 });
  });
});
