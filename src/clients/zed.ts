// Zed (https://zed.dev/docs/ai/mcp): settings.json (JSONC) in ~/.config/zed (Linux and macOS,
// $XDG_CONFIG_HOME honoured) or %APPDATA%\Zed, and a project's .zed/settings.json. Key
// `context_servers`; custom servers are `{command, args, env}` or the older
// `{command: {path, args, env}}`, remote ones `{url, headers}`; `enabled: false` turns one off.
// Servers provided by an extension (`source: "extension"`, or in older files an entry holding only
// `settings`) carry no launch: the extension knows the command, not the file, so they cannot be
// launched or analysed from here.

import { join } from 'node:path';
import { registerSecrets } from '../findings/redact.js';
import type { JsonObject, JsonValue } from '../model.js';
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
    if (isExtensionServer(entry)) {
      // The extension's settings often hold its token (e.g. github_personal_access_token).
      registerSecrets(stringLeaves(isObject(entry) ? entry['settings'] : undefined));
      continue;
    }
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

function isExtensionServer(entry: JsonValue): boolean {
  if (!isObject(entry)) return false;
  if (entry['source'] === 'extension') return true;
  const hasLaunch = ['command', 'url'].some((key) => entry[key] !== undefined && entry[key] !== null);
  return !hasLaunch && entry['source'] === undefined && entry['settings'] !== undefined;
}

function stringLeaves(value: JsonValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (isObject(value)) return Object.values(value).flatMap(stringLeaves);
  return [];
}
