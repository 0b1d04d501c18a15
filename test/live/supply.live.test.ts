// Live tier: talks to the real npm registry (opt-in: MCP_GUARD_LIVE=1, `npm run test:live`). Default
// tests replay fixtures/registry/ instead. Assertions hold for the public registry and for a stripped
// mirror alike: a check the registry cannot support must come back "unavailable", never as passed.
import { describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../src/model.js';
import { checkSupplyChain } from '../../src/supply/check.js';
import { fetchPackumentFromRegistry } from '../../src/supply/registry.js';

const LIVE = process.env.MCP_GUARD_LIVE === '1';

function server(name: string, args: string[]): ServerEntry {
  return { name, transport: 'stdio', command: 'npx', args, sources: [] };
}

describe.runIf(LIVE)('supply chain against the live registry', () => {
  it('resolves a pinned reference server with its integrity and no integrity failures', async () => {
    const result = await checkSupplyChain([server('fs', ['-y', '@modelcontextprotocol/server-filesystem@2026.8.31', '/tmp'])], { offline: false });
    expect(result.unreachable).toBe(false);
    const source = result.resolved.fs;
    expect(source?.version).toBe('2026.8.31');
    expect(source?.integrity).toMatch(/^sha512-[A-Za-z0-9+/]+=*$/);
    expect(['verified', 'missing', 'unavailable']).toContain(source?.provenance?.status);
    const ids = result.findings.map((f) => f.ruleId);
    expect(ids).not.toContain('registry-signature-invalid');
    expect(ids).not.toContain('provenance-invalid');
    expect(ids).not.toContain('package-not-found');
    const signaturesChecked = !result.notes.some((n) => n.startsWith('registry signatures unavailable'));
    const packument = await fetchPackumentFromRegistry('@modelcontextprotocol/server-filesystem');
    const dist = (packument.versions as Record<string, { dist: { signatures?: unknown[] } }>)['2026.8.31']?.dist;
    // Signatures were verified exactly when the registry served some.
    expect(signaturesChecked).toBe(Array.isArray(dist?.signatures) && dist.signatures.length > 0);
  });

  it('resolves an unpinned launch to a real version and shows it in the tip', async () => {
    const result = await checkSupplyChain([server('mem', ['-y', '@modelcontextprotocol/server-memory'])], { offline: false });
    const version = result.resolved.mem?.version;
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    const unpinned = result.findings.find((f) => f.ruleId === 'unpinned-package');
    expect(unpinned?.tip).toContain(`@modelcontextprotocol/server-memory@${version}`);
  });

  it('reports a name nobody has published', async () => {
    const name = `mcp-guard-live-missing-${Date.now().toString(36)}`;
    const result = await checkSupplyChain([server('gone', ['-y', `${name}@1.0.0`])], { offline: false });
    expect(result.unreachable).toBe(false);
    expect(result.findings.map((f) => f.ruleId)).toContain('package-not-found');
  });
});
