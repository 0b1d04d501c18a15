import { Chalk, type ChalkInstance } from 'chalk';
import { diffWordsWithSpace } from 'diff';
import { escapeForDisplay } from '../findings/escape.js';
import type { DriftItem, DriftReason, JsonValue } from '../model.js';

// What a reviewer reads before running `mcp-guard lock --server NAME`: per changed entity, the text
// as a word diff and every schema or annotation change as `path: before → after`. Every string from a
// server passes through escapeForDisplay, so bidi, zero-width, tag and ANSI characters show as
// `\u{…}` and never act on the terminal.

export interface RenderOptions {
  color: boolean;
}

export const DRIFT_JSON_VERSION = 1;

/**
 * Beyond this many edits, or this much text, the word diff gives up and both texts are shown whole:
 * the diff costs O(length × edits), and a server controls both.
 */
const MAX_EDIT_LENGTH = 400;
const MAX_DIFF_CHARS = 200_000;
/** Unchanged runs longer than this are shortened to their ends. */
const CONTEXT = 60;
const STRUCTURE_MAX = 240;

export interface WordDiffPart {
  op: 'equal' | 'added' | 'removed';
  text: string;
}

/** Word diff of two texts; undefined when they are too different to diff cheaply. */
export function wordDiff(before: string, after: string): WordDiffPart[] | undefined {
  if (before.length + after.length > MAX_DIFF_CHARS) return undefined;
  const changes = diffWordsWithSpace(before, after, { maxEditLength: MAX_EDIT_LENGTH });
  if (!changes) return undefined;
  return changes.map((c) => ({ op: c.added ? 'added' : c.removed ? 'removed' : 'equal', text: c.value }));
}

function textPair(r: DriftReason): { before: string; after: string } | undefined {
  if (r.kind !== 'text-changed') return undefined;
  const before = r.before === undefined ? '' : r.before;
  const after = r.after === undefined ? '' : r.after;
  return typeof before === 'string' && typeof after === 'string' ? { before, after } : undefined;
}

export function renderDriftHuman(items: readonly DriftItem[], options: RenderOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  if (items.length === 0) return `${c.green('No drift:')} every listed definition matches the lock.\n`;
  const blocking = items.filter((i) => i.severity === 'blocking').length;
  const lines: string[] = [
    `${c.bold('Drift against the lock:')} ${c.red(`${blocking} blocking`)}, ${items.length - blocking} informational`,
  ];
  for (const entry of items) {
    lines.push('');
    lines.push(headline(entry, c));
    for (const r of entry.reasons) lines.push(...renderReason(r, c));
  }
  if (blocking > 0) {
    lines.push('');
    lines.push(c.dim('Review the changes above; accept them with `mcp-guard lock --server NAME`.'));
  }
  return `${lines.join('\n')}\n`;
}

function headline(entry: DriftItem, c: ChalkInstance): string {
  const label = entry.severity === 'blocking' ? c.red.bold('BLOCKING') : c.yellow('info    ');
  const server = c.bold(show(entry.server));
  const what =
    entry.entity === 'server'
      ? `server ${entry.change}`
      : entry.entity === 'instructions'
        ? `instructions ${entry.change}`
        : `${entity(entry.entity)} ${c.bold(`"${show(entry.name)}"`)} ${entry.change}`;
  const previous = entry.previousName !== undefined ? ` (was "${show(entry.previousName)}")` : '';
  return `${label}  ${server} › ${what}${previous}`;
}

function entity(kind: DriftItem['entity']): string {
  return kind === 'resourceTemplate' ? 'resource template' : kind;
}

function show(text: string): string {
  return escapeForDisplay(text);
}

function renderReason(r: DriftReason, c: ChalkInstance): string[] {
  const mark = r.blocking ? c.red('✖') : c.dim('·');
  const field = r.field ? `${show(r.field)}: ` : '';
  const lines = [`  ${mark} ${field}${show(r.detail)} ${c.dim(`[${r.kind}]`)}`];
  const text = textPair(r);
  if (text) {
    lines.push(...indent(renderWordDiff(text.before, text.after, c), '      '));
  } else if (isStructural(r.before) || isStructural(r.after)) {
    lines.push(`      ${c.dim('before:')} ${structure(r.before)}`);
    lines.push(`      ${c.dim('after: ')} ${structure(r.after)}`);
  }
  return lines;
}

function isStructural(value: JsonValue | undefined): boolean {
  return value !== null && typeof value === 'object';
}

function structure(value: JsonValue | undefined): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return show(text.length > STRUCTURE_MAX ? `${text.slice(0, STRUCTURE_MAX - 1)}…` : text);
}

function renderWordDiff(before: string, after: string, c: ChalkInstance): string {
  const parts = wordDiff(before, after);
  const safe = (text: string): string => escapeForDisplay(text, { keepNewlines: true });
  if (!parts) {
    return `${c.red(`[-${safe(before)}-]`)}\n${c.green(`{+${safe(after)}+}`)}`;
  }
  return parts
    .map((part, index) => {
      if (part.op === 'added') return c.green(`{+${safe(part.text)}+}`);
      if (part.op === 'removed') return c.red(`[-${safe(part.text)}-]`);
      return safe(shorten(part.text, index === 0, index === parts.length - 1));
    })
    .join('');
}

/** Keep the ends of a long unchanged run: the words next to a change are what a reviewer needs. */
function shorten(text: string, isFirst: boolean, isLast: boolean): string {
  if (text.length <= 2 * CONTEXT + 20) return text;
  const head = isFirst ? '' : text.slice(0, CONTEXT);
  const tail = isLast ? '' : text.slice(-CONTEXT);
  return `${head}${isFirst ? '…' : ' … '}${tail}`.replace(/^ … $/, '…');
}

function indent(text: string, prefix: string): string[] {
  return text.split('\n').map((line) => prefix + line);
}

/** The `mcp-guard diff --format json` payload: versioned, raw values kept, text changes as word diffs. */
export function driftToJson(items: readonly DriftItem[]): JsonValue {
  const blocking = items.filter((i) => i.severity === 'blocking').length;
  return {
    version: DRIFT_JSON_VERSION,
    summary: { blocking, informational: items.length - blocking },
    items: items.map((entry) => {
      const out: Record<string, JsonValue> = {
        server: entry.server,
        entity: entry.entity,
        name: entry.name,
        change: entry.change,
        severity: entry.severity,
        reasons: entry.reasons.map(reasonToJson),
      };
      if (entry.previousName !== undefined) out.previousName = entry.previousName;
      return out;
    }),
  };
}

function reasonToJson(r: DriftReason): JsonValue {
  const out: Record<string, JsonValue> = { field: r.field, kind: r.kind, blocking: r.blocking, detail: r.detail };
  if (r.before !== undefined) out.before = r.before;
  if (r.after !== undefined) out.after = r.after;
  const text = textPair(r);
  const parts = text ? wordDiff(text.before, text.after) : undefined;
  if (parts) out.wordDiff = parts.map((p) => ({ op: p.op, text: p.text }));
  return out;
}
