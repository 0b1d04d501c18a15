import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer, runCli, tempDir, writeJson } from '../helpers/cli.js';

// Lock a server, let it change, re-scan: every blocking class fails the scan (exit 1), every
// informational class does not (exit 0). Real servers, real CLI, real lock.

interface DriftJson {
  drift: { severity: string; change: string; entity: string; name: string; reasons: { kind: string; field: string }[] }[];
  summary: { driftBlocking: number; exitCode: number };
}

let dir: string;

function configWith(file: string, env: Record<string, string>): string {
  // The env var NAMES stay the same in the locked and the changed config, so launch identity is unchanged.
  return writeJson(join(dir, `config-${Object.values(env).join('-') || 'base'}-${file}.json`), {
    mcpServers: { weather: fixtureServer(file, env) },
  });
}

async function scanJson(config: string, lock: string): Promise<{ code: number; report: DriftJson; stderr: string }> {
  const run = await runCli(['scan', '--config', config, '--lock', lock, '--offline', '--format', 'json']);
  if (!run.stdout.trim()) throw new Error(`scan printed nothing (exit ${run.code}): ${run.stderr}`);
  return { code: run.code, report: JSON.parse(run.stdout) as DriftJson, stderr: run.stderr };
}

beforeAll(async () => {
  dir = tempDir('mcp-guard-drift-');
  for (const [file, variable] of [
    ['rugpull.mjs', 'RUGPULL_MODE'],
    ['reshaped.mjs', 'RESHAPE_MODE'],
  ] as const) {
    const run = await runCli(['lock', '--config', configWith(file, { [variable]: '' }), '--lock', join(dir, `${file}.lock`), '--offline']);
    expect(run.code, run.stderr).toBe(0);
  }
});

describe('blocking drift fails the scan', () => {
  it.each([
    ['description', 'tool', 'get_forecast', 'description'],
    ['title', 'tool', 'get_forecast', 'title'],
    ['schema', 'tool', 'get_forecast', 'inputSchema'],
    ['annotation', 'tool', 'get_forecast', 'annotations'],
    ['new-tool', 'tool', 'send_report', ''],
    ['rename', 'tool', 'get_forecasts', ''],
    ['instructions', 'instructions', '', ''],
  ])('%s', async (mode, entity, name, field) => {
    const { code, report, stderr } = await scanJson(configWith('rugpull.mjs', { RUGPULL_MODE: mode }), join(dir, 'rugpull.mjs.lock'));
    expect(code, stderr).toBe(1);
    expect(report.summary.exitCode).toBe(1);
    const blocking = report.drift.filter((item) => item.severity === 'blocking');
    expect(blocking.length).toBeGreaterThan(0);
    const item = blocking.find((candidate) => candidate.entity === entity && candidate.name === name);
    expect(item, JSON.stringify(report.drift)).toBeDefined();
    if (field) expect(item!.reasons.some((reason) => reason.field.startsWith(field))).toBe(true);
    if (mode === 'rename') expect(item!.change).toBe('renamed');
  });
});

describe('informational drift does not fail the scan', () => {
  it('an unchanged server is clean', async () => {
    const { code, report } = await scanJson(configWith('rugpull.mjs', { RUGPULL_MODE: '' }), join(dir, 'rugpull.mjs.lock'));
    expect(code).toBe(0);
    expect(report.drift).toEqual([]);
  });

  it.each(['key-order', 'schema-dialect', 'default-annotation', 'vendor-meta'])('%s', async (mode) => {
    const { code, report, stderr } = await scanJson(configWith('reshaped.mjs', { RESHAPE_MODE: mode }), join(dir, 'reshaped.mjs.lock'));
    expect(code, `${stderr}\n${JSON.stringify(report.drift)}`).toBe(0);
    expect(report.summary.driftBlocking).toBe(0);
    expect(report.drift.every((item) => item.severity === 'informational')).toBe(true);
  });
});

describe('diff shows the change for review', () => {
  it('word-diffs a changed description and exits 1', async () => {
    const config = configWith('rugpull.mjs', { RUGPULL_MODE: 'description' });
    const run = await runCli(['diff', '--config', config, '--lock', join(dir, 'rugpull.mjs.lock')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('get_forecast');
    expect(run.stdout).toContain('~/.ssh/id_rsa');
    const json = await runCli(['diff', '--config', config, '--lock', join(dir, 'rugpull.mjs.lock'), '--format', 'json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { version: number; drift: { items: unknown[] } };
    expect(parsed.version).toBe(1);
    expect(parsed.drift.items.length).toBeGreaterThan(0);
  });

  it('exits 0 when nothing changed', async () => {
    const run = await runCli(['diff', '--config', configWith('rugpull.mjs', { RUGPULL_MODE: '' }), '--lock', join(dir, 'rugpull.mjs.lock')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no changes');
  });

  it('lock --server accepts the change, after which the scan is clean', async () => {
    const config = configWith('rugpull.mjs', { RUGPULL_MODE: 'schema' });
    const lock = join(dir, 'accept.lock');
    expect((await runCli(['lock', '--config', configWith('rugpull.mjs', { RUGPULL_MODE: '' }), '--lock', lock, '--offline'])).code).toBe(0);
    expect((await scanJson(config, lock)).code).toBe(1);
    const accepted = await runCli(['lock', '--config', config, '--lock', lock, '--server', 'weather', '--offline']);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('change(s) accepted');
    expect((await scanJson(config, lock)).code).toBe(0);
  });
});
