// Config files are rewritten atomically (temp file in the same directory + rename), through
// symlinks (dotfile managers link configs; renaming over the link would replace it with a copy),
// keeping the file's mode (configs hold secrets and may be 0600), after saving a backup.

import { randomBytes } from 'node:crypto';
import { chmod, copyFile, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GuardError } from '../errors.js';

export const BACKUP_SUFFIX = '.mcp-guard-backup';

/**
 * Writes `text` to `file`; returns the backup's path (the file as it was just before). `expected` is
 * the text the edit was planned on: if the client rewrote the file meanwhile, nothing is written.
 */
export async function writeConfigAtomically(file: string, text: string, expected: string): Promise<string> {
  const target = await realpath(file);
  if ((await readFile(target, 'utf8')) !== expected) {
    throw new GuardError('could-not-complete', 'the file changed while it was being edited; nothing was written, run the command again', {
      location: { file: target },
    });
  }
  const { mode } = await stat(target);
  const backup = `${target}${BACKUP_SUFFIX}`;
  await copyFile(target, backup);
  await chmod(backup, mode & 0o777);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { mode: mode & 0o777, flag: 'wx' });
    await chmod(temp, mode & 0o777);
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  return backup;
}
