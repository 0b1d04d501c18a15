// GitHub Copilot CLI: ~/.copilot/mcp-config.json (relocated by COPILOT_HOME), key `mcpServers`,
// entries `type: local | stdio | http | sse`. The docs also say XDG_CONFIG_HOME moves the directory
// (github/docs#40682 reports it does not), so both places are checked.

import { join } from 'node:path';
import { parseMcpServersFile } from './entries.js';
import { nonEmpty } from './paths.js';
import type { ClientDefinition, ConfigLocation } from './types.js';

export const copilotCli: ClientDefinition = {
  id: 'copilot-cli',
  displayName: 'GitHub Copilot CLI',
  placeholders: ['shell-braced'],
  locations: (env) => {
    const home = nonEmpty(env.env['COPILOT_HOME']) ?? join(env.home, '.copilot');
    const out: ConfigLocation[] = [{ path: join(home, 'mcp-config.json'), scope: 'user' }];
    const xdg = nonEmpty(env.env['XDG_CONFIG_HOME']);
    if (xdg) out.push({ path: join(xdg, '.copilot', 'mcp-config.json'), scope: 'user' });
    return out;
  },
  parse: (text, path) => parseMcpServersFile(text, path),
};
