import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import type { Node as JsonNode } from 'jsonc-parser';
import { lineColumnAt } from '../errors.js';
import type { EntityKind, JsonObject, JsonValue } from '../model.js';
import { entityDigests, entityKeyField, sha256Digest } from './digest.js';
import { MAX_JSON_DEPTH, jsonDepthExceeds } from './json-equal.js';
import type { LockFile } from './lock-file.js';
import { validateLockSchema } from './lock-schema-validator.generated.js';

// A lock is trusted by the proxy, so "valid" means more than the schema: every digest must be the
// digest of the definition next to it. Otherwise a pull request could show reviewers a harmless
// definition while carrying the digest of a different one.

export interface LockIssue {
  /** JSON pointer into the lock, e.g. `/servers/notes/tools/echo/digests/full`. */
  pointer: string;
  message: string;
  line?: number;
  column?: number;
}

/** Levels the lock adds above a definition's members: root, servers, server, collection, entry. */
const LOCK_NESTING = 5;

// The schema is compiled ahead of time (scripts/build-lock-validator.mjs, ajv standalone) instead of
// by ajv at every start: importing ajv (83 CommonJS modules) and compiling this schema cost well over
// the proxy's 60 ms start-up budget (design §7; bench/lock-read.bench.mjs), while the generated
// module is plain code with no dependency. It is ajv's own code generator with the same options, so
// the errors (hence messages and pointers) are those of the compiled schema; a test fails when the
// committed module drifts from the schema or from a freshly compiled validator. Rejected: a
// hand-written checker (a second statement of the schema that could silently disagree with it) and
// a cache of compiled code on disk (more state the proxy would have to trust, and still an ajv
// import on a miss).

type JsoncParser = typeof import('jsonc-parser');
let jsoncParser: JsoncParser | undefined;

/** Only a lock with a problem to point at needs a syntax tree, so a clean lock never loads the parser. */
function loadJsoncParser(): JsoncParser {
  jsoncParser ??= createRequire(import.meta.url)('jsonc-parser') as JsoncParser;
  return jsoncParser;
}

export interface ValidateLockOptions {
  /**
   * Recompute the entity digests of this server only. The proxy enforces one entry, and recomputing
   * every digest of a team's lock (hundreds of definitions) would sit before its first response; the
   * schema, the shape of every entry and duplicate keys are still checked for the whole file.
   */
  server?: string;
}

/**
 * Every issue in a parsed lock; `text`, the file's contents that `value` was parsed from, adds line
 * and column to each and is checked for duplicate keys.
 */
export function validateLock(value: unknown, text?: string, options: ValidateLockOptions = {}): LockIssue[] {
  // Before any recursive walk (schema validation, digests, the location parser): hostile nesting
  // would overflow the stack in each of them.
  if (jsonDepthExceeds(value as JsonValue, MAX_JSON_DEPTH + LOCK_NESTING)) {
    return [{ pointer: '', message: `nests deeper than ${MAX_JSON_DEPTH} levels inside a definition` }];
  }
  const issues: LockIssue[] = [];
  if (!validateLockSchema(value)) {
    for (const error of validateLockSchema.errors ?? []) issues.push(schemaIssue(error));
  } else {
    issues.push(...consistencyIssues(value as LockFile, options.server));
  }
  // Building the syntax tree costs more than every other check on a clean lock, so it is built only
  // when there is something to locate or a duplicate key is possible.
  if (text !== undefined && (issues.length > 0 || mayHoldDuplicateKeys(value, text))) {
    const root = loadJsoncParser().parseTree(text);
    if (root) {
      for (const issue of issues) locate(issue, root, text);
      issues.push(...duplicateKeyIssues(root, text));
    }
  }
  return dedupe(issues);
}

function schemaIssue(error: ErrorObject): LockIssue {
  let pointer = error.instancePath;
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    pointer = `${pointer}/${escapePointer(extra)}`;
    message = `unknown key ${JSON.stringify(extra)}`;
  } else if (error.keyword === 'enum') {
    message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (error.keyword === 'const') {
    message = `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
    if (pointer === '/lockfileVersion') message += ' (a lock from a newer mcp-guard? upgrade to read it)';
  }
  return { pointer, message };
}

// Type-only import of lock-file keeps this module free of a runtime cycle (lock-file validates
// through it), hence the local copy of the collection table.
const COLLECTIONS = [
  ['tool', 'tools'],
  ['prompt', 'prompts'],
  ['resource', 'resources'],
  ['resourceTemplate', 'resourceTemplates'],
] as const;

function consistencyIssues(lock: LockFile, only: string | undefined): LockIssue[] {
  const issues: LockIssue[] = [];
  for (const serverName of Object.keys(lock.servers)) {
    if (only !== undefined && serverName !== only) continue;
    const server = lock.servers[serverName]!;
    const base = `/servers/${escapePointer(serverName)}`;
    if (server.instructions && sha256Digest(server.instructions.text) !== server.instructions.digest) {
      issues.push({ pointer: `${base}/instructions/digest`, message: 'digest does not match the instructions text' });
    }
    for (const [kind, collection] of COLLECTIONS) {
      const entities = server[collection];
      for (const key of Object.keys(entities)) {
        const entity = entities[key]!;
        const at = `${base}/${collection}/${escapePointer(key)}`;
        issues.push(...entityIssues(kind, key, entity.definition, entity.digests, at));
      }
    }
  }
  return issues;
}

function entityIssues(kind: EntityKind, key: string, definition: JsonObject, digests: { full: string; semantic: string }, at: string): LockIssue[] {
  const issues: LockIssue[] = [];
  const keyField = entityKeyField(kind);
  if (definition[keyField] !== key) {
    issues.push({ pointer: `${at}/definition/${keyField}`, message: `must equal the entry's key ${JSON.stringify(key)}` });
  }
  const actual = entityDigests(kind, definition);
  if (actual.full !== digests.full) {
    issues.push({ pointer: `${at}/digests/full`, message: 'digest does not match the definition (edited by hand?)' });
  }
  if (actual.semantic !== digests.semantic) {
    issues.push({ pointer: `${at}/digests/semantic`, message: 'digest does not match the definition (edited by hand?)' });
  }
  return issues;
}

/**
 * JSON.parse keeps the last of two equal keys; a reviewer reading the file sees the first. A lock
 * must not say two things at once.
 */
function duplicateKeyIssues(root: JsonNode, text: string): LockIssue[] {
  const issues: LockIssue[] = [];
  const visit = (node: JsonNode, pointer: string): void => {
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode) continue;
        const key = String(keyNode.value);
        const childPointer = `${pointer}/${escapePointer(key)}`;
        if (seen.has(key)) {
          issues.push({ pointer: childPointer, message: `duplicate key ${JSON.stringify(key)}`, ...lineColumnAt(text, keyNode.offset) });
        }
        seen.add(key);
        if (valueNode) visit(valueNode, childPointer);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((child, index) => visit(child, `${pointer}/${index}`));
    }
  };
  visit(root, '');
  return issues;
}

/**
 * False only when `text` provably has no duplicate key: each key token in the text yields one own
 * property of `value` unless it repeats a key of the same object, so the counts are equal exactly
 * when nothing repeats. `text` must be the valid JSON `value` was parsed from.
 */
function mayHoldDuplicateKeys(value: unknown, text: string): boolean {
  return keyTokenCount(text) !== ownKeyCount(value);
}

/**
 * Strings followed by a colon. In valid JSON a `"` outside a string always opens one, so skipping
 * from string to string sees every key. A loop, not a regular expression: a backtracking match over
 * a string of a million escapes overflows the regex stack.
 */
function keyTokenCount(text: string): number {
  let count = 0;
  let at = text.indexOf('"');
  while (at !== -1) {
    let end = at + 1;
    for (let unit = text.charCodeAt(end); end < text.length && unit !== 0x22; unit = text.charCodeAt(end)) end += unit === 0x5c ? 2 : 1;
    let next = end + 1;
    while (next < text.length && isJsonWhitespace(text.charCodeAt(next))) next++;
    if (text.charCodeAt(next) === 0x3a) count++;
    at = text.indexOf('"', next);
  }
  return count;
}

function isJsonWhitespace(unit: number): boolean {
  return unit === 0x20 || unit === 0x0a || unit === 0x0d || unit === 0x09;
}

function ownKeyCount(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += ownKeyCount(item);
    return count;
  }
  for (const key of Object.keys(value)) count += 1 + ownKeyCount((value as Record<string, unknown>)[key]);
  return count;
}

function locate(issue: LockIssue, root: JsonNode, text: string): void {
  // Walk down as far as the pointer exists: a missing required key points at its parent object.
  let node = root;
  for (const segment of parsePointer(issue.pointer)) {
    const child = childNode(node, segment);
    if (!child) break;
    node = child;
  }
  // For an object member, point at its key rather than its value.
  const offset = node.parent?.type === 'property' && node.parent.children?.[0] ? node.parent.children[0].offset : node.offset;
  const { line, column } = lineColumnAt(text, offset);
  issue.line = line;
  issue.column = column;
}

function childNode(node: JsonNode, segment: string): JsonNode | undefined {
  if (node.type === 'array') {
    return /^(?:0|[1-9][0-9]*)$/.test(segment) ? node.children?.[Number(segment)] : undefined;
  }
  if (node.type !== 'object') return undefined;
  let found: JsonNode | undefined;
  // The last duplicate wins, as it does in JSON.parse.
  for (const property of node.children ?? []) {
    if (property.children?.[0]?.value === segment) found = property.children[1];
  }
  return found;
}

function dedupe(issues: LockIssue[]): LockIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.pointer}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}
