// The audit log's HMAC-SHA256 built from one-shot hashes against node's createHmac and RFC 4231.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacSha256 } from '../../src/audit/hmac.js';

const reference = (key: Uint8Array, message: string): string => createHmac('sha256', key).update(message).digest('hex');

// Whole code points from every plane, plus lone surrogates (which UTF-8 encodes as U+FFFD).
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const message = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: codeUnit }),
  fc.constantFrom('', '\ud83d', '\ude00', '\ud83d\ude00', 'a\u0000b', '€', '\uffff'),
);
const key = fc.uint8Array({ minLength: 0, maxLength: 200 });

describe('HmacSha256', () => {
  it('equals createHmac for keys of 0 to 200 bytes and any string, one key for many messages', () => {
    fc.assert(
      fc.property(key, fc.array(message, { minLength: 1, maxLength: 4 }), (k, messages) => {
        const hmac = new HmacSha256(k);
        for (const m of messages) expect(hmac.hex(m)).toBe(reference(k, m));
      }),
      { numRuns: 1000 },
    );
  });

  it('equals createHmac for two keys used alternately, each message after another of a different length', () => {
    fc.assert(
      fc.property(key, key, fc.array(fc.tuple(fc.boolean(), message), { minLength: 2, maxLength: 8 }), (k1, k2, calls) => {
        const hmacs = [new HmacSha256(k1), new HmacSha256(k2)];
        for (const [second, m] of calls) expect(hmacs[second ? 1 : 0]!.hex(m)).toBe(reference(second ? k2 : k1, m));
      }),
      { numRuns: 300 },
    );
  });

  it('equals createHmac for messages longer than its reused buffer, before and after short ones', () => {
    const k = Buffer.from('a key for long messages');
    const hmac = new HmacSha256(k);
    for (const m of ['short', 'x'.repeat(16 * 1024), '\u{1f600}'.repeat(8 * 1024 + 1), 'é'.repeat(40_000), 'short again', '']) {
      expect(hmac.hex(m)).toBe(reference(k, m));
    }
  });

  it('gives the RFC 4231 HMAC-SHA-256 results (the test cases whose data is text)', () => {
    const cases: { key: Buffer; data: string; mac: string }[] = [
      { key: Buffer.alloc(20, 0x0b), data: 'Hi There', mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' },
      { key: Buffer.from('Jefe'), data: 'what do ya want for nothing?', mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
      {
        key: Buffer.alloc(131, 0xaa),
        data: 'Test Using Larger Than Block-Size Key - Hash Key First',
        mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
      },
      {
        key: Buffer.alloc(131, 0xaa),
        data: 'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
        mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
      },
    ];
    for (const { key: k, data, mac } of cases) expect(new HmacSha256(k).hex(data)).toBe(mac);
    // Test case 5 checks the first 128 bits only.
    expect(new HmacSha256(Buffer.alloc(20, 0x0c)).hex('Test With Truncation').slice(0, 32)).toBe('a3b6167473100ee06e0c796c2955552b');
  });

  it('keeps its own copy of the key: changing the caller’s buffer afterwards changes nothing', () => {
    const k = Buffer.alloc(32, 1);
    const hmac = new HmacSha256(k);
    k.fill(2);
    expect(hmac.hex('record')).toBe(reference(Buffer.alloc(32, 1), 'record'));
  });
});
