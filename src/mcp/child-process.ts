// Launching a configured stdio server means running someone else's command. Whatever happens (timeout,
// crash, Ctrl-C), every process it started must be gone when we are done: `npx` runs npm → sh → node and
// does not forward signals, so killing the direct child orphans the real server. Each server therefore
// runs in its own process group and we signal the whole group.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { escapeCmdMetaCharacters, quoteForCmd, resolveCommand } from './resolve-command.js';

export interface SpawnRequest {
  command: string;
  args: readonly string[];
  /** Added on top of the full `process.env` (clients pass the full environment too). */
  env?: Record<string, string>;
  cwd?: string;
  /** How many bytes of stderr to keep for error messages. */
  stderrTailBytes?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type SpawnResult =
  | { ok: true; process: ServerProcess }
  | { ok: false; message: string };

export interface ShutdownTimings {
  /** Time allowed after stdin closes for a polite exit before SIGTERM. */
  stdinGraceMs: number;
  /** Time allowed after SIGTERM before SIGKILL. */
  termGraceMs: number;
}

export const DEFAULT_SHUTDOWN: ShutdownTimings = { stdinGraceMs: 300, termGraceMs: 700 };

const DEFAULT_STDERR_TAIL_BYTES = 8 * 1024;

const liveProcesses = new Set<ServerProcess>();

export class ServerProcess {
  readonly pid: number;
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Resolves once the direct child has exited (its group may outlive it). */
  readonly exited: Promise<ExitInfo>;
  /** Resolves once the child exited and all its stdio streams closed (grandchildren may hold them). */
  readonly closed: Promise<void>;
  private exitInfo: ExitInfo | undefined;
  private readonly child: ChildProcess;
  private stderrKept: Buffer = Buffer.alloc(0);
  /** True when the kept tail begins inside a line (possibly inside a UTF-8 sequence). */
  private stderrStartsMidLine = false;
  private readonly stderrTailBytes: number;
  private shutdownPromise: Promise<void> | undefined;

  constructor(child: ChildProcess, pid: number, stderrTailBytes: number) {
    this.child = child;
    this.pid = pid;
    this.stderrTailBytes = stderrTailBytes;
    if (!child.stdin || !child.stdout || !child.stderr) throw new Error('child spawned without pipes');
    this.stdin = child.stdin;
    this.stdout = child.stdout;
    // A server that exits while we write must not crash us with EPIPE.
    this.stdin.on('error', () => undefined);
    child.stderr.on('data', (chunk: Buffer) => this.keepStderr(chunk));
    this.exited = new Promise<ExitInfo>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
    this.closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  }

  get exitStatus(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /** The last bytes the server wrote to stderr, decoded leniently. Not redacted: callers redact. */
  stderrTail(): string {
    let text = this.stderrKept.toString('utf8');
    // A fragment of a longer line (maybe a split UTF-8 sequence) says little: start at the next line.
    if (this.stderrStartsMidLine) text = `…${text.slice(text.indexOf('\n') + 1)}`;
    return text.trim();
  }

  /**
   * Close stdin, wait briefly, SIGTERM the group, then SIGKILL it. Safe to call many times; the group is
   * signalled even when the direct child already exited, because its grandchildren may not have.
   */
  shutdown(timings: ShutdownTimings = DEFAULT_SHUTDOWN): Promise<void> {
    this.shutdownPromise ??= this.runShutdown(timings).finally(() => liveProcesses.delete(this));
    return this.shutdownPromise;
  }

  /** Immediate, synchronous SIGKILL of the whole group: for process exit paths where nothing can wait. */
  killNow(): void {
    signalGroup(this.pid, 'SIGKILL');
    liveProcesses.delete(this);
  }

  private async runShutdown(timings: ShutdownTimings): Promise<void> {
    this.stdin.end();
    await waitFor(() => this.exitInfo !== undefined && !isGroupAlive(this.pid), timings.stdinGraceMs);
    if (!isGroupAlive(this.pid) && this.exitInfo !== undefined) return;
    signalGroup(this.pid, 'SIGTERM');
    await waitFor(() => !isGroupAlive(this.pid), timings.termGraceMs);
    if (isGroupAlive(this.pid)) signalGroup(this.pid, 'SIGKILL');
    await waitFor(() => this.exitInfo !== undefined, timings.termGraceMs);
  }

  private keepStderr(chunk: Buffer): void {
    const combined = this.stderrKept.length === 0 ? chunk : Buffer.concat([this.stderrKept, chunk]);
    if (combined.length <= this.stderrTailBytes) {
      this.stderrKept = Buffer.from(combined);
      return;
    }
    const cut = combined.length - this.stderrTailBytes;
    this.stderrStartsMidLine = combined[cut - 1] !== 0x0a;
    // Copy, so the large combined buffer is not kept alive by a view into it.
    this.stderrKept = Buffer.from(combined.subarray(cut));
  }
}

/** Spawn without a shell, in a new process group, with the full environment plus the entry's. */
export async function spawnServerProcess(request: SpawnRequest): Promise<SpawnResult> {
  const env = mergeEnvironment(process.env, request.env ?? {}, process.platform);
  const cwd = request.cwd ?? process.cwd();
  if (request.cwd !== undefined && !isDirectory(request.cwd)) {
    return { ok: false, message: `working directory does not exist: ${request.cwd}` };
  }
  const resolved = resolveCommand(request.command, { env, cwd, platform: process.platform });
  if (!resolved) {
    return { ok: false, message: `command not found: ${request.command} (searched PATH${process.platform === 'win32' ? ' and PATHEXT' : ''})` };
  }

  let file = resolved.file;
  let args = [...request.args];
  let verbatim = false;
  if (resolved.isWindowsBatch) {
    const line = [escapeCmdMetaCharacters(resolved.file), ...request.args.map((arg) => quoteForCmd(arg, true))].join(' ');
    file = lookupEnv(env, 'ComSpec', process.platform) ?? 'cmd.exe';
    args = ['/d', '/s', '/c', `"${line}"`];
    verbatim = true;
  }

  const child = spawn(file, args, {
    cwd,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    shell: false,
    // Windows has no process groups; `detached` there would open a console window instead.
    detached: process.platform !== 'win32',
    windowsHide: true,
    windowsVerbatimArguments: verbatim,
  });

  const spawned = await new Promise<{ ok: true } | { ok: false; message: string }>((resolve) => {
    child.once('spawn', () => resolve({ ok: true }));
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, message: `could not start ${request.command}: ${error.code ?? error.message}` }));
  });
  if (!spawned.ok || child.pid === undefined) {
    return { ok: false, message: spawned.ok ? `could not start ${request.command}` : spawned.message };
  }
  const serverProcess = new ServerProcess(child, child.pid, request.stderrTailBytes ?? DEFAULT_STDERR_TAIL_BYTES);
  liveProcesses.add(serverProcess);
  return { ok: true, process: serverProcess };
}

/** How many server processes are currently running (for tests and diagnostics). */
export function liveProcessCount(): number {
  return liveProcesses.size;
}

let interruptCleanupInstalled = false;

/**
 * Our children live in their own process groups, so a terminal's Ctrl-C does not reach them: on
 * SIGINT/SIGTERM shut every live group down, then exit 130/143 as a shell expects.
 */
export function installInterruptCleanup(): void {
  if (interruptCleanupInstalled) return;
  interruptCleanupInstalled = true;
  let interrupted = false;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    const exitCode = signal === 'SIGINT' ? 130 : 143;
    if (interrupted) {
      // A second Ctrl-C means "now": no more grace periods.
      for (const child of [...liveProcesses]) child.killNow();
      process.exit(exitCode);
    }
    interrupted = true;
    const quick: ShutdownTimings = { stdinGraceMs: 0, termGraceMs: 300 };
    void Promise.allSettled([...liveProcesses].map((child) => child.shutdown(quick))).then(() => process.exit(exitCode));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Last line of defence when something calls process.exit() with children still running.
  process.once('exit', () => {
    for (const child of [...liveProcesses]) child.killNow();
  });
}

/** Windows variable names are case-insensitive: an entry's `PATH` must replace the inherited `Path`. */
export function mergeEnvironment(
  base: NodeJS.ProcessEnv,
  overrides: Record<string, string>,
  platform: NodeJS.Platform,
): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (platform === 'win32') {
      for (const existing of Object.keys(merged)) {
        if (existing.toUpperCase() === key.toUpperCase()) delete merged[existing];
      }
    }
    merged[key] = value;
  }
  return merged;
}

function lookupEnv(env: NodeJS.ProcessEnv, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name];
  return Object.entries(env).find(([key]) => key.toUpperCase() === name.toUpperCase())?.[1];
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  if (process.platform === 'win32') {
    // /T takes the whole tree, the nearest Windows has to a process group.
    spawnSync('taskkill', ['/PID', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function isGroupAlive(pid: number): boolean {
  if (process.platform === 'win32') {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
