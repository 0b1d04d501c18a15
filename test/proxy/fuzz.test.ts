// Random and mutated frames both ways through the real proxy: it must not crash, must never forward a
// call the lock does not allow, and must answer every request exactly once.
import fc from 'fast-check';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasDuplicateKey } from '../../src/proxy/json-check.js';
import { RAW, startProxy, tempDir, upstreamLog, writeLockFor } from './helpers.js';

let lockPath: string;

beforeAll(async () => {
  lockPath = await writeLockFor(tempDir(), 'raw', [RAW]);
});

type Op =
  | { type: 'call'; tool: string }
  | { type: 'ping' }
  | { type: 'garbage'; bytes: Uint8Array }
  | { type: 'duplicate-name' }
  | { type: 'batch' }
  | { type: 'truncated'; cut: number }
  | { type: 'emit'; lines: string[] };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ type: fc.constant('call' as const), tool: fc.constantFrom('echo', 'shell', 'ECHO', 'ech0', 'еcho', '') }),
  fc.record({ type: fc.constant('ping' as const) }),
  fc.record({ type: fc.constant('garbage' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ type: fc.constant('duplicate-name' as const) }),
  fc.record({ type: fc.constant('batch' as const) }),
  fc.record({ type: fc.constant('truncated' as const), cut: fc.nat() }),
  fc.record({
    type: fc.constant('emit' as const),
    lines: fc.array(fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !/[\n\r]/.test(s) && !s.includes('"id"')), { maxLength: 4 }),
  }),
);

describe('fuzzing the relay', () => {
  it('never crashes, never forwards a blocked call, answers every request exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const log = join(tempDir(), 'upstream.log');
        const client = startProxy(['--lock', lockPath, '--name', 'raw'], [RAW], { MCP_FIXTURE_LOG: log });
        await client.initialize();
        const expected: string[] = [];
        ops.forEach((o, index) => {
          const id = `f${index}`;
          switch (o.type) {
            case 'call':
              expected.push(id);
              client.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: o.tool, arguments: { text: 't' } } });
              break;
            case 'ping':
              expected.push(id);
              client.send({ jsonrpc: '2.0', id, method: 'ping' });
              break;
            case 'garbage':
              client.sendRaw(Buffer.concat([Buffer.from(o.bytes.filter((b) => b !== 10)), Buffer.from('\n')]));
              break;
            case 'duplicate-name':
              expected.push(id);
              client.sendRaw(`{"jsonrpc":"2.0","id":"${id}","method":"tools/call","params":{"name":"echo","arguments":{},"name":"shell"}}\n`);
              break;
            case 'batch':
              expected.push(id);
              client.sendRaw(`[{"jsonrpc":"2.0","id":"${id}","method":"tools/call","params":{"name":"shell","arguments":{}}}]\n`);
              break;
            case 'truncated': {
              const whole = `{"jsonrpc":"2.0","id":"${id}","method":"tools/call","params":{"name":"shell","arguments":{}}}`;
              client.sendRaw(`${whole.slice(0, o.cut % whole.length)}\n`);
              break;
            }
            case 'emit':
              expected.push(id);
              client.send({ jsonrpc: '2.0', id, method: 'fixture/emit', params: { lines: o.lines } });
              break;
          }
        });
        const last = await client.request('ping', undefined, 'final');
        expect(last.result).toEqual({ method: 'ping' });
        for (const id of expected) await client.response(id);
        for (const id of [...expected, 'final']) {
          expect(client.messages.filter((m) => m.id === id && !('method' in m))).toHaveLength(1);
        }
        await client.close();
        const calls = upstreamLog(log).filter((m) => m.method === 'tools/call');
        for (const call of calls) expect((call.params as { name: string }).name).toBe('echo');
        for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
          expect(hasDuplicateKey(line, JSON.parse(line))).toBe(false);
        }
      }),
      { numRuns: 12 },
    );
  });
});
