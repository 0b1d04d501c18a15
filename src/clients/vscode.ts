// VS Code (+ Insiders, VSCodium, and every profile under User/profiles/*):
// - `mcp.json` with `servers` (and `inputs` for prompted secrets) in the user directory, each profile,
//   and the workspace's .vscode/mcp.json (https://code.visualstudio.com/docs/copilot/reference/mcp-configuration);
// - the older `settings.json` form: `"mcp": {"servers": {...}}` or the dotted key `"mcp.servers"`.
// JSONC throughout. `type` is stdio | http | sse; a `url` without a type is HTTP (VS Code falls back
// to SSE itself). `${input:…}` is prompted at start and can never be known here.

import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { invalidAt, isObject, parseJsoncDocument } from './document.js';
import { readServerMap } from './entries.js';
import { VSCODE_EDITIONS, vscodeUserDir } from './paths.js';
import type { ClientDefinition, ConfigLocation, ParsedServer } from './types.js';

export const vscode: ClientDefinition = {
  id: 'vscode',
  displayName: 'VS Code',
  placeholders: ['vscode'],
  locations: async (env) => {
    const out: ConfigLocation[] = [];
    for (const edition of VSCODE_EDITIONS) {
      const user = vscodeUserDir(env, edition);
      const dirs = [user, ...(await profileDirs(join(user, 'profiles')))];
      for (const dir of dirs) {
        out.push({ path: join(dir, 'mcp.json'), scope: 'user' });
        out.push({ path: join(dir, 'settings.json'), scope: 'user' });
      }
    }
    out.push({ path: join(env.cwd, '.vscode', 'mcp.json'), scope: 'project', workspaceFolder: env.cwd });
    out.push({ path: join(env.cwd, '.vscode', 'settings.json'), scope: 'project', workspaceFolder: env.cwd });
    return out;
  },
  parse: parseVscodeFile,
};

/**
 * Reads both shapes, so a file given with --config works whatever its name — except that a
 * settings.json is never read for a top-level `servers`, a key any extension may own there.
 */
export function parseVscodeFile(text: string, path: string): ParsedServer[] {
  const doc = parseJsoncDocument(text, path);
  if (!isObject(doc.root)) throw invalidAt(doc, [], 'expected a JSON object at the top level');
  const settings = [...readServerMap(doc, ['mcp', 'servers']), ...readServerMap(doc, ['mcp.servers'])];
  if (basename(path).toLowerCase() === 'settings.json') return settings;
  const inputs = doc.root['inputs'];
  if (inputs !== undefined && !Array.isArray(inputs)) throw invalidAt(doc, ['inputs'], '"inputs" must be a list');
  return [...readServerMap(doc, ['servers']), ...settings];
}

async function profileDirs(root: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return []; // no profiles: the default profile lives in User/ itself
  }
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(root, name));
}
