// Cursor: ~/.cursor/mcp.json and <project>/.cursor/mcp.json, key `mcpServers`.
// https://docs.cursor.com/context/mcp — supports `${env:NAME}`, `${userHome}`, `${workspaceFolder}`,
// `${workspaceFolderBasename}`, `${pathSeparator}`; a whole command line in `command` is common.

import { join } from 'node:path';
import { parseMcpServersFile } from './entries.js';
import type { ClientDefinition } from './types.js';

export const cursor: ClientDefinition = {
  id: 'cursor',
  displayName: 'Cursor',
  placeholders: ['vscode'],
  locations: (env) => [
    { path: join(env.home, '.cursor', 'mcp.json'), scope: 'user' },
    { path: join(env.cwd, '.cursor', 'mcp.json'), scope: 'project', workspaceFolder: env.cwd },
  ],
  parse: (text, path) => parseMcpServersFile(text, path),
};
