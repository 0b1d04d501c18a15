import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frame, LineFramer } from '../../src/proxy/framing.js';
import { hasDuplicateKey } from '../../src/proxy/json-check.js';

const duplicated = (text: string, maxDepth?: number): boolean => hasDuplicateKey(text, JSON.parse(text), maxDepth);

function collect(max?: number) {
  const lines: Buffer[] = [];
  const framings: Buffer[] = [];
  const oversize: number[] = [];
  const framer = new LineFramer(
    {
      onMessage: (l, framed) => {
        lines.push(Buffer.from(l));
        framings.push(Buffer.from(framed));
      },
      onOversize: (n) => oversize.push(n),
    },
    max,
  );
  /** Every framed form is its line plus exactly one LF, whatever the terminator and chunking were. */
  const framedAreLinesPlusLf = (): boolean => framings.length === lines.length && framings.every((f, i) => f.equals(Buffer.concat([lines[i]!, Buffer.from('\n')])));
  return { framer, lines, oversize, framedAreLinesPlusLf };
}

describe('LineFramer', () => {
  it('keeps a multi-byte character split across chunks intact', () => {
    const { framer, lines } = collect();
    const bytes = Buffer.from('{"t":"é€😀"}\n', 'utf8');
    for (let i = 0; i < bytes.length; i++) framer.push(bytes.subarray(i, i + 1));
    expect(lines.map((l) => l.toString('utf8'))).toEqual(['{"t":"é€😀"}']);
  });

  it('tolerates CRLF and skips empty lines', () => {
    const { framer, lines, framedAreLinesPlusLf } = collect();
    framer.push(Buffer.from('{"a":1}\r\n\r\n\n{"b":2}\n{"c"'));
    framer.push(Buffer.from(':3}\r\n'));
    expect(lines.map(String)).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(framedAreLinesPlusLf()).toBe(true);
  });

  it('hands out a line that ends inside one read as views of that read, not copies', () => {
    const seen: { line: Buffer; framed: Buffer }[] = [];
    const framer = new LineFramer({ onMessage: (line, framed) => seen.push({ line, framed }), onOversize: () => undefined });
    // Buffer.alloc: its own memory, so sharing it proves a view (small Buffer.from values share a pool).
    const text = '{"a":1}\n{"b":2}\r\n';
    const chunk = Buffer.alloc(text.length);
    chunk.write(text);
    framer.push(chunk);
    expect(seen.map(({ framed }) => String(framed))).toEqual(['{"a":1}\n', '{"b":2}\n']);
    expect(seen[0]!.framed.buffer).toBe(chunk.buffer);
    expect(seen[0]!.framed.byteOffset).toBe(chunk.byteOffset);
    // A CRLF line cannot be forwarded as it came (the proxy writes LF only): that one is a copy.
    expect(seen[1]!.framed.buffer).not.toBe(chunk.buffer);
    expect(seen[1]!.line.buffer).toBe(chunk.buffer);
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
        fc.constantFrom('\n', '\r\n'),
        (texts, cuts, terminator) => {
          const whole = Buffer.from(texts.map((t) => `${t}${terminator}`).join(''), 'utf8');
          const { framer, lines, framedAreLinesPlusLf } = collect();
          const points = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
          let last = 0;
          for (const p of [...points, whole.length]) {
            framer.push(whole.subarray(last, p));
            last = p;
          }
          expect(lines.map((l) => l.toString('utf8'))).toEqual(texts.filter((t) => t.length > 0));
          expect(framedAreLinesPlusLf()).toBe(true);
        },
      ),
    );
  });

  it('frame() appends exactly one newline to the original bytes', () => {
    const bytes = Buffer.from('{"id":1.50}', 'utf8');
    expect(frame(bytes).equals(Buffer.from('{"id":1.50}\n'))).toBe(true);
  });
});

describe('hasDuplicateKey', () => {
  it.each([
    '{"a":1,"a":2}',
    '{"params":{"name":"safe","name":"evil"}}',
    '{"x":{"a":1},"y":{"a":1},"x":0}',
    '{"a":1,"\\u0061":2}',
    '[{"a":1},{"a":1,"b":{"c":[1,{"d":1,"d":2}]}}]',
  ])('finds the duplicate in %s', (text) => {
    expect(duplicated(text)).toBe(true);
  });

  it.each([
    '{"a":1,"b":{"a":1}}',
    '{"a":"\\"a\\":1,","b":["a","a"]}',
    '[{"a":1},{"a":2}]',
    '{"a\\\\":1,"a":2}',
    '"just a string"',
  ])('accepts %s', (text) => {
    expect(duplicated(text)).toBe(false);
  });

  it('checks only the top level with maxDepth 1', () => {
    expect(duplicated('{"a":{"b":1,"b":2},"c":[{"d":1,"d":1}]}', 1)).toBe(false);
    expect(duplicated('{"a":{"b":1,"b":2},"id":1,"id":2}', 1)).toBe(true);
  });

  it('finds no duplicate in anything JSON.stringify produces, and finds an injected one (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(duplicated(JSON.stringify(value))).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue(), { minKeys: 1 }), (record) => {
        const text = JSON.stringify(record);
        const first = Object.keys(record)[0]!;
        expect(duplicated(`${text.slice(0, -1)},${JSON.stringify(first)}:0}`)).toBe(true);
      }),
    );
  });
});
