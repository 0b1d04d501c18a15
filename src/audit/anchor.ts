// The head anchor: the last seq and record hash of one audit log, HMAC'd and kept in the state
// directory, away from the log. Cutting records off the end of the log leaves a valid chain; only
// a record of where the head was shows that something is missing.

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from './record.js';
import { ensurePrivateDirectory } from './state-dir.js';

export interface HeadAnchor {
  /** Absolute, symlink-resolved path of the log. */
  file: string;
  seq: number;
  hash: string;
  mac: string;
}

export function anchorPath(stateDir: string, logRealPath: string): string {
  const id = createHash('sha256').update(logRealPath).digest('hex').slice(0, 32);
  return join(stateDir, 'anchors', `${id}.json`);
}

export function signAnchor(file: string, seq: number, hash: string, key: Buffer): HeadAnchor {
  return { file, seq, hash, mac: anchorMac(file, seq, hash, key) };
}

export function isAnchorAuthentic(anchor: HeadAnchor, key: Buffer): boolean {
  const expected = Buffer.from(anchorMac(anchor.file, anchor.seq, anchor.hash, key), 'hex');
  const actual = Buffer.from(anchor.mac, 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function anchorMac(file: string, seq: number, hash: string, key: Buffer): string {
  return createHmac('sha256', key).update(canonicalJson({ kind: 'mcp-guard-audit-anchor', file, seq, hash })).digest('hex');
}

// Directories this process has already created or narrowed to 0700: the anchor is rewritten after
// every flush, and a mkdir and stat each time cost more than the write itself.
const readyDirectories = new Set<string>();

export async function writeAnchor(stateDir: string, anchor: HeadAnchor): Promise<void> {
  const target = anchorPath(stateDir, anchor.file);
  const directory = join(stateDir, 'anchors');
  if (!readyDirectories.has(directory)) {
    await ensurePrivateDirectory(directory);
    readyDirectories.add(directory);
  }
  const temp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  // Synchronous: rewritten after every audit flush, on the audit worker's own thread, where two small
  // syscalls cost less than two trips through the thread pool.
  try {
    writeFileSync(temp, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // Removed since we made it: make it again, as the first write did.
    await ensurePrivateDirectory(directory);
    writeFileSync(temp, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
  }
  renameSync(temp, target);
}

/** undefined when there is no anchor; a garbled anchor file reads as one that fails its MAC. */
export async function readAnchor(stateDir: string, logRealPath: string): Promise<HeadAnchor | undefined> {
  let text: string;
  try {
    text = await readFile(anchorPath(stateDir, logRealPath), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<HeadAnchor>;
    if (typeof value.file === 'string' && typeof value.seq === 'number' && typeof value.hash === 'string' && typeof value.mac === 'string') {
      return { file: value.file, seq: value.seq, hash: value.hash, mac: value.mac };
    }
  } catch {
    // fall through
  }
  return { file: logRealPath, seq: -1, hash: '', mac: '' };
}
