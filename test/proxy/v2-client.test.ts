// End to end with a 2026-07-28-era client: the real v2 SDK client (@modelcontextprotocol/client 2.x)
// drives `mcp-guard proxy` over stdio, against a v2 SDK server (fixtures/servers/v2/weather.mjs) and a
// v1 SDK server (fixtures/servers/rugpull.mjs). Every process a test starts carries the test's temp dir
// in its command line, so /proc tells whether any proxy or server outlived the session.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lockServer, serializeLock, updateLock } from '../../src/lock/lock-file.js';
import type { JsonObject, ServerEntry, ServerSnapshot } from '../../src/model.js';
import { BIN, ROOT, tempDir, toolCallsReceived, upstreamLog, type Message } from './helpers.js';

const V2_SERVER = join(ROOT, 'fixtures/servers/v2/weather.mjs');
const V1_SERVER = join(ROOT, 'fixtures/servers/rugpull.mjs');
const PROTOCOL_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';
// The definitions both fixtures serve before any rug pull (and so the ones every lock here pins).
const { weatherTools } = (await import(pathToFileURL(join(ROOT, 'fixtures/servers/lib/weather-tools.mjs')).href)) as {
  weatherTools: () => JsonObject[];
};

type Negotiation = 'auto' | { pin: string };

interface ServerUnderTest {
  dir: string;
  script: string;
  /** Fixture switches; the same names are set (possibly empty) when locking and when proxying. */
  env: Record<string, string>;
}

/** The server's command line: the temp dir as a trailing (ignored) argument marks the process as ours. */
function serverArgs(server: ServerUnderTest): string[] {
  return [server.script, server.dir];
}

function baseEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return { ...env, ...extra };
}

/** `mcp-guard lock` over a config file naming the server: the v1-SDK lister does the listing. */
async function lockWithCli(server: ServerUnderTest, name: string): Promise<{ code: number; stderr: string; lock: string }> {
  const config = join(server.dir, 'mcp.json');
  const lock = join(server.dir, 'mcp.lock');
  writeFileSync(config, JSON.stringify({ mcpServers: { [name]: { command: process.execPath, args: serverArgs(server), env: server.env } } }));
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [BIN, 'lock', '--config', config, '--lock', lock], { cwd: server.dir });
    return { code: 0, stderr, lock };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? '', lock };
  }
}

/**
 * A lock for a server the lister cannot talk to (it only speaks `initialize`): the snapshot comes from
 * the v2 client pinned to 2026-07-28, straight to the server, and goes through the lock module as is.
 */
async function lockWithV2Client(server: ServerUnderTest, name: string): Promise<string> {
  const client = new Client({ name: 'mcp-guard-test-locker', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  const transport = new StdioClientTransport({ command: process.execPath, args: serverArgs(server), env: baseEnv(server.env), stderr: 'pipe' });
  await client.connect(transport);
  const discover = client.getDiscoverResult();
  const tools = (await client.listTools()).tools as unknown as JsonObject[];
  const instructions = client.getInstructions();
  await client.close();
  expect(discover).toBeDefined();
  const snapshot: ServerSnapshot = {
    server: name,
    protocolVersion: client.getNegotiatedProtocolVersion() ?? '2026-07-28',
    serverInfo: (client.getServerVersion() ?? {}) as unknown as JsonObject,
    serverCapabilities: (client.getServerCapabilities() ?? {}) as unknown as JsonObject,
    clientCapabilities: {},
    ...(instructions === undefined ? {} : { instructions }),
    tools,
    prompts: [],
    resources: [],
    resourceTemplates: [],
    notes: [],
  };
  const entry: ServerEntry = { name, transport: 'stdio', command: process.execPath, args: serverArgs(server), env: server.env, sources: [] };
  const path = join(server.dir, 'mcp.lock');
  writeFileSync(path, serializeLock(updateLock(undefined, { [name]: lockServer(entry, snapshot) })));
  return path;
}

// A failed assertion must not leave a session's proxy and server running into the next test.
const openClients = new Set<Client>();
afterEach(async () => {
  for (const client of openClients) await client.close().catch(() => undefined);
  openClients.clear();
});

interface ProxySession {
  client: Client;
  log: string;
  stderr(): string;
}

async function connectThroughProxy(
  server: ServerUnderTest,
  lock: string,
  name: string,
  options: { negotiation: Negotiation; env?: Record<string, string>; proxyFlags?: string[]; log: string; onToolsChanged?: (names: string[]) => void },
): Promise<ProxySession> {
  const onToolsChanged = options.onToolsChanged;
  const client = new Client(
    { name: 'v2-host', version: '1.0.0' },
    {
      versionNegotiation: { mode: options.negotiation },
      // With a handler the client opens subscriptions/listen and re-lists when tools/list_changed arrives.
      ...(onToolsChanged
        ? { listChanged: { tools: { onChanged: (error: Error | null, tools: { name: string }[] | null) => { if (!error && tools) onToolsChanged(listedNames(tools)); } } } }
        : {}),
    },
  );
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'proxy', '--lock', lock, '--name', name, ...(options.proxyFlags ?? []), '--', process.execPath, ...serverArgs(server)],
    env: baseEnv({ ...server.env, ...options.env, MCP_FIXTURE_LOG: options.log }),
    cwd: server.dir,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  openClients.add(client);
  await client.connect(transport);
  return { client, log: options.log, stderr: () => stderr };
}

/** A refused call, whichever way the client surfaces it; undefined when the call succeeded. */
async function refusal(client: Client, tool: string, args: Record<string, unknown>): Promise<string | undefined> {
  try {
    const result = await client.callTool({ name: tool, arguments: args });
    if (result.isError === true) return JSON.stringify(result.content);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function listedNames(tools: readonly { name: string }[]): string[] {
  return tools.map((tool) => tool.name).sort();
}

/** The locked definitions, as the fixture serves them before any rug pull. */
function lockedDefinitions(): JsonObject[] {
  return weatherTools().sort((a, b) => String(a['name']).localeCompare(String(b['name'])));
}

/** Processes whose command line mentions `marker` (other than this one), from /proc. */
function processesMentioning(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // The process ended between readdir and read.
    }
  }
  return found;
}

/** Waits (bounded) for every process of this test to end; returns those still there. */
async function leftovers(marker: string): Promise<number[]> {
  let alive = processesMentioning(marker);
  for (let i = 0; i < 400 && alive.length > 0; i++) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 25));
    alive = processesMentioning(marker);
  }
  return alive;
}

function fixtureStarts(log: string): Message[] {
  return upstreamLog(log).filter((m) => m['fixture'] === 'start');
}

function newServer(script: string, env: Record<string, string> = {}): ServerUnderTest {
  // Both rug-pull switches are always present (empty = off) so the launch looks the same at lock time.
  return { dir: tempDir(), script, env: { RUGPULL_MODE: '', ...env } };
}

describe('v2 client → proxy → v2 server that also serves 2025-era initialize', () => {
  const server = newServer(V2_SERVER);
  let lock: string;

  beforeAll(async () => {
    const locked = await lockWithCli(server, 'weather');
    expect(locked.code, locked.stderr).toBe(0);
    lock = locked.lock;
    // The lister reached the server through its 2025-era initialize, not through server/discover.
    const pinned = JSON.parse(readFileSync(lock, 'utf8')) as { servers: Record<string, { tools: Record<string, unknown>; protocolVersion: string }> };
    expect(Object.keys(pinned.servers['weather']!.tools).sort()).toEqual(['get_alerts', 'get_forecast']);
    expect(pinned.servers['weather']!.protocolVersion).not.toBe('2026-07-28');
  });

  it('negotiates 2026-07-28 through the proxy, lists exactly the locked tools and forwards a locked call', async () => {
    const session = await connectThroughProxy(server, lock, 'weather', { negotiation: 'auto', log: join(server.dir, 'clean.log') });
    expect(session.client.getProtocolEra()).toBe('modern');
    expect(session.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const listed = (await session.client.listTools()).tools;
    expect(listed.map(({ name, title, description, inputSchema, annotations }) => ({ name, title, description, inputSchema, annotations })).sort((a, b) => a.name.localeCompare(b.name))).toEqual(lockedDefinitions());
    // The marker does find this test's processes while they run (at least the session's proxy and server).
    expect(processesMentioning(server.dir).length).toBeGreaterThanOrEqual(2);
    const result = await session.client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo' } });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: 'sunny (get_forecast)' }]);
    await session.client.close();

    const calls = toolCallsReceived(session.log, 'get_forecast');
    expect(calls).toHaveLength(1);
    // The forwarded call is the client's 2026-era request, per-request _meta included.
    expect((calls[0]!.params as { _meta?: Record<string, unknown> })._meta?.[PROTOCOL_VERSION_KEY]).toBe('2026-07-28');
    // Auto mode on stdio: a short probe (its own proxy and server) answered the client's server/discover,
    // then the session, whose proxy discovers on its own to compare the instructions with the lock (the
    // client reuses the probe's answer and never discovers in the session).
    expect(fixtureStarts(session.log)).toHaveLength(2);
    const discovers = upstreamLog(session.log).filter((m) => m.method === 'server/discover');
    expect(discovers).toHaveLength(2);
    expect(discovers.filter((m) => typeof m.id === 'string' && m.id.startsWith('mcp-guard-'))).toHaveLength(1);
    expect(upstreamLog(session.log).some((m) => m.method === 'initialize')).toBe(false);
    expect(await leftovers(server.dir)).toEqual([]);
  });

  it('hides a tool whose description changed since locking and refuses its calls before the server sees them', async () => {
    const session = await connectThroughProxy(server, lock, 'weather', {
      negotiation: 'auto',
      env: { RUGPULL_MODE: 'description' },
      log: join(server.dir, 'description.log'),
    });
    expect(listedNames((await session.client.listTools()).tools)).toEqual(['get_alerts']);
    expect(await refusal(session.client, 'get_forecast', { city: 'Oslo' })).toBeDefined();
    const unchanged = await session.client.callTool({ name: 'get_alerts', arguments: { region: 'north' } });
    expect(unchanged.content).toEqual([{ type: 'text', text: 'sunny (get_alerts)' }]);
    await session.client.close();
    expect(toolCallsReceived(session.log, 'get_forecast')).toEqual([]);
    expect(toolCallsReceived(session.log, 'get_alerts')).toHaveLength(1);
    expect(session.stderr()).toMatch(/"name":"get_forecast","status":"drifted"/);
    expect(await leftovers(server.dir)).toEqual([]);
  });

  it('hides a tool added after locking and refuses its calls before the server sees them', async () => {
    const session = await connectThroughProxy(server, lock, 'weather', {
      negotiation: 'auto',
      env: { RUGPULL_MODE: 'new-tool' },
      log: join(server.dir, 'new-tool.log'),
    });
    expect(listedNames((await session.client.listTools()).tools)).toEqual(['get_alerts', 'get_forecast']);
    expect(await refusal(session.client, 'send_report', { to: 'x@example.com' })).toBeDefined();
    await session.client.close();
    expect(toolCallsReceived(session.log, 'send_report')).toEqual([]);
    // The server did offer it: the proxy's own listing saw send_report and left it out.
    expect(session.stderr()).toMatch(/"name":"send_report","status":"unknown"/);
    expect(await leftovers(server.dir)).toEqual([]);
  });

  it('shows the locked instructions, not drifted ones, to a client that read them from server/discover', async () => {
    const session = await connectThroughProxy(server, lock, 'weather', {
      negotiation: 'auto',
      env: { RUGPULL_MODE: 'instructions' },
      log: join(server.dir, 'instructions.log'),
    });
    expect(session.client.getProtocolEra()).toBe('modern');
    expect(session.client.getInstructions()).toBe('Weather data for any city.');
    await session.client.close();
    expect(await leftovers(server.dir)).toEqual([]);
  });

  it('blocks a tool that changes in the middle of the session, after it was called once', async () => {
    const session = await connectThroughProxy(server, lock, 'weather', {
      negotiation: 'auto',
      env: { RUGPULL_MODE: 'description', RUGPULL_AFTER_CALLS: '1' },
      proxyFlags: ['--recheck-interval', '0'],
      log: join(server.dir, 'mid-session.log'),
    });
    expect(listedNames((await session.client.listTools()).tools)).toEqual(['get_alerts', 'get_forecast']);
    const first = await session.client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo' } });
    expect(first.content).toEqual([{ type: 'text', text: 'sunny (get_forecast)' }]);
    expect(await refusal(session.client, 'get_forecast', { city: 'Oslo' })).toBeDefined();
    expect(listedNames((await session.client.listTools()).tools)).toEqual(['get_alerts']);
    await session.client.close();
    expect(toolCallsReceived(session.log, 'get_forecast')).toHaveLength(1);
    expect(await leftovers(server.dir)).toEqual([]);
  });
  it('keeps a tool announced on the subscriptions/listen stream out of the client\'s refreshed list', async () => {
    let refreshed!: (names: string[]) => void;
    const firstRefresh = new Promise<string[]>((resolveRefresh) => {
      refreshed = resolveRefresh;
    });
    const session = await connectThroughProxy(server, lock, 'weather', {
      negotiation: 'auto',
      env: { RUGPULL_MODE: 'new-tool', RUGPULL_AFTER_CALLS: '1', RUGPULL_NOTIFY: '1' },
      log: join(server.dir, 'listen.log'),
      onToolsChanged: (names) => refreshed(names),
    });
    expect(listedNames((await session.client.listTools()).tools)).toEqual(['get_alerts', 'get_forecast']);
    await session.client.callTool({ name: 'get_alerts', arguments: { region: 'north' } });
    // The server announces send_report; the client re-lists through the proxy, which leaves it out.
    expect(await firstRefresh).toEqual(['get_alerts', 'get_forecast']);
    expect(await refusal(session.client, 'send_report', { to: 'x@example.com' })).toBeDefined();
    await session.client.close();
    expect(upstreamLog(session.log).filter((m) => m.method === 'subscriptions/listen')).toHaveLength(1);
    expect(session.stderr()).toMatch(/"name":"send_report","status":"unknown"/);
    expect(toolCallsReceived(session.log, 'send_report')).toEqual([]);
    expect(await leftovers(server.dir)).toEqual([]);
  });
});


describe('v2 client → proxy → v2 server that speaks only 2026-07-28', () => {
  const server = newServer(V2_SERVER, { V2_LEGACY: 'reject' });
  let lock: string;

  beforeAll(async () => {
    // `mcp-guard lock` cannot list this server (its lister opens with initialize), so the lock is built
    // by the lock module from what the v2 client lists.
    lock = await lockWithV2Client(server, 'weather');
  });

  for (const negotiation of ['auto', { pin: '2026-07-28' }] as const) {
    const label = negotiation === 'auto' ? 'auto' : 'pinned';
    it(`${label} client: lists the locked tools, forwards a locked call, refuses a new tool, leaves no process`, async () => {
      const session = await connectThroughProxy(server, lock, 'weather', {
        negotiation,
        env: { RUGPULL_MODE: 'new-tool', RUGPULL_AFTER_CALLS: '1' },
        proxyFlags: ['--recheck-interval', '0'],
        log: join(server.dir, `${label}.log`),
      });
      expect(session.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      expect(listedNames((await session.client.listTools()).tools)).toEqual(['get_alerts', 'get_forecast']);
      const ok = await session.client.callTool({ name: 'get_alerts', arguments: { region: 'north' } });
      expect(ok.content).toEqual([{ type: 'text', text: 'sunny (get_alerts)' }]);
      // send_report appears after that call; the proxy re-lists and keeps it out.
      expect(listedNames((await session.client.listTools()).tools)).toEqual(['get_alerts', 'get_forecast']);
      expect(await refusal(session.client, 'send_report', { to: 'x@example.com' })).toBeDefined();
      await session.client.close();
      expect(toolCallsReceived(session.log, 'send_report')).toEqual([]);
      expect(upstreamLog(session.log).some((m) => m.method === 'initialize')).toBe(false);
      // Both modes probe on a short-lived sibling on stdio: two servers, both gone with their proxies.
      const starts = fixtureStarts(session.log);
      expect(starts).toHaveLength(2);
      expect(await leftovers(server.dir)).toEqual([]);
    });
  }
});

describe('v2 client → proxy → v1 server (negotiates down to the 2025 era)', () => {
  const server = newServer(V1_SERVER);
  let lock: string;

  beforeAll(async () => {
    const locked = await lockWithCli(server, 'weather');
    expect(locked.code, locked.stderr).toBe(0);
    lock = locked.lock;
  });

  it('falls back to initialize through the proxy, lists exactly the locked tools and forwards a locked call', async () => {
    const session = await connectThroughProxy(server, lock, 'weather', { negotiation: 'auto', log: join(server.dir, 'clean.log') });
    expect(session.client.getProtocolEra()).toBe('legacy');
    const listed = (await session.client.listTools()).tools;
    expect(listed.map(({ name, title, description, inputSchema, annotations }) => ({ name, title, description, inputSchema, annotations })).sort((a, b) => a.name.localeCompare(b.name))).toEqual(lockedDefinitions());
    const result = await session.client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo' } });
    expect(result.content).toEqual([{ type: 'text', text: 'sunny (get_forecast)' }]);
    await session.client.close();
    const received = upstreamLog(session.log);
    // The probe's server/discover reached a v1 server through the probe's proxy, and the session opened with initialize.
    expect(received.filter((m) => m.method === 'server/discover')).toHaveLength(1);
    expect(received.filter((m) => m.method === 'initialize')).toHaveLength(1);
    expect(toolCallsReceived(session.log, 'get_forecast')).toHaveLength(1);
    expect(await leftovers(server.dir)).toEqual([]);
  });

  it('answers a call to a tool added after locking with isError, and the server never receives it', async () => {
    const session = await connectThroughProxy(server, lock, 'weather', {
      negotiation: 'auto',
      env: { RUGPULL_MODE: 'new-tool' },
      log: join(server.dir, 'new-tool.log'),
    });
    expect(listedNames((await session.client.listTools()).tools)).toEqual(['get_alerts', 'get_forecast']);
    const blocked = await session.client.callTool({ name: 'send_report', arguments: { to: 'x@example.com' } });
    expect(blocked.isError).toBe(true);
    expect(blocked.content).toEqual([{ type: 'text', text: expect.stringMatching(/^mcp-guard blocked this request: this tool is not in mcp\.lock/) }]);
    await session.client.close();
    expect(toolCallsReceived(session.log, 'send_report')).toEqual([]);
    expect(await leftovers(server.dir)).toEqual([]);
  });

  it('hides a tool whose description changed and answers its calls with isError, unseen by the server', async () => {
    const session = await connectThroughProxy(server, lock, 'weather', {
      negotiation: 'auto',
      env: { RUGPULL_MODE: 'description' },
      log: join(server.dir, 'description.log'),
    });
    expect(listedNames((await session.client.listTools()).tools)).toEqual(['get_alerts']);
    const blocked = await session.client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo' } });
    expect(blocked.isError).toBe(true);
    expect(blocked.content).toEqual([{ type: 'text', text: expect.stringMatching(/definition changed since it was locked in mcp\.lock: description/) }]);
    await session.client.close();
    expect(toolCallsReceived(session.log, 'get_forecast')).toEqual([]);
    expect(await leftovers(server.dir)).toEqual([]);
  });
});
