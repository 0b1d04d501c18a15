// Windsurf: ~/.codeium/windsurf/mcp_config.json and <project>/.windsurf/mcp.json, key `mcpServers`.
// Remote servers use `serverUrl` (https://docs.windsurf.com/windsurf/cascade/mcp); `url` is also
// accepted. Values may use `${env:NAME}` and `${file:path}`.

import { join } from 'node:path';
import { parseMcpServersFile } from './entries.js';
import type { ClientDefinition } from './types.js';

export const windsurf: ClientDefinition = {
  id: 'windsurf',
  displayName: 'Windsurf',
  placeholders: ['vscode'],
  locations: (env) => [
    { path: join(env.home, '.codeium', 'windsurf', 'mcp_config.json'), scope: 'user' },
    { path: join(env.cwd, '.windsurf', 'mcp.json'), scope: 'project', workspaceFolder: env.cwd },
  ],
  parse: (text, path) =>
    parseMcpServersFile(text, path, {
      urlKeys: [
        { key: 'serverUrl', transport: 'http' },
        { key: 'url', transport: 'http' },
      ],
    }),
};
