// Shared test plumbing: a hand-written newline JSON-RPC client over a real child process, and a lock
// built from a real listing of a fixture server through the lock module's own lockServer/serializeLock.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lockServer, serializeLock, updateLock } from '../../src/lock/lock-file.js';
import type { JsonObject, ServerEntry, ServerSnapshot } from '../../src/model.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/mcp-guard.js');
export const SCENARIO = join(ROOT, 'fixtures/servers/proxy/scenario-server.mjs');
export const RAW = join(ROOT, 'fixtures/servers/proxy/raw-server.mjs');
export const EVERYTHING = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

// The proxy writes an audit record per decision (and creates its key) under the state directory:
// every proxy these tests start gets a private one instead of the user's ~/.local/state.
process.env['XDG_STATE_HOME'] = mkdtempSync(join(tmpdir(), 'mcp-guard-state-'));

export type Message = Record<string, unknown> & { id?: unknown; method?: string; result?: any; error?: any };

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mcp-guard-proxy-'));
}

export class LineClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: Buffer[] = [];
  readonly messages: Message[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private buffer: Buffer[] = [];
  private waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  private nextId = 1;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
    this.child.stdin.on('error', () => undefined);
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    this.child.stdout.on('data', (chunk: Buffer) => {
      let start = 0;
      let newline: number;
      while ((newline = chunk.indexOf(10, start)) !== -1) {
        this.buffer.push(chunk.subarray(start, newline));
        this.onLine(Buffer.concat(this.buffer));
        this.buffer = [];
        start = newline + 1;
      }
      if (start < chunk.length) this.buffer.push(chunk.subarray(start));
    });
    // 'close', not 'exit': by then stdout and stderr are fully read.
    this.exited = new Promise((resolveExit) => this.child.on('close', (code, signal) => resolveExit({ code, signal })));
  }

  private onLine(line: Buffer): void {
    this.lines.push(line);
    let message: Message;
    try {
      message = JSON.parse(line.toString('utf8')) as Message;
    } catch {
      message = { unparseable: line.toString('utf8') };
    }
    this.messages.push(message);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.match(message)) return true;
      waiter.resolve(message);
      return false;
    });
  }

  sendRaw(bytes: Buffer | string): void {
    this.child.stdin.write(bytes);
  }

  send(message: unknown): void {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  waitFor(match: (m: Message) => boolean, label = 'message'): Promise<Message> {
    const found = this.messages.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolveWait, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${label}; stderr:\n${this.stderr}`)), 20_000);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolveWait(m);
        },
      });
    });
  }

  /** stderr and stdout are separate pipes: what the proxy logged may arrive after its answer. */
  async waitForStderr(pattern: RegExp): Promise<string> {
    for (let i = 0; i < 800 && !pattern.test(this.stderr); i++) await new Promise((resolveWait) => setTimeout(resolveWait, 25));
    return this.stderr;
  }

  response(id: unknown): Promise<Message> {
    return this.waitFor((m) => m.id === id && !('method' in m), `response ${JSON.stringify(id)}`);
  }

  request(method: string, params?: unknown, id: unknown = `t${this.nextId++}`): Promise<Message> {
    this.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    return this.response(id);
  }

  async initialize(capabilities: JsonObject = {}): Promise<Message> {
    const response = await this.request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities,
      clientInfo: { name: 'line-client', version: '1.0.0' },
    });
    this.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return response;
  }

  async close(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.stdin.end();
    return this.exited;
  }
}

/** `node bin/mcp-guard.js proxy <flags> -- node <server> <args>` as a LineClient. */
export function startProxy(flags: string[], server: string[], env: NodeJS.ProcessEnv = {}): LineClient {
  return new LineClient(process.execPath, [BIN, 'proxy', ...flags, '--', process.execPath, ...server], env);
}

/** Every page of one list method, as raw wire objects. */
export async function listAll(client: LineClient, method: string, field: string): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  let cursor: string | undefined;
  for (;;) {
    const response = await client.request(method, cursor === undefined ? {} : { cursor });
    if (response.error) return items;
    items.push(...(response.result[field] as JsonObject[]));
    cursor = response.result.nextCursor;
    if (cursor === undefined) return items;
  }
}

/** Lists a server directly (no proxy) and writes an mcp.lock pinning it under `name`. */
export async function writeLockFor(dir: string, name: string, server: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const client = new LineClient(process.execPath, server, env);
  const init = await client.initialize();
  const snapshot: ServerSnapshot = {
    server: name,
    protocolVersion: init.result.protocolVersion,
    serverInfo: init.result.serverInfo,
    serverCapabilities: init.result.capabilities,
    clientCapabilities: {},
    ...(typeof init.result.instructions === 'string' ? { instructions: init.result.instructions } : {}),
    tools: await listAll(client, 'tools/list', 'tools'),
    prompts: init.result.capabilities.prompts ? await listAll(client, 'prompts/list', 'prompts') : [],
    resources: init.result.capabilities.resources ? await listAll(client, 'resources/list', 'resources') : [],
    resourceTemplates: init.result.capabilities.resources
      ? await listAll(client, 'resources/templates/list', 'resourceTemplates')
      : [],
    notes: [],
  };
  await client.close();
  const entry: ServerEntry = { name, transport: 'stdio', command: 'node', args: server, sources: [] };
  const lock = updateLock(undefined, { [name]: lockServer(entry, snapshot) });
  const path = join(dir, 'mcp.lock');
  writeFileSync(path, serializeLock(lock));
  return path;
}

/** Messages the fixture server received (MCP_FIXTURE_LOG), parsed. */
export function upstreamLog(path: string): Message[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Message);
}

export function toolCallsReceived(path: string, tool?: string): Message[] {
  return upstreamLog(path).filter(
    (m) => m.method === 'tools/call' && (tool === undefined || (m.params as { name?: string } | undefined)?.name === tool),
  );
}
