// The HMAC key that makes the audit log tamper-evident: 32 random bytes in the state directory,
// mode 0600. Whoever can read it can forge records, so it never leaves that directory.

import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GuardError } from '../errors.js';
import { ensurePrivateDirectory } from './state-dir.js';

const KEY_FILE = 'audit.key';
const KEY_BYTES = 32;

export function auditKeyPath(stateDir: string): string {
  return join(stateDir, KEY_FILE);
}

/** Reads the key, creating it on first use. Two processes racing to create it agree on one key. */
export async function loadOrCreateAuditKey(stateDir: string): Promise<Buffer> {
  await ensurePrivateDirectory(stateDir);
  const file = auditKeyPath(stateDir);
  try {
    // `wx` fails when the file exists, so a concurrent creator's key is never overwritten.
    await writeFile(file, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readAuditKey(stateDir);
}

/** Reads an existing key; a missing or malformed key is a configuration error. */
export async function readAuditKey(stateDir: string): Promise<Buffer> {
  const file = auditKeyPath(stateDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new GuardError('config-unreadable', 'no audit key: nothing has been audited with this state directory', {
      location: { file },
      cause: error,
    });
  }
  // A creator may still be writing it (the file exists before its bytes do); that is rare enough
  // to report rather than wait for.
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new GuardError('config-invalid', 'the audit key file is malformed', { location: { file } });
  }
  if (process.platform !== 'win32' && ((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  return Buffer.from(hex, 'hex');
}
