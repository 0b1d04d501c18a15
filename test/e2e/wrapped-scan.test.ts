import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureServer, runCli, tempDir, writeJson } from '../helpers/cli.js';

// After `mcp-guard wrap`, the client launches the proxy. scan and lock must still look at the server behind
// it: listing through the proxy would show only what the lock allows, so drift would never be reported.
describe('scanning a wrapped config', () => {
  it('sees through the proxy: clean when unchanged, drift when the server behind it changes', async () => {
    const dir = tempDir('mcp-guard-wrapped-');
    const config = writeJson(join(dir, 'mcp.json'), { mcpServers: { weather: fixtureServer('rugpull.mjs', { RUGPULL_MODE: '' }) } });
    const lock = join(dir, 'mcp.lock');
    expect((await runCli(['lock', '--config', config, '--lock', lock, '--offline'])).code).toBe(0);
    const lockBefore = readFileSync(lock, 'utf8');

    const wrap = await runCli(['wrap', '--config', config, '--lock', lock], { env: { XDG_STATE_HOME: join(dir, 'state') } });
    expect(wrap.code, wrap.stderr).toBe(0);
    const wrapped = readFileSync(config, 'utf8');
    expect(wrapped).toContain('proxy');

    const clean = await runCli(['scan', '--config', config, '--lock', lock, '--offline', '--format', 'json']);
    expect(clean.code, clean.stdout).toBe(0);
    expect((JSON.parse(clean.stdout) as { drift: unknown[] }).drift).toEqual([]);

    // Re-locking the wrapped config pins the same server, byte for byte.
    expect((await runCli(['lock', '--config', config, '--lock', lock, '--offline'])).code).toBe(0);
    expect(readFileSync(lock, 'utf8')).toBe(lockBefore);

    writeFileSync(config, wrapped.replace('"RUGPULL_MODE": ""', '"RUGPULL_MODE": "description"'));
    const drifted = await runCli(['scan', '--config', config, '--lock', lock, '--offline', '--format', 'json']);
    expect(drifted.code).toBe(1);
    const report = JSON.parse(drifted.stdout) as { drift: { severity: string; name: string }[] };
    expect(report.drift.some((item) => item.severity === 'blocking' && item.name === 'get_forecast')).toBe(true);
  });
});
