// The audit hand-off's flat form: every entry the relay can record comes out of the worker's side as
// it went in, through a real structured clone (postMessage), with absent members still absent.
import fc from 'fast-check';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/audit/record.js';
import { fromPosted, toPosted, type PostedEntry } from '../../src/proxy/audit-wire.js';

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const entryArb: fc.Arbitrary<AuditEntry> = fc
  .record({
    server: fc.string(),
    tool: fc.string(),
    decision: fc.constantFrom('allow', 'deny', 'approve', 'log' as const),
    source: optional(fc.string()),
    reason: optional(fc.string()),
    rule: optional(
      fc
        .record({ file: optional(fc.string()), index: optional(fc.nat()), line: optional(fc.nat()) })
        .filter((rule) => rule.file !== undefined || rule.index !== undefined || rule.line !== undefined),
    ),
    lockDigest: optional(fc.string()),
    method: optional(fc.string()),
    approval: optional(fc.record({ via: fc.string(), outcome: fc.string() })),
    arguments: optional(fc.jsonValue()),
  })
  // Absent, not present-and-undefined: the relay never sets a member to undefined.
  .map((raw) => JSON.parse(JSON.stringify(raw)) as AuditEntry);

async function throughClone(records: PostedEntry[]): Promise<PostedEntry[]> {
  const { port1, port2 } = new MessageChannel();
  const received = new Promise<PostedEntry[]>((resolve) => port2.once('message', resolve));
  port1.postMessage(records);
  const out = await received;
  port1.close();
  return out;
}

describe('audit hand-off to the worker', () => {
  it('gives back every entry and its time as recorded, across a structured clone', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(entryArb, fc.nat()), { minLength: 1, maxLength: 20 }), async (pairs) => {
        const received = await throughClone(pairs.map(([entry, time]) => toPosted(entry, time)));
        expect(received.map(fromPosted)).toEqual(pairs.map(([entry, time]) => ({ entry, time })));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a __proto__ key in the arguments as data, across the clone', async () => {
    const args = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as unknown;
    const [posted] = await throughClone([toPosted({ server: 's', tool: 't', decision: 'allow', arguments: args }, 1)]);
    const { entry } = fromPosted(posted!);
    expect(Object.keys(entry.arguments as object)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(entry.arguments)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
