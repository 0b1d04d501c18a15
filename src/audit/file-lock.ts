// A cross-process lock for appending to one audit log: the lock path exists while someone holds it,
// and holds its owner's pid, host, a nonce and the time it was taken. A lock whose owner is gone (dead
// pid on this host) or that is older than STALE_AFTER_MS is broken; holders keep it for milliseconds,
// so an old lock means a crashed owner.
//
// The lock is taken by hard-linking a file of the owner's own (made once per process) to the lock
// path: link(2) fails with EEXIST while someone holds it, like an O_EXCL create. The audit log takes
// this lock on every flush, and creating and deleting a file costs ~180 µs here (an inode allocated and
// freed through the journal) against ~15 µs to link a name and unlink it. Where hard links are not
// supported, the lock falls back to creating the lock file with O_EXCL; both kinds exclude each other.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { closeSync, fstatSync, ftruncateSync, linkSync, lstatSync, openSync, readdirSync, readFileSync, unlinkSync, writeFileSync, writeSync, type Stats } from 'node:fs';
import { link, readFile, rename, unlink } from 'node:fs/promises';
import { GuardError } from '../errors.js';

export const STALE_AFTER_MS = 10_000;

interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
  time: number;
  /** The name of the owner's own file next to the lock, when the lock is a link to it. */
  owner?: string;
}

export interface HeldLock {
  release(): Promise<void>;
}

export interface LockOptions {
  timeoutMs?: number;
  /** For tests: the clock used for staleness and the timeout. */
  now?: () => number;
  /** For tests: take the lock by O_EXCL creation, as on a filesystem without hard links. */
  hardLinks?: boolean;
}

/** This process's own file for one lock path: what the lock path is linked to while we hold it. */
interface OwnerFile {
  path: string;
  fd: number;
  nonce: string;
  /** Takes so far: each take's nonce is `<nonce>-<takes>`, so a release can tell this take from a later one. */
  takes: number;
  /** Length of the content last written, so a shorter one can cut the rest off. */
  length: number;
  hardLinks: boolean;
}

const owners = new Map<string, OwnerFile>();
/** Owner files matching `<lock name>.<pid>-<hex>`: leftovers of crashed processes are swept by that name. */
const OWNER_SUFFIX = /^(\d+)-[0-9a-f]+$/;

export async function acquireFileLock(lockPath: string, options: LockOptions = {}): Promise<HeldLock> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 15_000);
  for (let attempt = 0; ; attempt++) {
    const taken = tryTake(lockPath, now(), options.hardLinks ?? true);
    if (taken) return { release: async () => releaseIfOurs(lockPath, taken) };
    const holder = await readOwner(lockPath);
    if (holder === 'gone') continue;
    if (holder === 'unreadable' || isStale(holder, now())) {
      await breakStaleLock(lockPath, holder === 'unreadable' ? undefined : holder);
      continue;
    }
    if (now() > deadline) {
      throw new GuardError('could-not-complete', `timed out waiting for the audit log lock (held by pid ${holder.pid})`, {
        location: { file: lockPath },
      });
    }
    await sleep(Math.min(2 ** Math.min(attempt, 5), 25));
  }
}

/**
 * Removes this process's owner file for a lock (AuditLog.close). Without it, the file is removed when
 * the process exits, or swept by the next process to take the lock after a crash.
 */
export function disposeLockOwner(lockPath: string): void {
  const owner = owners.get(lockPath);
  if (!owner) return;
  owners.delete(lockPath);
  closeQuietly(owner.fd);
  unlinkQuietly(owner.path);
}

/** Takes the lock if it is free: the nonce it was taken with, or undefined when someone holds it. */
function tryTake(lockPath: string, time: number, hardLinks: boolean): string | undefined {
  // Synchronous while uncontended: a link and an unlink cost less than two trips through the thread
  // pool each, and the audit log takes this lock on every flush (on its own thread).
  let owner = hardLinks ? ownerFile(lockPath) : undefined;
  if (owner?.hardLinks) {
    const info = fstatSync(owner.fd);
    if (info.nlink > 1) {
      // Our file has another name: the lock path, while another take of this process holds the lock (a
      // second AuditLog of the same file), or a breaker's aside name for a lock of ours it judged stale.
      // Either way its content is that lock's and must not change under it.
      if (isLinkTo(lockPath, info)) return undefined;
      disposeLockOwner(lockPath);
      owner = ownerFile(lockPath);
    }
    // One nonce per take, not per process: a release held up past the stale limit must not remove the
    // lock a later take of this same process holds by then.
    const nonce = `${owner.nonce}-${++owner.takes}`;
    const content = JSON.stringify({ pid: process.pid, host: hostname(), nonce, time, owner: basename(owner.path) } satisfies LockOwner);
    const bytes = Buffer.from(content);
    writeSync(owner.fd, bytes, 0, bytes.length, 0);
    if (bytes.length < owner.length) ftruncateSync(owner.fd, bytes.length);
    owner.length = bytes.length;
    try {
      linkSync(owner.path, lockPath);
      return nonce;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return undefined;
      if (code === 'ENOENT') {
        // Our own file went with its directory: make both again on the next attempt (AuditLog does).
        disposeLockOwner(lockPath);
        throw error;
      }
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK') throw error;
      owner.hardLinks = false;
    }
  }
  const nonce = randomBytes(12).toString('hex');
  try {
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), nonce, time } satisfies LockOwner), { flag: 'wx', mode: 0o600 });
    return nonce;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
}

function ownerFile(lockPath: string): OwnerFile {
  let owner = owners.get(lockPath);
  if (owner) return owner;
  sweepDeadOwners(lockPath);
  const nonce = randomBytes(12).toString('hex');
  const path = `${lockPath}.${process.pid}-${nonce}`;
  const fd = openSync(path, 'wx', 0o600);
  owner = { path, fd, nonce, takes: 0, length: 0, hardLinks: true };
  owners.set(lockPath, owner);
  return owner;
}

/** True when `path` names the file `info` describes. */
function isLinkTo(path: string, info: Stats): boolean {
  try {
    const other = lstatSync(path);
    return other.ino === info.ino && other.dev === info.dev;
  } catch {
    return false;
  }
}

/** Owner files left next to the lock by processes of this host that have died (crashed, killed). */
function sweepDeadOwners(lockPath: string): void {
  const directory = dirname(lockPath);
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return; // the caller's own create reports a missing directory
  }
  for (const name of names) {
    const pid = ownerPid(lockPath, name);
    if (pid === undefined || pid === process.pid || isAlive(pid)) continue;
    const path = join(directory, name);
    const content = parseOwner(readQuietly(path));
    // Only our host's: a pid of another host sharing this directory says nothing about liveness here.
    if (content && content.host !== hostname()) continue;
    unlinkQuietly(path);
  }
}

/** The pid in an owner file's name (`<lock name>.<pid>-<hex>`); undefined for any other name. */
function ownerPid(lockPath: string, name: string): number | undefined {
  const prefix = `${basename(lockPath)}.`;
  if (!name.startsWith(prefix)) return undefined;
  const match = OWNER_SUFFIX.exec(name.slice(prefix.length));
  return match ? Number(match[1]) : undefined;
}

function isStale(owner: LockOwner, now: number): boolean {
  if (now - owner.time > STALE_AFTER_MS) return true;
  return owner.host === hostname() && !isAlive(owner.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.nonce === 'string' && typeof value.time === 'number') {
      const owner: LockOwner = { pid: value.pid, host: String(value.host ?? ''), nonce: value.nonce, time: value.time };
      if (typeof value.owner === 'string') owner.owner = value.owner;
      return owner;
    }
  } catch {
    // An owner killed between creating the file and writing it leaves it empty.
  }
  return undefined;
}

async function readOwner(lockPath: string): Promise<LockOwner | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  const owner = parseOwner(text);
  if (owner) return owner;
  // Empty or garbled: the owner may be writing it this instant, so wait out a short grace first.
  await sleep(50);
  return (await readFile(lockPath, 'utf8').catch(() => '')) === text ? 'unreadable' : 'gone';
}

/**
 * Moves the stale lock aside (rename is atomic, so of two breakers only one gets it), then checks it
 * moved the lock it judged stale: if another process broke it first and took the lock, we hold that
 * live lock in our hands and put it back. A dead owner's own file goes too.
 */
async function breakStaleLock(lockPath: string, stale: LockOwner | undefined): Promise<void> {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = parseOwner(await readFile(aside, 'utf8').catch(() => ''));
  if (stale !== undefined && moved !== undefined && moved.nonce !== stale.nonce) {
    await link(aside, lockPath).catch(() => undefined);
  } else if (moved?.owner !== undefined && moved.host === hostname() && !isAlive(moved.pid) && ownerPid(lockPath, moved.owner) !== undefined) {
    await unlink(join(dirname(lockPath), moved.owner)).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

function releaseIfOurs(lockPath: string, nonce: string): void {
  // The lock path may have been broken as stale and taken by someone else meanwhile: only our nonce is ours.
  if (parseOwner(readQuietly(lockPath))?.nonce !== nonce) return;
  unlinkQuietly(lockPath);
}

function readQuietly(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing of ours to remove.
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
}

// Owner files are removed when the process ends normally; after a crash the next taker sweeps them.
process.once('exit', () => {
  for (const lockPath of [...owners.keys()]) disposeLockOwner(lockPath);
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
