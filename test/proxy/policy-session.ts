// Shared by the proxy policy end-to-end tests: the SDK Client launches the built proxy over stdio, as
// an MCP client would, in front of the real "notes" fixture server, with a private home (config, state
// and runtime directories) so neither the user's policy nor their audit log takes part.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, ToolListChangedNotificationSchema, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, tempDir, toolCallsReceived, writeLockFor } from './helpers.js';

export const NOTES = join(ROOT, 'fixtures/servers/benign.mjs');

/** A GitHub-token-shaped canary: redaction knows the shape, so it must never reach a log or a prompt. */
export const CANARY = `ghp_${'C4nary7'.repeat(6)}`;

let lockPromise: Promise<string> | undefined;
/** One lock of the notes server for the whole file (listing it is the slow part). */
export function notesLock(): Promise<string> {
  lockPromise ??= writeLockFor(tempDir(), 'notes', [NOTES]);
  return lockPromise;
}

export interface Home {
  root: string;
  env: Record<string, string>;
}

export function privateHome(): Home {
  const root = tempDir();
  const runtime = join(root, 'run');
  mkdirSync(runtime, { mode: 0o700 });
  mkdirSync(join(root, 'home'));
  return {
    root,
    env: {
      HOME: join(root, 'home'),
      XDG_CONFIG_HOME: join(root, 'config'),
      XDG_STATE_HOME: join(root, 'state'),
      XDG_RUNTIME_DIR: runtime,
    },
  };
}

export interface Session {
  client: Client;
  home: Home;
  /** The fixture server's request log. */
  log: string;
  audit: string;
  stderr: () => string;
  /** notifications/tools/list_changed received so far. */
  listChangedCount: () => number;
  waitForStderr: (pattern: RegExp) => Promise<string>;
  calls: (tool?: string) => number;
  close: () => Promise<void>;
}

export interface SessionOptions {
  /** YAML text of the project policy (--policy). */
  policy?: string;
  flags?: string[];
  /** Declare elicitation and answer it with this handler. */
  elicit?: (request: ElicitRequest, signal: AbortSignal) => Promise<ElicitResult>;
  home?: Home;
  /** Another fixture server than notes: its argv, its lock and its name in the lock. */
  server?: { argv: string[]; lock: string; name: string };
  env?: Record<string, string>;
}

export async function openSession(options: SessionOptions = {}): Promise<Session> {
  const home = options.home ?? privateHome();
  const lock = options.server?.lock ?? (await notesLock());
  const serverArgv = options.server?.argv ?? [NOTES];
  const name = options.server?.name ?? 'notes';
  const log = join(home.root, 'upstream.log');
  const audit = join(home.root, 'audit.jsonl');
  const flags = ['--lock', lock, '--name', name, '--audit', audit, ...(options.flags ?? [])];
  if (options.policy !== undefined) {
    const policyFile = join(home.root, 'policy.yaml');
    writeFileSync(policyFile, options.policy);
    flags.push('--policy', policyFile);
  }
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'proxy', ...flags, '--', process.execPath, ...serverArgv],
    env: { PATH: process.env['PATH'] ?? '', ...home.env, ...options.env, MCP_FIXTURE_LOG: log },
    cwd: ROOT,
    stderr: 'pipe',
  });
  let stderr = '';
  let listChanged = 0;
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client(
    { name: 'policy-e2e', version: '1.0.0' },
    { capabilities: options.elicit ? { elicitation: {} } : {} },
  );
  const elicit = options.elicit;
  client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
    listChanged += 1;
  });
  if (elicit) client.setRequestHandler(ElicitRequestSchema, async (request, extra) => elicit(request, extra.signal));
  await client.connect(transport);
  return {
    client,
    home,
    log,
    audit,
    stderr: () => stderr,
    listChangedCount: () => listChanged,
    waitForStderr: async (pattern) => {
      for (let i = 0; i < 800 && !pattern.test(stderr); i++) await new Promise((resolve) => setTimeout(resolve, 25));
      return stderr;
    },
    calls: (tool) => toolCallsReceived(log, tool).length,
    close: async () => {
      await client.close();
    },
  };
}

export function textOf(result: unknown): string {
  return ((result as { content: { text: string }[] }).content[0]?.text ?? '') as string;
}

export function auditRecords(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The proxy flushes its audit log on the way out; the client's close does not wait for that. */
export async function waitForAudit(file: string, count: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 400; i++) {
    try {
      const records = auditRecords(file);
      if (records.length >= count) return records;
    } catch {
      // not written yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return auditRecords(file);
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI as a child of this test process. */
export function runCli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

/**
 * `mcp-guard approve ID` as a user's other terminal runs it: outside the client's process tree. The
 * shell exits at once, so the approver is re-parented away from this test process (which plays the
 * MCP client, and from inside which an approval is refused). Resolves with its output once it exits.
 */
export async function approveFromOutside(id: string, home: Home): Promise<string> {
  const out = join(home.root, `approve-${id}.log`);
  const done = join(home.root, `approve-${id}.done`);
  const command = `("${process.execPath}" "${BIN}" approve ${id} > "${out}" 2>&1; echo $? > "${done}") &`;
  spawn('/bin/sh', ['-c', command], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...home.env }, stdio: 'ignore' });
  for (let i = 0; i < 800; i++) {
    try {
      const code = readFileSync(done, 'utf8').trim();
      if (code !== '') return `exit ${code}: ${readFileSync(out, 'utf8')}`;
    } catch {
      // still running
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('mcp-guard approve did not finish');
}

/** The approval id the proxy printed for the user on stderr. */
export async function pendingId(session: Session): Promise<string> {
  const text = await session.waitForStderr(/mcp-guard approve ([a-z0-9]{10})/);
  const match = /mcp-guard approve ([a-z0-9]{10})/.exec(text);
  if (!match) throw new Error(`no approval id on stderr:\n${text}`);
  return match[1]!;
}
