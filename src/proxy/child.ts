// The wrapped server as a child process: full environment, no shell, its own process group so that an
// `npx` → sh → node chain can be ended as a whole (signals to npx alone orphan the real server).

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { LineFramer } from './framing.js';

export interface UpstreamExit {
  /** The code the proxy exits with: the child's code, 128 + signal number when killed, 127 if it never ran. */
  exitCode: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  spawnError?: string;
}

export interface UpstreamHandlers {
  /** Called around each read from the server, so the messages of one read can leave in one writev. */
  onReadStart?(): void;
  onReadEnd?(): void;
  /** `framed`: the same bytes followed by LF, when the upstream has them at hand (saves a copy). */
  onMessage(line: Buffer, framed?: Buffer): void;
  onOversize(bytes: number): void;
  /** Called once, after the child exited and its stdout was drained (or a short grace ran out). */
  onExit(exit: UpstreamExit): void;
}

/** What the relay needs from an upstream, whatever carries it. */
export interface Upstream {
  /** Writes one framed message; false means "buffer full, wait for drain". */
  send(framed: Buffer): boolean;
  onceDrain(callback: () => void): void;
  pause(): void;
  resume(): void;
  /** Client went away: close the server's input, then SIGTERM, then SIGKILL its process group. */
  shutdown(): void;
  /** Forward a signal the proxy received to the whole group. */
  signal(signal: NodeJS.Signals): void;
}

export interface ChildOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How long a server may take to exit after its stdin closes, and after SIGTERM. */
  graceMs?: number;
}

export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  if (signal !== null) return 128 + (osConstants.signals[signal] ?? 0);
  return 1;
}

export class ChildUpstream implements Upstream {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private readonly graceMs: number;
  private exitInfo: UpstreamExit | undefined;
  private stdoutEnded = false;
  private groupReaped = false;
  private finished = false;
  private shuttingDown = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(command: string, args: readonly string[], private readonly handlers: UpstreamHandlers, options: ChildOptions = {}) {
    this.graceMs = options.graceMs ?? 2000;
    this.child = spawn(command, args, {
      env: options.env ?? process.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['pipe', 'pipe', 'inherit'],
      detached: true,
      shell: false,
      windowsHide: true,
    });
    const framer = new LineFramer({ onMessage: (line, framed) => handlers.onMessage(line, framed), onOversize: (bytes) => handlers.onOversize(bytes) });
    this.child.stdout.on('data', (chunk: Buffer) => {
      handlers.onReadStart?.();
      try {
        framer.push(chunk);
      } finally {
        handlers.onReadEnd?.();
      }
    });
    this.child.stdout.on('end', () => {
      this.stdoutEnded = true;
      this.maybeFinish();
    });
    this.child.stdout.on('error', () => {
      this.stdoutEnded = true;
      this.maybeFinish();
    });
    // EPIPE after the child died is expected; the exit path reports it.
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (error: NodeJS.ErrnoException) => {
      if (this.exitInfo) return;
      this.exitInfo = { exitCode: error.code === 'ENOENT' ? 127 : 126, code: null, signal: null, spawnError: error.message };
      this.stdoutEnded = true;
      this.groupReaped = true;
      this.maybeFinish();
    });
    this.child.on('exit', (code, signal) => {
      this.exitInfo = { exitCode: exitCodeOf(code, signal), code, signal };
      // The direct child is gone; anything left in its group (npx's real server) is an orphan to end now.
      void this.reapGroup().then(() => {
        this.groupReaped = true;
        this.maybeFinish();
      });
      // A grandchild holding the pipe open must not keep us waiting for 'end' forever.
      this.timers.push(setTimeout(() => {
        this.stdoutEnded = true;
        this.maybeFinish();
      }, this.graceMs * 2 + 1000).unref());
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(framed: Buffer): boolean {
    if (this.exitInfo || this.child.stdin.destroyed || this.child.stdin.writableEnded) return true;
    return this.child.stdin.write(framed);
  }

  onceDrain(callback: () => void): void {
    this.child.stdin.once('drain', callback);
  }

  pause(): void {
    this.child.stdout.pause();
  }

  resume(): void {
    this.child.stdout.resume();
  }

  shutdown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.child.stdin.end();
    if (this.exitInfo) return;
    this.timers.push(
      setTimeout(() => {
        if (this.exitInfo) return;
        this.killGroup('SIGTERM');
        this.timers.push(setTimeout(() => {
          if (!this.exitInfo) this.killGroup('SIGKILL');
        }, this.graceMs));
      }, this.graceMs),
    );
  }

  signal(signal: NodeJS.Signals): void {
    this.killGroup(signal);
  }

  private killGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  /** SIGTERM what is left of the group, then SIGKILL whatever survives the grace period. */
  private async reapGroup(): Promise<void> {
    if (!this.groupAlive()) return;
    this.killGroup('SIGTERM');
    for (const signal of ['SIGKILL', undefined] as const) {
      const deadline = Date.now() + this.graceMs;
      while (this.groupAlive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      if (!this.groupAlive() || signal === undefined) return;
      this.killGroup(signal);
    }
  }

  private groupAlive(): boolean {
    const pid = this.child.pid;
    if (pid === undefined) return false;
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  private maybeFinish(): void {
    if (this.finished || !this.exitInfo || !this.stdoutEnded || !this.groupReaped) return;
    this.finished = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.handlers.onExit(this.exitInfo);
  }
}
