// When the proxy's own re-listing fails, tool calls are denied (fail closed). Nothing retries that on a
// timer, so without list_changed the session would stay blocked for good: a refused call asks for another
// listing instead. The relay runs in process here, with an upstream that fails the first listing, so the
// order of events is fixed.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { classifyEntityDrift } from '../../src/lock/drift.js';
import { lockEntity, type LockedEntity } from '../../src/lock/lock-file.js';
import type { EntityKind, JsonObject } from '../../src/model.js';
import { GateState } from '../../src/proxy/gate-state.js';
import { Relay } from '../../src/proxy/relay.js';

const echo: JsonObject = {
  name: 'echo',
  description: 'Echoes the text back.',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
};

type Message = Record<string, unknown> & { id?: unknown; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown> };

describe('a failed re-listing', () => {
  it('denies calls, and a refused call asks again so the session recovers once a listing succeeds', async () => {
    const entities = { tool: new Map(), prompt: new Map(), resource: new Map(), resourceTemplate: new Map() } as Record<EntityKind, Map<string, LockedEntity>>;
    entities.tool.set('echo', lockEntity('tool', echo));
    const state = new GateState<LockedEntity>('fx', { instructions: undefined, entities }, (kind, _n, locked, current) => classifyEntityDrift(kind, locked, current), 'enforce', () => undefined);
    const clientIn = new PassThrough();
    const clientOut = new PassThrough();
    const answers: Message[] = [];
    let pending = '';
    clientOut.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
        answers.push(JSON.parse(pending.slice(0, nl)) as Message);
        pending = pending.slice(nl + 1);
      }
    });
    const relay = new Relay({ clientIn, clientOut, gate: { kind: 'enforce', state }, log: () => undefined, recheckAfterCallMs: 20 });
    const handlers = relay.upstreamHandlers;
    const answer = (message: unknown): void => handlers.onMessage(Buffer.from(JSON.stringify(message)));
    let ownListings = 0;
    const callsReceived: unknown[] = [];
    relay.attach({
      send(framed) {
        const message = JSON.parse(framed.subarray(0, framed.length - 1).toString('utf8')) as Message;
        if (!('id' in message)) return true;
        // Answered on a later tick, as a real server would.
        setImmediate(() => {
          if (message.method === 'initialize') answer({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'fx', version: '1' } } });
          else if (message.method === 'tools/list') {
            ownListings++;
            if (ownListings === 1) answer({ jsonrpc: '2.0', id: message.id, error: { code: -32603, message: 'listing is broken right now' } });
            else answer({ jsonrpc: '2.0', id: message.id, result: { tools: [echo] } });
          } else if (message.method === 'tools/call') {
            callsReceived.push(message.params);
            answer({ jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: 'hi' }] } });
          } else answer({ jsonrpc: '2.0', id: message.id, result: {} });
        });
        return true;
      },
      onceDrain() {},
      pause() {},
      resume() {},
      shutdown() {},
      signal() {},
    });
    const send = (message: unknown): void => void clientIn.write(`${JSON.stringify(message)}\n`);
    const response = async (id: string): Promise<Message> => {
      for (let i = 0; i < 400; i++) {
        const found = answers.find((m) => m.id === id);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`no answer to ${id}`);
    };

    send({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    await response('init');
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 'first', method: 'tools/call', params: { name: 'echo', arguments: { text: 'a' } } });
    const first = await response('first');
    expect(first.result).toMatchObject({ isError: true, content: [{ text: expect.stringMatching(/could not re-check/) }] });
    expect(callsReceived).toEqual([]);

    // The refusal asked for another listing (after the 20 ms interval), which succeeds.
    for (let i = 0; i < 200 && ownListings < 2; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ownListings).toBe(2);
    send({ jsonrpc: '2.0', id: 'second', method: 'tools/call', params: { name: 'echo', arguments: { text: 'b' } } });
    const second = await response('second');
    expect(second.result).toEqual({ content: [{ type: 'text', text: 'hi' }] });
    expect(callsReceived).toEqual([{ name: 'echo', arguments: { text: 'b' } }]);
    clientIn.end();
  });
});
