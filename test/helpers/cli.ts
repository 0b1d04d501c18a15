import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(REPO_ROOT, 'bin', 'mcp-guard.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the BUILT CLI as a user would (a real process, real exit code). `npm test` builds first; when
 * running vitest by hand, run `npm run build` before.
 */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? 128 + (signal ? 15 : 0),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });
}

export function tempDir(prefix = 'mcp-guard-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

/** A stdio server entry that runs a fixture server with node. */
export function fixtureServer(file: string, env?: Record<string, string>, args: string[] = []) {
  return {
    command: process.execPath,
    args: [join(REPO_ROOT, 'fixtures', 'servers', file), ...args],
    ...(env ? { env } : {}),
  };
}

export function referenceServer(name: 'everything' | 'filesystem' | 'memory' | 'sequential-thinking', args: string[] = [], env?: Record<string, string>) {
  return {
    command: process.execPath,
    args: [join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', `server-${name}`, 'dist', 'index.js'), ...args],
    ...(env ? { env } : {}),
  };
}
