// Phrase rules are data: rules/<category>/<id>.yaml. Each carries a cheap keyword prefilter, a short list of
// bounded regular expressions run on normalised text, and its own examples (house style: gitleaks,
// semgrep-rules). Unbounded quantifiers are refused at load time: the text is attacker-controlled, and a
// `.*` spanning a whole description is what makes peer scanners both slow and noisy.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { yaml } from '../io/yaml.js';
import { GuardError } from '../errors.js';
import { CONFIDENCES, SEVERITIES } from '../model.js';
import type { Confidence, FindingCategory, Severity } from '../model.js';
import type { DefinitionRuleMeta } from './define-check.js';
import { LiteralAutomaton } from './literal-automaton.js';
import { mayMatch, requiredLiterals } from './required-literals.js';
import type { RequiredLiterals } from './required-literals.js';
import type { SurfaceKind } from './surfaces.js';

export interface CompiledPattern {
  regex: RegExp;
  /** Literals every match contains (derived from the source); the regex runs only where they occur. */
  required?: RequiredLiterals;
  severity?: Severity;
  confidence?: Confidence;
}

export interface PatternRule {
  meta: DefinitionRuleMeta;
  message: string;
  appliesTo: ReadonlySet<SurfaceKind>;
  keywords: string[];
  /** The keywords as one alternation: one scan per string instead of one per keyword. */
  keywordPattern: RegExp;
  patterns: CompiledPattern[];
  examples: { match: string[]; noMatch: string[] };
  file: string;
}

/** Categories whose rule files this engine owns; other folders under rules/ hold other checks' data. */
export const DEFINITION_RULE_CATEGORIES = ['poisoning', 'exfiltration', 'hidden-text', 'shadowing', 'annotation'] as const;

const DEFAULT_SURFACES: SurfaceKind[] = ['title', 'description', 'schema-value', 'instructions'];
const ALL_SURFACES: SurfaceKind[] = ['name', 'parameter-name', 'title', 'description', 'schema-value', 'uri', 'instructions'];
const TOP_KEYS = new Set([
  'id', 'category', 'severity', 'confidence', 'combined-severity', 'title', 'description', 'message', 'tip',
  'references', 'applies-to', 'keywords', 'patterns', 'examples',
]);
const PLACEHOLDERS = new Set(['entity', 'field', 'match']);

/** Throws unless every quantifier in `source` has an upper bound (`{m,n}` or `?`). */
export function assertBoundedPattern(source: string): void {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '*' || ch === '+') throw new Error(`unbounded quantifier "${ch}" at ${i}; use {0,N} / {1,N}`);
    else if (ch === '{' && /^\{\d+,\}/.test(source.slice(i))) throw new Error(`open-ended quantifier at ${i}`);
  }
}

function fail(file: string, message: string, line?: number): never {
  throw new GuardError('rule-invalid', `${file}: ${message}`, { location: line === undefined ? { file } : { file, line } });
}

function stringList(value: unknown, file: string, key: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(file, `"${key}" must be a list of strings`);
  return value as string[];
}

function requireString(doc: Record<string, unknown>, key: string, file: string): string {
  const value = doc[key];
  if (typeof value !== 'string' || value.trim() === '') fail(file, `"${key}" is required and must be a string`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], file: string, key: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) fail(file, `"${key}" must be one of ${allowed.join(', ')}`);
  return value as T;
}

export function parsePatternRule(text: string, file: string, expectedId: string, expectedCategory: string): PatternRule {
  const lineCounter = new yaml.LineCounter();
  const document = yaml.parseDocument(text, { lineCounter, uniqueKeys: true });
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    fail(file, error.message, lineCounter.linePos(error.pos[0]).line);
  }
  const doc = document.toJS() as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) fail(file, 'a rule file must be a mapping');
  for (const key of Object.keys(doc)) if (!TOP_KEYS.has(key)) fail(file, `unknown key "${key}"`);

  const id = requireString(doc, 'id', file);
  if (id !== expectedId) fail(file, `id "${id}" must equal the file name "${expectedId}"`);
  const category = requireString(doc, 'category', file);
  if (category !== expectedCategory) fail(file, `category "${category}" must equal the folder "${expectedCategory}"`);
  const message = requireString(doc, 'message', file);
  for (const [, name] of message.matchAll(/\{\{(\w{1,40})\}\}/g)) {
    if (!PLACEHOLDERS.has(name!)) fail(file, `unknown placeholder {{${name}}} in message`);
  }
  const meta: DefinitionRuleMeta = {
    id,
    category: category as FindingCategory,
    title: requireString(doc, 'title', file),
    severity: oneOf(doc['severity'], SEVERITIES, file, 'severity'),
    confidence: oneOf(doc['confidence'], CONFIDENCES, file, 'confidence'),
    description: requireString(doc, 'description', file).trim(),
    tip: requireString(doc, 'tip', file).trim(),
    references: stringList(doc['references'], file, 'references'),
  };
  if (doc['combined-severity'] !== undefined) meta.combinedSeverity = oneOf(doc['combined-severity'], SEVERITIES, file, 'combined-severity');

  const appliesToList = stringList(doc['applies-to'], file, 'applies-to');
  for (const kind of appliesToList) if (!(ALL_SURFACES as string[]).includes(kind)) fail(file, `unknown surface "${kind}" in applies-to`);
  const keywords = stringList(doc['keywords'], file, 'keywords');
  if (keywords.length === 0) fail(file, '"keywords" (the prefilter) must list at least one keyword');
  if (keywords.some((k) => k !== k.toLowerCase())) fail(file, 'keywords must be lower case (they run on normalised text)');

  const rawPatterns = doc['patterns'];
  const patternNodes = document.get('patterns', true);
  const patternLine = (index: number): number | undefined => {
    const node = yaml.isSeq(patternNodes) ? (patternNodes.items[index] as { range?: [number, number, number] } | undefined) : undefined;
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
  if (!Array.isArray(rawPatterns) || rawPatterns.length === 0) fail(file, '"patterns" must be a non-empty list');
  const patterns: CompiledPattern[] = rawPatterns.map((entry: unknown, index: number) => {
    const spec = typeof entry === 'string' ? { regex: entry } : (entry as Record<string, unknown>);
    if (!spec || typeof spec !== 'object' || typeof spec['regex'] !== 'string') fail(file, `patterns[${index}] needs a "regex" string`);
    for (const key of Object.keys(spec)) if (!['regex', 'severity', 'confidence'].includes(key)) fail(file, `patterns[${index}]: unknown key "${key}"`);
    const source = spec['regex'] as string;
    try {
      assertBoundedPattern(source);
      const compiled: CompiledPattern = { regex: new RegExp(source, 'u') };
      const required = requiredLiterals(source);
      if (required) compiled.required = required;
      if (spec['severity'] !== undefined) compiled.severity = oneOf(spec['severity'], SEVERITIES, file, `patterns[${index}].severity`);
      if (spec['confidence'] !== undefined) compiled.confidence = oneOf(spec['confidence'], CONFIDENCES, file, `patterns[${index}].confidence`);
      return compiled;
    } catch (error) {
      if (error instanceof GuardError) throw error;
      return fail(file, `patterns[${index}]: ${(error as Error).message}`, patternLine(index));
    }
  });

  const examples = doc['examples'] as Record<string, unknown> | undefined;
  if (!examples || typeof examples !== 'object') fail(file, '"examples" with "match" and "no-match" lists is required');
  for (const key of Object.keys(examples)) if (key !== 'match' && key !== 'no-match') fail(file, `examples: unknown key "${key}"`);
  const match = stringList(examples['match'], file, 'examples.match');
  const noMatch = stringList(examples['no-match'], file, 'examples.no-match');
  if (match.length === 0 || noMatch.length === 0) fail(file, 'examples need at least one "match" and one "no-match"');

  return {
    meta,
    message,
    appliesTo: new Set(appliesToList.length > 0 ? (appliesToList as SurfaceKind[]) : DEFAULT_SURFACES),
    keywords,
    keywordPattern: new RegExp(keywords.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'u'),
    patterns,
    examples: { match, noMatch },
    file,
  };
}

/** Reads every rule file of the definition categories under `rulesDir`, sorted by id for stable output. */
export function loadPatternRules(rulesDir: string): PatternRule[] {
  const rules: PatternRule[] = [];
  for (const category of DEFINITION_RULE_CATEGORIES) {
    let names: string[];
    try {
      names = readdirSync(join(rulesDir, category));
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (!name.endsWith('.yaml')) continue;
      const file = join(rulesDir, category, name);
      rules.push(parsePatternRule(readFileSync(file, 'utf8'), file, name.slice(0, -'.yaml'.length), category));
    }
  }
  return rules.sort((a, b) => a.meta.id.localeCompare(b.meta.id));
}

export interface PatternMatch {
  index: number;
  text: string;
  severity: Severity;
  confidence: Confidence;
}

/**
 * The strongest match of a rule in normalised text, or undefined. One per rule and field: a second
 * phrasing of the same problem in the same string adds noise, not information.
 */
export function matchPatternRule(rule: PatternRule, normalized: string): PatternMatch | undefined {
  if (!rule.keywordPattern.test(normalized)) return undefined;
  return matchPatterns(rule, normalized);
}

/**
 * matchPatternRule() without the keyword prefilter, for callers that ran KeywordIndex.candidates() already.
 * `literals` (from LiteralIndex.scan() of the same text) answers the per-pattern required-literal test in
 * one pass; without it each pattern searches for its own literals.
 */
export function matchPatterns(rule: PatternRule, normalized: string, literals?: LiteralScan): PatternMatch | undefined {
  let best: PatternMatch | undefined;
  for (const pattern of rule.patterns) {
    if (pattern.required && !(literals ? literals.mayMatch(pattern) : mayMatch(pattern.required, normalized))) continue;
    const found = pattern.regex.exec(normalized);
    if (!found) continue;
    const severity = pattern.severity ?? rule.meta.severity;
    if (!best || SEVERITIES.indexOf(severity) > SEVERITIES.indexOf(best.severity)) {
      best = { index: found.index, text: found[0], severity, confidence: pattern.confidence ?? rule.meta.confidence };
    }
  }
  return best;
}

/** Which patterns' required literals one text contains. Valid until the next scan of the same index. */
export interface LiteralScan {
  mayMatch(pattern: CompiledPattern): boolean;
  /** Whether any pattern of any rule that reads `kind` may match. */
  anyMayMatch(kind: SurfaceKind): boolean;
}

const ALL_KINDS: readonly SurfaceKind[] = ALL_SURFACES;

/**
 * The required literals of every pattern of every rule, searched for together in one pass per text. Each
 * literal found ticks off the pattern sets it belongs to, so the work per text follows the literals it
 * contains, not the number of patterns.
 */
export class LiteralIndex {
  private readonly automaton: LiteralAutomaton;
  private readonly patternIndex = new Map<CompiledPattern, number>();
  /** Per pattern: how many literal sets it needs (0: no filter, always runs). */
  private readonly setCount: Uint8Array;
  /** Per pattern: the surface kinds (bit per ALL_KINDS index) its rule reads. */
  private readonly kindBits: Uint8Array;
  /** Per literal: the (pattern << 3 | set) slots it satisfies. */
  private readonly slotsByLiteral: Int32Array[];
  /** Kinds read by a pattern without a filter: those always have to run. */
  private readonly unfilteredKinds: number;
  // Scan state, stamped with the scan number instead of cleared.
  private generation = 0;
  private readonly slotStamp: Uint32Array;
  private readonly patternStamp: Uint32Array;
  private readonly missing: Uint8Array;
  private passingKinds = 0;

  constructor(rules: readonly PatternRule[]) {
    const ids = new Map<string, number>();
    const slots: number[][] = [];
    const setCounts: number[] = [];
    const kindBits: number[] = [];
    let unfiltered = 0;
    for (const rule of rules) {
      let bits = 0;
      for (const kind of rule.appliesTo) bits |= 1 << ALL_KINDS.indexOf(kind);
      for (const pattern of rule.patterns) {
        const index = setCounts.length;
        this.patternIndex.set(pattern, index);
        const sets = pattern.required?.sets ?? [];
        if (sets.length > 8) throw new Error('at most 8 literal sets per pattern');
        setCounts.push(sets.length);
        kindBits.push(bits);
        if (sets.length === 0) unfiltered |= bits;
        sets.forEach((set, setIndex) => {
          for (const literal of set) {
            let id = ids.get(literal);
            if (id === undefined) {
              ids.set(literal, (id = ids.size));
              slots.push([]);
            }
            slots[id]!.push((index << 3) | setIndex);
          }
        });
      }
    }
    this.automaton = new LiteralAutomaton([...ids.keys()]);
    this.setCount = Uint8Array.from(setCounts);
    this.kindBits = Uint8Array.from(kindBits);
    this.slotsByLiteral = slots.map((list) => Int32Array.from(list));
    this.unfilteredKinds = unfiltered;
    this.slotStamp = new Uint32Array(setCounts.length << 3);
    this.patternStamp = new Uint32Array(setCounts.length);
    this.missing = new Uint8Array(setCounts.length);
  }

  scan(normalized: string): LiteralScan {
    if (this.generation === 0xffffffff) {
      this.slotStamp.fill(0);
      this.patternStamp.fill(0);
      this.generation = 0;
    }
    const generation = ++this.generation;
    const { automaton, slotsByLiteral, slotStamp, patternStamp, missing, setCount, kindBits } = this;
    const count = automaton.scan(normalized);
    let passing = this.unfilteredKinds;
    for (let i = 0; i < count; i++) {
      const slots = slotsByLiteral[automaton.foundIds[i]!]!;
      for (let k = 0; k < slots.length; k++) {
        const slot = slots[k]!;
        if (slotStamp[slot] === generation) continue;
        slotStamp[slot] = generation;
        const pattern = slot >> 3;
        if (patternStamp[pattern] !== generation) {
          patternStamp[pattern] = generation;
          missing[pattern] = setCount[pattern]!;
        }
        if (--missing[pattern]! === 0) passing |= kindBits[pattern]!;
      }
    }
    this.passingKinds = passing;
    const check = (): void => {
      if (this.generation !== generation) throw new Error('LiteralScan used after a later scan');
    };
    return {
      mayMatch: (pattern) => {
        check();
        const index = this.patternIndex.get(pattern);
        if (index === undefined) return pattern.required === undefined || mayMatch(pattern.required, normalized);
        return setCount[index] === 0 || (patternStamp[index] === generation && missing[index] === 0);
      },
      anyMayMatch: (kind) => {
        check();
        return (this.passingKinds & (1 << ALL_KINDS.indexOf(kind))) !== 0;
      },
    };
  }
}

/**
 * The keyword prefilters of all rules as ONE alternation, so a string is scanned once instead of once per
 * rule. Matches cannot overlap, so a keyword found also stands for every keyword it contains.
 */
export class KeywordIndex {
  private readonly pattern: RegExp;
  private readonly rulesByKeyword = new Map<string, number[]>();

  constructor(private readonly rules: readonly PatternRule[]) {
    const keywords = [...new Set(rules.flatMap((rule) => rule.keywords))].sort((a, b) => b.length - a.length || a.localeCompare(b));
    for (const keyword of keywords) {
      const indices: number[] = [];
      rules.forEach((rule, index) => {
        if (rule.keywords.some((own) => keyword.includes(own))) indices.push(index);
      });
      this.rulesByKeyword.set(keyword, indices);
    }
    this.pattern = new RegExp(keywords.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  }

  /** Rules whose prefilter passes on `normalized`, in rule order. */
  candidates(normalized: string): PatternRule[] {
    const hit = new Uint8Array(this.rules.length);
    let remaining = this.rules.length;
    this.pattern.lastIndex = 0;
    for (let found = this.pattern.exec(normalized); found && remaining > 0; found = this.pattern.exec(normalized)) {
      for (const index of this.rulesByKeyword.get(found[0]) ?? []) {
        if (hit[index] === 0) {
          hit[index] = 1;
          remaining--;
        }
      }
    }
    return this.rules.filter((_, index) => hit[index] === 1);
  }
}
