// Where per-user application data lives on each platform. `platform` picks the layout; joining uses
// the host's path module so a fixture tree for another platform still resolves on this machine.

import { join } from 'node:path';
import type { DiscoveryEnv } from './types.js';

/** Electron / XDG config root: ~/.config (Linux), ~/Library/Application Support (macOS), %APPDATA% (Windows). */
export function appDataDir(env: DiscoveryEnv): string {
  switch (env.platform) {
    case 'darwin':
      return join(env.home, 'Library', 'Application Support');
    case 'win32':
      return nonEmpty(env.env['APPDATA']) ?? join(env.home, 'AppData', 'Roaming');
    default:
      return xdgConfigHome(env);
  }
}

/** $XDG_CONFIG_HOME or ~/.config; tools built on xdg-basedir use it on every platform. */
export function xdgConfigHome(env: DiscoveryEnv): string {
  return nonEmpty(env.env['XDG_CONFIG_HOME']) ?? join(env.home, '.config');
}

/** Absolute system path under the injected root: `systemPath(env, 'etc', 'x')` → /etc/x. */
export function systemPath(env: DiscoveryEnv, ...segments: string[]): string {
  const root = env.systemRoot ?? (env.platform === 'win32' ? 'C:\\' : '/');
  return join(root, ...segments);
}

/** VS Code-family user directories (`…/Code/User`), one per edition we know. */
export const VSCODE_EDITIONS = ['Code', 'Code - Insiders', 'VSCodium'] as const;

export function vscodeUserDir(env: DiscoveryEnv, edition: string): string {
  return join(appDataDir(env), edition, 'User');
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
