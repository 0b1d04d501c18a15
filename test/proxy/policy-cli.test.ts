// The proxy's policy and audit flags as a command: usage errors, and a start that leaves nothing behind.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RAW, startProxy, tempDir, writeLockFor } from './helpers.js';

let lockPath: string;
beforeAll(async () => {
  lockPath = await writeLockFor(tempDir(), 'raw', [RAW]);
});

describe('proxy policy flags', () => {
  it('refuses an --approval-timeout that is not a positive number of milliseconds', async () => {
    for (const value of ['0', 'abc', '-5', '1.5']) {
      const client = startProxy(['--lock', lockPath, `--approval-timeout=${value}`], [RAW]);
      const { code } = await client.close();
      expect(code).toBe(2);
      expect(client.stderr).toContain('--approval-timeout takes a positive number of milliseconds');
    }
  });

  it('a probe start (no request, then EOF) creates no audit key, log or approval directory', async () => {
    const dir = tempDir();
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'version: 1\nservers:\n  raw:\n    preset: approve-writes\n');
    const state = join(dir, 'state');
    const client = startProxy(['--lock', lockPath, '--name', 'raw', '--policy', policy], [RAW], { XDG_STATE_HOME: state, XDG_CONFIG_HOME: join(dir, 'config') });
    await client.close();
    expect(existsSync(state)).toBe(false);
    expect(readdirSync(dir)).toEqual(['policy.yaml']);
  });

  it('the first decision creates the audit log in the state directory when --audit is not given', async () => {
    const dir = tempDir();
    const state = join(dir, 'state');
    const client = startProxy(['--lock', lockPath, '--name', 'raw'], [RAW], { XDG_STATE_HOME: state, XDG_CONFIG_HOME: join(dir, 'config') });
    await client.initialize();
    const result = await client.request('tools/call', { name: 'echo', arguments: { text: 'x' } });
    expect(result.result).toBeDefined();
    await client.close();
    expect(readdirSync(join(state, 'mcp-guard')).sort()).toEqual(expect.arrayContaining(['audit.jsonl', 'audit.key']));
  });
});
