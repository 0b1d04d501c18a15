// The definition analyser: every text surface of every snapshot through the phrase rules (normalised
// text) and the code checks (raw text), weak signals combined per entity, then ignores applied. Pure and
// synchronous; rules are loaded and compiled once per process.

import { fileURLToPath } from 'node:url';
import { compareFindings, createFinding } from '../findings/finding.js';
import type { RuleMeta } from '../findings/finding.js';
import { escapeForDisplay, excerpt } from '../findings/escape.js';
import { SEVERITIES } from '../model.js';
import type { Finding, ServerSnapshot, Severity } from '../model.js';
import { ALL_CHECKS } from './checks/index.js';
import type { CheckContext, DefinitionCheck, DefinitionRuleMeta, PhraseScan, RuleHit } from './define-check.js';
import { applyIgnores } from './ignores.js';
import type { IgnoreEntry } from './ignores.js';
import { normalizedOf, normalizeText, withSharedNormalization } from './normalize.js';
import { KeywordIndex, LiteralIndex, loadPatternRules, matchPatterns } from './pattern-rule.js';
import type { PatternMatch, PatternRule } from './pattern-rule.js';
import { describeEntity, entitiesOf, locationOf } from './surfaces.js';
import type { EntityView, SurfaceKind, TextSurface } from './surfaces.js';

export interface AnalyzeOptions {
  ignores?: IgnoreEntry[];
  now?: Date;
}

export interface AnalyzeResult {
  findings: Finding[];
  unusedIgnores: IgnoreEntry[];
  expiredIgnores: IgnoreEntry[];
}

/** Where the shipped rule files live: `<package>/rules`, from both src/rules and dist/rules. */
export const RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

interface RuleSet {
  patternRules: PatternRule[];
  keywordIndex: KeywordIndex;
  literalIndex: LiteralIndex;
  /** Surface kinds any phrase rule reads; names, parameter names and URIs are left to the code checks. */
  phraseSurfaces: ReadonlySet<SurfaceKind>;
  checks: DefinitionCheck[];
  metaById: Map<string, DefinitionRuleMeta>;
  messageById: Map<string, string>;
}

let cached: RuleSet | undefined;

function ruleSet(): RuleSet {
  if (cached) return cached;
  const patternRules = loadPatternRules(RULES_DIR);
  const metaById = new Map<string, DefinitionRuleMeta>();
  const messageById = new Map<string, string>();
  for (const { meta, message } of [...patternRules, ...ALL_CHECKS]) {
    if (metaById.has(meta.id)) throw new Error(`duplicate rule id "${meta.id}"`);
    metaById.set(meta.id, meta);
    messageById.set(meta.id, message);
  }
  cached = {
    patternRules,
    keywordIndex: new KeywordIndex(patternRules),
    literalIndex: new LiteralIndex(patternRules),
    phraseSurfaces: new Set(patternRules.flatMap((rule) => [...rule.appliesTo])),
    checks: ALL_CHECKS,
    metaById,
    messageById,
  };
  return cached;
}

/** The loaded phrase rules (for the examples table test and docs). */
export function patternRules(): readonly PatternRule[] {
  return ruleSet().patternRules;
}

export function definitionChecks(): readonly DefinitionCheck[] {
  return ruleSet().checks;
}

/** Metadata of every rule this engine can emit, sorted by id (for SARIF rule tables and docs tests). */
export function definitionRuleMetas(): RuleMeta[] {
  return [...ruleSet().metaById.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(({ id, category, title, severity, confidence, description, tip }) => {
      const meta: RuleMeta = { id, category, title, severity, confidence, description };
      if (tip !== undefined) meta.tip = tip;
      return meta;
    });
}

const MAX_MATCH_DISPLAY = 120;

interface PhraseMatch {
  rule: PatternRule;
  found: PatternMatch;
}

/** Every phrase rule that applies to `kind` and matches the normalised text (one match per rule). */
function phraseMatches(rules: RuleSet, kind: SurfaceKind, normalized: string): PhraseMatch[] {
  const matches: PhraseMatch[] = [];
  // A regex match implies its required literals, so a string where no pattern's literals occur has no match
  // whatever the keyword index says: most strings stop here, after one pass.
  const literals = rules.literalIndex.scan(normalized);
  if (!literals.anyMayMatch(kind)) return matches;
  for (const rule of rules.keywordIndex.candidates(normalized)) {
    if (!rule.appliesTo.has(kind)) continue;
    const found = matchPatterns(rule, normalized, literals);
    if (found) matches.push({ rule, found });
  }
  return matches;
}

// Security tools describe the attacks they catch: `Flags phrases such as "ignore previous instructions"`.
// A quoted match right after such a cue is a mention, not an instruction: still reported, but only as low.
const MENTION_CUE = /\b(?:detects?|detecting|flags?|flagging|blocks?|blocking|scans? for|catches|such as|e\.g\.|for example|like|phrases?|patterns?|attacks?|injections?|examples?)\b[^.;]{0,40}$/;
const QUOTES = new Set(['"', "'", '\u201c', '\u2018']);

function isQuotedMention(normalized: string, index: number): boolean {
  const before = normalized.slice(Math.max(0, index - 3), index).trimEnd();
  if (!QUOTES.has(before.at(-1) ?? '')) return false;
  return MENTION_CUE.test(normalized.slice(Math.max(0, index - 60), index - 1).trimEnd().replace(/[:"'\s]{1,4}$/, ''));
}

function phraseEvidence(normalized: string, found: PatternMatch): string {
  return excerpt(normalized, found.index, found.index + found.text.length);
}

function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
}

function renderMessage(template: string, args: Record<string, string>): string {
  return template.replace(/\{\{(\w{1,40})\}\}/g, (_, name: string) => {
    const value = args[name] ?? '';
    const shown = value.length > MAX_MATCH_DISPLAY ? `${value.slice(0, MAX_MATCH_DISPLAY)}…` : value;
    return escapeForDisplay(shown);
  });
}

function entityKey(entity: EntityView): string {
  return `${entity.server}\u0000${entity.kind}\u0000${entity.name}`;
}

function collectHits(snapshots: readonly ServerSnapshot[], rules: RuleSet): RuleHit[] {
  const entities = snapshots.flatMap(entitiesOf);
  const toolServers = new Map<string, Set<string>>();
  for (const entity of entities) {
    if (entity.kind !== 'tool' || !entity.name) continue;
    const servers = toolServers.get(entity.name) ?? new Set<string>();
    servers.add(entity.server);
    toolServers.set(entity.name, servers);
  }

  const hits: RuleHit[] = [];
  // Real servers repeat strings a lot ("Project ID or URL-encoded path" on a hundred GitLab tools): scan each
  // distinct text once per surface kind.
  // Keyed by kind, then by the text itself: a joined key would copy and rehash every string.
  const seenByKind = new Map<SurfaceKind, Map<string, PhraseMatch[]>>();
  for (const entity of entities) {
    for (const surface of entity.surfaces) {
      if (!rules.phraseSurfaces.has(surface.kind)) continue;
      const normalized = normalizedOf(surface);
      let seen = seenByKind.get(surface.kind);
      if (seen === undefined) seenByKind.set(surface.kind, (seen = new Map()));
      let matches = seen.get(normalized);
      if (matches === undefined) {
        matches = phraseMatches(rules, surface.kind, normalized);
        seen.set(normalized, matches);
      }
      for (const { rule, found } of matches) {
        const mention = isQuotedMention(normalized, found.index);
        hits.push({
          ruleId: rule.meta.id,
          entity,
          field: surface.field,
          args: { match: found.text },
          evidence: phraseEvidence(normalized, found),
          discriminator: '',
          severity: mention ? 'low' : found.severity,
          confidence: mention ? 'low' : found.confidence,
          ...(mention ? { quotedMention: true } : {}),
        });
      }
    }
  }
  const context: CheckContext = {
    snapshots,
    entities,
    toolServers,
    scanPhrases(text: string, surface: TextSurface): PhraseScan[] {
      const normalized = normalizeText(text);
      // Decoded payloads are prose whatever field they were hidden in.
      const kind: SurfaceKind = surface.kind === 'name' || surface.kind === 'parameter-name' || surface.kind === 'uri' ? 'description' : surface.kind;
      return phraseMatches(rules, kind, normalized).map(({ rule, found }) => ({
        ruleId: rule.meta.id,
        severity: found.severity,
        match: found.text,
        evidence: phraseEvidence(normalized, found),
      }));
    },
  };
  for (const check of rules.checks) hits.push(...check.run(context));
  return hits;
}

/** Raise soft signals that co-occur with another rule's hit on the same entity. */
function combineSignals(hits: RuleHit[], rules: RuleSet): void {
  const rulesByEntity = new Map<string, Set<string>>();
  for (const hit of hits) {
    if (hit.quotedMention) continue;
    const key = entityKey(hit.entity);
    const ids = rulesByEntity.get(key) ?? new Set<string>();
    ids.add(hit.ruleId);
    rulesByEntity.set(key, ids);
  }
  for (const hit of hits) {
    const meta = rules.metaById.get(hit.ruleId)!;
    if (!meta.combinedSeverity || hit.quotedMention) continue;
    const others = [...(rulesByEntity.get(entityKey(hit.entity)) ?? [])].filter((id) => id !== hit.ruleId);
    if (others.length === 0) continue;
    hit.severity = maxSeverity(hit.severity ?? meta.severity, meta.combinedSeverity);
    hit.args['combinedWith'] = others.join(', ');
  }
}

function toFinding(hit: RuleHit, rules: RuleSet): Finding {
  const meta = rules.metaById.get(hit.ruleId)!;
  const args: Record<string, string> = { ...hit.args, entity: describeEntity(hit.entity), field: hit.field };
  let message = renderMessage(rules.messageById.get(hit.ruleId)!, args);
  if (args['combinedWith']) message += ` (raised: same definition also trips ${args['combinedWith']})`;
  const input: Parameters<typeof createFinding>[1] = {
    location: locationOf(hit.entity, hit.field),
    message,
    evidence: hit.evidence,
    discriminator: hit.discriminator,
  };
  if (hit.severity) input.severity = hit.severity;
  if (hit.confidence) input.confidence = hit.confidence;
  return createFinding(meta, input);
}

export function analyzeSnapshots(snapshots: ServerSnapshot[], options: AnalyzeOptions = {}): AnalyzeResult {
  const rules = ruleSet();
  const hits = withSharedNormalization(() => collectHits(snapshots, rules));
  combineSignals(hits, rules);
  // Two hits of one rule on one field with the same discriminator are one problem, reported once.
  const byFingerprint = new Map<string, Finding>();
  for (const hit of hits) {
    const finding = toFinding(hit, rules);
    const seen = byFingerprint.get(finding.fingerprint);
    if (!seen || SEVERITIES.indexOf(finding.severity) > SEVERITIES.indexOf(seen.severity)) byFingerprint.set(finding.fingerprint, finding);
  }
  const findings = [...byFingerprint.values()];
  const knownRuleIds = new Set(rules.metaById.keys());
  const result = applyIgnores(findings, options.ignores ?? [], options.now ?? new Date(), knownRuleIds);
  result.findings.sort(compareFindings);
  return result;
}
