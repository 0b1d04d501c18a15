// Precision and recall on the development corpus (test/corpus). The benign half is real servers' wire
// definitions; analysing them must produce nothing a human would need to look at (medium+). The poisoned
// half must be caught, except the measured misses listed below, kept to show honestly what rules miss.
import { describe, expect, it } from 'vitest';
import { isAtLeast } from '../../src/findings/finding.js';
import { analyzeSnapshots } from '../../src/rules/engine.js';
import { benignServers, poisonedCases, snapshotsOfCase } from './corpus.js';

const benign = benignServers();

describe('benign corpus', () => {
  it('is a real, sizeable set', () => {
    expect(benign.length).toBeGreaterThanOrEqual(15);
    expect(benign.reduce((n, s) => n + s.snapshot.tools.length, 0)).toBeGreaterThanOrEqual(300);
  });

  it('produces no medium+ finding with every server analysed together (cross-server checks included)', () => {
    const findings = analyzeSnapshots(benign.map((s) => s.snapshot)).findings.filter((f) => isAtLeast(f.severity, 'medium'));
    expect(findings.map((f) => `${f.ruleId} ${f.location.server}/${f.location.tool ?? ''} ${f.location.field ?? ''}`)).toEqual([]);
  });

  it('produces no finding at all on the official reference servers', () => {
    const official = benign.filter((s) => s.package.startsWith('@modelcontextprotocol/'));
    expect(official.length).toBeGreaterThanOrEqual(4);
    for (const server of official) expect(analyzeSnapshots([server.snapshot]).findings).toEqual([]);
  });
});

describe('poisoned corpus', () => {
  const cases = poisonedCases();
  const detected = (id: string): boolean => {
    const poisoned = cases.find((c) => c.id === id)!;
    return analyzeSnapshots(snapshotsOfCase(poisoned)).findings.some(
      (f) => f.location.server === poisoned.attacker && isAtLeast(f.severity, 'medium'),
    );
  };

  // Measured misses (see RESULTS.md). A case leaves this list when a rule change catches it.
  // holdout-4 is kept untuned on purpose: it measures recall on wording the rules were not fitted to.
  const KNOWN_MISSES = new Set([
    'h3-clone-slack',
    'h4-priority',
    'h4-cc-finance',
    'h4-token-in-url',
    'h4-confirm-skip',
    'h4-schema-title',
    'h4-summary-leak',
    'h4-polite-override',
    'h4-exfil-dns',
    'h4-priv-esc',
  ]);

  it.each(cases.filter((c) => !KNOWN_MISSES.has(c.id)).map((c) => [c.class, c.id]))('catches %s case %s at medium+', (_, id) => {
    expect(detected(id)).toBe(true);
  });

  it('lists only real cases as known misses', () => {
    for (const id of KNOWN_MISSES) expect(cases.some((c) => c.id === id)).toBe(true);
  });

  it('keeps overall recall at or above 90 %', () => {
    const caught = cases.filter((c) => detected(c.id)).length;
    expect(caught / cases.length).toBeGreaterThanOrEqual(0.9);
  });

  it('never blames the benign companion servers of a shadowing case', () => {
    for (const poisoned of cases) {
      const blamed = analyzeSnapshots(snapshotsOfCase(poisoned)).findings.filter(
        (f) => f.location.server !== poisoned.attacker && isAtLeast(f.severity, 'medium'),
      );
      expect(blamed.map((f) => `${poisoned.id}: ${f.ruleId} on ${f.location.server}`)).toEqual([]);
    }
  });
});
