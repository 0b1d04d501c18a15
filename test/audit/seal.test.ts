// The record writer's fast paths (one-pass sealing, a reused HMAC key, remembered redaction of
// recurring fields, directories made once) against the plain definitions they replace.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { readAnchor } from '../../src/audit/anchor.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { buildPendingRecord, canonicalJson, GENESIS_HASH, lineHash, recordMac, sealRecord, type AuditEntry, type PendingRecord } from '../../src/audit/record.js';
import { verifyAuditLog } from '../../src/audit/verify.js';
import { clearRegisteredSecrets, redact, redactRepeated, registerSecrets } from '../../src/findings/redact.js';
import type { JsonObject, JsonValue } from '../../src/model.js';
import { auditFixture, entry } from './helpers.js';

afterEach(() => clearRegisteredSecrets());

const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('ghp_abcdefghijklmnopqrstuvwxyz0123', 'password=hunter22', 'token: abc', 'mac', ''));
const auditEntry: fc.Arbitrary<AuditEntry> = fc.record(
  {
    server: text,
    tool: text,
    decision: fc.constantFrom('allow', 'deny', 'approve', 'log'),
    source: text,
    reason: text,
    rule: fc.record({ file: text, index: fc.nat(), line: fc.nat() }, { requiredKeys: [] }),
    lockDigest: text,
    method: text,
    arguments: fc.jsonValue({ maxDepth: 3 }),
    approval: fc.record({ via: text, outcome: text }),
  },
  { requiredKeys: ['server', 'tool', 'decision'] },
);

/** String.prototype.toWellFormed (Node 20 has it, the es2023 lib does not declare it) over a whole value. */
function wellFormed(value: JsonValue): JsonValue {
  const text = (s: string): string => (s as unknown as { toWellFormed(): string }).toWellFormed();
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value === null || typeof value !== 'object') return value;
  // fromEntries defines data properties: a `__proto__` key stays a key.
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [text(key), wellFormed(inner)]));
}

describe('sealRecord', () => {
  it('writes exactly the canonical JSON of the record with its MAC, and chains to that line’s SHA-256', () => {
    const key = randomBytes(32);
    fc.assert(
      fc.property(auditEntry, fc.boolean(), fc.integer({ min: 1, max: 2 ** 40 }), (e, includeValues, seq) => {
        const pending = buildPendingRecord(e, new Date(1_700_000_000_000 + seq), { key, includeValues });
        const prev = lineHash(String(seq));
        const sealed = sealRecord(pending, seq, prev, key);
        const unsigned: JsonObject = { ...pending, seq, prev };
        const expectedMac = createHmac('sha256', key).update(canonicalize(unsigned)!).digest('hex');
        expect(recordMac(unsigned, key)).toBe(expectedMac);
        expect(sealed.line).toBe(canonicalize({ ...unsigned, mac: expectedMac }));
        expect(sealed.hash).toBe(`sha256:${createHash('sha256').update(sealed.line).digest('hex')}`);
      }),
      { numRuns: 300 },
    );
  });

  it('writes, record after record in a chain, what createHmac and canonicalJson over the record without mac give', () => {
    // Arguments as JSON.parse makes them: `__proto__` as an own key, lone surrogates from \u escapes.
    const parsedArguments = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.parse(JSON.stringify(value).replaceAll('"a', '"__proto__').replaceAll('b', '\\ud800')) as unknown);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 100 }), fc.array(fc.tuple(auditEntry, parsedArguments), { minLength: 1, maxLength: 8 }), fc.boolean(), (keyBytes, calls, includeValues) => {
        const key = Buffer.from(keyBytes);
        let prev = GENESIS_HASH;
        calls.forEach(([e, args], i) => {
          const pending = buildPendingRecord({ ...e, arguments: args }, new Date(1_800_000_000_000 + i), { key, includeValues });
          const wellFormedArgs = canonicalJson(wellFormed(args as JsonValue));
          expect(argumentsHash(pending)).toBe(`hmac-sha256:${createHmac('sha256', key).update(wellFormedArgs).digest('hex')}`);
          const sealed = sealRecord(pending, i + 1, prev, key);
          const unsigned: JsonObject = { ...pending, seq: i + 1, prev };
          const mac = createHmac('sha256', key).update(canonicalJson(unsigned)).digest('hex');
          expect(sealed.line).toBe(canonicalJson({ ...unsigned, mac }));
          expect(sealed.hash).toBe(`sha256:${createHash('sha256').update(sealed.line).digest('hex')}`);
          prev = sealed.hash;
        });
      }),
      { numRuns: 300 },
    );
  });

  it('seals a record with members it does not write itself, and refuses one that carries a mac', () => {
    const key = randomBytes(32);
    const pending = { ...buildPendingRecord(entry(1), new Date(0), { key, includeValues: false }), a: 1, extra: ['x'], zz: { '\u20ac': 1, b: 2 } };
    const sealed = sealRecord(pending, 7, GENESIS_HASH, key);
    const unsigned: JsonObject = { ...pending, seq: 7, prev: GENESIS_HASH };
    expect(sealed.line).toBe(canonicalize({ ...unsigned, mac: createHmac('sha256', key).update(canonicalize(unsigned)!).digest('hex') }));
    expect(() => sealRecord({ ...pending, mac: 'forged' }, 7, GENESIS_HASH, key)).toThrow(/own mac/);
  });

  it('writes each record’s time as toISOString does, for times in and across seconds, before 1970 and past year 9999', () => {
    const key = randomBytes(32);
    const near = fc.integer({ min: -3000, max: 3000 });
    const time = fc.oneof(fc.date({ noInvalidDate: true }), fc.constantFrom(0, -1, 999, 1000, -1000, 253402300800000).map((ms) => new Date(ms)));
    fc.assert(
      fc.property(time, fc.array(near, { maxLength: 6 }), (start, steps) => {
        let ms = start.getTime();
        for (const step of [0, ...steps]) {
          ms = Math.max(-8.64e15, Math.min(8.64e15, ms + step));
          const at = new Date(ms);
          expect(buildPendingRecord(entry(1), at, { key, includeValues: false }).time).toBe(at.toISOString());
        }
      }),
      { numRuns: 500 },
    );
    expect(() => buildPendingRecord(entry(1), new Date(Number.NaN), { key, includeValues: false })).toThrow(RangeError);
  });

  it('hashes arguments with the key it is given, even when a buffer is reused for another key', () => {
    const key = Buffer.alloc(32, 1);
    const first = buildPendingRecord(entry(1), new Date(0), { key, includeValues: false });
    key.fill(2);
    const second = buildPendingRecord(entry(1), new Date(0), { key, includeValues: false });
    const expected = createHmac('sha256', Buffer.alloc(32, 2)).update(canonicalJson({ i: 1 })).digest('hex');
    expect(argumentsHash(second)).toBe(`hmac-sha256:${expected}`);
    expect(argumentsHash(first)).not.toBe(argumentsHash(second));
    const sealed = sealRecord(second, 1, GENESIS_HASH, key);
    expect(JSON.parse(sealed.line).mac).toBe(recordMac({ ...second, seq: 1, prev: GENESIS_HASH }, Buffer.alloc(32, 2)));
  });
});

/**
 * RFC 8785 written the plain way: JSON.stringify for every string and number, keys sorted. Unlike
 * canonicalize, it writes a lone surrogate as JSON.stringify does (escaped), so it also covers the
 * strings a caller hands sealRecord unchecked (prev, a pending record's own members).
 */
function plainJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(plainJson).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${plainJson(value[key]!)}`)
    .join(',')}}`;
}

const argumentsHash = (pending: PendingRecord): JsonValue | undefined => (pending.args as JsonObject)['hash'];

/** The line and chain hash sealRecord must give, from createHmac, createHash and plainJson alone. */
function plainSeal(pending: JsonObject, seq: number, prev: string, key: Buffer): { line: string; hash: string } {
  const unsigned: JsonObject = { ...pending, seq, prev };
  const line = plainJson({ ...unsigned, mac: createHmac('sha256', key).update(plainJson(unsigned)).digest('hex') });
  return { line, hash: `sha256:${createHash('sha256').update(line).digest('hex')}` };
}

/** Lone surrogates to U+FFFD with a regular expression, as the record writer did before it used String#toWellFormed. */
const replaceLoneSurrogates = (s: string): string => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

function wellFormedByRegex(value: JsonValue): JsonValue {
  if (typeof value === 'string') return replaceLoneSurrogates(value);
  if (Array.isArray(value)) return value.map(wellFormedByRegex);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, inner]) => [replaceLoneSurrogates(k), wellFormedByRegex(inner)]));
}

// Strings from every corner the writer treats differently: empty, escapes, non-ASCII, lone and paired
// surrogates, the lengths of an ISO time, an arguments hash and a line hash (texts the writer quotes
// without a scan when it made them), and lengths either side of where it stops scanning in JavaScript.
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const edgyText = fc.oneof(
  fc.string({ unit: anyUnit, maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', '"', '\\', '\u2028', '\u007f', '\ud83d', '\ude00', '\ud83d\ude00', 'a\u0000b', 'ünïcødé 😀', '__proto__', 'hmac-sha256:', 'sha256:'),
  fc.tuple(fc.oneof(fc.constantFrom(24, 71, 76), fc.integer({ min: 120, max: 136 })), fc.string({ unit: anyUnit, maxLength: 2 }), fc.nat()).map(([length, odd, at]) => {
    const plain = 'x'.repeat(length);
    const cut = at % (length + 1);
    return plain.slice(0, cut) + odd + plain.slice(cut + odd.length);
  }),
);
const edgyNumber = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(-0, 0.1, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, -1e21));
const edgyKey = fc.oneof(edgyText, fc.constantFrom('0', '1', '9', '10', '01', '4294967295', '-1', 'a', 'b', 'hash', 'shape', 'values'));
const { edgyValue } = fc.letrec<{ edgyValue: JsonValue; array: JsonValue[]; object: JsonObject }>((tie) => ({
  edgyValue: fc.oneof({ depthSize: 'small' }, edgyText, edgyNumber, fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('edgyValue'), { maxLength: 4 }),
  // fromEntries defines data properties, so a `__proto__` key is an own key, as JSON.parse makes it.
  object: fc.array(fc.tuple(edgyKey, tie('edgyValue')), { maxLength: 5 }).map((entries) => Object.fromEntries(entries)),
}));

describe('sealing fast paths against the plain reference', () => {
  const memberNames = ['approval', 'args', 'decision', 'lockDigest', 'method', 'pid', 'reason', 'rule', 'server', 'source', 'time', 'tool', 'v'];

  it('seals any pending record (any subset of members, in any order, any values, any prev) as createHmac and plainJson do', () => {
    const pendingRecord = fc
      .tuple(
        fc.shuffledSubarray(memberNames),
        fc.array(edgyValue, { minLength: memberNames.length, maxLength: memberNames.length }),
        fc.option(fc.tuple(edgyKey, edgyValue)),
        fc.option(
          fc.oneof(
            fc.record({ hash: edgyValue, shape: edgyValue, values: edgyValue }, { requiredKeys: ['hash', 'shape'] }),
            // Nearly that shape: members missing, out of order, or one more.
            fc.array(fc.tuple(fc.constantFrom('hash', 'shape', 'values', 'a', 'zz'), edgyValue), { maxLength: 4 }).map((entries) => Object.fromEntries(entries)),
          ),
        ),
      )
      .map(([names, values, extra, args]) => {
        const pending: JsonObject = {};
        names.forEach((name, i) => (pending[name] = values[i]!));
        // Often an args member shaped as buildPendingRecord makes it, with any values inside.
        if (args) pending['args'] = args;
        // A member sealRecord does not write itself sends it down its general path.
        if (extra && !['mac', 'seq', 'prev'].includes(extra[0])) Object.defineProperty(pending, extra[0], { value: extra[1], enumerable: true, writable: true, configurable: true });
        return pending;
      });
    fc.assert(
      fc.property(pendingRecord, fc.oneof(fc.nat(), fc.maxSafeInteger(), edgyNumber), edgyText, fc.uint8Array({ maxLength: 80 }), (pending, seq, prev, keyBytes) => {
        const key = Buffer.from(keyBytes);
        const sealed = sealRecord(pending as PendingRecord, seq, prev, key);
        expect(sealed).toEqual(plainSeal(pending, seq, prev, key));
        // Sealing again chains to that line's hash: prev is then the very string sealRecord returned.
        const next = sealRecord(pending as PendingRecord, seq, sealed.hash, key);
        expect(next).toEqual(plainSeal(pending, seq, sealed.hash, key));
      }),
      { numRuns: 500 },
    );
  });

  it('writes chained records from entries with nested, unicode, surrogate, __proto__ and numeric arguments as the reference does, two logs interleaved', () => {
    const entryWithArguments = fc.tuple(auditEntry, edgyValue, fc.boolean()).map(([e, args, withArgs]): AuditEntry => (withArgs ? { ...e, arguments: args } : { ...e, arguments: undefined }));
    fc.assert(
      fc.property(fc.array(fc.tuple(entryWithArguments, fc.boolean(), fc.integer({ min: -2000, max: 2000 })), { minLength: 1, maxLength: 8 }), fc.boolean(), (calls, includeValues) => {
        // Two chains under two keys, written alternately, as two logs in one process would be.
        const keys = [randomBytes(32), randomBytes(16)];
        const prevs = [GENESIS_HASH, GENESIS_HASH];
        const seqs = [0, 0];
        calls.forEach(([e, second, step], i) => {
          const which = second ? 1 : 0;
          const key = keys[which]!;
          const time = new Date(1_800_000_000_000 + i * 997 + step);
          const pending = buildPendingRecord(e, time, { key, includeValues });
          const args = e.arguments === undefined ? {} : wellFormedByRegex(e.arguments as JsonValue);
          expect(argumentsHash(pending)).toBe(`hmac-sha256:${createHmac('sha256', key).update(plainJson(args)).digest('hex')}`);
          expect(pending.time).toBe(time.toISOString());
          expect(pending.server).toBe(redact(replaceLoneSurrogates(e.server)));
          expect(pending.tool).toBe(redact(replaceLoneSurrogates(e.tool)));
          seqs[which]! += 1;
          const sealed = sealRecord(pending, seqs[which]!, prevs[which]!, key);
          expect(sealed).toEqual(plainSeal(pending, seqs[which]!, prevs[which]!, key));
          prevs[which] = sealed.hash;
        });
      }),
      { numRuns: 300 },
    );
  });

  it('uses a key buffer’s current bytes: a change to its last byte alone changes every MAC, an equal key in another buffer gives the same', () => {
    const key = Buffer.alloc(32, 7);
    const pending = buildPendingRecord(entry(1), new Date(0), { key, includeValues: false });
    const first = sealRecord(pending, 1, GENESIS_HASH, key);
    key[31] = 8;
    const changed = Buffer.from(key);
    const again = buildPendingRecord(entry(1), new Date(0), { key, includeValues: false });
    expect(argumentsHash(again)).toBe(`hmac-sha256:${createHmac('sha256', changed).update('{"i":1}').digest('hex')}`);
    expect(argumentsHash(again)).not.toBe(argumentsHash(pending));
    const second = sealRecord(pending, 1, GENESIS_HASH, key);
    expect(second).toEqual(plainSeal(pending, 1, GENESIS_HASH, changed));
    expect(second.line).not.toBe(first.line);
    expect(sealRecord(pending, 1, GENESIS_HASH, changed)).toEqual(second);
  });
});

describe('redactRepeated', () => {
  it('returns what redact returns', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(redactRepeated(value)).toBe(redact(value));
        expect(redactRepeated(value)).toBe(redact(value));
      }),
      { numRuns: 300 },
    );
  });

  it('forgets what it remembered when a secret is registered, or the secrets are cleared', () => {
    const reason = 'denied: the token is swordfish-42';
    expect(redactRepeated(reason)).toBe(reason);
    registerSecrets(['swordfish-42']);
    expect(redactRepeated(reason)).toBe('denied: the token is [REDACTED]');
    clearRegisteredSecrets();
    expect(redactRepeated(reason)).toBe(reason);
  });

  it('a secret registered after records were written is redacted in every later record field', async () => {
    const fixture = await auditFixture();
    const log = new AuditLog({ file: fixture.file, stateDir: fixture.stateDir, key: fixture.key, includeValues: true });
    const e: AuditEntry = { server: 'srv-opensesame', tool: 'open', decision: 'allow', reason: 'opensesame said', arguments: { opensesame: 'opensesame' } };
    log.record(e);
    await log.flush();
    registerSecrets(['opensesame']);
    log.record(e);
    await log.close();
    const [before, after] = (await readFile(fixture.file, 'utf8')).trim().split('\n');
    expect(before).toContain('opensesame');
    expect(after).not.toContain('opensesame');
    expect(JSON.parse(after!)).toMatchObject({ server: 'srv-[REDACTED]', reason: '[REDACTED] said', args: { values: { '[REDACTED]': '[REDACTED]' } } });
  });
});

describe('AuditLog directories', () => {
  it('makes the log’s and the anchors’ directories again when they are removed between flushes', async () => {
    const fixture = await auditFixture();
    const file = join(fixture.dir, 'logs', 'audit.jsonl');
    const errors: unknown[] = [];
    const log = new AuditLog({ file, stateDir: fixture.stateDir, key: fixture.key, onError: (error) => errors.push(error) });
    log.record(entry(1));
    await log.flush();
    await rm(join(fixture.dir, 'logs'), { recursive: true });
    await rm(join(fixture.stateDir, 'anchors'), { recursive: true });
    log.record(entry(2));
    log.record(entry(3));
    await log.close();
    expect(errors).toEqual([]);
    const records = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { seq: number });
    // A fresh file: the chain starts again (the anchor that would have flagged the cut was removed too).
    expect(records.map((record) => record.seq)).toEqual([1, 2]);
    const anchor = await readAnchor(fixture.stateDir, file);
    expect(anchor?.seq).toBe(2);
    expect(await verifyAuditLog(file, fixture.key, anchor)).toEqual({ ok: true, records: 2, lastSeq: 2 });
  });
});

describe('records written before the sealing fast paths', () => {
  // Written by the record writer as of commit 9804cec (createHmac, copy-and-sort sealing), key 00..1f.
  const key = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
  const golden = [
    "{\"args\":{\"hash\":\"hmac-sha256:9559210e915adf48fceb8892d89aab2ec90644bcb8ddf1d49001d07e9868af7a\",\"shape\":{\"path\":\"string\"}},\"decision\":\"allow\",\"lockDigest\":\"sha256:abababababababababababababababababababababababababababababababab\",\"mac\":\"9ec9f28959147d94edc4b124f61a9d2b11cce8cd2f0835e15245f0ca8bc5c8bc\",\"pid\":29003,\"prev\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\",\"seq\":1,\"server\":\"filesystem\",\"source\":\"lock\",\"time\":\"2026-11-22T06:00:00.000Z\",\"tool\":\"read_file\",\"v\":1}",
    "{\"args\":{\"hash\":\"hmac-sha256:ed1b51f66aea54f2b46fcc0a323f1e5700237fe20e6f0939a83b98bdc07c26cd\",\"shape\":{\"labels\":[\"string\",\"string\"],\"nested\":{\"a\":[\"number\",\"number\",\"number\",\"null\",\"boolean\"],\"z\":\"number\"},\"title\":\"string\"}},\"decision\":\"deny\",\"mac\":\"468127e26698eb6193a26fa9ccbc7e7fd113046487c8fb2e050eb8815c66704d\",\"pid\":29003,\"prev\":\"sha256:512f93da7a5ee5d7dd95356cef96e1fa331fcf1b2347d4562957fbfbf8e632f5\",\"reason\":\"issues need approval\",\"rule\":{\"file\":\"/etc/mcp-guard/policy.yaml\",\"index\":2,\"line\":14},\"seq\":2,\"server\":\"github\",\"source\":\"rule\",\"time\":\"2026-11-22T06:00:01.005Z\",\"tool\":\"create_issue\",\"v\":1}",
    "{\"approval\":{\"outcome\":\"accept\",\"via\":\"elicitation\"},\"args\":{\"hash\":\"hmac-sha256:fa822b2936e6aa5f1623881123cdd19179d1a3663412bd452003e93281e438c2\",\"shape\":{\"10\":\"number\",\"9\":\"number\",\"__proto__\":{\"b\":\"string\"},\"msg\":\"string\"},\"values\":{\"10\":2,\"9\":1,\"__proto__\":{\"b\":\"token: [REDACTED]\"},\"msg\":\"password=[REDACTED] \\\"quoted\\\"\\n\"}},\"decision\":\"approve\",\"lockDigest\":\"unlocked\",\"mac\":\"d91bea01fd4ea2f5d211bc2e7651d6465ccfbb9afa1c19279ca761287c479c2a\",\"method\":\"tools/call\",\"pid\":29003,\"prev\":\"sha256:7bd0593e80d7171c1cd30be7e952529b8b9b10152001ff1c203b179a4fa7b51c\",\"seq\":3,\"server\":\"everything\",\"time\":\"2026-11-22T06:00:02.010Z\",\"tool\":\"echo\",\"v\":1}",
    "{\"args\":{\"hash\":\"hmac-sha256:86227fe96722a2247dcfee12c07d89c1b0567bbc9aa6a8d804838f66a3da843f\",\"shape\":{},\"values\":{}},\"decision\":\"log\",\"mac\":\"5eac17452b8c3827634be3faca3e2ababb771f64554468437faf8dace5cc5bc6\",\"pid\":29003,\"prev\":\"sha256:6a50c13f016cfbb4cf08f300201daa1c2b11d1cff3862c6bbb3229a1065b34fe\",\"seq\":4,\"server\":\"memory\",\"time\":\"2026-11-22T06:00:03.015Z\",\"tool\":\"create_entities\",\"v\":1}",
  ];
  const calls: [AuditEntry, boolean][] = [
    [{ server: 'filesystem', tool: 'read_file', decision: 'allow', source: 'lock', lockDigest: `sha256:${'ab'.repeat(32)}`, arguments: { path: '/home/user/notes/ünïcødé 😀.md' } }, false],
    [
      {
        server: 'github',
        tool: 'create_issue',
        decision: 'deny',
        source: 'rule',
        reason: 'issues need approval',
        rule: { file: '/etc/mcp-guard/policy.yaml', index: 2, line: 14 },
        arguments: Object.assign(Object.create(null) as object, { title: 'a\ud800b', labels: ['x', 'y'], nested: { z: 1, a: [1.5, -0, 1e21, null, true] } }),
      },
      false,
    ],
    [
      {
        server: 'everything',
        tool: 'echo',
        decision: 'approve',
        lockDigest: 'unlocked',
        approval: { via: 'elicitation', outcome: 'accept' },
        method: 'tools/call',
        arguments: JSON.parse('{"__proto__":{"b":"token: ghp_abcdefghijklmnopqrstuvwxyz0123"},"10":2,"9":1,"msg":"password=hunter22 \\"quoted\\"\\n"}') as unknown,
      },
      true,
    ],
    [{ server: 'memory', tool: 'create_entities', decision: 'log', arguments: undefined }, true],
  ];

  it('are written again byte for byte from the same calls', () => {
    let prev = GENESIS_HASH;
    calls.forEach(([e, includeValues], i) => {
      const pending = buildPendingRecord(e, new Date(Date.UTC(2026, 10, 22, 6, 0, i, 5 * i)), { key, includeValues });
      // The golden records carry the pid of the process that wrote them.
      const sealed = sealRecord({ ...pending, pid: 29003 }, i + 1, prev, key);
      expect(sealed.line).toBe(golden[i]);
      prev = sealed.hash;
    });
    expect(prev).toBe('sha256:bc437203521340a0ea69e1d3e7fa317b2ea7419623374fbbadb59cbe8d3165d2');
  });

  it('still verify', async () => {
    const fixture = await auditFixture();
    await writeFile(fixture.file, `${golden.join('\n')}\n`);
    expect(await verifyAuditLog(fixture.file, key, null)).toEqual({ ok: true, records: 4, lastSeq: 4 });
  });
});
