import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyCommand } from '../../src/cli/commands/policy.js';
import type { CliIo } from '../../src/cli/io.js';
import { reportError } from '../../src/cli/main.js';
import { POLICY_FIXTURES } from './helpers.js';

async function runPolicy(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: {},
    cwd: POLICY_FIXTURES,
  };
  let code: number;
  try {
    code = await policyCommand(args, io);
  } catch (error) {
    code = reportError(error, io);
  }
  return { code, stdout, stderr };
}

describe('mcp-guard policy check', () => {
  it.each([
    [['check', 'example.yaml'], 0, /example\.yaml: valid \(1 server, 4 rules\)/],
    [['check', 'lock-checked.yaml', '--lock', 'notes.mcp.lock'], 0, /valid \(1 server, 3 rules, checked against the lock\)/],
  ])('%j exits %i', async (args, expected, output) => {
    const result = await runPolicy(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(expected);
    expect(result.stdout).toMatch(output);
  });

  it('exits 2 and names every problem with file:line against the lock', async () => {
    const result = await runPolicy(['check', 'lock-broken.yaml', '--lock', 'notes.mcp.lock']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(`mcp-guard: ${join(POLICY_FIXTURES, 'lock-broken.yaml')}:5:9: tool "read_note" does not exist on server "notes" in the lock`);
    expect(lines[5]).toMatch(/5 problems against/);
  });

  it('exits 2 with file:line for an invalid policy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-guard-policy-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'version: 1\nservers:\n  s:\n    rules:\n      - tool: t\n        action: maybe\n');
    const result = await runPolicy(['check', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:6:17: servers.s.rules.0.action: must be one of`);
  });

  it('prints warnings but still exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-guard-policy-'));
    const file = join(dir, 'loose.yaml');
    await writeFile(file, 'version: 1\nservers:\n  s:\n    rules:\n      - tool: t\n        match: { folder: work }\n        action: allow\n');
    const result = await runPolicy(['check', file]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`mcp-guard: ${file}:6:18: warning: the pattern for "folder" matches anywhere in the value; an allow rule usually wants ^…$\n`);
  });

  it.each([[[]], [['check']], [['verify', 'example.yaml']], [['check', 'a.yaml', 'b.yaml']], [['check', 'example.yaml', '--bogus']]])(
    'usage error for %j exits 2',
    async (args) => {
      const result = await runPolicy(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/usage: mcp-guard policy check FILE/);
    },
  );

  it('exits 2 when the lock is missing', async () => {
    const result = await runPolicy(['check', 'example.yaml', '--lock', 'nope.lock']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/lock file not found/);
  });
});
