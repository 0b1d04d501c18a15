// A cross-process lock for appending to one audit log: a lock file created with O_EXCL holding the
// owner's pid and a nonce. A lock whose owner is gone (dead pid on this host) or that is older than
// STALE_AFTER_MS is broken; holders keep it for milliseconds, so an old lock means a crashed owner.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { link, readFile, rename, unlink } from 'node:fs/promises';
import { GuardError } from '../errors.js';

export const STALE_AFTER_MS = 10_000;

interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
  time: number;
}

export interface HeldLock {
  release(): Promise<void>;
}

export interface LockOptions {
  timeoutMs?: number;
  /** For tests: the clock used for staleness and the timeout. */
  now?: () => number;
}

export async function acquireFileLock(lockPath: string, options: LockOptions = {}): Promise<HeldLock> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 15_000);
  const owner: LockOwner = { pid: process.pid, host: hostname(), nonce: randomBytes(12).toString('hex'), time: now() };
  const content = JSON.stringify(owner);
  for (let attempt = 0; ; attempt++) {
    try {
      // Synchronous while uncontended: a create and an unlink cost less than two trips through the
      // thread pool each, and the audit log takes this lock on every flush (on its own thread).
      writeFileSync(lockPath, content, { flag: 'wx', mode: 0o600 });
      return { release: async () => releaseIfOurs(lockPath, owner.nonce) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readOwner(lockPath);
    if (holder === 'gone') continue;
    if (holder === 'unreadable' || isStale(holder, now())) {
      await breakStaleLock(lockPath, holder === 'unreadable' ? undefined : holder.nonce);
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

async function readOwner(lockPath: string): Promise<LockOwner | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.nonce === 'string' && typeof value.time === 'number') {
      return { pid: value.pid, host: String(value.host ?? ''), nonce: value.nonce, time: value.time };
    }
  } catch {
    // An owner killed between creating the file and writing it leaves it empty.
  }
  // Empty or garbled: the owner may be writing it this instant, so wait out a short grace first.
  await sleep(50);
  return (await readFile(lockPath, 'utf8').catch(() => '')) === text ? 'unreadable' : 'gone';
}

/**
 * Moves the stale lock aside (rename is atomic, so of two breakers only one gets it), then checks it
 * moved the lock it judged stale: if another process broke it first and took the lock, we hold that
 * live lock in our hands and put it back.
 */
async function breakStaleLock(lockPath: string, staleNonce: string | undefined): Promise<void> {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  const movedNonce = (() => {
    try {
      return (JSON.parse(moved) as { nonce?: string }).nonce;
    } catch {
      return undefined;
    }
  })();
  if (staleNonce !== undefined && movedNonce !== undefined && movedNonce !== staleNonce) {
    await link(aside, lockPath).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

function releaseIfOurs(lockPath: string, nonce: string): void {
  let text = '';
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch {
    return;
  }
  if (!text.includes(nonce)) return;
  try {
    unlinkSync(lockPath);
  } catch {
    // Already gone (broken as stale by someone else): nothing of ours to remove.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
