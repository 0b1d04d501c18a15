import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, type LineEvent } from '../../src/mcp/line-splitter.js';

function split(chunks: Buffer[], max = 1024): LineEvent[] {
  const events: LineEvent[] = [];
  const splitter = new LineSplitter(max, (event) => events.push(event));
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return events;
}

describe('LineSplitter', () => {
  it('splits on newlines and strips a trailing carriage return', () => {
    expect(split([Buffer.from('{"a":1}\r\n{"b":2}\n')])).toEqual([
      { kind: 'line', text: '{"a":1}' },
      { kind: 'line', text: '{"b":2}' },
    ]);
  });

  it('joins a multi-byte character split across chunks', () => {
    const bytes = Buffer.from('{"d":"café ☕ 𝄞"}\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(split([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([{ kind: 'line', text: '{"d":"café ☕ 𝄞"}' }]);
    }
  });

  it('reports an over-long line once and recovers at the next newline', () => {
    const long = Buffer.from(`${'x'.repeat(50)}\nok\n`);
    expect(split([long.subarray(0, 20), long.subarray(20)], 16)).toEqual([
      { kind: 'oversize', bytes: 50 },
      { kind: 'line', text: 'ok' },
    ]);
  });

  it('flushes a final line without a newline at end of stream', () => {
    expect(split([Buffer.from('a\nlast')])).toEqual([
      { kind: 'line', text: 'a' },
      { kind: 'line', text: 'last' },
    ]);
  });

  it('gives the same lines however the bytes are chunked', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }).map((s) => s.replace(/[\r\n]/g, '')), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
        const bytes = Buffer.from(lines.map((line) => `${line}\n`).join(''));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let start = 0;
        for (const point of [...points, bytes.length]) {
          chunks.push(bytes.subarray(start, point));
          start = point;
        }
        expect(split(chunks, 1 << 20)).toEqual(lines.map((text) => ({ kind: 'line', text })));
      }),
    );
  });
});
