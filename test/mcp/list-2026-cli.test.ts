import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/model.js';
import { fixtureServer, REPO_ROOT, runCli, tempDir, writeJson } from '../helpers/cli.js';

// The fixture's own definitions (plain JS, no types): what a raw listing must return unchanged.
const { weatherTools } = (await import(pathToFileURL(join(REPO_ROOT, 'fixtures', 'servers', 'lib', 'weather-tools.mjs')).href)) as { weatherTools: () => JsonObject[] };

// lock → scan → rug pull through the built CLI (`npm run build` first) on a server that speaks only the
// 2026-07-28 revision. The env var names stay the same in every config, so the launch identity does not
// change between the locked and the scanned server.

interface ScanJson {
  servers: { name: string; status: string; error?: { code: string; message: string } }[];
  drift: { severity: string; entity: string; change: string }[];
  summary: { exitCode: number; driftBlocking: number };
}

interface LockJson {
  servers: Record<string, { protocolVersion: string; instructions?: { text: string }; tools: Record<string, { definition: unknown }> }>;
}

let dir: string;
let lock: string;

function configWith(rugpullMode: string): string {
  return writeJson(join(dir, `config-${rugpullMode || 'honest'}.json`), {
    mcpServers: { weather: fixtureServer('v2/weather.mjs', { V2_LEGACY: 'reject', RUGPULL_MODE: rugpullMode }) },
  });
}

async function scanJson(config: string): Promise<{ code: number; report: ScanJson; stderr: string }> {
  const run = await runCli(['scan', '--config', config, '--lock', lock, '--offline', '--format', 'json']);
  if (!run.stdout.trim()) throw new Error(`scan printed nothing (exit ${run.code}): ${run.stderr}`);
  return { code: run.code, report: JSON.parse(run.stdout) as ScanJson, stderr: run.stderr };
}

beforeAll(async () => {
  dir = tempDir('mcp-guard-2026-');
  lock = join(dir, 'mcp.lock');
  const run = await runCli(['lock', '--config', configWith(''), '--lock', lock, '--offline']);
  expect(run.code, run.stderr + run.stdout).toBe(0);
});

describe('mcp-guard on a 2026-07-28-only stdio server', () => {
  it('lock pins its tools and instructions as the server sent them', () => {
    const locked = (JSON.parse(readFileSync(lock, 'utf8')) as LockJson).servers['weather'];
    expect(locked?.protocolVersion).toBe('2026-07-28');
    expect(locked?.instructions?.text).toBe('Weather data for any city.');
    expect(Object.keys(locked?.tools ?? {}).sort()).toEqual(['get_alerts', 'get_forecast']);
    for (const tool of weatherTools()) expect(locked?.tools[String(tool.name)]?.definition).toEqual(tool);
  });

  it('a re-scan of the unchanged server is clean', async () => {
    const { code, report, stderr } = await scanJson(configWith(''));
    expect(code, stderr).toBe(0);
    expect(report.servers.map((server) => [server.name, server.status])).toEqual([['weather', 'listed']]);
    expect(report.drift).toEqual([]);
  });

  it('changed instructions are blocking drift (exit 1)', async () => {
    const { code, report, stderr } = await scanJson(configWith('instructions'));
    expect(code, stderr).toBe(1);
    expect(report.summary.exitCode).toBe(1);
    expect(report.servers[0]?.status).toBe('listed');
    expect(report.drift).toContainEqual(expect.objectContaining({ entity: 'instructions', severity: 'blocking' }));
  });
});
