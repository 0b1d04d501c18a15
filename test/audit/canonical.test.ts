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

  it('sorts keys by UTF-16 code units, as RFC 8785 §3.2.3 requires', () => {
    expect(canonicalJson({ '\u20ac': 1, '\ud83d\ude00': 2, b: 3, B: 4 })).toBe('{"B":4,"b":3,"€":1,"😀":2}');
  });
});
