// `.mcp-guard.yaml` ignores: a finding is suppressed only with a written reason, optionally until a date;
// expired and unused entries are handed back so they cannot rot silently (house style: osv-scanner).

import { readFile } from 'node:fs/promises';
import type { Node } from 'yaml';
import { yaml } from '../io/yaml.js';
import { GuardError } from '../errors.js';
import type { Finding } from '../model.js';

export interface IgnoreEntry {
  rule: string;
  server?: string;
  tool?: string;
  reason: string;
  /** YYYY-MM-DD; the entry stops applying at the end of that day (UTC). */
  expires?: string;
  source: { file: string; line?: number };
}

const ENTRY_KEYS = new Set(['rule', 'server', 'tool', 'reason', 'expires']);
const TOP_LEVEL_KEYS = new Set(['ignore']);

function isValidDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Parse the text of an ignore file; `file` is used for error locations only. */
export function parseIgnoreFile(text: string, file: string): IgnoreEntry[] {
  const lineCounter = new yaml.LineCounter();
  const document = yaml.parseDocument(text, { lineCounter, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  const invalid = (message: string, line?: number): never => {
    throw new GuardError('config-invalid', `${file}: ${message}`, { location: line === undefined ? { file } : { file, line } });
  };
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    invalid(error.message, lineCounter.linePos(error.pos[0]).line);
  }
  const root = document.contents;
  if (root === null || root === undefined) return [];
  if (!yaml.isMap(root)) return invalid('expected a mapping with an "ignore:" list', lineOf(root));
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
    if (!TOP_LEVEL_KEYS.has(key)) invalid(`unknown key "${key}"`, lineOf(pair.key as Node));
  }
  const list = root.get('ignore', true) as Node | undefined;
  if (list === undefined || list === null) return [];
  if (!yaml.isSeq(list)) return invalid('"ignore" must be a list', lineOf(list));

  return list.items.map((item) => {
    const line = lineOf(item as Node);
    if (!yaml.isMap(item)) return invalid('each ignore entry must be a mapping', line);
    const values: Record<string, string> = {};
    for (const pair of item.items) {
      const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
      const keyLine = lineOf(pair.key as Node) ?? line;
      if (!ENTRY_KEYS.has(key)) invalid(`unknown key "${key}" in ignore entry`, keyLine);
      const value = (pair.value as { value?: unknown } | null)?.value;
      // YAML reads an unquoted 2026-01-31 as a string here (core schema), but be explicit about other scalars.
      if (typeof value !== 'string' || value.trim() === '') invalid(`"${key}" must be a non-empty string`, keyLine);
      values[key] = (value as string).trim();
    }
    if (!values['rule']) invalid('ignore entry lacks "rule"', line);
    if (!values['reason']) invalid(`ignore entry for "${values['rule']}" lacks a "reason"`, line);
    if (values['expires'] !== undefined && !isValidDate(values['expires'])) {
      invalid(`"expires" must be a date YYYY-MM-DD, got "${values['expires']}"`, line);
    }
    const entry: IgnoreEntry = { rule: values['rule']!, reason: values['reason']!, source: line === undefined ? { file } : { file, line } };
    if (values['server'] !== undefined) entry.server = values['server'];
    if (values['tool'] !== undefined) entry.tool = values['tool'];
    if (values['expires'] !== undefined) entry.expires = values['expires'];
    return entry;
  });
}

export async function loadIgnoreFile(path: string): Promise<IgnoreEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new GuardError('config-unreadable', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file: path },
      cause: error,
    });
  }
  return parseIgnoreFile(text, path);
}

export function isExpired(entry: IgnoreEntry, now: Date): boolean {
  if (entry.expires === undefined) return false;
  return now.getTime() >= new Date(`${entry.expires}T00:00:00Z`).getTime() + 24 * 60 * 60 * 1000;
}

function matches(entry: IgnoreEntry, finding: Finding): boolean {
  if (entry.rule !== finding.ruleId) return false;
  if (entry.server !== undefined && entry.server !== finding.location.server) return false;
  if (entry.tool !== undefined) {
    const subject = finding.location.tool ?? finding.location.prompt ?? finding.location.resource;
    if (entry.tool !== subject) return false;
  }
  return true;
}

export interface IgnoreOutcome {
  findings: Finding[];
  unusedIgnores: IgnoreEntry[];
  expiredIgnores: IgnoreEntry[];
}

/**
 * Drop findings covered by a live ignore. Entries for rules outside `knownRuleIds` belong to other checks
 * (supply chain, drift) and are neither applied nor reported as unused here.
 */
export function applyIgnores(findings: Finding[], ignores: IgnoreEntry[], now: Date, knownRuleIds: ReadonlySet<string>): IgnoreOutcome {
  const relevant = ignores.filter((entry) => knownRuleIds.has(entry.rule));
  const expiredIgnores = relevant.filter((entry) => isExpired(entry, now));
  const live = relevant.filter((entry) => !isExpired(entry, now));
  const used = new Set<IgnoreEntry>();
  const kept = findings.filter((finding) => {
    const entry = live.find((candidate) => matches(candidate, finding));
    if (!entry) return true;
    used.add(entry);
    return false;
  });
  return { findings: kept, unusedIgnores: live.filter((entry) => !used.has(entry)), expiredIgnores };
}
