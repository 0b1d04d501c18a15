// hasDuplicateKey skips strings with indexOf and a backslash count and compares key counts; this checks it
// against a plain character-by-character scan, on JSON texts built to have escapes, quotes and repeats.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasDuplicateKey } from '../../src/proxy/json-check.js';

/** The scan as first written: every character of every string visited in turn. */
function referenceFindDuplicateKey(text: string, maxDepth = Infinity): string | undefined {
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      let hasEscape = false;
      i++;
      while (i < text.length) {
        if (text[i] === '\\') {
          hasEscape = true;
          i += 2;
          continue;
        }
        if (text[i] === '"') break;
        i++;
      }
      if (expectKey) {
        const keys = stack[stack.length - 1];
        if (keys) {
          const key = hasEscape ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
          if (keys.has(key)) return key;
          keys.add(key);
        }
        expectKey = false;
      }
      continue;
    }
    if (c === '{') {
      stack.push(stack.length < maxDepth ? new Set() : null);
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] != null;
    }
  }
  return undefined;
}

// Short keys from a small alphabet (so repeats happen), with quotes and backslashes in them and in values.
const key = fc.string({ unit: fc.constantFrom('a', 'b', '"', '\\', '\\"', 'é', '\u0000'), maxLength: 3 });
const leaf = fc.oneof(fc.string({ unit: fc.constantFrom('x', '"', '\\', '\\\\', '{', '}', ',', '[', ']', ':') }), fc.integer(), fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('object'), tie('array')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }),
}));

/** JSON text of an object given as pairs, keeping repeated keys (JSON.stringify of an object cannot). */
function render(value: unknown, space = ''): string {
  if (Array.isArray(value) && value.every((item) => Array.isArray(item) && item.length === 2 && typeof item[0] === 'string')) {
    return `{${space}${value.map(([name, inner]) => `${JSON.stringify(name)}${space}:${space}${render(inner, space)}`).join(`${space},${space}`)}${space}}`;
  }
  if (Array.isArray(value)) return `[${space}${value.map((item) => render(item, space)).join(`${space},${space}`)}${space}]`;
  return JSON.stringify(value);
}

describe('hasDuplicateKey', () => {
  it('says yes exactly when the character-by-character scan finds a repeat, at every depth limit', () => {
    fc.assert(
      fc.property(json.value, fc.constantFrom(1, 2, 3, Infinity), fc.constantFrom('', ' ', '\r\n\t'), (value, depth, space) => {
        const text = render(value, space);
        const parsed: unknown = JSON.parse(text);
        expect(hasDuplicateKey(text, parsed, depth)).toBe(referenceFindDuplicateKey(text, depth) !== undefined);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds repeats hidden behind escaped quotes and backslash runs, and no false ones', () => {
    const duplicated = (text: string, depth?: number): boolean => hasDuplicateKey(text, JSON.parse(text), depth);
    expect(duplicated('{"a\\\\":1,"a\\\\":2}')).toBe(true);
    expect(duplicated('{"a\\"":1,"a\\"":2}')).toBe(true);
    expect(duplicated('{"x":"\\\\\\",\\"x\\":","y":1}')).toBe(false);
    expect(duplicated('{"id":1,"result":{"text":"\\"id\\":2 \\\\"},"id":3}', 1)).toBe(true);
  });

  it('counts keys only at the depths asked for, and treats an escaped key as the key it decodes to', () => {
    const nested = '{"a":{"b":1,"b":2},"c":[{"d":1,"d":1}]}';
    expect(hasDuplicateKey(nested, JSON.parse(nested), 1)).toBe(false);
    expect(hasDuplicateKey(nested, JSON.parse(nested), 2)).toBe(true);
    const inArray = '{"c":[{"d":1,"d":1}]}';
    expect(hasDuplicateKey(inArray, JSON.parse(inArray), 2)).toBe(false);
    expect(hasDuplicateKey(inArray, JSON.parse(inArray), 3)).toBe(true);
    const escaped = '{"\\u0061":1,"a":2}';
    expect(hasDuplicateKey(escaped, JSON.parse(escaped))).toBe(true);
    const colons = '{"k:":"v:\\":","x":{"y":"::"}}';
    expect(hasDuplicateKey(colons, JSON.parse(colons))).toBe(false);
    const proto = '{"__proto__":1,"__proto__":2}';
    expect(hasDuplicateKey(proto, JSON.parse(proto))).toBe(true);
    expect(hasDuplicateKey('{"__proto__":{"a":1}}', JSON.parse('{"__proto__":{"a":1}}'))).toBe(false);
  });
});
