import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { anchorPath, readAnchor, signAnchor } from '../../src/audit/anchor.js';
import { canonicalJson, lineHash } from '../../src/audit/record.js';
import { verifyAuditLog } from '../../src/audit/verify.js';
import { auditFixture, writeRecords } from './helpers.js';

async function tampered(edit: (lines: string[]) => string[]) {
  const fixture = await auditFixture();
  await writeRecords(fixture, 6);
  const lines = (await readFile(fixture.file, 'utf8')).split('\n').slice(0, -1);
  await writeFile(fixture.file, edit(lines).map((line) => `${line}\n`).join(''));
  return { fixture, result: await verifyAuditLog(fixture.file, fixture.key, await readAnchor(fixture.stateDir, fixture.file)) };
}

const reseal = (line: string, change: (record: Record<string, unknown>) => void) => {
  const record = JSON.parse(line) as Record<string, unknown>;
  change(record);
  return canonicalJson(record as never);
};

describe('verifyAuditLog detects tampering', () => {
  it('an edited field (deny turned into allow)', async () => {
    const { result } = await tampered((lines) => lines.map((line, i) => (i === 2 ? reseal(line, (r) => (r['decision'] = 'allow')) : line)));
    expect(result).toEqual({ ok: false, firstBad: { line: 3, seq: 3, problem: 'edited: the MAC does not match the record' } });
  });

  it('an edit that only changes formatting is not tampering', async () => {
    const { result } = await tampered((lines) => lines.map((line) => JSON.stringify(JSON.parse(line), null, 0).replace(/,/g, ', ')));
    expect(result).toMatchObject({ ok: true, records: 6 });
  });

  it('a deleted record in the middle', async () => {
    const { result } = await tampered((lines) => lines.filter((_, i) => i !== 3));
    expect(result).toEqual({ ok: false, firstBad: { line: 4, seq: 5, problem: 'records missing or reordered: expected seq 4, found 5' } });
  });

  it('two records swapped', async () => {
    const { result } = await tampered((lines) => [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)]);
    expect(result).toMatchObject({ ok: false, firstBad: { line: 2, seq: 3 } });
  });

  it('a duplicated record', async () => {
    const { result } = await tampered((lines) => [...lines.slice(0, 3), lines[2]!, ...lines.slice(3)]);
    expect(result).toMatchObject({ ok: false, firstBad: { line: 4, seq: 3, problem: 'out of order or duplicated: expected seq 4, found 3' } });
  });

  it('records cut off the end (caught by the head anchor)', async () => {
    const { result } = await tampered((lines) => lines.slice(0, 4));
    expect(result).toEqual({
      ok: false,
      firstBad: { line: 5, seq: 5, problem: 'truncated: the log ends at seq 4 but the head anchor records seq 6' },
    });
  });

  it('every record removed', async () => {
    const { result } = await tampered(() => []);
    expect(result).toMatchObject({ ok: false, firstBad: { line: 1, seq: 1, problem: expect.stringMatching(/^truncated/) } });
  });

  it('the first records removed and the rest renumbered and rechained without the key', async () => {
    const { result } = await tampered((lines) => {
      let prev = `sha256:${'0'.repeat(64)}`;
      return lines.slice(2).map((line, i) => {
        const out = reseal(line, (r) => {
          r['seq'] = i + 1;
          r['prev'] = prev;
        });
        prev = lineHash(out);
        return out;
      });
    });
    expect(result).toMatchObject({ ok: false, firstBad: { line: 1, problem: 'edited: the MAC does not match the record' } });
  });

  it('a forged record appended with a made-up MAC', async () => {
    const { result } = await tampered((lines) => [...lines, reseal(lines[5]!, (r) => {
      r['seq'] = 7;
      r['prev'] = lineHash(lines[5]!);
      r['mac'] = randomBytes(32).toString('hex');
    })]);
    expect(result).toMatchObject({ ok: false, firstBad: { line: 7, seq: 7, problem: 'edited: the MAC does not match the record' } });
  });

  it('a torn last line', async () => {
    const fixture = await auditFixture();
    await writeRecords(fixture, 2);
    const text = await readFile(fixture.file, 'utf8');
    await writeFile(fixture.file, `${text}{"seq":3,"tr`);
    const result = await verifyAuditLog(fixture.file, fixture.key, undefined);
    expect(result).toMatchObject({ ok: false, firstBad: { line: 3, problem: 'not a JSON record' } });
  });

  it('a head anchor rewritten to hide a truncation', async () => {
    const fixture = await auditFixture();
    await writeRecords(fixture, 4);
    const lines = (await readFile(fixture.file, 'utf8')).split('\n').slice(0, -1);
    await writeFile(fixture.file, lines.slice(0, 2).map((line) => `${line}\n`).join(''));
    const forged = signAnchor(fixture.file, 2, lineHash(lines[1]!), randomBytes(32));
    await writeFile(anchorPath(fixture.stateDir, fixture.file), JSON.stringify(forged));
    const result = await verifyAuditLog(fixture.file, fixture.key, await readAnchor(fixture.stateDir, fixture.file));
    expect(result).toMatchObject({ ok: false, firstBad: { problem: expect.stringMatching(/head anchor does not match its MAC/) } });
  });

  it('the wrong key fails on the first record', async () => {
    const fixture = await auditFixture();
    await writeRecords(fixture, 2);
    expect(await verifyAuditLog(fixture.file, randomBytes(32), undefined)).toMatchObject({ ok: false, firstBad: { line: 1, seq: 1 } });
  });
});

describe('a writer after a truncation keeps the evidence', () => {
  it.each([
    ['cut to two records', 2, 3],
    ['emptied', 0, 1],
  ])('log %s, then appended to: verify still fails at the cut', async (_what, keep, line) => {
    const fixture = await auditFixture();
    await writeRecords(fixture, 5);
    const lines = (await readFile(fixture.file, 'utf8')).split('\n').slice(0, -1);
    await writeFile(fixture.file, lines.slice(0, keep).map((text) => `${text}\n`).join(''));
    // A new session appends: it must not start a fresh chain that hides the cut.
    await writeRecords(fixture, 1);
    const records = (await readFile(fixture.file, 'utf8')).trim().split('\n').map((text) => JSON.parse(text));
    expect(records.at(-1).seq).toBe(6);
    const result = await verifyAuditLog(fixture.file, fixture.key, await readAnchor(fixture.stateDir, fixture.file));
    expect(result).toMatchObject({ ok: false, firstBad: { line, seq: 6, problem: `records missing or reordered: expected seq ${keep + 1}, found 6` } });
  });
});
