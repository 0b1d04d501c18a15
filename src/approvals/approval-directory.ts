// Where pending approval requests live. The proxy is often started by a GUI client with a stripped
// environment (no XDG_RUNTIME_DIR, no XDG_STATE_HOME), while the user runs `mcp-guard approvals` from a
// terminal that has them. So the proxy writes to the first directory its environment names, and the
// CLI looks in every directory either side could have chosen.

import { lstat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { ensurePrivateDirectory, stateDirectory } from '../audit/state-dir.js';
import { GuardError } from '../errors.js';

export function approvalDirectories(env: Record<string, string | undefined>, home: string): string[] {
  const dirs: string[] = [];
  // The runtime directory is private to the user (0700 by the XDG spec) and emptied at logout, which
  // suits requests that live for seconds.
  const runtime = env['XDG_RUNTIME_DIR'];
  if (runtime && isAbsolute(runtime)) dirs.push(join(runtime, 'mcp-guard', 'approvals'));
  dirs.push(join(stateDirectory(env, home), 'approvals'));
  dirs.push(join(stateDirectory({}, home), 'approvals'));
  return [...new Set(dirs)];
}

/** Creates the directory 0700 if needed and checks that it is a real directory owned by this user. */
export async function preparePrivateDirectory(dir: string): Promise<void> {
  await ensurePrivateDirectory(dir);
  await assertPrivateDirectory(dir);
}

/**
 * Anyone who can write into the approvals directory can approve calls, so a directory that is a
 * symlink, belongs to another user or is open to others is refused rather than used.
 */
export async function assertPrivateDirectory(dir: string): Promise<void> {
  const info = await lstat(dir);
  if (info.isSymbolicLink() || !info.isDirectory()) {
    throw new GuardError('config-invalid', 'the approvals directory is not a plain directory (a symlink or a file)', {
      location: { file: dir },
      hint: 'remove it; mcp-guard recreates it with mode 0700',
    });
  }
  if (process.platform === 'win32') return;
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw new GuardError('config-invalid', `the approvals directory belongs to another user (uid ${info.uid})`, {
      location: { file: dir },
    });
  }
  if ((info.mode & 0o077) !== 0) {
    throw new GuardError('config-invalid', `the approvals directory is open to other users (mode ${(info.mode & 0o777).toString(8)})`, {
      location: { file: dir },
      hint: 'chmod 700 it',
    });
  }
}

/** Existing candidate directories, checked; missing ones are skipped (nothing was ever requested there). */
export async function existingPrivateDirectories(dirs: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    try {
      await lstat(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    await assertPrivateDirectory(dir);
    found.push(dir);
  }
  return found;
}
