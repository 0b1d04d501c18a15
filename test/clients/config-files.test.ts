import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFiles } from '../../src/clients/discover.js';
import type { DiscoveryEnv } from '../../src/clients/types.js';
import { GuardError } from '../../src/errors.js';
import type { ClientId, Transport } from '../../src/model.js';
import { byName, fixture } from './helpers.js';

const env: DiscoveryEnv = { platform: 'linux', home: fixture('formats'), cwd: fixture('formats'), env: {} };

// --config FILE: the format comes from the keys; the name picks among clients sharing `mcpServers`.
const FORMATS: Array<{ file: string; client: ClientId; server: string; transport: Transport }> = [
  { file: 'claude_desktop_config.json', client: 'claude-desktop', server: 'desktop-fmt', transport: 'stdio' },
  { file: '.claude.json', client: 'claude-code', server: 'claude-project-fmt', transport: 'stdio' },
  { file: 'plain-mcp-servers.json', client: 'generic', server: 'generic-fmt', transport: 'sse' },
  { file: '.gemini/settings.json', client: 'gemini-cli', server: 'gemini-fmt', transport: 'sse' },
  { file: 'mcp_config.json', client: 'windsurf', server: 'windsurf-fmt', transport: 'http' },
  { file: 'cline_mcp_settings.json', client: 'cline', server: 'cline-fmt', transport: 'sse' },
  { file: 'vscode-mcp.json', client: 'vscode', server: 'vscode-fmt', transport: 'http' },
  { file: 'vscode-settings-nested.json', client: 'vscode', server: 'vscode-nested-fmt', transport: 'stdio' },
  { file: 'vscode-settings-dotted.json', client: 'vscode', server: 'vscode-dotted-fmt', transport: 'stdio' },
  { file: 'opencode.json', client: 'opencode', server: 'opencode-fmt', transport: 'stdio' },
  { file: 'oc-renamed.json', client: 'opencode', server: 'opencode-renamed-fmt', transport: 'http' },
  { file: 'zed-settings.json', client: 'zed', server: 'zed-fmt', transport: 'stdio' },
  { file: 'codex.toml', client: 'codex', server: 'codex-fmt', transport: 'stdio' },
];

describe('--config format detection', () => {
  it.each(FORMATS)('$file is read as $client', async ({ file, client, server, transport }) => {
    const result = await readConfigFiles([file], env);
    expect(result.files).toEqual([{ client, path: fixture('formats', file), scope: 'explicit', status: 'read', serverCount: 1 }]);
    expect(result.servers).toHaveLength(1);
    expect(result.servers[0]).toMatchObject({ name: server, transport });
    expect(result.servers[0]!.sources).toEqual([expect.objectContaining({ client, scope: 'explicit' })]);
  });

  it('reads several files in one call, the demo config among them', async () => {
    const result = await readConfigFiles([fixture('demo', '.mcp.json'), 'codex.toml'], env);
    expect(result.files.map((file) => file.client)).toEqual(['claude-code', 'codex']);
    expect(result.servers.map((server) => server.name)).toEqual(['codex-fmt', 'everything', 'notes', 'weather']);
    // Relative paths stay as written: the launcher resolves them against its own cwd.
    expect(byName(result.servers, 'weather')).toMatchObject({ command: 'node', args: ['fixtures/servers/poisoned.mjs'] });
    expect(byName(result.servers, 'everything').args).toEqual(['node_modules/@modelcontextprotocol/server-everything/dist/index.js']);
  });

  it('reads the VS Code settings file from a real tree as VS Code', async () => {
    const path = fixture('all-clients-linux', 'home', '.config', 'Code - Insiders', 'User', 'settings.json');
    const result = await readConfigFiles([path], env);
    expect(result.files[0]).toMatchObject({ client: 'vscode', status: 'read' });
    expect(result.servers[0]!.sources[0]!.pointer).toBe('["mcp.servers"].vscode-insiders');
  });

  it('never takes a top-level `servers` in a VS Code settings.json for MCP servers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-settings-'));
    try {
      const file = join(dir, 'settings.json');
      writeFileSync(file, '{ "servers": ["some-extension-owns-this"], "mcp": { "servers": { "s": { "command": "node" } } } }');
      const result = await readConfigFiles([file], env);
      expect(result.servers.map((server) => server.name)).toEqual(['s']);
      expect(result.files[0]).toMatchObject({ client: 'vscode', serverCount: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a JSON file with no MCP key, pointing at it', async () => {
    const error = await readConfigFiles([fixture('invalid-json', 'unknown-keys.json')], env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuardError);
    expect(error).toMatchObject({ code: 'config-invalid', location: { file: fixture('invalid-json', 'unknown-keys.json'), line: 1, column: 1 } });
    expect((error as GuardError).message).toMatch(/mcpServers/);
  });

  it('a missing --config file is config-unreadable, not an empty result', async () => {
    const error = await readConfigFiles(['does-not-exist.json'], env).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'config-unreadable', location: { file: fixture('formats', 'does-not-exist.json') } });
  });

  it('a directory given as --config is config-unreadable', async () => {
    const error = await readConfigFiles([fixture('formats', '.gemini')], env).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'config-unreadable' });
  });
});
