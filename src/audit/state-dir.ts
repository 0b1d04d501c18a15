// mcp-guard's private state (audit key, head anchors, the default audit log) lives in
// $XDG_STATE_HOME/mcp-guard or ~/.local/state/mcp-guard, readable by the user alone.

import { chmod, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export function stateDirectory(env: Record<string, string | undefined>, home: string = homedir()): string {
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  const xdg = env['XDG_STATE_HOME'];
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'state');
  return join(base, 'mcp-guard');
}

export function defaultAuditLogPath(stateDir: string): string {
  return join(stateDir, 'audit.jsonl');
}

/** Creates the directory 0700, and narrows it to 0700 if it already exists wider (and is ours). */
export async function ensurePrivateDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await stat(dir);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) await chmod(dir, 0o700);
}
