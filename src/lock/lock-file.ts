import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { ParseError } from 'jsonc-parser';
import { GuardError, lineColumnAt } from '../errors.js';
import { isInvisibleOrControl, isPrivateUse } from '../findings/escape.js';
import type { EntityKind, JsonObject, JsonValue, PackageSource, ServerEntry, ServerSnapshot } from '../model.js';
import { entityDigests, entityKey, entityKeyField, sha256Digest, type EntityDigests } from './digest.js';
import { lockedIdentity, type LockedIdentity } from './identity.js';
import { MAX_JSON_DEPTH, jsonDepthExceeds } from './json-equal.js';
import { validateLock, type LockIssue, type ValidateLockOptions } from './lock-validate.js';

export type { LockedIdentity } from './identity.js';

export const LOCKFILE_VERSION = 1;
export const LOCK_SCHEMA_URL = 'https://raw.githubusercontent.com/mcp-guard/mcp-guard/main/mcp-lock.schema.json';

export interface LockedEntity {
  /** The full wire object as received, so reviewers read the real text in a diff. */
  definition: JsonObject;
  digests: EntityDigests;
}

export interface LockedInstructions {
  text: string;
  /** sha256 over the canonical JSON of the text (a JSON string). */
  digest: string;
}

export type EntityCollection = 'tools' | 'prompts' | 'resources' | 'resourceTemplates';

export const ENTITY_COLLECTIONS: ReadonlyArray<readonly [EntityKind, EntityCollection]> = [
  ['tool', 'tools'],
  ['prompt', 'prompts'],
  ['resource', 'resources'],
  ['resourceTemplate', 'resourceTemplates'],
];

export interface LockedServer {
  identity: LockedIdentity;
  source?: PackageSource;
  protocolVersion: string;
  serverInfo: JsonObject;
  serverCapabilities?: JsonObject;
  /** Tool sets depend on what the client declared (facts.md), so the lock records it. */
  clientCapabilities: JsonObject;
  instructions?: LockedInstructions;
  /** Keyed by tool name. */
  tools: Record<string, LockedEntity>;
  /** Keyed by prompt name. */
  prompts: Record<string, LockedEntity>;
  /** Keyed by URI. */
  resources: Record<string, LockedEntity>;
  /** Keyed by URI template. */
  resourceTemplates: Record<string, LockedEntity>;
}

export interface LockFile {
  $schema: string;
  lockfileVersion: typeof LOCKFILE_VERSION;
  servers: Record<string, LockedServer>;
}

/**
 * Entity and server names come from servers and configs; a tool called `__proto__` must become an
 * own key, not a prototype swap, so records are filled with defineProperty.
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Own-property lookup: `tools['constructor']` must not find Object.prototype.constructor. */
export function getOwn<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function lockEntity(kind: EntityKind, definition: JsonObject): LockedEntity {
  return { definition, digests: entityDigests(kind, definition) };
}

export function instructionsDigest(text: string): string {
  return sha256Digest(text);
}

export function lockServer(entry: ServerEntry, snapshot: ServerSnapshot, source?: PackageSource): LockedServer {
  const locked: LockedServer = {
    identity: lockedIdentity(entry),
    protocolVersion: snapshot.protocolVersion,
    serverInfo: snapshot.serverInfo,
    serverCapabilities: snapshot.serverCapabilities,
    clientCapabilities: snapshot.clientCapabilities,
    tools: lockCollection(snapshot.server, 'tool', snapshot.tools),
    prompts: lockCollection(snapshot.server, 'prompt', snapshot.prompts),
    resources: lockCollection(snapshot.server, 'resource', snapshot.resources),
    resourceTemplates: lockCollection(snapshot.server, 'resourceTemplate', snapshot.resourceTemplates),
  };
  if (source) locked.source = source;
  if (snapshot.instructions !== undefined) {
    locked.instructions = { text: snapshot.instructions, digest: instructionsDigest(snapshot.instructions) };
  }
  return locked;
}

function lockCollection(server: string, kind: EntityKind, entities: JsonObject[]): Record<string, LockedEntity> {
  const record: Record<string, LockedEntity> = {};
  for (const entity of entities) {
    const key = entityKey(kind, entity);
    // Pinning an ambiguous listing would let either twin pass later checks; refuse instead.
    if (key === undefined) {
      throw new GuardError('could-not-complete', `server "${server}" listed a ${kind} without a ${entityKeyField(kind)}; refusing to lock it`);
    }
    if (Object.hasOwn(record, key)) {
      throw new GuardError('could-not-complete', `server "${server}" listed two ${kind}s named ${JSON.stringify(key)}; refusing to lock an ambiguous listing`);
    }
    if (jsonDepthExceeds(entity)) {
      throw new GuardError('could-not-complete', `server "${server}" listed ${kind} ${JSON.stringify(key)} nested deeper than ${MAX_JSON_DEPTH} levels; refusing to lock it`);
    }
    setOwn(record, key, lockEntity(kind, entity));
  }
  return record;
}

/**
 * Without `only`, the lock becomes exactly `servers` (servers gone from the configs leave it).
 * With `only`, those servers are replaced and every other entry is kept as it was read, so its bytes
 * do not move.
 */
export function updateLock(existing: LockFile | undefined, servers: Record<string, LockedServer>, only?: readonly string[]): LockFile {
  const schemaUrl = existing?.$schema ?? LOCK_SCHEMA_URL;
  if (only === undefined) {
    const all: Record<string, LockedServer> = {};
    for (const name of Object.keys(servers)) setOwn(all, name, servers[name]!);
    return { $schema: schemaUrl, lockfileVersion: LOCKFILE_VERSION, servers: all };
  }
  const merged: Record<string, LockedServer> = {};
  for (const name of Object.keys(existing?.servers ?? {})) setOwn(merged, name, existing!.servers[name]!);
  for (const name of only) {
    const replacement = getOwn(servers, name);
    if (replacement === undefined) {
      throw new GuardError('server-unknown', `no listing for server "${name}" to lock`, {
        hint: 'check the name against the configured servers (mcp-guard scan lists them)',
      });
    }
    setOwn(merged, name, replacement);
  }
  return { $schema: schemaUrl, lockfileVersion: LOCKFILE_VERSION, servers: merged };
}

/**
 * Two-space indent, keys sorted by UTF-16 code units at every level, trailing newline. JSON.stringify
 * cannot do this: it puts integer-like keys ("10", "9") first in numeric order whatever the insertion
 * order. Invisible and bidi characters are written as `\u` escapes so a pull request shows them; the
 * parsed strings (and so the digests) are unchanged.
 */
export function serializeLock(lock: LockFile): string {
  return `${serializeValue(lock as unknown as JsonValue, '')}\n`;
}

export function serializeValue(value: JsonValue, indent: string): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('non-finite number in lock');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return jsonStringVisible(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + serializeValue(item, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(value).sort();
  const members: string[] = [];
  for (const key of keys) {
    const member = value[key];
    if (member === undefined) continue;
    members.push(`${inner}${jsonStringVisible(key)}: ${serializeValue(member, inner)}`);
  }
  if (members.length === 0) return '{}';
  return `{\n${members.join(',\n')}\n${indent}}`;
}

const SHORT_ESCAPES: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' };

function jsonStringVisible(text: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit < 0x7f && unit !== 0x22 && unit !== 0x5c) continue;
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const isSurrogate = unit >= 0xd800 && unit <= 0xdfff && width === 1;
    const escape =
      SHORT_ESCAPES[cp] ??
      (cp < 0x20 || isSurrogate || cp === 0x2028 || cp === 0x2029 || isInvisibleOrControl(cp) || isPrivateUse(cp)
        ? unicodeEscape(text.slice(i, i + width))
        : undefined);
    if (escape !== undefined) {
      out += text.slice(start, i) + escape;
      start = i + width;
    }
    i += width - 1;
  }
  return `${out}${text.slice(start)}"`;
}

function unicodeEscape(chars: string): string {
  let out = '';
  for (let j = 0; j < chars.length; j++) out += `\\u${chars.charCodeAt(j).toString(16).padStart(4, '0')}`;
  return out;
}

// ── Reading and writing ─────────────────────────────────────────────────────

/** Issues listed in one error message; the rest are counted. */
const MAX_LISTED_ISSUES = 20;

/** The lock at `path`, or undefined when there is none. Anything invalid is an error, never skipped. */
export async function readLock(path: string, options: ValidateLockOptions = {}): Promise<LockFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GuardError('lock-unreadable', `cannot read lock file: ${(error as Error).message}`, {
      location: { file: path },
      cause: error,
    });
  }
  return parseLock(text, path, options);
}

/** Parse and validate lock text; `file` is only used to point at problems. */
export function parseLock(text: string, file: string, options: ValidateLockOptions = {}): LockFile {
  // Editors on Windows like to add a BOM; it carries no meaning.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw syntaxError(body, file, error);
  }
  const issues = validateLock(value, body, options);
  if (issues.length > 0) throw invalidLockError(issues, file);
  return value as LockFile;
}

function syntaxError(text: string, file: string, cause: unknown): GuardError {
  // Loaded only on this path: importing jsonc-parser is a measurable part of proxy start-up.
  const { parse: parseLenient, printParseErrorCode } = createRequire(import.meta.url)('jsonc-parser') as typeof import('jsonc-parser');
  const errors: ParseError[] = [];
  parseLenient(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  const offset = first?.offset ?? 0;
  const what = first ? printParseErrorCode(first.error) : 'invalid JSON';
  return new GuardError('lock-invalid', `lock file is not valid JSON: ${what}`, {
    location: { file, ...lineColumnAt(text, offset) },
    hint: 'regenerate it with `mcp-guard lock` or fix the JSON by hand',
    cause,
  });
}

export function invalidLockError(issues: LockIssue[], file: string): GuardError {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => {
    const where = issue.line !== undefined ? `${issue.line}:${issue.column} ` : '';
    return `  ${where}${issue.pointer || '/'}: ${issue.message}`;
  });
  if (issues.length > MAX_LISTED_ISSUES) listed.push(`  … and ${issues.length - MAX_LISTED_ISSUES} more`);
  const first = issues[0]!;
  const location = first.line !== undefined ? { file, line: first.line, column: first.column! } : { file };
  return new GuardError('lock-invalid', `lock file is invalid (mcp-lock.schema.json and digest checks):\n${listed.join('\n')}`, {
    location,
    hint: 'a lock is never repaired silently: fix it, or regenerate it with `mcp-guard lock` after review',
  });
}

/**
 * Validate, then write through a temp file in the same directory, fsync and rename, so a reader sees
 * the old lock or the new one and never half of either.
 */
export async function writeLockAtomic(path: string, lock: LockFile): Promise<void> {
  const issues = validateLock(lock);
  if (issues.length > 0) throw invalidLockError(issues, path);
  const text = serializeLock(lock);
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new GuardError('could-not-complete', `cannot write lock file: ${(error as Error).message}`, {
      location: { file: path },
      cause: error,
    });
  }
  await syncDirectory(dir);
}

/** Makes the rename itself durable; not possible on every platform, and harmless to skip there. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open a directory for fsync.
  }
}
