import { writeFileSync } from 'node:fs';
import { lstat, readFile, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { anchorPath, isAnchorAuthentic, readAnchor, signAnchor } from '../../src/audit/anchor.js';
import { loadOrCreateAuditKey } from '../../src/audit/audit-key.js';
import { AuditLog, openAuditLog } from '../../src/audit/audit-log.js';
import { GENESIS_HASH } from '../../src/audit/record.js';
import { verifyAuditLog } from '../../src/audit/verify.js';
import { clearRegisteredSecrets, registerSecrets } from '../../src/findings/redact.js';
import { auditFixture, entry, writeRecords } from './helpers.js';

const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line));

afterEach(() => clearRegisteredSecrets());

describe('AuditLog', () => {
  it('writes one chained, MAC’d record per decision, and verifies', async () => {
    const fixture = await auditFixture();
    await writeRecords(fixture, 5);
    const records = await lines(fixture.file);
    expect(records.map((record) => record.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(records[0].prev).toBe(GENESIS_HASH);
    expect(records[0]).toMatchObject({ v: 1, server: 'notes', tool: 'tool_1', decision: 'allow', reason: 'r1', pid: process.pid });
    expect(records[0].args.shape).toEqual({ i: 'number' });
    expect(records[0].args.hash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(records[0].args.values).toBeUndefined();
    expect(records[0].mac).toMatch(/^[0-9a-f]{64}$/);
    const anchor = await readAnchor(fixture.stateDir, fixture.file);
    expect(anchor?.seq).toBe(5);
    expect(await verifyAuditLog(fixture.file, fixture.key, anchor)).toEqual({ ok: true, records: 5, lastSeq: 5 });
  });

  it('continues seq and chain across restarts (a new writer on the same file)', async () => {
    const fixture = await auditFixture();
    await writeRecords(fixture, 3);
    await writeRecords(fixture, 2);
    expect((await lines(fixture.file)).map((record) => record.seq)).toEqual([1, 2, 3, 4, 5]);
    const anchor = await readAnchor(fixture.stateDir, fixture.file);
    expect(await verifyAuditLog(fixture.file, fixture.key, anchor)).toMatchObject({ ok: true, records: 5 });
  });

  it('batches records queued in one tick and flushes them by itself', async () => {
    const fixture = await auditFixture();
    const errors: unknown[] = [];
    const log = new AuditLog({ file: fixture.file, stateDir: fixture.stateDir, key: fixture.key, onError: (error) => errors.push(error) });
    for (let i = 1; i <= 50; i++) log.record(entry(i));
    await log.close();
    expect(errors).toEqual([]);
    expect((await lines(fixture.file)).length).toBe(50);
  });

  it('records the shape of arguments (types only), including a __proto__ key', async () => {
    const fixture = await auditFixture();
    const log = new AuditLog({ file: fixture.file, stateDir: fixture.stateDir, key: fixture.key });
    log.record(entry(1, { arguments: JSON.parse('{"path":"a","opts":{"n":1,"f":true,"z":null},"list":["x",2],"__proto__":{"x":1}}') }));
    await log.close();
    const [record] = await lines(fixture.file);
    expect(record.args.shape).toEqual(
      JSON.parse('{"__proto__":{"x":"number"},"list":["string","number"],"opts":{"f":"boolean","n":"number","z":"null"},"path":"string"}'),
    );
    expect(Object.keys(record.args.shape)).toContain('__proto__');
  });

  it('hashes arguments stably regardless of key order, and differently for different values', async () => {
    const fixture = await auditFixture();
    const log = new AuditLog({ file: fixture.file, stateDir: fixture.stateDir, key: fixture.key });
    log.record(entry(1, { arguments: { a: 1, b: 'x' } }));
    log.record(entry(2, { arguments: { b: 'x', a: 1 } }));
    log.record(entry(3, { arguments: { a: 1, b: 'y' } }));
    await log.close();
    const [one, two, three] = await lines(fixture.file);
    expect(one.args.hash).toBe(two.args.hash);
    expect(one.args.hash).not.toBe(three.args.hash);
  });

  it('survives values JSON cannot express (lone surrogates) without losing the record', async () => {
    const fixture = await auditFixture();
    const log = new AuditLog({ file: fixture.file, stateDir: fixture.stateDir, key: fixture.key });
    log.record(entry(1, { tool: 'bad\ud800name', arguments: { x: '\udc00' } }));
    await log.close();
    const [record] = await lines(fixture.file);
    expect(record.tool).toBe('bad\ufffdname');
    expect(await verifyAuditLog(fixture.file, fixture.key, undefined)).toMatchObject({ ok: true, records: 1 });
  });
});

describe('secrets never reach the log', () => {
  const CANARY = 'canary-7f3c9e1a-do-not-log-b24d';
  const TOKEN = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';

  it('by default: no argument values at all, only hash and shape', async () => {
    const fixture = await auditFixture();
    const log = new AuditLog({ file: fixture.file, stateDir: fixture.stateDir, key: fixture.key });
    log.record(entry(1, { arguments: { query: CANARY, nested: { deep: [CANARY, { token: TOKEN }] } } }));
    await log.close();
    const text = await readFile(fixture.file, 'utf8');
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('canary');
  });

  it('with values on: registered secrets and token shapes are redacted, everywhere in the record', async () => {
    const fixture = await auditFixture();
    registerSecrets([CANARY]);
    const log = new AuditLog({ file: fixture.file, stateDir: fixture.stateDir, key: fixture.key, includeValues: true });
    log.record(entry(1, { reason: `saw ${CANARY}`, arguments: { query: `find ${CANARY}`, [TOKEN]: 1, auth: `Bearer ${TOKEN}` } }));
    await log.close();
    const text = await readFile(fixture.file, 'utf8');
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain(TOKEN);
    const [record] = await lines(fixture.file);
    expect(record.args.values.query).toBe('find [REDACTED]');
    expect(await verifyAuditLog(fixture.file, fixture.key, undefined)).toMatchObject({ ok: true });
  });
});

describe('head anchor', () => {
  it('is rewritten in place after each flush, and a symlink in its place is replaced, not followed', async () => {
    const fixture = await auditFixture();
    const log = await writeRecords(fixture, 2);
    const path = anchorPath(fixture.stateDir, fixture.file);
    const first = await lstat(path);
    log.record(entry(3));
    await log.flush();
    expect((await lstat(path)).ino).toBe(first.ino);
    const anchor = await readAnchor(fixture.stateDir, fixture.file);
    expect(anchor?.seq).toBe(3);
    expect(isAnchorAuthentic(anchor!, fixture.key)).toBe(true);
    // Only the anchor's own bytes: a longer old text does not leave a tail behind.
    expect((await readFile(path, 'utf8')).split('\n')).toEqual([JSON.stringify(anchor), '']);

    const elsewhere = join(fixture.dir, 'elsewhere.json');
    await writeFile(elsewhere, 'not an anchor\n');
    await writeFile(path, `${' '.repeat(600)}\n`);
    log.record(entry(4));
    await log.flush();
    expect(await readFile(path, 'utf8')).toBe(`${JSON.stringify(await readAnchor(fixture.stateDir, fixture.file))}\n`);
    await unlink(path);
    await symlink(elsewhere, path);
    log.record(entry(5));
    await log.close();
    expect(await readFile(elsewhere, 'utf8')).toBe('not an anchor\n');
    expect((await lstat(path)).isSymbolicLink()).toBe(false);
    expect((await readAnchor(fixture.stateDir, fixture.file))?.seq).toBe(5);
    expect(await verifyAuditLog(fixture.file, fixture.key, await readAnchor(fixture.stateDir, fixture.file))).toMatchObject({ ok: true, records: 5 });
  });

  it('is read again, given the key, while it does not match its MAC (a writer mid-rewrite)', async () => {
    const fixture = await auditFixture();
    await writeRecords(fixture, 2);
    const path = anchorPath(fixture.stateDir, fixture.file);
    const good = await readFile(path, 'utf8');
    const torn = JSON.stringify(signAnchor(fixture.file, 2, 'sha256:torn', Buffer.alloc(32)));
    await writeFile(path, `${torn}\n`);
    // Put back, synchronously, by a timer that expires before readAnchor's later re-reads (timers fire in expiry order).
    setTimeout(() => writeFileSync(path, good), 15);
    const anchor = await readAnchor(fixture.stateDir, fixture.file, fixture.key);
    expect(anchor && isAnchorAuthentic(anchor, fixture.key)).toBe(true);
    // Without the key nothing is checked, so nothing is read again.
    await writeFile(path, `${torn}\n`);
    expect((await readAnchor(fixture.stateDir, fixture.file))?.hash).toBe('sha256:torn');
  });
});

describe('state directory', () => {
  it('creates the key 0600 in a 0700 directory, and reuses it', async () => {
    const fixture = await auditFixture();
    const key = await loadOrCreateAuditKey(fixture.stateDir);
    expect(key.length).toBe(32);
    expect((await stat(fixture.stateDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(fixture.stateDir, 'audit.key'))).mode & 0o777).toBe(0o600);
    expect((await loadOrCreateAuditKey(fixture.stateDir)).equals(key)).toBe(true);
  });

  it('openAuditLog puts the log, key and anchor under $XDG_STATE_HOME/mcp-guard', async () => {
    const fixture = await auditFixture();
    const xdg = join(fixture.dir, 'xdg-state');
    const log = await openAuditLog({ env: { XDG_STATE_HOME: xdg }, home: fixture.dir });
    expect(log.file).toBe(join(xdg, 'mcp-guard', 'audit.jsonl'));
    log.record(entry(1));
    await log.close();
    expect((await lines(log.file)).length).toBe(1);
  });
});
