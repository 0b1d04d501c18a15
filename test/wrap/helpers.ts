import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unwrapCommand, wrapCommand } from '../../src/cli/commands/wrap.js';
import type { CliIo } from '../../src/cli/io.js';
import { reportError } from '../../src/cli/main.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const WRAP_FIXTURES = join(ROOT, 'fixtures/wrap');

/** A private copy of fixtures/wrap (configs + lock) and a state directory. */
export async function workspace(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-guard-wrap-'));
  await cp(WRAP_FIXTURES, dir, { recursive: true });
  return { dir, env: { XDG_STATE_HOME: join(dir, '.state'), HOME: join(dir, 'home') } };
}

export async function run(command: 'wrap' | 'unwrap', args: string[], cwd: string, env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (c: string) => (stdout += c) }, stderr: { write: (c: string) => (stderr += c) }, env, cwd };
  let code: number;
  try {
    code = await (command === 'wrap' ? wrapCommand : unwrapCommand)(args, io);
  } catch (error) {
    code = reportError(error, io);
  }
  return { code, stdout, stderr };
}
