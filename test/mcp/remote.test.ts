import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listServer } from '../../src/mcp/list-server.js';
import type { ServerEntry } from '../../src/model.js';
import { failureOf, names, snapshotOf, startHttpFixture, type HttpFixture } from './helpers.js';

const TIMEOUT = 20_000;

function remote(url: string, extra: Partial<ServerEntry> = {}): ServerEntry {
  return { name: 'remote', transport: 'http', url, sources: [], ...extra };
}

describe('remote servers over streamable HTTP', () => {
  let server: HttpFixture;
  beforeAll(async () => {
    server = await startHttpFixture({ HTTP_BEARER_TOKEN: 'fixture-token-123' });
  });
  afterAll(() => server.stop());

  it('lists with the entry headers sent on every request', async () => {
    const entry = remote(server.url, { headers: { Authorization: 'Bearer fixture-token-123', 'X-Tenant': 'acme' } });
    const snapshot = snapshotOf(await listServer(entry, { timeoutMs: TIMEOUT }));
    expect(snapshot.serverInfo).toEqual({ name: 'remote-notes', version: '2.0.0' });
    expect(names(snapshot.tools)).toEqual(['search_notes', 'tenant']);
    expect(snapshot.tools[1]?.description).toBe('tenant=acme');
  });

  it('reports a 401 as auth-required, never as a clean listing', async () => {
    const error = failureOf(await listServer(remote(server.url), { timeoutMs: TIMEOUT }));
    expect(error.code).toBe('auth-required');
    expect(error.message).toMatch(/^server requires authentication \(.*401/);
  });

  it('does not leak the header value into the failure message', async () => {
    const entry = remote(server.url, { headers: { Authorization: 'Bearer wrong-token-value-987' } });
    const error = failureOf(await listServer(entry, { timeoutMs: TIMEOUT }));
    expect(error.code).toBe('auth-required');
    expect(error.message).not.toContain('wrong-token-value-987');
  });
});

describe('remote servers that speak only the legacy SSE transport', () => {
  let server: HttpFixture;
  beforeAll(async () => {
    server = await startHttpFixture({ HTTP_MODE: 'sse' });
  });
  afterAll(() => server.stop());

  it('falls back to SSE when the streamable POST is refused with 405', async () => {
    const snapshot = snapshotOf(await listServer(remote(server.url, { headers: { 'X-Tenant': 'globex' } }), { timeoutMs: TIMEOUT }));
    expect(names(snapshot.tools)).toEqual(['search_notes', 'tenant']);
    expect(snapshot.tools[1]?.description).toBe('tenant=globex');
    expect(snapshot.notes.some((note) => note.includes('fell back to the SSE transport'))).toBe(true);
  });

  it("goes straight to SSE for transport 'sse'", async () => {
    const snapshot = snapshotOf(await listServer(remote(server.url, { transport: 'sse' }), { timeoutMs: TIMEOUT }));
    expect(names(snapshot.tools)).toEqual(['search_notes', 'tenant']);
    expect(snapshot.notes).toEqual([]);
  });
});

describe('legacy SSE servers that require a token', () => {
  let server: HttpFixture;
  beforeAll(async () => {
    server = await startHttpFixture({ HTTP_MODE: 'sse', HTTP_BEARER_TOKEN: 'sse-token-456' });
  });
  afterAll(() => server.stop());

  it("reports a 401 on the SSE stream as auth-required for transport 'sse'", async () => {
    const error = failureOf(await listServer(remote(server.url, { transport: 'sse' }), { timeoutMs: TIMEOUT }));
    expect(error.code).toBe('auth-required');
  });

  it('lists over SSE with the token in the entry headers', async () => {
    const entry = remote(server.url, { transport: 'sse', headers: { Authorization: 'Bearer sse-token-456' } });
    expect(names(snapshotOf(await listServer(entry, { timeoutMs: TIMEOUT })).tools)).toEqual(['search_notes', 'tenant']);
  });
});

describe('unreachable remote servers', () => {
  it('reports connect-failed for a port nobody listens on', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const error = failureOf(await listServer(remote(`http://127.0.0.1:${port}/mcp`), { timeoutMs: TIMEOUT }));
    expect(error.code).toBe('connect-failed');
  });

  it('reports connect-failed for an entry without a usable URL', async () => {
    expect(failureOf(await listServer(remote('not a url'), { timeoutMs: TIMEOUT })).code).toBe('connect-failed');
  });
});
