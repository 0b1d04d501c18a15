// The head anchor: the last seq and record hash of one audit log, HMAC'd and kept in the state
// directory, away from the log. Cutting records off the end of the log leaves a valid chain; only
// a record of where the head was shows that something is missing.
//
// It is rewritten after every flush, in place: replacing it by rename cost ~300 µs here (a file created,
// and ext4 writing the new file's data back before a rename over an existing one), overwriting its
// ~250 bytes ~6 µs. Writers hold the log's lock while they write it, so only a reader without the lock
// (`audit verify`) can see a write half done; given the key, readAnchor reads again until it is whole.

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, constants as fsConstants, fstatSync, ftruncateSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
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
  const text = `${JSON.stringify(anchor)}\n`;
  if (overwriteInPlace(target, text)) return;
  const temp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  // Synchronous: rewritten after every audit flush, on the audit worker's own thread, where two small
  // syscalls cost less than two trips through the thread pool.
  try {
    writeFileSync(temp, text, { mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // Removed since we made it: make it again, as the first write did.
    await ensurePrivateDirectory(directory);
    writeFileSync(temp, text, { mode: 0o600 });
  }
  renameSync(temp, target);
}

/**
 * Overwrites an existing anchor file; false when there is none to overwrite (the caller creates it). A
 * symlink in its place is not followed: it is replaced like a missing file.
 */
function overwriteInPlace(target: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(target, fsConstants.O_WRONLY | fsConstants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP') return false;
    throw error;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return false;
    const bytes = Buffer.from(text, 'utf8');
    // One write of a few hundred bytes to a regular file is never cut short, short of a full disk.
    if (writeSync(fd, bytes, 0, bytes.length, 0) !== bytes.length) throw new Error('the audit anchor was written only in part');
    if (info.size > bytes.length) ftruncateSync(fd, bytes.length);
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * undefined when there is no anchor; a garbled anchor file reads as one that fails its MAC. With the
 * key, an anchor that fails its MAC is read again a few times: a writer may be rewriting it this instant.
 */
export async function readAnchor(stateDir: string, logRealPath: string, key?: Buffer): Promise<HeadAnchor | undefined> {
  let anchor = await readAnchorOnce(stateDir, logRealPath);
  for (let attempt = 0; key && anchor && attempt < 5 && !isAnchorAuthentic(anchor, key); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    anchor = await readAnchorOnce(stateDir, logRealPath);
  }
  return anchor;
}

async function readAnchorOnce(stateDir: string, logRealPath: string): Promise<HeadAnchor | undefined> {
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
