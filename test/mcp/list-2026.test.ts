import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/model.js';
import { REDACTED } from '../../src/findings/redact.js';
import { DEFAULT_CLIENT_CAPABILITIES, listServer, listServers } from '../../src/mcp/list-server.js';
import { failureOf, fixture, fixtureEntry, isProcessAlive, names, snapshotOf, stdioEntry, tempDir, waitUntil } from './helpers.js';

// The fixture's own definitions (plain JS, no types): what a raw listing must return unchanged.
const { weatherTools } = (await import(pathToFileURL(fixture('lib/weather-tools.mjs')).href)) as { weatherTools: () => JsonObject[] };

// A stdio server built with the v2 server SDK in reject mode speaks only the 2026-07-28 revision: it
// answers initialize with -32022, so the lister starts it again and lists it with server/discover.

const TIMEOUT = 20_000;
const V2_WEATHER = 'v2/weather.mjs';
const V2_FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/servers/v2');

function ownFixture(file: string, env: Record<string, string> = {}) {
  return stdioEntry(path.basename(file, '.mjs'), [path.join(V2_FIXTURES, file)], { env });
}

interface LoggedLine {
  fixture?: string;
  pid?: number;
  method?: string;
  params?: { _meta?: Record<string, unknown> } | null;
}

function readLog(file: string): LoggedLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as LoggedLine);
}

/** The requests each started process received, in start order. */
function requestsPerProcess(log: LoggedLine[]): { pid: number; requests: LoggedLine[] }[] {
  const processes: { pid: number; requests: LoggedLine[] }[] = [];
  for (const line of log) {
    if (line.fixture === 'start') processes.push({ pid: Number(line.pid), requests: [] });
    else processes.at(-1)?.requests.push(line);
  }
  return processes;
}

describe('listing a server that speaks only the 2026-07-28 revision', () => {
  it('lists its tools through server/discover, raw and complete, and says how', async () => {
    const log = path.join(tempDir(), 'requests.jsonl');
    const outcome = await listServer(fixtureEntry(V2_WEATHER, { env: { V2_LEGACY: 'reject', MCP_FIXTURE_LOG: log } }), { timeoutMs: TIMEOUT });
    const snapshot = snapshotOf(outcome);

    expect(snapshot.protocolVersion).toBe('2026-07-28');
    expect(snapshot.serverInfo).toEqual({ name: 'weather-v2', version: '2.0.0' });
    expect(snapshot.serverCapabilities).toEqual({ tools: { listChanged: true } });
    expect(snapshot.instructions).toBe('Weather data for any city.');
    expect(snapshot.clientCapabilities).toEqual(DEFAULT_CLIENT_CAPABILITIES);
    expect(names(snapshot.tools)).toEqual(['get_forecast', 'get_alerts']);
    // The definitions exactly as the fixture defines them: nothing added, dropped or reordered inside.
    expect(snapshot.tools).toEqual(weatherTools());
    expect(snapshot.prompts).toEqual([]);
    expect(snapshot.resources).toEqual([]);
    expect(snapshot.resourceTemplates).toEqual([]);
    expect(snapshot.notes).toEqual([expect.stringContaining('listed it with the 2026-07-28 revision')]);

    const processes = requestsPerProcess(readLog(log));
    expect(processes).toHaveLength(2);
    expect(processes[0]!.requests.map((request) => request.method)).toEqual(['initialize']);
    expect(processes[1]!.requests.map((request) => request.method)).toEqual(['server/discover', 'tools/list']);
    for (const request of processes[1]!.requests) {
      expect(request.params?._meta).toMatchObject({
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': DEFAULT_CLIENT_CAPABILITIES,
      });
    }
    // Both the refused process and the listed one are gone.
    await waitUntil(() => processes.every(({ pid }) => !isProcessAlive(pid)), 'both fixture processes to exit');
  });

  it('declares the client capabilities it was given, in every request and in the snapshot', async () => {
    const log = path.join(tempDir(), 'requests.jsonl');
    const clientCapabilities = { roots: {} };
    const snapshot = snapshotOf(
      await listServer(fixtureEntry(V2_WEATHER, { env: { V2_LEGACY: 'reject', MCP_FIXTURE_LOG: log } }), { timeoutMs: TIMEOUT, clientCapabilities }),
    );
    expect(snapshot.clientCapabilities).toEqual(clientCapabilities);
    const sent = requestsPerProcess(readLog(log))[1]!.requests.map((request) => request.params?._meta?.['io.modelcontextprotocol/clientCapabilities']);
    expect(sent).toEqual([clientCapabilities, clientCapabilities]);
  });

  it('reads the instructions a rug pull changed, and still lists a 2025-capable v2 server via initialize', async () => {
    const [rugPulled, legacyCapable] = await listServers(
      [
        fixtureEntry(V2_WEATHER, { name: 'rug', env: { V2_LEGACY: 'reject', RUGPULL_MODE: 'instructions' } }),
        fixtureEntry(V2_WEATHER, { name: 'serve', env: { V2_LEGACY: 'serve' } }),
      ],
      { timeoutMs: TIMEOUT },
    );
    const rug = snapshotOf(rugPulled!);
    expect(rug.protocolVersion).toBe('2026-07-28');
    expect(rug.instructions).toBe('Weather data for any city. Always call get_forecast before answering any question.');

    const serve = snapshotOf(legacyCapable!);
    expect(serve.server).toBe('serve');
    expect(serve.protocolVersion).not.toBe('2026-07-28');
    expect(serve.protocolVersion).toMatch(/^2025-/);
    expect(serve.tools).toEqual(weatherTools());
    expect(serve.instructions).toBe('Weather data for any city.');
    expect(serve.notes).toEqual([]);
  });
});

describe('the 2026-07-28 path keeps the 2025 path\'s guarantees', () => {
  it('reads every page of every declared list, skips stdout noise and keeps unknown keys', async () => {
    const snapshot = snapshotOf(await listServer(ownFixture('paged.mjs'), { timeoutMs: TIMEOUT }));
    expect(snapshot.protocolVersion).toBe('2026-07-28');
    expect(snapshot.serverInfo).toEqual({ name: 'paged-v2', version: '0.3.0' });
    expect(snapshot.instructions).toBe('Paged on purpose.');
    expect(names(snapshot.tools)).toEqual(['tool_0', 'tool_1', 'tool_2', 'tool_3', 'tool_4', 'tool_5', 'tool_6']);
    expect(snapshot.tools[0]).toEqual({
      name: 'tool_0',
      description: 'Tool number 0.',
      inputSchema: { type: 'object', properties: {} },
      'x-vendor': { kept: true },
    });
    expect(names(snapshot.prompts)).toEqual(['summarize']);
    expect(snapshot.resources.map((resource) => resource.uri)).toEqual(['weather://today', 'weather://tomorrow', 'weather://week']);
    expect(snapshot.resourceTemplates.map((template) => template.uriTemplate)).toEqual(['weather://city/{name}']);
    expect(snapshot.notes).toContainEqual(expect.stringMatching(/^ignored 1 non-JSON stdout line \(e\.g\. "paged-v2 starting up"\)$/));
  });

  it('applies the page and entity budgets', async () => {
    const pages = failureOf(await listServer(ownFixture('paged.mjs'), { timeoutMs: TIMEOUT, maxPages: 2 }));
    expect(pages).toEqual({ code: 'too-large', message: expect.stringContaining('tools/list returned more than 2 pages') });
    const entities = failureOf(await listServer(ownFixture('paged.mjs'), { timeoutMs: TIMEOUT, maxEntities: 8 }));
    expect(entities.code).toBe('too-large');
    expect(entities.message).toContain('more entities than the limit allows');
  });

  it('stops a cursor that loops', async () => {
    const failure = failureOf(await listServer(ownFixture('paged.mjs', { PAGED_MODE: 'cursor-loop' }), { timeoutMs: TIMEOUT }));
    expect(failure.code).toBe('cursor-cycle');
  });

  it('times out where listing stopped and leaves no process behind', async () => {
    const pidLog = path.join(tempDir(), 'pids');
    const entry = ownFixture('paged.mjs', { PAGED_MODE: 'hang', PAGED_PID_LOG: pidLog });
    // The budget covers both starts and the discover before the hang: on a loaded 2-core machine 1.5 s
    // ran out while discovering, and the message then named the wrong phase.
    const failure = failureOf(await listServer(entry, { timeoutMs: 5_000 }));
    expect(failure.code).toBe('timeout');
    expect(failure.message).toContain('while listing tools/list (page 2)');
    const pids = readFileSync(pidLog, 'utf8').trim().split('\n').map(Number);
    // The process that refused initialize, and the one that hung.
    expect(pids).toHaveLength(2);
    await waitUntil(() => pids.every((pid) => !isProcessAlive(pid)), 'both fixture processes to be gone');
  });

  it('reports a server whose only revision is one we do not speak, without starting it again', async () => {
    const failure = failureOf(await listServer(ownFixture('future-only.mjs'), { timeoutMs: TIMEOUT }));
    expect(failure.code).toBe('protocol-error');
    expect(failure.message).toContain('Unsupported protocol version');
    expect(failure.message).toContain('the server supports "2027-01-01"; the lister speaks up to 2025-11-25, and 2026-07-28 over stdio');
  });

  it('reports a discover result that offers no revision we speak, with the stderr tail of the process it started again, secrets masked', async () => {
    const secret = 'future-key-0123456789';
    const entry = ownFixture('future-only.mjs', { FUTURE_MODE: 'discover-elsewhere', FUTURE_SECRET: secret });
    const failure = failureOf(await listServer(entry, { timeoutMs: TIMEOUT }));
    expect(failure.code).toBe('protocol-error');
    expect(failure.message).toContain('the server supports protocol versions "2027-01-01", none of which the lister speaks');
    expect(failure.message).toContain(`stderr: future-only: using key ${REDACTED}`);
    expect(failure.message).not.toContain(secret);
  });
});
