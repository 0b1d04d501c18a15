import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ListOutcome, ServerEntry, ServerSnapshot } from '../../src/model.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(REPO_ROOT, 'fixtures/servers');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

export function stdioEntry(name: string, args: string[], extra: Partial<ServerEntry> = {}): ServerEntry {
  return { name, transport: 'stdio', command: 'node', args, sources: [], ...extra };
}

export function fixtureEntry(file: string, extra: Partial<ServerEntry> = {}): ServerEntry {
  return stdioEntry(path.basename(file, '.mjs'), [fixture(file)], extra);
}

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'mcp-guard-mcp-test-'));
}

export function snapshotOf(outcome: ListOutcome): ServerSnapshot {
  if (!outcome.ok) throw new Error(`expected a listing, got ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.snapshot;
}

export function failureOf(outcome: ListOutcome): { code: string; message: string } {
  if (outcome.ok) throw new Error(`expected a failure, got a listing of ${outcome.snapshot.tools.length} tools`);
  return outcome.error;
}

export function names(entities: { name?: unknown }[]): string[] {
  return entities.map((entity) => String(entity.name));
}

/** Alive and not a zombie: an orphan that died may linger as a zombie if PID 1 does not reap. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return existsSync(`/proc/${pid}`);
  }
}

export async function waitUntil(condition: () => boolean, what: string, attempts = 500): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

export interface HttpFixture {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startHttpFixture(env: Record<string, string>): Promise<HttpFixture> {
  const dir = tempDir();
  const urlFile = path.join(dir, 'url');
  const child = spawn(process.execPath, [fixture('http.mjs')], {
    env: { ...process.env, ...env, HTTP_URL_FILE: urlFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitUntil(() => existsSync(urlFile) && readFileSync(urlFile, 'utf8').length > 0 || child.exitCode !== null, 'the HTTP fixture to listen');
  if (child.exitCode !== null) throw new Error(`http fixture exited: ${stderr}`);
  return {
    url: readFileSync(urlFile, 'utf8'),
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
