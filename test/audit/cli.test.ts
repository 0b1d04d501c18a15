import { readFile, writeFile, mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorPath } from '../../src/audit/anchor.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { loadOrCreateAuditKey } from '../../src/audit/audit-key.js';
import { auditCommand } from '../../src/cli/commands/audit.js';
import type { CliIo } from '../../src/cli/io.js';
import { reportError } from '../../src/cli/main.js';
import { auditFixture, entry } from './helpers.js';

async function runAudit(args: string[], env: Record<string, string>, cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (c: string) => (stdout += c) }, stderr: { write: (c: string) => (stderr += c) }, env, cwd };
  let code: number;
  try {
    code = await auditCommand(args, io);
  } catch (error) {
    code = reportError(error, io);
  }
  return { code, stdout, stderr };
}

/** A log written the way the proxy will: key and anchor in $XDG_STATE_HOME/mcp-guard. */
async function realLog(count: number) {
  const fixture = await auditFixture();
  const xdg = join(fixture.dir, 'xdg');
  const stateDir = join(xdg, 'mcp-guard');
  const key = await loadOrCreateAuditKey(stateDir);
  const log = new AuditLog({ file: fixture.file, stateDir, key });
  for (let i = 1; i <= count; i++) log.record(entry(i));
  await log.close();
  return { file: fixture.file, stateDir, dir: fixture.dir, env: { XDG_STATE_HOME: xdg, HOME: fixture.dir } };
}

describe('mcp-guard audit verify', () => {
  it('exits 0 on an intact log', async () => {
    const { dir, env } = await realLog(3);
    const result = await runAudit(['verify', 'audit.jsonl'], env, dir);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('audit.jsonl: intact, 3 records\n');
  });

  it('verifies the default log in the state directory when no FILE is given', async () => {
    const fixture = await auditFixture();
    const xdg = join(fixture.dir, 'xdg');
    const stateDir = join(xdg, 'mcp-guard');
    const log = new AuditLog({ file: join(stateDir, 'audit.jsonl'), stateDir, key: await loadOrCreateAuditKey(stateDir) });
    log.record(entry(1));
    await log.close();
    expect(await runAudit(['verify'], { XDG_STATE_HOME: xdg }, fixture.dir)).toMatchObject({ code: 0 });
  });

  it('exits 1 naming the first bad record of an edited log', async () => {
    const { file, dir, env } = await realLog(4);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"reason":"r2"', '"reason":"rX"'));
    const result = await runAudit(['verify', file], env, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`mcp-guard: ${file}:2: record seq 2: edited: the MAC does not match the record\n`);
  });

  it('exits 1 on a truncated log, and without the anchor check says truncation went unchecked', async () => {
    const { file, dir, env } = await realLog(4);
    const lines = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, `${lines.slice(0, 3).join('\n')}\n`);
    const result = await runAudit(['verify', file], env, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/:4: record seq 4: truncated/);
    const chainOnly = await runAudit(['verify', file, '--no-anchor'], env, dir);
    expect(chainOnly.code).toBe(0);
    expect(chainOnly.stdout).toMatch(/intact, 3 records \(chain only: truncation not checked\)/);
  });

  it('exits 1 when the head anchor is missing for a non-empty log', async () => {
    const { file, stateDir, dir, env } = await realLog(2);
    await unlink(anchorPath(stateDir, file));
    const result = await runAudit(['verify', file], env, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no head anchor/);
  });

  it.each([[[]], [['check']], [['verify', 'a', 'b']], [['verify', '--bogus']]])('exits 2 on usage error %j', async (args) => {
    const { dir, env } = await realLog(1);
    const result = await runAudit(args, env, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: mcp-guard audit verify/);
  });

  it('exits 2 when the log or the key does not exist', async () => {
    const { dir, env } = await realLog(1);
    expect((await runAudit(['verify', 'missing.jsonl'], env, dir)).stderr).toMatch(/no such audit log/);
    expect((await runAudit(['verify', 'missing.jsonl'], env, dir)).code).toBe(2);
    const elsewhere = join(dir, 'other-state');
    await mkdir(elsewhere, { recursive: true });
    const noKey = await runAudit(['verify', 'audit.jsonl'], { XDG_STATE_HOME: elsewhere }, dir);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/no audit key/);
  });
});
