import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/record.js';
import type { JsonValue } from '../../src/model.js';

describe('canonicalJson (the audit log’s fast RFC 8785 writer)', () => {
  it('agrees with the canonicalize package on well-formed JSON values', () => {
    const value = fc.jsonValue({ maxDepth: 4 }).filter((v) => canonicalize(v) !== undefined);
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v as JsonValue)).toBe(canonicalize(v));
      }),
      { numRuns: 500 },
    );
  });

  it('writes every string, key or value, exactly as JSON.stringify does (quotes, escapes, lone surrogates)', () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
    const text = fc.oneof(fc.string({ unit: codeUnit, maxLength: 12 }), fc.constantFrom('', '"', '\\', '\u2028', '\ud83d', '\ude00', 'a\u0000b', 'plain text'));
    fc.assert(
      fc.property(text, text, (key, value) => {
        expect(canonicalJson(value)).toBe(JSON.stringify(value));
        expect(canonicalJson({ [key]: value })).toBe(`{${JSON.stringify(key)}:${JSON.stringify(value)}}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 §3.2.3 requires', () => {
    expect(canonicalJson({ '\u20ac': 1, '\ud83d\ude00': 2, b: 3, B: 4 })).toBe('{"B":4,"b":3,"€":1,"😀":2}');
  });
});
