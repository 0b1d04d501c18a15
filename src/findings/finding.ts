import { createHash } from 'node:crypto';
import type { Confidence, Finding, FindingCategory, FindingLocation, Severity } from '../model.js';
import { SEVERITIES } from '../model.js';
import { redact } from './redact.js';

export const DOCS_BASE_URL = 'https://github.com/mcp-guard/mcp-guard/blob/main/docs/rules/';

/** Everything a report needs to know about a rule, declared once (house style: zizmor, arethetypeswrong). */
export interface RuleMeta {
  /** kebab-case, permanent: used in ignores, SARIF rule ids and docs URLs. */
  id: string;
  category: FindingCategory;
  title: string;
  severity: Severity;
  confidence: Confidence;
  /** One or two sentences: what the rule detects and why it matters. */
  description: string;
  tip?: string;
}

export function docsUrlFor(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

export interface FindingInput {
  location: FindingLocation;
  message: string;
  severity?: Severity;
  confidence?: Confidence;
  evidence?: string;
  tip?: string;
  /**
   * What makes this finding distinct within its location (e.g. the matched phrase, the package name).
   * Part of the fingerprint so two different problems in one field do not collapse into one.
   */
  discriminator?: string;
}

/** Build a finding; refuses incomplete ones so reporters never meet half-filled data. */
export function createFinding(rule: RuleMeta, input: FindingInput): Finding {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(rule.id)) throw new Error(`invalid rule id "${rule.id}"`);
  if (!input.location.server && input.location.server !== '') throw new Error(`finding for ${rule.id} lacks a server`);
  if (!input.message.trim()) throw new Error(`finding for ${rule.id} lacks a message`);
  // A package location can be a URL spec (git+https://TOKEN@host/…): redact it like the prose.
  const location = input.location.package === undefined ? input.location : { ...input.location, package: redact(input.location.package) };
  const finding: Finding = {
    ruleId: rule.id,
    category: rule.category,
    severity: input.severity ?? rule.severity,
    confidence: input.confidence ?? rule.confidence,
    message: redact(input.message),
    location,
    fingerprint: fingerprintOf(rule.id, location, input.discriminator ?? ''),
    docsUrl: docsUrlFor(rule.id),
  };
  if (input.evidence !== undefined) finding.evidence = redact(input.evidence);
  const tip = input.tip ?? rule.tip;
  if (tip !== undefined) finding.tip = redact(tip);
  return finding;
}

/**
 * Stable across runs, machines and message wording: rule id, where, and what, but never line numbers,
 * timestamps or file paths that differ between checkouts.
 */
export function fingerprintOf(ruleId: string, location: FindingLocation, discriminator: string): string {
  const parts = [
    ruleId,
    location.server,
    location.tool ?? '',
    location.prompt ?? '',
    location.resource ?? '',
    location.package ?? '',
    location.field ?? '',
    discriminator,
  ];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

/** Sort most severe first, then by location, so output is deterministic. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    a.location.server.localeCompare(b.location.server) ||
    (a.location.tool ?? '').localeCompare(b.location.tool ?? '') ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}
