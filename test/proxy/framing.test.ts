import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frame, LineFramer } from '../../src/proxy/framing.js';
import { findDuplicateKey } from '../../src/proxy/json-check.js';

function collect(max?: number) {
  const lines: Buffer[] = [];
  const oversize: number[] = [];
  const framer = new LineFramer({ onMessage: (l) => lines.push(Buffer.from(l)), onOversize: (n) => oversize.push(n) }, max);
  return { framer, lines, oversize };
}

describe('LineFramer', () => {
  it('keeps a multi-byte character split across chunks intact', () => {
    const { framer, lines } = collect();
    const bytes = Buffer.from('{"t":"é€😀"}\n', 'utf8');
    for (let i = 0; i < bytes.length; i++) framer.push(bytes.subarray(i, i + 1));
    expect(lines.map((l) => l.toString('utf8'))).toEqual(['{"t":"é€😀"}']);
  });

  it('tolerates CRLF and skips empty lines', () => {
    const { framer, lines } = collect();
    framer.push(Buffer.from('{"a":1}\r\n\r\n\n{"b":2}\n{"c"'));
    framer.push(Buffer.from(':3}\r\n'));
    expect(lines.map(String)).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('reports an oversize line and recovers at the next newline instead of wiping later lines', () => {
    const { framer, lines, oversize } = collect(16);
    framer.push(Buffer.from('{"ok":1}\n' + 'x'.repeat(10)));
    framer.push(Buffer.from('y'.repeat(10) + 'z'.repeat(5)));
    framer.push(Buffer.from('tail\n{"ok":2}\n'));
    expect(lines.map(String)).toEqual(['{"ok":1}', '{"ok":2}']);
    expect(oversize).toHaveLength(1);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('splits any chunking of any lines exactly like a whole-buffer split (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => !s.includes('\n') && !s.endsWith('\r')), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (texts, cuts) => {
          const whole = Buffer.from(texts.map((t) => `${t}\n`).join(''), 'utf8');
          const { framer, lines } = collect();
          const points = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
          let last = 0;
          for (const p of [...points, whole.length]) {
            framer.push(whole.subarray(last, p));
            last = p;
          }
          expect(lines.map((l) => l.toString('utf8'))).toEqual(texts.filter((t) => t.length > 0));
        },
      ),
    );
  });

  it('frame() appends exactly one newline to the original bytes', () => {
    const bytes = Buffer.from('{"id":1.50}', 'utf8');
    expect(frame(bytes).equals(Buffer.from('{"id":1.50}\n'))).toBe(true);
  });
});

describe('findDuplicateKey', () => {
  it.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"params":{"name":"safe","name":"evil"}}', 'name'],
    ['{"x":{"a":1},"y":{"a":1},"x":0}', 'x'],
    ['{"a":1,"\\u0061":2}', 'a'],
    ['[{"a":1},{"a":1,"b":{"c":[1,{"d":1,"d":2}]}}]', 'd'],
  ])('finds the duplicate in %s', (text, key) => {
    expect(findDuplicateKey(text)).toBe(key);
  });

  it.each([
    '{"a":1,"b":{"a":1}}',
    '{"a":"\\"a\\":1,","b":["a","a"]}',
    '[{"a":1},{"a":2}]',
    '{"a\\\\":1,"a":2}',
    '"just a string"',
  ])('accepts %s', (text) => {
    expect(findDuplicateKey(text)).toBeUndefined();
  });

  it('checks only the top level with maxDepth 1', () => {
    expect(findDuplicateKey('{"a":{"b":1,"b":2},"c":[{"d":1,"d":1}]}', 1)).toBeUndefined();
    expect(findDuplicateKey('{"a":{"b":1,"b":2},"id":1,"id":2}', 1)).toBe('id');
  });

  it('finds no duplicate in anything JSON.stringify produces, and finds an injected one (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(findDuplicateKey(JSON.stringify(value))).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue(), { minKeys: 1 }), (record) => {
        const text = JSON.stringify(record);
        const first = Object.keys(record)[0]!;
        expect(findDuplicateKey(`${text.slice(0, -1)},${JSON.stringify(first)}:0}`)).toBe(first);
      }),
    );
  });
});
