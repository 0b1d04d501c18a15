// OpenAI Codex (https://developers.openai.com/codex/mcp, docs/config.md in openai/codex):
// $CODEX_HOME/config.toml (default ~/.codex) and a trusted project's .codex/config.toml, one
// `[mcp_servers.NAME]` table per server: stdio `command`, `args`, `env`, `cwd`; streamable HTTP `url`
// with `http_headers`, `env_http_headers` (header → env var name) and `bearer_token_env_var`;
// `enabled = false` turns a server off. Header values read from the environment are written as
// `${env:NAME}` so the shared resolver fills them in (or records them as unresolved).

import { join } from 'node:path';
import { invalidAt, isObject, parseTomlDocument } from './document.js';
import { describe, readServerEntry, registerServerSecrets } from './entries.js';
import { nonEmpty } from './paths.js';
import type { ClientDefinition, ParsedServer } from './types.js';

export const codex: ClientDefinition = {
  id: 'codex',
  displayName: 'Codex',
  placeholders: ['vscode'],
  locations: (env) => [
    { path: join(nonEmpty(env.env['CODEX_HOME']) ?? join(env.home, '.codex'), 'config.toml'), scope: 'user' },
    { path: join(env.cwd, '.codex', 'config.toml'), scope: 'project', workspaceFolder: env.cwd },
  ],
  parse: parseCodexFile,
};

export function parseCodexFile(text: string, path: string): ParsedServer[] {
  const doc = parseTomlDocument(text, path);
  const root = doc.root;
  if (!isObject(root)) return [];
  const table = root['mcp_servers'];
  if (table === undefined) return [];
  if (!isObject(table)) throw invalidAt(doc, ['mcp_servers'], `"mcp_servers" must be a table of servers, not ${describe(table)}`);
  return Object.keys(table).map((name) => {
    const path = ['mcp_servers', name];
    const entry = table[name]!;
    const server = readServerEntry(doc, path, name, entry, { urlKeys: [{ key: 'url', transport: 'http' }], headersKey: 'http_headers' });
    if (server.transport !== 'stdio' && isObject(entry)) {
      const headers = { ...server.headers };
      const fromEnv = entry['env_http_headers'];
      if (fromEnv !== undefined) {
        if (!isObject(fromEnv)) throw invalidAt(doc, [...path, 'env_http_headers'], `server "${name}": "env_http_headers" must be a table`);
        for (const [header, variable] of Object.entries(fromEnv)) {
          if (typeof variable !== 'string') {
            throw invalidAt(doc, [...path, 'env_http_headers', header], `server "${name}": "env_http_headers.${header}" must name an environment variable`);
          }
          headers[header] = `\${env:${variable}}`;
        }
      }
      const bearerVar = entry['bearer_token_env_var'];
      const bearer = entry['bearer_token'];
      if (typeof bearerVar === 'string') headers['Authorization'] = `Bearer \${env:${bearerVar}}`;
      else if (typeof bearer === 'string') headers['Authorization'] = `Bearer ${bearer}`;
      if (Object.keys(headers).length > 0) server.headers = headers;
      registerServerSecrets(server);
    }
    return server;
  });
}
