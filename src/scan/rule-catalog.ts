import type { RuleMeta } from '../findings/finding.js';
import { definitionRuleMetas } from '../rules/engine.js';
import { supplyRuleMetas } from '../supply/check.js';
import { PIPELINE_RULES } from './builtin-rules.js';

/** Every rule any part of a scan can emit, by id: for SARIF metadata, docs checks and ignore validation. */
export function allRuleMetas(): Map<string, RuleMeta> {
  const rules = new Map<string, RuleMeta>();
  for (const rule of [...PIPELINE_RULES, ...definitionRuleMetas(), ...supplyRuleMetas()]) rules.set(rule.id, rule);
  return rules;
}
