import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverServers, discoveryEnvFromProcess } from '../../src/clients/discover.js';
import { CLIENTS } from '../../src/clients/registry.js';
import type { ClientId, ConfigScope } from '../../src/model.js';
import { byName, fixture, treeEnv } from './helpers.js';

// Every (client, scope, server) the all-clients trees define; identical on each platform, only the
// files' places differ.
const EXPECTED: Array<[ClientId, ConfigScope, string]> = [
  ['claude-desktop', 'user', 'desktop'],
  ['claude-code', 'user', 'cc-user'],
  ['claude-code', 'user', 'cc-local'],
  ['claude-code', 'user', 'cc-plugin'],
  ['claude-code', 'project', 'cc-project'],
  ['claude-code', 'managed', 'cc-managed'],
  ['cursor', 'user', 'cursor-user'],
  ['cursor', 'project', 'cursor-project'],
  ['vscode', 'user', 'vscode-user'],
  ['vscode', 'user', 'vscode-remote'],
  ['vscode', 'user', 'vscode-settings'],
  ['vscode', 'user', 'vscode-insiders'],
  ['vscode', 'user', 'vscode-profile'],
  ['vscode', 'project', 'vscode-workspace'],
  ['copilot-cli', 'user', 'copilot-user'],
  ['windsurf', 'user', 'windsurf-user'],
  ['windsurf', 'project', 'windsurf-project'],
  ['gemini-cli', 'user', 'gemini-http'],
  ['gemini-cli', 'user', 'gemini-sse'],
  ['gemini-cli', 'user', 'gemini-stdio'],
  ['gemini-cli', 'user', 'gemini-ext'],
  ['gemini-cli', 'project', 'gemini-project'],
  ['gemini-cli', 'managed', 'gemini-managed'],
  ['codex', 'user', 'codex-stdio'],
  ['codex', 'user', 'codex-http'],
  ['kiro', 'user', 'kiro-user'],
  ['kiro', 'project', 'kiro-project'],
  ['amazon-q', 'user', 'amazonq-user'],
  ['amazon-q', 'user', 'amazonq-agent'],
  ['opencode', 'user', 'opencode-local'],
  ['opencode', 'user', 'opencode-remote'],
  ['opencode', 'project', 'opencode-project'],
  ['zed', 'user', 'zed-nested'],
  ['zed', 'user', 'zed-flat'],
  ['cline', 'user', 'cline-user'],
  ['cline', 'user', 'cline-remote'],
];

const PLATFORMS: Array<{
  tree: string;
  platform: NodeJS.Platform;
  files: Partial<Record<ClientId, string>>;
  extra?: Array<[ClientId, ConfigScope, string]>;
}> = [
  {
    tree: 'all-clients-linux',
    platform: 'linux',
    files: {
      'claude-desktop': 'home/.config/Claude/claude_desktop_config.json',
      vscode: 'home/.config/Code/User/mcp.json',
      zed: 'home/.config/zed/settings.json',
      cline: 'home/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
      'claude-code': 'system/etc/claude-code/managed-mcp.json',
      'gemini-cli': 'system/etc/gemini-cli/settings.json',
    },
  },
  {
    tree: 'all-clients-macos',
    platform: 'darwin',
    files: {
      'claude-desktop': 'home/Library/Application Support/Claude/claude_desktop_config.json',
      vscode: 'home/Library/Application Support/Code/User/mcp.json',
      zed: 'home/.config/zed/settings.json',
      cline: 'home/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
      'claude-code': 'system/Library/Application Support/ClaudeCode/managed-mcp.json',
      'gemini-cli': 'system/Library/Application Support/GeminiCli/settings.json',
    },
  },
  {
    tree: 'all-clients-windows',
    platform: 'win32',
    files: {
      'claude-desktop': 'home/AppData/Roaming/Claude/claude_desktop_config.json',
      vscode: 'home/AppData/Roaming/Code/User/mcp.json',
      zed: 'home/AppData/Roaming/Zed/settings.json',
      cline: 'home/AppData/Roaming/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
      'claude-code': 'system/Program Files/ClaudeCode/managed-mcp.json',
      'gemini-cli': 'system/ProgramData/gemini-cli/settings.json',
    },
    // The MSIX build of Claude Desktop reads a virtualised copy of %APPDATA%.
    extra: [['claude-desktop', 'user', 'desktop-msix']],
  },
];

describe.each(PLATFORMS)('discovery on $platform ($tree)', ({ tree, platform, files, extra = [] }) => {
  it('finds every client and scope in the tree', async () => {
    const result = await discoverServers(treeEnv(tree, platform));
    const found = result.servers.flatMap((server) =>
      server.sources.map((source) => `${source.client} ${source.scope} ${server.name}`),
    );
    expect(found.sort()).toEqual([...EXPECTED, ...extra].map((row) => row.join(' ')).sort());
    // Every client we know has at least one file read in the tree.
    const readClients = new Set(result.files.filter((file) => file.status === 'read').map((file) => file.client));
    expect([...readClients].sort()).toEqual(CLIENTS.map((client) => client.id).sort());
  });

  it('reads each client from its platform-specific place', async () => {
    const result = await discoverServers(treeEnv(tree, platform));
    const read = result.files.filter((file) => file.status === 'read').map((file) => relative(fixture(tree), file.path));
    for (const path of Object.values(files)) expect(read).toContain(join(...path.split('/')));
  });

  it('reports files it looked for and did not find', async () => {
    const result = await discoverServers(treeEnv(tree, platform));
    const missing = result.files.filter((file) => file.status === 'not-found').map((file) => relative(fixture(tree), file.path));
    expect(missing).toContain(join('project', '.codex', 'config.toml'));
    expect(missing).toContain(join('project', '.amazonq', 'mcp.json'));
    for (const file of result.files) {
      if (file.status === 'read') expect(file.serverCount).toBeGreaterThan(0);
      else expect(file.serverCount).toBe(0);
    }
  });

  it('is deterministic and sorted by name', async () => {
    const first = await discoverServers(treeEnv(tree, platform));
    const second = await discoverServers(treeEnv(tree, platform));
    expect(second).toEqual(first);
    const names = first.servers.map((server) => server.name);
    expect(names).toEqual([...names].sort());
  });
});

describe('client details found through discovery', () => {
  it('normalises each client shape', async () => {
    const { servers } = await discoverServers(treeEnv('all-clients-linux', 'linux', { GEMINI_TOKEN: 'CANARY-SECRET-GEMINI-1' }));
    // Cursor whole command line, split with quoting.
    expect(byName(servers, 'cursor-user')).toMatchObject({ command: 'npx', args: ['-y', '@acme/cursor-mcp', '--verbose', 'two words'] });
    // Gemini: httpUrl is streamable HTTP, url is SSE; $VAR expands from the environment.
    expect(byName(servers, 'gemini-http')).toMatchObject({ transport: 'http', headers: { Authorization: 'Bearer CANARY-SECRET-GEMINI-1' } });
    expect(byName(servers, 'gemini-sse').transport).toBe('sse');
    expect(byName(servers, 'gemini-project').disabled).toBe(true); // mcp.excluded
    // Windsurf serverUrl; Cline bare url is SSE; VS Code type sse.
    expect(byName(servers, 'windsurf-user')).toMatchObject({ transport: 'http', url: 'https://mcp.example.com/windsurf' });
    expect(byName(servers, 'cline-remote').transport).toBe('sse');
    expect(byName(servers, 'cline-user').disabled).toBe(true);
    expect(byName(servers, 'vscode-remote').transport).toBe('sse');
    // OpenCode command array + environment; enabled:false.
    expect(byName(servers, 'opencode-local')).toMatchObject({ command: 'bun', args: ['x', 'acme-mcp'], env: { OPENCODE_SECRET: 'CANARY-SECRET-OPENCODE-3456' } });
    expect(byName(servers, 'opencode-project').disabled).toBe(true);
    expect(byName(servers, 'opencode-remote')).toMatchObject({ transport: 'http', unresolvedPlaceholders: ['{env:OPENCODE_TOKEN}'] });
    // Zed: both shapes; extension-provided servers carry no launch and are not entries.
    expect(byName(servers, 'zed-nested')).toMatchObject({ command: 'node', args: ['zed-server.js'], env: { ZED_SECRET: 'CANARY-SECRET-ZED-7890' } });
    expect(byName(servers, 'zed-flat')).toMatchObject({ command: 'uvx', args: ['mcp-server-fetch'] });
    expect(servers.some((server) => server.name === 'zed-extension')).toBe(false);
    // Codex: bearer_token_env_var becomes an Authorization header, unresolved when unset; enabled=false.
    expect(byName(servers, 'codex-http')).toMatchObject({
      transport: 'http',
      disabled: true,
      headers: { Authorization: 'Bearer ${env:CODEX_BEARER}' },
      unresolvedPlaceholders: ['${env:CODEX_BEARER}'],
    });
    // Gemini extension manifests expand ${extensionPath}, ${/} and ${workspacePath}.
    expect(byName(servers, 'gemini-ext').args).toEqual([
      join(fixture('all-clients-linux', 'home', '.gemini', 'extensions', 'acme-ext'), 'server.js'),
      '--root',
      fixture('all-clients-linux', 'project'),
    ]);
    // Claude Code: project entries of ~/.claude.json, plugin root expansion, ${VAR:-default}.
    expect(byName(servers, 'cc-local').sources[0]!.pointer).toBe('projects["/home/dev/app"].mcpServers.cc-local');
    const pluginRoot = fixture('all-clients-linux', 'home', '.claude', 'plugins', 'marketplaces', 'acme', 'plugins', 'db-tools');
    expect(byName(servers, 'cc-plugin')).toMatchObject({
      command: join(pluginRoot, 'bin', 'db-server'),
      args: ['--config', join(pluginRoot, 'config.json')],
      env: { DB_URL: 'postgres://localhost/dev' },
    });
    expect(servers.some((server) => server.name === 'not-a-plugin')).toBe(false); // node_modules is skipped
    // VS Code workspace: ${workspaceFolder} is the project, ${userHome} the injected home.
    expect(byName(servers, 'vscode-workspace').args).toEqual([
      join(fixture('all-clients-linux', 'project'), 'tools', 'server.js'),
      '--home',
      fixture('all-clients-linux', 'home'),
    ]);
  });

  it('honours CLAUDE_CONFIG_DIR, CODEX_HOME, XDG_CONFIG_HOME and APPDATA', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'mcp-guard-clients-'));
    cleanups.push(scratch);
    const claudeDir = join(scratch, 'claude');
    const codexDir = join(scratch, 'codex');
    const xdg = join(scratch, 'xdg');
    cpSync(fixture('all-clients-linux', 'home', '.claude.json'), join(claudeDir, '.claude.json'), { recursive: true });
    cpSync(fixture('all-clients-linux', 'home', '.codex', 'config.toml'), join(codexDir, 'config.toml'));
    cpSync(fixture('all-clients-linux', 'home', '.config', 'zed'), join(xdg, 'zed'), { recursive: true });
    const env = treeEnv('conflicting-names', 'linux', { CLAUDE_CONFIG_DIR: claudeDir, CODEX_HOME: codexDir, XDG_CONFIG_HOME: xdg });
    const result = await discoverServers(env);
    const read = result.files.filter((file) => file.status === 'read').map((file) => file.path);
    expect(read).toContain(join(claudeDir, '.claude.json'));
    expect(read).toContain(join(codexDir, 'config.toml'));
    expect(read).toContain(join(xdg, 'zed', 'settings.json'));
    // With CLAUDE_CONFIG_DIR set, ~/.claude.json is not where Claude Code looks.
    expect(result.files.some((file) => file.path === join(env.home, '.claude.json'))).toBe(false);

    const appData = join(scratch, 'Roaming');
    cpSync(fixture('all-clients-windows', 'home', 'AppData', 'Roaming', 'Claude'), join(appData, 'Claude'), { recursive: true });
    const windows = await discoverServers({ ...treeEnv('conflicting-names', 'win32'), env: { APPDATA: appData } });
    expect(windows.files.find((file) => file.client === 'claude-desktop')).toMatchObject({
      path: join(appData, 'Claude', 'claude_desktop_config.json'),
      status: 'read',
    });

    // MSIX packages are found by listing %LOCALAPPDATA%\Packages, whatever the publisher id.
    const localAppData = join(scratch, 'Local');
    const msixConfig = join(localAppData, 'Packages', 'Claude_other123', 'LocalCache', 'Roaming', 'Claude');
    cpSync(fixture('all-clients-windows', 'home', 'AppData', 'Roaming', 'Claude'), msixConfig, { recursive: true });
    const msix = await discoverServers({ ...treeEnv('conflicting-names', 'win32'), env: { LOCALAPPDATA: localAppData } });
    expect(msix.files.filter((file) => file.client === 'claude-desktop').map((file) => [file.path, file.status])).toEqual([
      [fixture('conflicting-names', 'home', 'AppData', 'Roaming', 'Claude', 'claude_desktop_config.json'), 'not-found'],
      [join(msixConfig, 'claude_desktop_config.json'), 'read'],
      [join(localAppData, 'Packages', 'Claude_pzs8sxrjxfjjc', 'LocalCache', 'Roaming', 'Claude', 'claude_desktop_config.json'), 'not-found'],
    ]);
  });

  it('reads installed Claude Code plugins from installed_plugins.json, not every cached or offered one', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'mcp-guard-plugins-'));
    cleanups.push(scratch);
    const write = (path: string, value: unknown): void => {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), JSON.stringify(value, null, 2));
    };
    const cache = join(scratch, 'plugins', 'cache', 'acme');
    write('plugins/cache/acme/db/1.0.0/.mcp.json', { 'p-old': { command: 'node', args: ['old.js'] } });
    write('plugins/cache/acme/db/1.1.0/.mcp.json', { mcpServers: { 'p-db': { command: '${CLAUDE_PLUGIN_ROOT}/db' } } });
    write('plugins/cache/acme/api/2.0.0/.claude-plugin/plugin.json', { name: 'api', mcpServers: { 'p-api': { command: 'node', args: ['api.js'] } } });
    write('plugins/cache/acme/ref/1.0.0/.claude-plugin/plugin.json', { name: 'ref', mcpServers: './servers.json' });
    write('plugins/cache/acme/ref/1.0.0/servers.json', { mcpServers: { 'p-ref': { url: 'https://mcp.example.com/ref' } } });
    write('plugins/marketplaces/acme/plugins/uninstalled/.mcp.json', { 'p-uninstalled': { command: 'node' } });
    write('plugins/installed_plugins.json', {
      version: 2,
      plugins: {
        'db@acme': [{ scope: 'user', installPath: join(cache, 'db', '1.1.0'), version: '1.1.0' }],
        'api@acme': [{ scope: 'user', installPath: join(cache, 'api', '2.0.0'), version: '2.0.0' }],
        'ref@acme': { installPath: join(cache, 'ref', '1.0.0'), version: '1.0.0' },
      },
    });
    write('settings.json', { enabledPlugins: { 'api@acme': false, 'db@acme': true } });

    const { servers } = await discoverServers(treeEnv('conflicting-names', 'linux', { CLAUDE_CONFIG_DIR: scratch }));
    const plugins = servers.filter((server) => server.name.startsWith('p-'));
    expect(plugins.map((server) => server.name)).toEqual(['p-api', 'p-db', 'p-ref']);
    expect(byName(servers, 'p-db').command).toBe(join(cache, 'db', '1.1.0', 'db'));
    expect(byName(servers, 'p-api').disabled).toBe(true);
    expect(byName(servers, 'p-db').disabled).toBeUndefined();
    expect(byName(servers, 'p-ref').sources[0]!.path).toBe(join(cache, 'ref', '1.0.0', 'servers.json'));
  });

  it('reads a project file once when cwd is the home directory', async () => {
    const env = treeEnv('all-clients-linux', 'linux');
    const result = await discoverServers({ ...env, cwd: env.home });
    const cursorFiles = result.files.filter((file) => file.client === 'cursor');
    expect(cursorFiles).toEqual([
      { client: 'cursor', path: join(env.home, '.cursor', 'mcp.json'), scope: 'user', status: 'read', serverCount: 1 },
    ]);
  });

  it('builds an environment from the process without reading anything', () => {
    const env = discoveryEnvFromProcess();
    expect(env.platform).toBe(process.platform);
    expect(env.cwd).toBe(process.cwd());
    expect(env.env['PATH']).toBe(process.env['PATH']);
  });
});

const cleanups: string[] = [];
afterAll(() => {
  for (const dir of cleanups) rmSync(dir, { recursive: true, force: true });
});
