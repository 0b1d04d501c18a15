// Gemini CLI (https://geminicli.com/docs/tools/mcp-server, /docs/cli/configuration):
// ~/.gemini/settings.json, <project>/.gemini/settings.json, the system settings file
// (/etc/gemini-cli, C:\ProgramData\gemini-cli, /Library/Application Support/GeminiCli, or
// $GEMINI_CLI_SYSTEM_SETTINGS_PATH), and extensions (~/.gemini/extensions/*/gemini-extension.json).
// Key `mcpServers`; `httpUrl` is streamable HTTP and `url` is SSE. `mcp.excluded` turns servers off
// and `mcp.allowed`, when present, turns off every server it does not list. `$VAR` / `${VAR}` expand;
// extension manifests also expand `${extensionPath}`, `${workspacePath}` and `${/}`.

import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseJsoncDocument } from './document.js';
import { readServerMap, valueAt } from './entries.js';
import { nonEmpty, systemPath } from './paths.js';
import type { ClientDefinition, ConfigLocation, DiscoveryEnv, ParsedServer } from './types.js';

export const geminiCli: ClientDefinition = {
  id: 'gemini-cli',
  displayName: 'Gemini CLI',
  placeholders: ['shell'],
  locations: async (env) => {
    const out: ConfigLocation[] = [
      { path: join(env.home, '.gemini', 'settings.json'), scope: 'user' },
      { path: join(env.cwd, '.gemini', 'settings.json'), scope: 'project', workspaceFolder: env.cwd },
      { path: systemSettingsPath(env), scope: 'managed' },
    ];
    for (const file of await extensionManifests(join(env.home, '.gemini', 'extensions'))) {
      out.push({ path: file, scope: 'user', variables: { extensionPath: dirname(file), workspacePath: env.cwd } });
    }
    return out;
  },
  parse: parseGeminiFile,
};

export function parseGeminiFile(text: string, path: string): ParsedServer[] {
  const doc = parseJsoncDocument(text, path);
  const servers = readServerMap(doc, ['mcpServers'], {
    urlKeys: [
      { key: 'httpUrl', transport: 'http' },
      { key: 'url', transport: 'sse' },
    ],
  });
  const excluded = stringsAt(valueAt(doc.root, ['mcp', 'excluded']));
  const allowed = valueAt(doc.root, ['mcp', 'allowed']);
  const allowList = Array.isArray(allowed) ? stringsAt(allowed) : undefined;
  for (const server of servers) {
    if (excluded.includes(server.name) || (allowList && !allowList.includes(server.name))) server.disabled = true;
  }
  return servers;
}

function stringsAt(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function systemSettingsPath(env: DiscoveryEnv): string {
  const override = nonEmpty(env.env['GEMINI_CLI_SYSTEM_SETTINGS_PATH']);
  if (override) return override;
  switch (env.platform) {
    case 'darwin':
      return systemPath(env, 'Library', 'Application Support', 'GeminiCli', 'settings.json');
    case 'win32':
      return systemPath(env, 'ProgramData', 'gemini-cli', 'settings.json');
    default:
      return systemPath(env, 'etc', 'gemini-cli', 'settings.json');
  }
}

async function extensionManifests(root: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return []; // no extensions installed
  }
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(root, name, 'gemini-extension.json'));
}

