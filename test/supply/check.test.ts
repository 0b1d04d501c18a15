import { describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../src/model.js';
import { checkSupplyChain } from '../../src/supply/check.js';
import { recordedRegistry } from './recorded-registry.js';

function server(name: string, command: string, args: string[], env?: Record<string, string>): ServerEntry {
  const entry: ServerEntry = { name, transport: 'stdio', command, args, sources: [{ client: 'generic', path: '/cfg/mcp.json', scope: 'explicit', pointer: `mcpServers.${name}` }] };
  if (env) entry.env = env;
  return entry;
}

const NOW = new Date('2026-11-01T00:00:00Z');

describe('checkSupplyChain offline', () => {
  it('parses, flags pinning, typosquats and registries, and says registry checks were skipped', async () => {
    const result = await checkSupplyChain(
      [
        server('fs', 'npx', ['-y', '@modelcontextprotocol/server-filesystem', '/tmp']),
        server('squat', 'npx', ['-y', '@modelcontextprotocol-server/filesystem@1.0.0']),
        server('evil', 'npx', ['-y', '--registry', 'http://evil.example', 'pkg@1.0.0']),
        server('pinned', 'npx', ['-y', 'pkg@1.0.0']),
        server('local', 'node', ['server.js']),
      ],
      { offline: true },
    );
    const byServer = (name: string): string[] => result.findings.filter((f) => f.location.server === name).map((f) => f.ruleId).sort();
    expect(byServer('fs')).toEqual(['unpinned-package']);
    expect(byServer('squat')).toEqual(['package-typosquat']);
    expect(byServer('evil')).toEqual(['non-default-registry']);
    expect(byServer('pinned')).toEqual([]);
    expect(byServer('local')).toEqual([]);
    expect(result.notes.some((n) => n.startsWith('offline: registry checks skipped'))).toBe(true);
    expect(result.unreachable).toBe(false);
    expect(result.packages.local).toEqual({ ecosystem: 'local', launcher: 'node', path: 'server.js' });
    expect(result.resolved.pinned).toEqual({ ecosystem: 'npm', name: 'pkg', version: '1.0.0', provenance: { status: 'unavailable' } });
    expect(result.resolved.fs).toBeUndefined();
  });

  it('names the imitated package and rates an official look-alike critical', async () => {
    const result = await checkSupplyChain([server('squat', 'npx', ['-y', '@modelcontextprotocol-server/filesystem'])], { offline: true });
    const squat = result.findings.find((f) => f.ruleId === 'package-typosquat');
    expect(squat?.message).toBe(
      'squat launches "@modelcontextprotocol-server/filesystem", which looks like "@modelcontextprotocol/server-filesystem" (1.1M downloads a month) (fake official scope)',
    );
    expect(squat?.severity).toBe('critical');
    expect(squat?.location).toMatchObject({ server: 'squat', package: '@modelcontextprotocol-server/filesystem', configFile: '/cfg/mcp.json' });
  });

  it('rates a flattened official scope high, not critical (older packages were named that way)', async () => {
    const result = await checkSupplyChain([server('flat', 'npx', ['-y', 'modelcontextprotocol-server-filesystem'])], { offline: true });
    const squat = result.findings.find((f) => f.ruleId === 'package-typosquat');
    expect(squat?.message).toContain('"@modelcontextprotocol/server-filesystem"');
    expect(squat?.severity).toBe('high');
  });

  it('shows the pinned command line in the tip, with a placeholder offline', async () => {
    const result = await checkSupplyChain([server('fs', 'npx', ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'])], { offline: true });
    expect(result.findings[0]?.tip).toBe('Pin it: npx -y @modelcontextprotocol/server-filesystem@VERSION …');
    expect(result.findings[0]?.severity).toBe('medium');
  });

  it('rates a range lower than a floating tag', async () => {
    const result = await checkSupplyChain([server('r', 'npx', ['-y', 'pkg@^1.2.0']), server('t', 'npx', ['-y', 'pkg@next'])], { offline: true });
    expect(result.findings.find((f) => f.location.server === 'r')?.severity).toBe('low');
    expect(result.findings.find((f) => f.location.server === 't')?.severity).toBe('medium');
  });

  it('reports a pin that differs from the lock without the registry', async () => {
    const result = await checkSupplyChain([server('p', 'npx', ['-y', 'pkg@2.0.0'])], {
      offline: true,
      lock: { sources: { p: { ecosystem: 'npm', name: 'pkg', version: '1.0.0' } } },
    });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['package-version-drift']);
  });
});

describe('checkSupplyChain online, from recorded registry data', () => {
  it('resolves what the lock pins, with verified provenance and its repository', async () => {
    const registry = recordedRegistry({ '@playwright/cli': 'playwright__cli' });
    const result = await checkSupplyChain([server('pw', 'npx', ['-y', '@playwright/cli@0.1.1'])], { offline: false, now: NOW, ...registry });
    expect(result.findings).toEqual([]);
    expect(result.resolved.pw).toEqual({
      ecosystem: 'npm',
      name: '@playwright/cli',
      version: '0.1.1',
      integrity: 'sha512-9k11ZfDwAfMVDDIuEVW1Wvs8SoDNXIY1dNQ+9C9/SS8ZmElkcxesu5eoL7vNa96ntibUGaq1TM2qQoqvdl/I9g==',
      provenance: { status: 'verified', repository: 'https://github.com/microsoft/playwright-cli' },
    });
    // The mirror copy carries no signatures or trustworthy times: those checks say so instead of passing.
    expect(result.notes).toContain('registry signatures unavailable: the registry served none, so they were not verified');
    expect(result.notes).toContain('publish age unavailable: the registry served no trustworthy publish times');
  });

  it('resolves an unpinned launch to the latest version and tips with the real version', async () => {
    const registry = recordedRegistry({ '@playwright/cli': 'playwright__cli' });
    const result = await checkSupplyChain([server('pw', 'npx', ['-y', '@playwright/cli'])], { offline: false, now: NOW, ...registry });
    const unpinned = result.findings.find((f) => f.ruleId === 'unpinned-package');
    expect(unpinned?.tip).toContain('npx -y @playwright/cli@0.1.22');
    expect(result.resolved.pw?.version).toBe('0.1.22');
    // 0.1.22 has no attestation pointer in a stripped response: unavailable, not missing.
    expect(result.resolved.pw?.provenance).toEqual({ status: 'unavailable' });
    expect(result.findings.map((f) => f.ruleId)).not.toContain('provenance-missing');
  });

  it('treats a fully stripped mirror packument as unavailable everywhere, never as passed', async () => {
    const registry = recordedRegistry({ '@modelcontextprotocol/server-filesystem': 'modelcontextprotocol__server-filesystem' });
    const result = await checkSupplyChain([server('fs', 'npx', ['-y', '@modelcontextprotocol/server-filesystem@2026.8.31'])], { offline: false, now: NOW, ...registry });
    expect(result.findings).toEqual([]);
    expect(result.resolved.fs?.provenance).toEqual({ status: 'unavailable' });
    expect(result.notes.filter((n) => n.includes('unavailable')).length).toBe(3);
  });

  it('verifies a signature by the retired 2023 key for a release published inside its window', async () => {
    const registry = recordedRegistry({ '@sethwebster/ava-commit': 'sethwebster__ava-commit' });
    const result = await checkSupplyChain([server('ava', 'npx', ['-y', '@sethwebster/ava-commit@0.0.10'])], { offline: false, now: NOW, ...registry });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['provenance-missing']);
    expect(result.notes.join('\n')).not.toContain('signatures unavailable');
    expect(result.resolved.ava?.provenance).toEqual({ status: 'missing' });
  });

  it('rejects a signature whose integrity was changed', async () => {
    const registry = recordedRegistry({ '@sethwebster/ava-commit': 'sethwebster__ava-commit.tampered-integrity' });
    const result = await checkSupplyChain([server('ava', 'npx', ['-y', '@sethwebster/ava-commit@0.0.10'])], { offline: false, now: NOW, ...registry });
    const invalid = result.findings.find((f) => f.ruleId === 'registry-signature-invalid');
    expect(invalid?.severity).toBe('critical');
    expect(invalid?.message).toContain('does not match');
  });

  it('reports a missing package as a claimable name, and a missing version', async () => {
    const registry = recordedRegistry({ '@playwright/cli': 'playwright__cli' });
    const result = await checkSupplyChain(
      [server('gone', 'npx', ['-y', 'mcp-guard-no-such-package@1.0.0']), server('v', 'npx', ['-y', '@playwright/cli@^9'])],
      { offline: false, now: NOW, ...registry },
    );
    expect(result.findings.map((f) => [f.location.server, f.ruleId])).toEqual(
      expect.arrayContaining([
        ['gone', 'package-not-found'],
        ['v', 'package-not-found'],
      ]),
    );
    expect(result.resolved.gone).toBeUndefined();
  });

  it('fetches each packument once for servers sharing a package', async () => {
    const registry = recordedRegistry({ '@playwright/cli': 'playwright__cli' });
    await checkSupplyChain([server('a', 'npx', ['-y', '@playwright/cli@0.1.1']), server('b', 'npx', ['-y', '@playwright/cli@0.1.22'])], { offline: false, now: NOW, ...registry });
    expect(registry.requested).toEqual(['@playwright/cli']);
  });

  it('marks the result unreachable when the registry cannot be reached, keeping offline findings', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const result = await checkSupplyChain([server('fs', 'npx', ['-y', '@modelcontextprotocol/server-filesystem'])], {
      offline: false,
      now: NOW,
      fetchPackument: async () => {
        throw refused;
      },
    });
    expect(result.unreachable).toBe(true);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['unpinned-package']);
    expect(result.notes.some((n) => n.startsWith('registry unreachable'))).toBe(true);
  });

  it('still reports an exact pin that differs from the lock when the registry cannot be reached, as --offline does', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const lock = { sources: { p: { ecosystem: 'npm' as const, name: 'pkg', version: '1.0.0' } } };
    const launches = [server('p', 'npx', ['-y', 'pkg@2.0.0'])];
    const unreachable = await checkSupplyChain(launches, {
      offline: false,
      now: NOW,
      lock,
      fetchPackument: async () => {
        throw refused;
      },
    });
    const offline = await checkSupplyChain(launches, { offline: true, lock });
    expect(unreachable.unreachable).toBe(true);
    expect(unreachable.findings.map((f) => f.ruleId)).toEqual(['package-version-drift']);
    expect(unreachable.findings.map((f) => f.message)).toEqual(offline.findings.map((f) => f.message));
  });

  it('names the locked and the resolved version when the launch drifts', async () => {
    const registry = recordedRegistry({ '@playwright/cli': 'playwright__cli' });
    const result = await checkSupplyChain([server('pw', 'npx', ['-y', '@playwright/cli@latest'])], {
      offline: false,
      now: NOW,
      lock: { sources: { pw: { ecosystem: 'npm', name: '@playwright/cli', version: '0.1.1' } } },
      ...registry,
    });
    const drift = result.findings.find((f) => f.ruleId === 'package-version-drift');
    expect(drift?.message).toBe('pw would run @playwright/cli@0.1.22, but mcp.lock pins @playwright/cli@0.1.1');
  });

  it('does not look PyPI or container packages up, and says so', async () => {
    const registry = recordedRegistry({});
    const result = await checkSupplyChain([server('py', 'uvx', ['mcp-server-time==0.6.2'])], { offline: false, now: NOW, ...registry });
    expect(registry.requested).toEqual([]);
    expect(result.resolved.py).toEqual({ ecosystem: 'pypi', name: 'mcp-server-time', version: '0.6.2', provenance: { status: 'unavailable' } });
    expect(result.notes.some((n) => n.startsWith('PyPI packages'))).toBe(true);
  });
});

describe('lock drift across packages', () => {
  it('reports a server whose launch now names another package than the locked one', async () => {
    const registry = recordedRegistry({ '@playwright/cli': 'playwright__cli' });
    const result = await checkSupplyChain([server('pw', 'npx', ['-y', '@playwright/cli@0.1.1'])], {
      offline: false,
      now: NOW,
      lock: { sources: { pw: { ecosystem: 'pypi', name: 'playwright-cli', version: '0.1.1' } } },
      ...registry,
    });
    expect(result.findings.map((f) => f.ruleId)).toContain('package-version-drift');
  });
});

describe('evidence never carries the server arguments', () => {
  it('cuts the command line after the package and hides container options', async () => {
    const canary = 'canary-9f3a7c1e-secret';
    const result = await checkSupplyChain(
      [
        server('npx', 'npx', ['-y', 'pkg', '--api-key', canary]),
        server('docker', 'docker', ['run', '-i', '-e', `API=${canary}`, 'mcp/x:latest', '--flag', canary]),
      ],
      { offline: true },
    );
    expect(result.findings).toHaveLength(2);
    for (const finding of result.findings) expect(JSON.stringify(finding)).not.toContain(canary);
    expect(result.findings.find((f) => f.location.server === 'npx')?.evidence).toBe('npx -y pkg …');
    expect(result.findings.find((f) => f.location.server === 'docker')?.evidence).toBe('docker run … mcp/x:latest …');
  });
});

describe('PyPI launches', () => {
  it('checks the name as written against PyPI and reports it as written', async () => {
    const result = await checkSupplyChain([server('fetch', 'uvx', ['mcp_sever_fetch==1.0.0'])], { offline: true });
    const squat = result.findings.find((f) => f.ruleId === 'package-typosquat');
    expect(squat?.message).toBe('fetch launches "mcp_sever_fetch", which looks like "mcp-server-fetch", a known MCP package (edit distance)');
    expect(squat?.location.package).toBe('mcp_sever_fetch');
  });
});

describe('offline means offline', () => {
  it('never asks the registry', async () => {
    let asked = 0;
    const result = await checkSupplyChain([server('fs', 'npx', ['-y', '@modelcontextprotocol/server-filesystem@2026.8.31'])], {
      offline: true,
      fetchPackument: async () => {
        asked++;
        throw new Error('network used while offline');
      },
      fetchAttestations: async () => {
        asked++;
        throw new Error('network used while offline');
      },
    });
    expect(asked).toBe(0);
    expect(result.unreachable).toBe(false);
    expect(result.resolved.fs).toEqual({ ecosystem: 'npm', name: '@modelcontextprotocol/server-filesystem', version: '2026.8.31', provenance: { status: 'unavailable' } });
  });
});
