// Claude Code plugins bundle MCP servers (https://code.claude.com/docs/en/plugins-reference):
// `.mcp.json` at the plugin root (either `{mcpServers: {...}}` or the map itself) or `mcpServers` in
// `.claude-plugin/plugin.json` (inline object, or a path / list of paths to such files), with
// `${CLAUDE_PLUGIN_ROOT}` standing for the plugin's directory.
//
// Which plugins are installed is recorded in <config dir>/plugins/installed_plugins.json
// (`plugins["name@marketplace"]` → `{installPath}` or, in newer files, a list of them). The
// marketplaces/ folder holds every plugin a marketplace offers, installed or not, and cache/ keeps
// old versions, so walking the tree over-reports; we only walk when that record is missing or
// unreadable. `enabledPlugins["name@marketplace"]: false` in settings.json turns a plugin off.

import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { GuardError } from '../errors.js';
import type { JsonValue } from '../model.js';
import { isObject } from './document.js';
import type { ConfigLocation } from './types.js';

export async function pluginLocations(configDir: string): Promise<ConfigLocation[]> {
  const pluginsDir = join(configDir, 'plugins');
  const installed = await readJsonQuietly(join(pluginsDir, 'installed_plugins.json'));
  const settings = await readJsonQuietly(join(configDir, 'settings.json'));
  const enabled = isObject(settings) && isObject(settings['enabledPlugins']) ? settings['enabledPlugins'] : {};

  const roots: Array<{ root: string; disabled: boolean }> = [];
  const record = isObject(installed) ? installed['plugins'] : undefined;
  if (isObject(record)) {
    for (const key of Object.keys(record).sort()) {
      const value = record[key]!;
      for (const install of Array.isArray(value) ? value : [value]) {
        if (!isObject(install) || typeof install['installPath'] !== 'string') continue;
        const path = install['installPath'];
        roots.push({ root: isAbsolute(path) ? path : resolve(pluginsDir, path), disabled: enabled[key] === false });
      }
    }
  } else {
    for (const file of await findFiles(pluginsDir, '.mcp.json')) roots.push({ root: dirname(file), disabled: false });
  }

  const out: ConfigLocation[] = [];
  const seen = new Set<string>();
  const add = (path: string, root: string, disabled: boolean): void => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push({ path, scope: 'user', variables: { CLAUDE_PLUGIN_ROOT: root }, ...(disabled ? { disabled } : {}) });
  };
  for (const { root, disabled } of roots) {
    add(join(root, '.mcp.json'), root, disabled);
    const manifestPath = join(root, '.claude-plugin', 'plugin.json');
    const manifest = await readJsonQuietly(manifestPath);
    const declared = isObject(manifest) ? manifest['mcpServers'] : undefined;
    if (isObject(declared)) add(manifestPath, root, disabled);
    for (const ref of typeof declared === 'string' ? [declared] : Array.isArray(declared) ? declared : []) {
      if (typeof ref === 'string') add(resolve(root, ref.replace(/\$\{CLAUDE_PLUGIN_ROOT\}/g, root)), root, disabled);
    }
  }
  return out;
}

/** Claude Code's own bookkeeping: when it cannot be read we fall back to walking the tree. */
async function readJsonQuietly(path: string): Promise<JsonValue | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true }) as JsonValue;
  return errors.length > 0 ? undefined : value;
}

/** Files named `name` under `root`; dependency and VCS folders are not plugins. */
async function findFiles(root: string, name: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return; // no plugins installed
      throw new GuardError('config-unreadable', `cannot list Claude Code plugins (${code ?? 'error'})`, {
        location: { file: dir },
        cause: error,
      });
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.isFile() && entry.name === name) found.push(join(dir, entry.name));
      else if (entry.isDirectory() && depth < 8 && entry.name !== 'node_modules' && entry.name !== '.git') {
        await walk(join(dir, entry.name), depth + 1);
      }
    }
  };
  await walk(root, 0);
  return found;
}
