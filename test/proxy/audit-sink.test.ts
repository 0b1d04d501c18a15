// The proxy's audit sink (worker thread, records batched for a short window): nothing queued is lost
// on close, order is kept, and what it writes verifies. Runs the built worker (dist), as the proxy does.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAnchor } from '../../src/audit/anchor.js';
import { readAuditKey } from '../../src/audit/audit-key.js';
import type { AuditEntry } from '../../src/audit/record.js';
import { verifyAuditLog } from '../../src/audit/verify.js';
import { clearRegisteredSecrets, registerSecrets } from '../../dist/findings/redact.js';
import { AuditSink } from '../../dist/proxy/audit-sink.js';
import { auditFixture } from '../audit/helpers.js';

const call = (i: number): AuditEntry => ({ server: 'notes', tool: `tool_${i}`, decision: 'allow', source: 'rule', reason: 'ok', arguments: { i } });

async function records(file: string): Promise<{ seq: number; tool: string }[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { seq: number; tool: string });
}

afterEach(() => clearRegisteredSecrets());

describe('AuditSink', () => {
  it('close() writes records still waiting for their batch, in order, and the log verifies', async () => {
    const fixture = await auditFixture();
    const errors: string[] = [];
    const sink = new AuditSink({ env: { HOME: fixture.dir, XDG_STATE_HOME: join(fixture.dir, 'state') }, file: fixture.file, includeValues: false }, (m) => errors.push(m));
    for (let i = 0; i < 5; i++) sink.record(call(i));
    await sink.close();
    // After close nothing more is taken.
    sink.record(call(99));
    expect(errors).toEqual([]);
    const written = await records(fixture.file);
    expect(written.map((r) => [r.seq, r.tool])).toEqual([0, 1, 2, 3, 4].map((i) => [i + 1, `tool_${i}`]));
    const key = await readAuditKey(fixture.stateDir);
    const anchor = await readAnchor(fixture.stateDir, fixture.file);
    expect(await verifyAuditLog(fixture.file, key, anchor)).toEqual({ ok: true, records: 5, lastSeq: 5 });
  });

  it('writes records by itself (no close), across several batches, and reports the backlog drained', async () => {
    const fixture = await auditFixture();
    const sink = new AuditSink({ env: { HOME: fixture.dir, XDG_STATE_HOME: join(fixture.dir, 'state') }, file: fixture.file, includeValues: false }, () => {});
    for (let batch = 0; batch < 3; batch++) {
      for (let i = 0; i < 4; i++) sink.record(call(batch * 4 + i));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise<void>((resolve) => sink.onceDrained(resolve));
    while ((await records(fixture.file)).length < 12) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await records(fixture.file)).map((r) => r.tool)).toEqual(Array.from({ length: 12 }, (_, i) => `tool_${i}`));
    expect(sink.isBacklogged()).toBe(false);
    await sink.close();
  });

  it('redacts secrets registered on the relay’s thread, before and after the worker started', async () => {
    const fixture = await auditFixture();
    registerSecrets(['early-Secret-1234']);
    const sink = new AuditSink({ env: { HOME: fixture.dir, XDG_STATE_HOME: join(fixture.dir, 'state') }, file: fixture.file, includeValues: true }, () => {});
    sink.record({ server: 'notes', tool: 'add', decision: 'allow', arguments: { text: 'early-Secret-1234 and late-Secret-5678' } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    registerSecrets(['late-Secret-5678']);
    sink.record({ server: 'notes', tool: 'add', decision: 'allow', reason: 'saw late-Secret-5678', arguments: { text: 'late-Secret-5678' } });
    await sink.close();
    const text = await readFile(fixture.file, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(text).not.toContain('early-Secret-1234');
    const [first, second] = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { args: { values: { text: string } }; reason?: string });
    // The first record may be sealed after the late secret reached the worker: redacting it too is fine.
    expect(first!.args.values.text).toMatch(/^\[REDACTED\] and (late-Secret-5678|\[REDACTED\])$/);
    expect(second!.args.values.text).toBe('[REDACTED]');
    expect(second!.reason).toBe('saw [REDACTED]');
  });
});
