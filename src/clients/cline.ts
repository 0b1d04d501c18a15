// Cline: the VS Code extension keeps servers in its globalStorage
// (`<User>/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json`) of whichever
// VS Code-family editor hosts it; the Cline CLI uses ~/.cline/data/settings/. Key `mcpServers`,
// `disabled: true`, `type: stdio | sse | streamableHttp` (older files: `transportType`). A bare
// `url` without a type has always meant SSE in Cline.

import { join } from 'node:path';
import { parseMcpServersFile } from './entries.js';
import { appDataDir, nonEmpty, VSCODE_EDITIONS } from './paths.js';
import type { ClientDefinition, ConfigLocation } from './types.js';

const HOSTS = [...VSCODE_EDITIONS, 'Cursor', 'Windsurf'];
const SETTINGS = ['globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'];

export const cline: ClientDefinition = {
  id: 'cline',
  displayName: 'Cline',
  placeholders: [],
  locations: (env) => {
    const out: ConfigLocation[] = HOSTS.map((host) => ({ path: join(appDataDir(env), host, 'User', ...SETTINGS), scope: 'user' }));
    out.push({ path: join(env.home, '.cline', 'data', 'settings', 'cline_mcp_settings.json'), scope: 'user' });
    const override = nonEmpty(env.env['CLINE_MCP_SETTINGS_PATH']);
    if (override) out.push({ path: override, scope: 'user' });
    return out;
  },
  parse: (text, path) =>
    parseMcpServersFile(text, path, { urlKeys: [{ key: 'url', transport: 'sse' }], typeKeys: ['type', 'transportType'] }),
};
