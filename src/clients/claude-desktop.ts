// Claude Desktop: claude_desktop_config.json in the app's data directory, key `mcpServers`.
// https://modelcontextprotocol.io/quickstart/user (macOS ~/Library/Application Support/Claude,
// Windows %APPDATA%\Claude; the Linux build uses ~/.config/Claude). No placeholder expansion.
// Since early 2026 the Windows installer is an MSIX package, whose file-system virtualisation makes
// the app read %LOCALAPPDATA%\Packages\Claude_<publisher id>\LocalCache\Roaming\Claude instead
// (anthropics/claude-code#26073): both places are checked, as either may be the live one.

import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseMcpServersFile } from './entries.js';
import { appDataDir, nonEmpty } from './paths.js';
import type { ClientDefinition, ConfigLocation, DiscoveryEnv } from './types.js';

const FILE = 'claude_desktop_config.json';
/** The package family of the official build; other `Claude_*` folders are found by listing. */
const MSIX_PACKAGE = 'Claude_pzs8sxrjxfjjc';

export const claudeDesktop: ClientDefinition = {
  id: 'claude-desktop',
  displayName: 'Claude Desktop',
  placeholders: [],
  locations: async (env) => {
    const out: ConfigLocation[] = [{ path: join(appDataDir(env), 'Claude', FILE), scope: 'user' }];
    if (env.platform === 'win32') {
      for (const pkg of await msixPackages(env)) {
        out.push({ path: join(pkg, 'LocalCache', 'Roaming', 'Claude', FILE), scope: 'user' });
      }
    }
    return out;
  },
  parse: (text, path) => parseMcpServersFile(text, path),
};

async function msixPackages(env: DiscoveryEnv): Promise<string[]> {
  const packages = join(nonEmpty(env.env['LOCALAPPDATA']) ?? join(env.home, 'AppData', 'Local'), 'Packages');
  let entries: Dirent[] = [];
  try {
    entries = await readdir(packages, { withFileTypes: true });
  } catch {
    // No Packages folder: only the well-known package path is reported (as not found).
  }
  const names = new Set([MSIX_PACKAGE, ...entries.filter((e) => e.isDirectory() && e.name.startsWith('Claude_')).map((e) => e.name)]);
  return [...names].sort().map((name) => join(packages, name));
}
