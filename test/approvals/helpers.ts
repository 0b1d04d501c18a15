import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/mcp-guard.js');
const VITE_NODE = join(ROOT, 'node_modules/vite-node/vite-node.mjs');
export { BIN };

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A private home with its own runtime and state directories, as a user's session would have. */
export async function approvalsHome(): Promise<{ root: string; env: Record<string, string> }> {
  const root = await mkdtemp(join(tmpdir(), 'mcp-guard-approvals-'));
  const runtime = join(root, 'run');
  await mkdir(runtime, { mode: 0o700 });
  const env = { HOME: join(root, 'home'), XDG_RUNTIME_DIR: runtime, XDG_STATE_HOME: join(root, 'state') };
  return { root, env };
}

function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env['PATH'], NO_COLOR: '1' };
  return { ...base, ...env };
}

/** `mcp-guard approvals|approve|deny …`: the built CLI in a separate process (`npm test` builds first). */
export function runApprovalsCli(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

/** A waiting proxy stand-in in a separate process; resolves once its request is filed. */
export function startWaiter(env: Record<string, string | undefined>, args: string[] = []): Promise<{ child: ChildProcess; id: string; lines: () => string[] }> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, [VITE_NODE, join(ROOT, 'test/approvals/harness/waiter.ts'), '--', ...args], {
      cwd: ROOT,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    const lines = () => output.split('\n').filter(Boolean);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const first = lines()[0];
      if (first) resolveStart({ child, id: (JSON.parse(first) as { pending: string }).pending, lines });
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`waiter exited (${code}) before filing a request: ${errors}`)));
  });
}
