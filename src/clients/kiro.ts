// Kiro: ~/.kiro/settings/mcp.json and <project>/.kiro/settings/mcp.json, key `mcpServers`
// (https://kiro.dev/docs/mcp/configuration); `disabled: true` and `${VAR}` references in values.

import { join } from 'node:path';
import { parseMcpServersFile } from './entries.js';
import type { ClientDefinition } from './types.js';

export const kiro: ClientDefinition = {
  id: 'kiro',
  displayName: 'Kiro',
  placeholders: ['shell-braced'],
  locations: (env) => [
    { path: join(env.home, '.kiro', 'settings', 'mcp.json'), scope: 'user' },
    { path: join(env.cwd, '.kiro', 'settings', 'mcp.json'), scope: 'project', workspaceFolder: env.cwd },
  ],
  parse: (text, path) => parseMcpServersFile(text, path),
};
