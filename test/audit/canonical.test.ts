import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/record.js';
import type { JsonObject, JsonValue } from '../../src/model.js';

/** Canonical JSON the plain way: JSON.stringify for every string and number, keys sorted. */
function plainJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(plainJson).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${plainJson(value[key]!)}`)
    .join(',')}}`;
}

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

  it('agrees with the canonicalize package on values whose keys are already in order (written by JSON.stringify)', () => {
    // Keys that property order would put first (integer-like), that sort near them, or that are special.
    const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('0', '1', '9', '10', '01', '4294967295', ' ', '-1', 'a', '__proto__', 'toJSON', '', '\u20ac', '\ud83d\ude00'));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    }));
    fc.assert(
      fc.property(value, (v) => {
        const expected = canonicalize(v)!;
        // JSON.parse of a canonical line: keys inserted in sorted order, `__proto__` as data.
        const parsed = JSON.parse(expected) as JsonValue;
        expect(canonicalJson(parsed)).toBe(expected);
        expect(canonicalJson(v as JsonValue)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes every finite number as JSON.stringify does, alone and inside arrays and objects', () => {
    const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(-0, 0.1, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 2));
    fc.assert(
      fc.property(number, (n) => {
        expect(canonicalJson(n)).toBe(JSON.stringify(n));
        expect(canonicalJson([n, { n }])).toBe(`[${JSON.stringify(n)},{"n":${JSON.stringify(n)}}]`);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes strings of any length with any unit anywhere exactly as JSON.stringify does', () => {
    // Short strings are scanned here and only quoted when nothing needs escaping; long ones go to
    // JSON.stringify. Lengths on both sides of that line, one odd unit at any place.
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
    const text = fc.tuple(fc.integer({ min: 0, max: 300 }), codeUnit, fc.nat()).map(([length, odd, at]) => {
      const plain = 'p'.repeat(length);
      const cut = at % (length + 1);
      return plain.slice(0, cut) + odd + plain.slice(cut + 1);
    });
    fc.assert(
      fc.property(text, (value) => {
        expect(canonicalJson(value)).toBe(JSON.stringify(value));
        expect(canonicalJson({ [value]: [value] })).toBe(`{${JSON.stringify(value)}:[${JSON.stringify(value)}]}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('writes small and large objects, sorted or not, as JSON.stringify with sorted keys does', () => {
    // Small objects are written here, larger ones (keys already in order) by one JSON.stringify:
    // strings of lengths that put an object either side of that line, with any unit in them.
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
    const text = fc.oneof(fc.string({ unit: codeUnit, maxLength: 6 }), fc.tuple(fc.integer({ min: 0, max: 140 }), codeUnit).map(([length, odd]) => `${'t'.repeat(length)}${odd}`));
    const key = fc.oneof(text, fc.constantFrom('0', '10', '9', '__proto__', 'a', 'b', 'hash', 'shape'));
    const { value } = fc.letrec<{ value: JsonValue; array: JsonValue[]; object: JsonObject }>((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map((entries) => Object.fromEntries(entries)),
    }));
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(plainJson(v));
        // The same value as a canonical line parses back: keys in sorted order, `__proto__` as data.
        expect(canonicalJson(JSON.parse(plainJson(v)) as JsonValue)).toBe(plainJson(v));
      }),
      { numRuns: 1500 },
    );
  });

  it('writes -0 as 0, refuses non-finite numbers, and sorts objects without a prototype', () => {
    expect(canonicalJson([-0, { b: -0, a: 1e21, c: 1e-7 }])).toBe('[0,{"a":1e+21,"b":0,"c":1e-7}]');
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow(/non-finite/);
    expect(() => canonicalJson([Number.NaN])).toThrow(/non-finite/);
    const bare = Object.create(null) as Record<string, JsonValue>;
    bare['b'] = 1;
    bare['a'] = { y: 2, x: 1 };
    expect(canonicalJson(bare)).toBe('{"a":{"x":1,"y":2},"b":1}');
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 §3.2.3 requires', () => {
    expect(canonicalJson({ '\u20ac': 1, '\ud83d\ude00': 2, b: 3, B: 4 })).toBe('{"B":4,"b":3,"€":1,"😀":2}');
  });
});
