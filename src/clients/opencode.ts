// OpenCode (https://opencode.ai/docs/mcp-servers, /docs/config): opencode.json(c) in the project
// (root or .opencode/), ~/.config/opencode/opencode.json(c) on every platform (xdg-basedir), and
// $OPENCODE_CONFIG. Key `mcp`: `type: local` with `command` as an ARRAY and `environment`;
// `type: remote` with `url` and `headers` (streamable HTTP, SSE fallback); `enabled: false` turns a
// server off. Newer releases nest the map under `mcp.servers`. Values expand `{env:VAR}`.

import { join } from 'node:path';
import type { JsonValue } from '../model.js';
import { invalidAt, isObject, parseJsoncDocument } from './document.js';
import { describe, readServerEntry, type EntrySpec } from './entries.js';
import { nonEmpty, xdgConfigHome } from './paths.js';
import type { ClientDefinition, ConfigLocation, ParsedServer } from './types.js';

const SPEC: EntrySpec = { urlKeys: [{ key: 'url', transport: 'http' }], commandIsArray: true, envKey: 'environment' };
const NAMES = ['opencode.json', 'opencode.jsonc'];

export const opencode: ClientDefinition = {
  id: 'opencode',
  displayName: 'OpenCode',
  placeholders: ['opencode'],
  locations: (env) => {
    const out: ConfigLocation[] = NAMES.map((name) => ({ path: join(xdgConfigHome(env), 'opencode', name), scope: 'user' }));
    const override = nonEmpty(env.env['OPENCODE_CONFIG']);
    if (override) out.push({ path: override, scope: 'user' });
    for (const dir of [env.cwd, join(env.cwd, '.opencode')]) {
      for (const name of NAMES) out.push({ path: join(dir, name), scope: 'project', workspaceFolder: env.cwd });
    }
    return out;
  },
  parse: parseOpencodeFile,
};

export function parseOpencodeFile(text: string, path: string): ParsedServer[] {
  const doc = parseJsoncDocument(text, path);
  if (!isObject(doc.root)) throw invalidAt(doc, [], 'expected a JSON object at the top level');
  const mcp = doc.root['mcp'];
  if (mcp === undefined || mcp === null) return [];
  if (!isObject(mcp)) throw invalidAt(doc, ['mcp'], `"mcp" must be an object of servers, not ${describe(mcp)}`);
  const base = isNestedServers(mcp['servers']) ? ['mcp', 'servers'] : ['mcp'];
  const map = (base.length === 2 ? mcp['servers'] : mcp) as Record<string, JsonValue>;
  return Object.keys(map).map((name) => readServerEntry(doc, [...base, name], name, map[name]!, SPEC));
}

/** `mcp.servers` is the v2 container unless it is itself a server called "servers". */
export function isNestedServers(value: JsonValue | undefined): boolean {
  return isObject(value) && typeof value['type'] !== 'string';
}
