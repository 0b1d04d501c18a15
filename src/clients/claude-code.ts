// Claude Code (https://code.claude.com/docs/en/mcp, /settings):
// - ~/.claude.json (or $CLAUDE_CONFIG_DIR/.claude.json): top-level `mcpServers` (user scope) AND
//   `projects.<abs path>.mcpServers` (per-project "local" scope) for every project ever opened —
//   scanners that skip the latter miss most servers;
// - <project>/.mcp.json (project scope);
// - managed-mcp.json under /Library/Application Support/ClaudeCode, /etc/claude-code,
//   C:\Program Files\ClaudeCode;
// - installed plugins (see claude-plugins.ts).
// Values expand `${VAR}` and `${VAR:-default}`.

import { basename, join } from 'node:path';
import { pluginLocations } from './claude-plugins.js';
import { invalidAt, isObject, parseJsoncDocument } from './document.js';
import { readServerMap } from './entries.js';
import { nonEmpty, systemPath } from './paths.js';
import type { ClientDefinition, ConfigLocation, DiscoveryEnv, ParsedServer } from './types.js';

export const claudeCode: ClientDefinition = {
  id: 'claude-code',
  displayName: 'Claude Code',
  placeholders: ['shell-braced'],
  locations: async (env) => {
    const configDir = nonEmpty(env.env['CLAUDE_CONFIG_DIR']);
    const out: ConfigLocation[] = [
      { path: configDir ? join(configDir, '.claude.json') : join(env.home, '.claude.json'), scope: 'user' },
      { path: join(env.cwd, '.mcp.json'), scope: 'project', workspaceFolder: env.cwd },
      { path: managedPath(env), scope: 'managed' },
    ];
    out.push(...(await pluginLocations(configDir ?? join(env.home, '.claude'))));
    return out;
  },
  parse: parseClaudeCodeFile,
};

function managedPath(env: DiscoveryEnv): string {
  switch (env.platform) {
    case 'darwin':
      return systemPath(env, 'Library', 'Application Support', 'ClaudeCode', 'managed-mcp.json');
    case 'win32': {
      const programFiles = env.systemRoot === undefined ? nonEmpty(env.env['ProgramFiles']) : undefined;
      return programFiles
        ? join(programFiles, 'ClaudeCode', 'managed-mcp.json')
        : systemPath(env, 'Program Files', 'ClaudeCode', 'managed-mcp.json');
    }
    default:
      return systemPath(env, 'etc', 'claude-code', 'managed-mcp.json');
  }
}

export function parseClaudeCodeFile(text: string, path: string): ParsedServer[] {
  const doc = parseJsoncDocument(text, path);
  const root = doc.root;
  if (!isObject(root)) throw invalidAt(doc, [], `expected a JSON object at the top level`);
  const servers = readServerMap(doc, ['mcpServers']);
  const projects = root['projects'];
  if (projects !== undefined && projects !== null) {
    if (!isObject(projects)) throw invalidAt(doc, ['projects'], `"projects" must be an object keyed by project path`);
    for (const project of Object.keys(projects).sort()) {
      for (const server of readServerMap(doc, ['projects', project, 'mcpServers'])) {
        servers.push({ ...server, workspaceFolder: project });
      }
    }
  }
  if (servers.length === 0 && root['mcpServers'] === undefined && basename(path) === '.mcp.json' && looksLikeServerMap(root)) {
    // Plugin .mcp.json files may hold the server map itself.
    return readServerMap(doc, []);
  }
  return servers;
}

function looksLikeServerMap(root: Record<string, unknown>): boolean {
  const values = Object.values(root);
  return (
    values.length > 0 &&
    values.every((value) => isObject(value as never) && ['command', 'url', 'type'].some((key) => key in (value as object)))
  );
}
