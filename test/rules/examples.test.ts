// The one table test: every rule, YAML or code, must match its `match` examples and stay silent on its
// `no-match` examples, run through the real engine (prefilter, normalisation and all).
import { describe, expect, it } from 'vitest';
import { analyzeSnapshots, definitionChecks, patternRules } from '../../src/rules/engine.js';
import { snapshotsOf, toolWithDescription } from './snapshots.js';

function ruleIdsFor(snapshots: Parameters<typeof analyzeSnapshots>[0]): string[] {
  return analyzeSnapshots(snapshots).findings.map((finding) => finding.ruleId);
}

describe('phrase rule examples', () => {
  for (const rule of patternRules()) {
    describe(rule.meta.id, () => {
      it.each(rule.examples.match)('matches %j', (text) => {
        expect(ruleIdsFor([toolWithDescription(text)])).toContain(rule.meta.id);
      });
      it.each(rule.examples.noMatch)('does not match %j', (text) => {
        expect(ruleIdsFor([toolWithDescription(text)])).not.toContain(rule.meta.id);
      });
    });
  }
});

describe('code check examples', () => {
  for (const check of definitionChecks()) {
    describe(check.meta.id, () => {
      it.each(check.examples.match.map((example, i) => [i, example] as const))('matches example %i', (_, example) => {
        expect(ruleIdsFor(snapshotsOf(example))).toContain(check.meta.id);
      });
      it.each(check.examples.noMatch.map((example, i) => [i, example] as const))('does not match example %i', (_, example) => {
        expect(ruleIdsFor(snapshotsOf(example))).not.toContain(check.meta.id);
      });
    });
  }
});
