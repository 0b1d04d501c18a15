// Claude Desktop: claude_desktop_config.json in the app's data directory, key `mcpServers`.
// https://modelcontextprotocol.io/quickstart/user (macOS ~/Library/Application Support/Claude,
// Windows %APPDATA%\Claude; the Linux build uses ~/.config/Claude). No placeholder expansion.

import { join } from 'node:path';
import { parseMcpServersFile } from './entries.js';
import { appDataDir } from './paths.js';
import type { ClientDefinition } from './types.js';

export const claudeDesktop: ClientDefinition = {
  id: 'claude-desktop',
  displayName: 'Claude Desktop',
  placeholders: [],
  locations: (env) => [{ path: join(appDataDir(env), 'Claude', 'claude_desktop_config.json'), scope: 'user' }],
  parse: (text, path) => parseMcpServersFile(text, path),
};
