import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAnchor } from '../../src/audit/anchor.js';
import { acquireFileLock } from '../../src/audit/file-lock.js';
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
});
