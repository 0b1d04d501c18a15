// For `--config FILE`: which client's format a file is in, decided from its keys, with the file's
// name and folder choosing among the many clients that share the `mcpServers` shape (their entries
// differ: Gemini's `url` is SSE, Windsurf's remote key is `serverUrl`, Cline's bare `url` is SSE).

import { extname } from 'node:path';
import type { ClientId, JsonValue } from '../model.js';
import { invalidAt, isObject, parseJsoncDocument } from './document.js';
import { describe } from './entries.js';
import { isNestedServers } from './opencode.js';

const KNOWN_KEYS = '`mcpServers`, `servers`, `mcp.servers`, `mcp`, `context_servers` (JSON) or `[mcp_servers.*]` (TOML)';

export function detectClient(text: string, path: string): ClientId {
  if (extname(path).toLowerCase() === '.toml') return 'codex';
  const doc = parseJsoncDocument(text, path);
  const root = doc.root;
  const unix = path.replace(/\\/g, '/');
  const name = unix.slice(unix.lastIndexOf('/') + 1).toLowerCase();
  if (!isObject(root)) throw invalidAt(doc, [], `expected a JSON object at the top level, not ${describe(root)}`);
  if (root['context_servers'] !== undefined) return 'zed';
  if (root['mcpServers'] !== undefined || (name === '.claude.json' && root['projects'] !== undefined)) {
    return mcpServersClient(unix, name);
  }
  if (root['servers'] !== undefined || root['mcp.servers'] !== undefined) return 'vscode';
  const mcp = root['mcp'];
  if (mcp !== undefined) {
    if (name.startsWith('opencode.')) return 'opencode';
    if (isObject(mcp) && isNestedServers(mcp['servers']) && !looksLikeOpencodeMap(mcp['servers'])) return 'vscode';
    return 'opencode';
  }
  throw invalidAt(doc, [], `no MCP servers found: expected one of ${KNOWN_KEYS}`);
}

function mcpServersClient(path: string, name: string): ClientId {
  if (name === 'claude_desktop_config.json') return 'claude-desktop';
  if (name === '.claude.json' || name === '.mcp.json' || name === 'managed-mcp.json') return 'claude-code';
  if (name === 'cline_mcp_settings.json') return 'cline';
  if (name === 'mcp_config.json' || path.includes('/.windsurf/') || path.includes('/windsurf/')) return 'windsurf';
  if (name === 'mcp-config.json' || path.includes('/.copilot/')) return 'copilot-cli';
  if (name === 'gemini-extension.json' || path.includes('/.gemini/') || path.includes('/gemini-cli/')) return 'gemini-cli';
  if (path.includes('/.cursor/')) return 'cursor';
  if (path.includes('/.kiro/')) return 'kiro';
  if (path.includes('/.amazonq/')) return 'amazon-q';
  return 'generic';
}

/** OpenCode entries: `command` is an array, or `type` is local/remote. */
function looksLikeOpencodeMap(value: JsonValue | undefined): boolean {
  if (!isObject(value)) return false;
  return Object.values(value).some(
    (entry) => isObject(entry) && (Array.isArray(entry['command']) || entry['type'] === 'local' || entry['type'] === 'remote'),
  );
}
