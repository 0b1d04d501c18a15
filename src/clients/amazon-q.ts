// Amazon Q Developer CLI: ~/.aws/amazonq/mcp.json, the default agent ~/.aws/amazonq/agents/default.json,
// and the workspace's .amazonq/mcp.json; all hold `mcpServers`.

import { join } from 'node:path';
import { parseMcpServersFile } from './entries.js';
import type { ClientDefinition } from './types.js';

export const amazonQ: ClientDefinition = {
  id: 'amazon-q',
  displayName: 'Amazon Q Developer',
  placeholders: [],
  locations: (env) => [
    { path: join(env.home, '.aws', 'amazonq', 'mcp.json'), scope: 'user' },
    { path: join(env.home, '.aws', 'amazonq', 'agents', 'default.json'), scope: 'user' },
    { path: join(env.cwd, '.amazonq', 'mcp.json'), scope: 'project', workspaceFolder: env.cwd },
  ],
  parse: (text, path) => parseMcpServersFile(text, path),
};
