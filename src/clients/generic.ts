// A file given with --config whose keys say `mcpServers` but whose name matches no known client:
// read with the widest common entry shape (`url`, Windsurf's `serverUrl`, Gemini's `httpUrl`; a
// `url` without `type` is HTTP) and the two common placeholder styles.

import { parseMcpServersFile } from './entries.js';
import type { ClientDefinition } from './types.js';

export const generic: ClientDefinition = {
  id: 'generic',
  displayName: 'MCP config',
  placeholders: ['vscode', 'shell-braced'],
  locations: () => [],
  parse: (text, path) =>
    parseMcpServersFile(text, path, {
      urlKeys: [
        { key: 'url', transport: 'http' },
        { key: 'serverUrl', transport: 'http' },
        { key: 'httpUrl', transport: 'http' },
      ],
    }),
};
