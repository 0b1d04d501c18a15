import { spawn } from 'node:child_process';
import { link, lstat, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAnchor } from '../../src/audit/anchor.js';
import { acquireFileLock, disposeLockOwner } from '../../src/audit/file-lock.js';
import { verifyAuditLog } from '../../src/audit/verify.js';
import { auditFixture } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
// Enough that both writers are still appending when the other starts (a flush takes well under a millisecond).
const COUNT = 1500;

function startWriter(args: string[]) {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/vite-node/vite-node.mjs'), join(ROOT, 'test/audit/harness/append-many.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  return { child, exited, output: () => output };
}

describe('two processes appending to one log at once', () => {
  it('interleave into one unbroken chain with contiguous seq', async () => {
    const fixture = await auditFixture();
    const keyHex = fixture.key.toString('hex');
    const goFile = join(fixture.dir, 'go');
    const writers = [
      ['alpha', 'beta'],
      ['beta', 'alpha'],
    ].map(([label, other]) => startWriter([fixture.file, fixture.stateDir, keyHex, String(COUNT), label!, goFile, other!]));
    // vite-node start-up times vary; the go file lets both begin appending together once both are ready.
    while (!writers.every((writer) => writer.output().includes('ready'))) {
      const exitedEarly = await Promise.race([...writers.map((writer) => writer.exited), new Promise((r) => setTimeout(() => r('waiting'), 20))]);
      if (exitedEarly !== 'waiting') throw new Error(`a writer exited before starting: ${writers.map((w) => w.output()).join('\n')}`);
    }
    await writeFile(goFile, '');
    for (const writer of writers) expect(await writer.exited, writer.output()).toBe(0);

    const records = (await readFile(fixture.file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(records.map((record) => record.seq)).toEqual(Array.from({ length: 2 * COUNT }, (_, i) => i + 1));
    expect(records.filter((record) => record.server === 'alpha')).toHaveLength(COUNT);
    expect(records.filter((record) => record.server === 'beta')).toHaveLength(COUNT);
    // Both writers' records are in the file in their own order.
    for (const label of ['alpha', 'beta']) {
      const tools = records.filter((record) => record.server === label).map((record) => record.tool);
      expect(tools).toEqual(Array.from({ length: COUNT }, (_, i) => `tool_${i}`));
    }
    // The writers really did share the file: it alternates between them, not one block then the other
    // (each writer waits halfway for a record of the other, so this holds on any schedule).
    const switches = records.filter((record, i) => i > 0 && record.server !== records[i - 1].server).length;
    expect(switches).toBeGreaterThan(1);
    const anchor = await readAnchor(fixture.stateDir, fixture.file);
    expect(await verifyAuditLog(fixture.file, fixture.key, anchor)).toEqual({ ok: true, records: 2 * COUNT, lastSeq: 2 * COUNT });
  });
});

describe('acquireFileLock', () => {
  it('breaks a lock left by a dead process', async () => {
    const fixture = await auditFixture();
    const lockPath = `${fixture.file}.lock`;
    // A pid that has exited: spawn a process, wait for it to end, reuse its pid in the lock.
    const done = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((r) => done.on('exit', () => r(done.pid!)));
    await writeFile(lockPath, JSON.stringify({ pid: deadPid, host: (await import('node:os')).hostname(), nonce: 'dead', time: Date.now() }));
    const held = await acquireFileLock(lockPath, { timeoutMs: 5_000 });
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(process.pid);
    await held.release();
  });

  it('breaks a lock older than the stale limit even when its owner looks alive', async () => {
    const fixture = await auditFixture();
    const lockPath = `${fixture.file}.lock`;
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, host: 'elsewhere', nonce: 'old', time: Date.now() - 60_000 }));
    const held = await acquireFileLock(lockPath, { timeoutMs: 5_000 });
    expect(JSON.parse(await readFile(lockPath, 'utf8')).nonce).not.toBe('old');
    await held.release();
  });

  it('waits for a live holder and gives up with an error when it never lets go', async () => {
    const fixture = await auditFixture();
    const lockPath = `${fixture.file}.lock`;
    const first = await acquireFileLock(lockPath);
    await expect(acquireFileLock(lockPath, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'could-not-complete' });
    const waiting = acquireFileLock(lockPath, { timeoutMs: 10_000 });
    await first.release();
    await (await waiting).release();
  });

  it('release never removes a lock that another process now holds', async () => {
    const fixture = await auditFixture();
    const lockPath = `${fixture.file}.lock`;
    const held = await acquireFileLock(lockPath);
    await writeFile(lockPath, JSON.stringify({ pid: 1, host: 'x', nonce: 'someone-else', time: Date.now() }));
    await held.release();
    expect(JSON.parse(await readFile(lockPath, 'utf8')).nonce).toBe('someone-else');
  });

  it('a second take by the same process waits without touching the held lock\'s content', async () => {
    const fixture = await auditFixture();
    const lockPath = `${fixture.file}.lock`;
    const first = await acquireFileLock(lockPath);
    const content = await readFile(lockPath, 'utf8');
    await expect(acquireFileLock(lockPath, { timeoutMs: 100, now: () => Date.now() + 5_000 })).rejects.toMatchObject({ code: 'could-not-complete' });
    expect(await readFile(lockPath, 'utf8')).toBe(content);
    await first.release();
    await expect(stat(lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
    disposeLockOwner(lockPath);
  });

  it('a release held up past the stale limit leaves alone the lock a later take of the same process holds', async () => {
    const fixture = await auditFixture();
    const lockPath = `${fixture.file}.lock`;
    const first = await acquireFileLock(lockPath);
    // A minute later (by this clock) the first take looks stale: the second breaks it and takes the lock
    // through the same owner file.
    const second = await acquireFileLock(lockPath, { now: () => Date.now() + 60_000, timeoutMs: 5_000 });
    const secondNonce = JSON.parse(await readFile(lockPath, 'utf8')).nonce;
    await first.release();
    expect(JSON.parse(await readFile(lockPath, 'utf8')).nonce).toBe(secondNonce);
    await second.release();
    await expect(stat(lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
    disposeLockOwner(lockPath);
  });

  it('takes the lock through a new file of its own when its file has another name (a breaker\'s aside copy)', async () => {
    const fixture = await auditFixture();
    const lockPath = `${fixture.file}.lock`;
    await (await acquireFileLock(lockPath)).release();
    const [ownerName] = (await readdir(fixture.dir)).filter((name) => name.startsWith(`${basename(lockPath)}.${process.pid}-`));
    // What a breaker that renamed our lock aside and then crashed leaves: a second name for our file.
    const aside = join(fixture.dir, `${basename(lockPath)}.stale-1-ab`);
    await link(join(fixture.dir, ownerName!), aside);
    const asideContent = await readFile(aside, 'utf8');
    const held = await acquireFileLock(lockPath, { timeoutMs: 2_000 });
    expect((await lstat(lockPath)).ino).not.toBe((await lstat(aside)).ino);
    expect(await readFile(aside, 'utf8')).toBe(asideContent);
    await held.release();
    disposeLockOwner(lockPath);
    await unlink(aside);
    expect((await readdir(fixture.dir)).filter((name) => name.startsWith(basename(lockPath)))).toEqual([]);
  });

  it('is a hard link to the holder\'s own file, and leaves nothing behind once released and disposed', async () => {
    const fixture = await auditFixture();
    const lockPath = `${fixture.file}.lock`;
    const held = await acquireFileLock(lockPath);
    const owners = (await readdir(fixture.dir)).filter((name) => name.startsWith(`${basename(lockPath)}.${process.pid}-`));
    expect(owners).toHaveLength(1);
    const [lockInfo, ownerInfo] = await Promise.all([lstat(lockPath), lstat(join(fixture.dir, owners[0]!))]);
    expect(lockInfo.ino).toBe(ownerInfo.ino);
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), owner: owners[0] });
    await held.release();
    await expect(stat(lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
    // Taken again with the same file: no new one per flush.
    await (await acquireFileLock(lockPath)).release();
    expect((await readdir(fixture.dir)).filter((name) => name.startsWith(`${basename(lockPath)}.`))).toEqual(owners);
    disposeLockOwner(lockPath);
    expect((await readdir(fixture.dir)).filter((name) => name.startsWith(basename(lockPath)))).toEqual([]);
  });

  it('sweeps the own files of dead processes of this host, and keeps those of live ones', async () => {
    const fixture = await auditFixture();
    const lockPath = `${fixture.file}.lock`;
    const deadPid = await exitedPid();
    const dead = `${basename(lockPath)}.${deadPid}-0a1b`;
    const live = `${basename(lockPath)}.${process.ppid}-2c3d`;
    const unrelated = `${basename(lockPath)}.notes`;
    for (const [name, pid] of [[dead, deadPid], [live, process.ppid], [unrelated, deadPid]] as const) {
      await writeFile(join(fixture.dir, name), JSON.stringify({ pid, host: hostname(), nonce: 'n', time: Date.now() }));
    }
    await (await acquireFileLock(lockPath)).release();
    const left = await readdir(fixture.dir);
    expect(left).not.toContain(dead);
    expect(left).toContain(live);
    expect(left).toContain(unrelated);
    disposeLockOwner(lockPath);
  });

  it('breaks a linked lock of a dead process and removes that process\'s own file with it', async () => {
    const fixture = await auditFixture();
    const lockPath = `${fixture.file}.lock`;
    const deadPid = await exitedPid();
    const ownerName = `${basename(lockPath)}.${deadPid}-beef`;
    // Taken once already, so this process's sweep (on its first take) has run and the break does the work.
    await (await acquireFileLock(lockPath)).release();
    await writeFile(join(fixture.dir, ownerName), JSON.stringify({ pid: deadPid, host: hostname(), nonce: 'dead', time: Date.now(), owner: ownerName }));
    await link(join(fixture.dir, ownerName), lockPath);
    const held = await acquireFileLock(lockPath, { timeoutMs: 5_000 });
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(process.pid);
    expect(await readdir(fixture.dir)).not.toContain(ownerName);
    await held.release();
    disposeLockOwner(lockPath);
  });

  it('without hard links, creates the lock file itself, and both kinds exclude each other', async () => {
    const fixture = await auditFixture();
    const lockPath = `${fixture.file}.lock`;
    const created = await acquireFileLock(lockPath, { hardLinks: false });
    expect((await lstat(lockPath)).nlink).toBe(1);
    await expect(acquireFileLock(lockPath, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'could-not-complete' });
    await created.release();
    const linked = await acquireFileLock(lockPath);
    expect((await lstat(lockPath)).nlink).toBe(2);
    await expect(acquireFileLock(lockPath, { timeoutMs: 100, hardLinks: false })).rejects.toMatchObject({ code: 'could-not-complete' });
    await linked.release();
    disposeLockOwner(lockPath);
  });
});

/** A pid that has just exited (its process is gone). */
async function exitedPid(): Promise<number> {
  const done = spawn(process.execPath, ['-e', '0']);
  return new Promise<number>((resolveExit) => done.on('exit', () => resolveExit(done.pid!)));
}
