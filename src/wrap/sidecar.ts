// What wrap changed, kept outside the client's file (some clients reject unknown keys): per config
// file, per entry, the entry's original text and the value wrap left there. unwrap puts the original
// text back only where the entry still holds exactly that value, so later edits are never undone.

import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDirectory } from '../audit/state-dir.js';
import type { JsonValue } from '../model.js';

export interface WrappedEntryRecord {
  /** The entry's source text before wrap (the JSON value, or the whole TOML table). */
  originalText: string;
  /** The entry's parsed value right after wrap. */
  wrapped: JsonValue;
}

export interface WrapSidecar {
  version: 1;
  /** Absolute, symlink-resolved path of the config file. */
  file: string;
  /** Keyed by entry pointer (`mcpServers.notes`). */
  entries: Record<string, WrappedEntryRecord>;
}

export function sidecarPath(stateDir: string, configRealPath: string): string {
  const id = createHash('sha256').update(configRealPath).digest('hex').slice(0, 32);
  return join(stateDir, 'wrap', `${id}.json`);
}

export async function readSidecar(stateDir: string, configRealPath: string): Promise<WrapSidecar> {
  const empty: WrapSidecar = { version: 1, file: configRealPath, entries: {} };
  let text: string;
  try {
    text = await readFile(sidecarPath(stateDir, configRealPath), 'utf8');
  } catch {
    return empty;
  }
  try {
    const value = JSON.parse(text) as Partial<WrapSidecar>;
    if (value.version === 1 && value.file === configRealPath && typeof value.entries === 'object' && value.entries !== null) {
      const entries: Record<string, WrappedEntryRecord> = Object.create(null) as Record<string, WrappedEntryRecord>;
      for (const [pointer, entry] of Object.entries(value.entries)) {
        if (typeof entry?.originalText === 'string' && entry.wrapped !== undefined) entries[pointer] = entry;
      }
      return { version: 1, file: configRealPath, entries };
    }
  } catch {
    // A damaged sidecar is as good as none: unwrap falls back to the command after `--`.
  }
  return empty;
}

export async function writeSidecar(stateDir: string, sidecar: WrapSidecar): Promise<void> {
  const target = sidecarPath(stateDir, sidecar.file);
  if (Object.keys(sidecar.entries).length === 0) {
    await unlink(target).catch(() => undefined);
    return;
  }
  await ensurePrivateDirectory(join(stateDir, 'wrap'));
  const temp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(sidecar, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, target);
}
