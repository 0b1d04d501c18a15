import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PackageSource, ServerEntry } from '../../src/model.js';
import { checkSupplyChain, supplyRuleMetas } from '../../src/supply/check.js';
import { SUPPLY_RULES, type SupplyRule, type SupplyRuleExample } from '../../src/supply/rules.js';
import { recordedRegistry } from './recorded-registry.js';

const DOCS = fileURLToPath(new URL('../../docs/rules/', import.meta.url));
const DEFAULT_NOW = new Date('2026-11-01T00:00:00Z');

async function findingsFor(rule: SupplyRule, example: SupplyRuleExample): Promise<string[]> {
  const entry: ServerEntry = { name: 'example', transport: 'stdio', command: example.command, args: example.args, sources: [] };
  if (example.env) entry.env = example.env;
  const registry = recordedRegistry(example.registry ?? {});
  let lock: { sources: Record<string, PackageSource | undefined> } | undefined;
  if (example.locked) {
    const [spec, integrity] = example.locked.split('#');
    const at = spec!.lastIndexOf('@');
    const source: PackageSource = { ecosystem: 'npm', name: spec!.slice(0, at), version: spec!.slice(at + 1) };
    if (integrity) source.integrity = integrity;
    lock = { sources: { example: source } };
  }
  const result = await checkSupplyChain([entry], {
    offline: !rule.online,
    fetchPackument: registry.fetchPackument,
    fetchAttestations: registry.fetchAttestations,
    now: example.now ? new Date(example.now) : DEFAULT_NOW,
    ...(lock ? { lock } : {}),
  });
  expect(result.unreachable).toBe(false);
  return result.findings.map((f) => f.ruleId);
}

describe.each(SUPPLY_RULES.map((r) => [r.id, r] as const))('rule %s', (_id, rule) => {
  it.each(rule.examples.match.map((e) => [`${e.command} ${e.args.join(' ')}`, e] as const))('matches: %s', async (_label, example) => {
    expect(await findingsFor(rule, example)).toContain(rule.id);
  });
  it.each(rule.examples.noMatch.map((e) => [`${e.command} ${e.args.join(' ')}`, e] as const))('does not match: %s', async (_label, example) => {
    expect(await findingsFor(rule, example)).not.toContain(rule.id);
  });
  it('has a docs page that names it', () => {
    const page = `${DOCS}${rule.id}.md`;
    expect(existsSync(page)).toBe(true);
    expect(readFileSync(page, 'utf8')).toContain(`# ${rule.id}`);
  });
});

describe('supplyRuleMetas', () => {
  it('lists every rule once, as plain metadata', () => {
    const metas = supplyRuleMetas();
    expect(metas.map((m) => m.id).sort()).toEqual(SUPPLY_RULES.map((r) => r.id).sort());
    expect(new Set(metas.map((m) => m.id)).size).toBe(metas.length);
    for (const meta of metas) {
      expect(meta.category).toBe('supply-chain');
      expect(Object.keys(meta)).not.toContain('examples');
    }
  });
});
