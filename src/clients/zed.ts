// Zed (https://zed.dev/docs/ai/mcp): settings.json (JSONC) in ~/.config/zed (Linux and macOS,
// $XDG_CONFIG_HOME honoured) or %APPDATA%\Zed, and a project's .zed/settings.json. Key
// `context_servers`; custom servers are `{command, args, env}` or the older
// `{command: {path, args, env}}`, remote ones `{url, headers}`; `enabled: false` turns one off.
// Servers provided by an extension (`source: "extension"`) carry only settings: the extension knows
// the command, not the file, so they cannot be launched or analysed from here.

import { join } from 'node:path';
import type { JsonObject } from '../model.js';
import { invalidAt, isObject, parseJsoncDocument, type JsonPath } from './document.js';
import { describe, readServerEntry } from './entries.js';
import { appDataDir, xdgConfigHome } from './paths.js';
import type { ClientDefinition, ParsedServer } from './types.js';

export const zed: ClientDefinition = {
  id: 'zed',
  displayName: 'Zed',
  placeholders: [],
  locations: (env) => [
    {
      path: env.platform === 'win32' ? join(appDataDir(env), 'Zed', 'settings.json') : join(xdgConfigHome(env), 'zed', 'settings.json'),
      scope: 'user',
    },
    { path: join(env.cwd, '.zed', 'settings.json'), scope: 'project', workspaceFolder: env.cwd },
  ],
  parse: parseZedFile,
};

export function parseZedFile(text: string, path: string): ParsedServer[] {
  const doc = parseJsoncDocument(text, path);
  if (!isObject(doc.root)) throw invalidAt(doc, [], 'expected a JSON object at the top level');
  const map = doc.root['context_servers'];
  if (map === undefined || map === null) return [];
  if (!isObject(map)) throw invalidAt(doc, ['context_servers'], `"context_servers" must be an object of servers, not ${describe(map)}`);
  const out: ParsedServer[] = [];
  for (const name of Object.keys(map)) {
    const entry = map[name]!;
    const path: JsonPath = ['context_servers', name];
    if (isObject(entry) && entry['source'] === 'extension') continue;
    const nested = isObject(entry) && isObject(entry['command']) ? entry['command'] : undefined;
    if (!nested || !isObject(entry)) {
      out.push(readServerEntry(doc, path, name, entry));
      continue;
    }
    const flat: JsonObject = { ...entry, command: nested['path'] ?? null };
    for (const key of ['args', 'env'] as const) if (nested[key] !== undefined) flat[key] = nested[key]!;
    out.push(
      readServerEntry(doc, path, name, flat, {
        urlKeys: [{ key: 'url', transport: 'http' }],
        fieldPath: (base, key) => (key === 'command' ? [...base, 'command', 'path'] : key === 'args' || key === 'env' ? [...base, 'command', key] : [...base, key]),
      }),
    );
  }
  return out;
}
