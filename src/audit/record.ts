// One audit record per gate decision (design §4). A record is written as its own RFC 8785 canonical
// JSON on one line. `mac` is HMAC-SHA256 with the local key over the record without `mac`; `prev` is
// the SHA-256 of the previous record's canonical line, so an edited, deleted or reordered record
// breaks the chain, and nobody without the key can rebuild it.

import { hash } from 'node:crypto';
import { redact, redactRepeated } from '../findings/redact.js';
import type { JsonObject, JsonValue } from '../model.js';
import { HmacSha256 } from './hmac.js';

export const AUDIT_RECORD_VERSION = 1;
export const GENESIS_HASH = `sha256:${'0'.repeat(64)}`;

export type AuditDecision = 'allow' | 'deny' | 'approve' | 'log';

/** What the gate tells the audit log about one decision. */
export interface AuditEntry {
  server: string;
  tool: string;
  decision: AuditDecision;
  /** What decided: a policy source (`rule`, `preset`, `default`, `rate-limit`, `error`) or a gate stage (`lock`, `approval`, …). */
  source?: string;
  reason?: string;
  /** The policy rule that decided, when one did. */
  rule?: { file?: string; index?: number; line?: number };
  /** The locked digest of the tool the call was checked against. */
  lockDigest?: string;
  /** The JSON-RPC method, when it is not `tools/call`. */
  method?: string;
  /** The call's arguments: hashed and reduced to their shape; values only with includeValues. */
  arguments?: unknown;
  /** For a call that needed approval: how it was asked (`elicitation`, `out-of-band`) and the outcome. */
  approval?: { via: string; outcome: string };
}

export interface AuditRecord extends JsonObject {
  v: number;
  seq: number;
  time: string;
  pid: number;
  server: string;
  tool: string;
  decision: AuditDecision;
  args: JsonObject;
  prev: string;
  mac: string;
}

export interface RecordOptions {
  key: Buffer;
  includeValues: boolean;
}

/** The record's content before it is placed in the chain (no seq, prev or mac yet). */
export type PendingRecord = Omit<AuditRecord, 'seq' | 'prev' | 'mac'>;

export function buildPendingRecord(entry: AuditEntry, time: Date, options: RecordOptions): PendingRecord {
  const record: PendingRecord = {
    v: AUDIT_RECORD_VERSION,
    time: isoTime(time),
    pid: process.pid,
    server: safeText(entry.server),
    tool: safeText(entry.tool),
    decision: entry.decision,
    args: describeArguments(entry.arguments, options),
  };
  if (entry.method !== undefined) record['method'] = safeText(entry.method);
  if (entry.source !== undefined) record['source'] = safeText(entry.source);
  if (entry.reason !== undefined) record['reason'] = safeText(entry.reason);
  if (entry.lockDigest !== undefined) record['lockDigest'] = safeText(entry.lockDigest);
  if (entry.approval) record['approval'] = { via: safeText(entry.approval.via), outcome: safeText(entry.approval.outcome) };
  if (entry.rule) {
    const rule: JsonObject = {};
    if (entry.rule.file !== undefined) rule['file'] = safeText(entry.rule.file);
    if (entry.rule.index !== undefined) rule['index'] = entry.rule.index;
    if (entry.rule.line !== undefined) rule['line'] = entry.rule.line;
    record['rule'] = rule;
  }
  return record;
}

/**
 * Date#toISOString, which costs about as much as hashing a short record. Records written close
 * together share their second: its text (`…T06:30:12.`) is kept, and only the milliseconds are written.
 */
let isoSecond = Number.NaN;
let isoSecondText = '';
function isoTime(time: Date): string {
  const ms = time.getTime();
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    // toISOString throws for an invalid date (NaN never equals the kept second, so it always comes here).
    const text = time.toISOString();
    isoSecond = second;
    isoSecondText = text.slice(0, text.length - 4);
  }
  const milliseconds = ms - second * 1000;
  madeTime = `${isoSecondText}${milliseconds < 10 ? '00' : milliseconds < 100 ? '0' : ''}${milliseconds}Z`;
  return madeTime;
}

/**
 * The members a sealed record can have, in RFC 8785 order (UTF-16 code units), with `mac` among them:
 * the order is fixed, so sealing places each member by a lookup instead of copying and sorting.
 */
const SEALED_MEMBERS = ['approval', 'args', 'decision', 'lockDigest', 'mac', 'method', 'pid', 'prev', 'reason', 'rule', 'seq', 'server', 'source', 'time', 'tool', 'v'] as const;
const MAC_SLOT = SEALED_MEMBERS.indexOf('mac');
const SEQ_SLOT = SEALED_MEMBERS.indexOf('seq');
const PREV_SLOT = SEALED_MEMBERS.indexOf('prev');
const TIME_SLOT = SEALED_MEMBERS.indexOf('time');
const ARGS_SLOT = SEALED_MEMBERS.indexOf('args');
/** Slots of the members a pending record may carry: not mac, seq or prev, which sealing adds. */
const PENDING_SLOTS = new Map<string, number>(
  SEALED_MEMBERS.map((name, slot) => [name, slot] as [string, number]).filter(([, slot]) => slot !== MAC_SLOT && slot !== SEQ_SLOT && slot !== PREV_SLOT),
);
const MEMBER_PREFIXES = SEALED_MEMBERS.map((name) => `${JSON.stringify(name)}:`);

/** Places a pending record in the chain: the line to append and the hash the next record chains to. */
export function sealRecord(pending: PendingRecord, seq: number, prev: string, key: Buffer): { line: string; hash: string } {
  // Each member is serialised once into its slot; the MAC input ({…} without mac) and the line
  // ({…} with mac) are then joined from the same pieces.
  const members: (string | undefined)[] = new Array<string | undefined>(SEALED_MEMBERS.length);
  for (const name of Object.keys(pending)) {
    const slot = PENDING_SLOTS.get(name);
    if (slot === undefined) return sealAnyRecord(pending, seq, prev, key);
    const value = pending[name]!;
    members[slot] = MEMBER_PREFIXES[slot]! + memberJson(slot, value);
  }
  members[SEQ_SLOT] = MEMBER_PREFIXES[SEQ_SLOT]! + canonicalJson(seq);
  members[PREV_SLOT] = MEMBER_PREFIXES[PREV_SLOT]! + canonicalJson(prev);
  let before = '';
  for (let slot = 0; slot < MAC_SLOT; slot++) {
    const member = members[slot];
    if (member !== undefined) before = before ? `${before},${member}` : member;
  }
  let after = '';
  for (let slot = MAC_SLOT + 1; slot < members.length; slot++) {
    const member = members[slot];
    if (member !== undefined) after = after ? `${after},${member}` : member;
  }
  return sealedLine(before, after, key);
}

/**
 * canonicalJson of a pending record's member. The objects buildPendingRecord makes for a record
 * (rule, approval, the arguments' hash and shape) are small, and written here without first being
 * measured for JSON.stringify; only what the arguments' shape and values hold may be large.
 */
function memberJson(slot: number, value: JsonValue): string {
  // The time differs from record to record: not one for quotedText to remember.
  if (typeof value === 'string') return slot === TIME_SLOT ? stringJson(value) : quotedText(value);
  if (slot === ARGS_SLOT) return argumentsJson(value);
  return sortedJson(value);
}

/**
 * canonicalJson of `args` as describeArguments builds it, {hash, shape} or {hash, shape, values}:
 * the hash, a text made here, is quoted without a scan, and the shape and values are measured
 * for JSON.stringify on their own. Any other args goes to canonicalJson whole.
 */
function argumentsJson(args: JsonValue): string {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return canonicalJson(args);
  const names = Object.keys(args);
  if (names.length > 3 || names[0] !== 'hash' || names[1] !== 'shape' || (names.length === 3 && names[2] !== 'values')) return canonicalJson(args);
  const head = `{"hash":${canonicalJson(args['hash']!)},"shape":${canonicalJson(args['shape']!)}`;
  return names.length === 3 ? `${head},"values":${canonicalJson(args['values']!)}}` : `${head}}`;
}

/** sealRecord for a record with members this module does not write (a caller's own PendingRecord). */
function sealAnyRecord(pending: PendingRecord, seq: number, prev: string, key: Buffer): { line: string; hash: string } {
  const unsigned: JsonObject = { ...pending, seq, prev };
  let before = '';
  let after = '';
  for (const name of Object.keys(unsigned).sort()) {
    if (name === 'mac') throw new Error('a pending audit record cannot carry its own mac');
    const member = `${quotedText(name)}:${canonicalJson(unsigned[name]!)}`;
    if (name < 'mac') before = before ? `${before},${member}` : member;
    else after = after ? `${after},${member}` : member;
  }
  return sealedLine(before, after, key);
}

/** The line for the members sorted before `mac` and those after it, and the line's hash. */
function sealedLine(before: string, after: string, key: Buffer): { line: string; hash: string } {
  const unsigned = `{${before}${before && after ? ',' : ''}${after}}`;
  const mac = hmacOf(key).hex(unsigned);
  // The line is the MAC's input with the mac put in after `before`, so it is cut from that input:
  // encoding the input made it one flat string, and the line's hash then copies two pieces of it
  // instead of walking every member's concatenation a second time (about 0.4 µs per record).
  const cut = 1 + before.length;
  const line = `${unsigned.slice(0, cut)}${before ? ',' : ''}"mac":"${mac}"${after ? ',' : ''}${unsigned.slice(before && after ? cut + 1 : cut)}`;
  madeLineHash = lineHash(line);
  return { line, hash: madeLineHash };
}

export function recordMac(recordWithoutMac: JsonObject, key: Buffer): string {
  return hmacOf(key).hex(canonicalJson(recordWithoutMac));
}

export function lineHash(canonicalLine: string): string {
  return `sha256:${hash('sha256', canonicalLine, 'hex')}`;
}

// Deriving the padded key blocks for every MAC would cost as much as the MAC of a short record.
const macs = new WeakMap<Buffer, { bytes: Buffer; hmac: HmacSha256 }>();
function hmacOf(key: Buffer): HmacSha256 {
  const known = macs.get(key);
  // Compared by content too: a caller that reuses a buffer for another key must not get the old one.
  if (known && sameBytes(known.bytes, key)) return known.hmac;
  const hmac = new HmacSha256(key);
  macs.set(key, { bytes: Buffer.from(key), hmac });
  return hmac;
}

/** Buffer#equals for a key: a loop over 32 bytes costs less than the native call it makes. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The JSON text of a string that recurs from record to record: member names, and the server, tool,
 * source, digest and reason members (the same string objects each time, from redactRepeated). A lookup
 * costs less than writing them again. Bounded like redactRepeated's memory, for the same reason.
 */
const quotedTexts = new Map<string, string>();
function quotedText(text: string): string {
  let quoted = quotedTexts.get(text);
  if (quoted === undefined) {
    quoted = stringJson(text);
    if (text.length <= 512) {
      if (quotedTexts.size >= 2048) quotedTexts.clear();
      quotedTexts.set(text, quoted);
    }
  }
  return quoted;
}

/**
 * RFC 8785 (JCS) canonical JSON for values this module built: strings are well-formed (toWellFormed)
 * and numbers finite, where JSON.stringify's text for a string or a number is already what JCS asks
 * for; keys sort by UTF-16 code units, the default sort. Written out here because the `canonicalize`
 * package is the largest cost of writing a record. A string or a number is written here: a native
 * JSON.stringify call costs more to set up (0.1 µs and up) than that, and a record has several.
 */
export function canonicalJson(value: JsonValue): string {
  if (typeof value === 'string') return stringJson(value);
  if (typeof value === 'number') return numberJson(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  // Most objects this module writes were built with their keys in sorted order, and records read
  // back come from canonical lines: for those, one native JSON.stringify writes the same text. Its
  // setup costs more than writing a small object here, but a large one it writes faster.
  return canonicalLength(value) > SMALL_OBJECT_CHARS ? JSON.stringify(value) : sortedJson(value);
}

/** Objects whose text is about this long or shorter are written here, longer ones by JSON.stringify. */
const SMALL_OBJECT_CHARS = 128;

function sortedJson(value: JsonValue): string {
  if (typeof value === 'string') return stringJson(value);
  if (typeof value === 'number') return numberJson(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + sortedJson(value[i]!);
    return `${out}]`;
  }
  const keys = Object.keys(value);
  // Object.keys lists integer-like keys first, numerically: those fail the check.
  if (!isSorted(keys)) keys.sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    out += `${i > 0 ? ',' : ''}${stringJson(key)}:${sortedJson(value[key]!)}`;
  }
  return `${out}}`;
}

/**
 * About how long JSON.stringify's text for `value` is, when that text is canonical: only plain JSON
 * data (no undefined, no non-finite number, nothing with a toJSON), every object's keys already in
 * sorted order, and no key that starts with a digit (property order puts integer-like keys first,
 * numerically, not sorted). -1 when it is not.
 */
function canonicalLength(value: JsonValue): number {
  if (value === null || typeof value === 'boolean') return 5;
  if (typeof value === 'string') return value.length + 2;
  if (typeof value === 'number') return Number.isFinite(value) ? 8 : -1;
  if (Array.isArray(value)) {
    let length = 2;
    for (let i = 0; i < value.length; i++) {
      const inner = canonicalLength(value[i]!);
      if (inner < 0) return -1;
      length += inner + 1;
    }
    return length;
  }
  if (typeof value !== 'object') return -1;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return -1;
  let length = 2;
  let previous: string | undefined;
  for (const key in value) {
    const first = key.charCodeAt(0);
    if (first >= 0x30 && first <= 0x39) return -1;
    if (previous !== undefined && !(previous < key)) return -1;
    const inner = canonicalLength(value[key]!);
    if (inner < 0) return -1;
    length += key.length + 4 + inner;
    previous = key;
  }
  return length;
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1]! < keys[i]!)) return false;
  return true;
}

/** JSON.stringify's text for a finite number (ECMAScript Number::toString, as JCS asks), which String gives without the call's setup. */
function numberJson(value: number): string {
  if (!Number.isFinite(value)) throw new Error('non-finite number has no JSON form');
  return String(value);
}

/**
 * The last texts this module wrote from digits alone: a record's time (toISOString), its arguments'
 * hash, and the hash of the line just sealed, which the next record chains to. JSON escapes none of
 * their characters, so they are written in quotes without a scan (scanning a 71-character digest
 * costs about 0.3 µs). Compared by value, so an equal string from elsewhere gets the same (right) text.
 */
let madeTime = '';
let madeArgumentsHash = '';
let madeLineHash = '';

/** Strings longer than this go to JSON.stringify, which scans long text faster than a loop here. */
const SHORT_TEXT_UNITS = 128;

/**
 * JSON.stringify(text). A short string with nothing to escape (no quote, backslash, control
 * character or surrogate) is only quoted; anything else is left to JSON.stringify, which escapes
 * lone surrogates as \uXXXX.
 */
function stringJson(text: string): string {
  if (text === madeLineHash || text === madeArgumentsHash || text === madeTime) return `"${text}"`;
  if (text.length > SHORT_TEXT_UNITS) return JSON.stringify(text);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20 || unit === 0x22 || unit === 0x5c || (unit >= 0xd800 && unit <= 0xdfff)) return JSON.stringify(text);
  }
  return `"${text}"`;
}

/**
 * Arguments become a keyed hash and a shape (types only). The hash is an HMAC under the audit key,
 * not a bare SHA-256: a bare hash of a short secret (a PIN, a password) can be reversed by guessing.
 * Values appear only when asked for, always redacted and truncated.
 */
function describeArguments(args: unknown, options: RecordOptions): JsonObject {
  const wellFormed = toJsonValue(args === undefined ? {} : args, 0);
  madeArgumentsHash = `hmac-sha256:${hmacOf(options.key).hex(canonicalJson(wellFormed))}`;
  const out: JsonObject = { hash: madeArgumentsHash, shape: shapeOf(wellFormed, 0) };
  if (options.includeValues) out['values'] = redactedValues(wellFormed, 0);
  return out;
}

const MAX_DEPTH = 16;
const MAX_KEYS = 64;
const MAX_ITEMS = 16;
const MAX_VALUE_CHARS = 256;

/**
 * Lone surrogates have no JSON form; they become U+FFFD so the record can still be written. These
 * fields (server, tool, reason, digest…) recur from call to call: their redaction is remembered.
 */
function safeText(text: string): string {
  return redactRepeated(toWellFormed(text));
}

/** `out[key] = v` would set the prototype for a `__proto__` key (which JSON.parse creates as data). */
function setOwn(out: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

interface WellFormedText {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** String.prototype.toWellFormed, which Node 20 has but the es2023 lib does not declare. */
function toWellFormed(text: string): string {
  // Native: a one-byte string (almost every one) cannot hold a surrogate and is returned as it is.
  return (text as unknown as WellFormedText).toWellFormed();
}

function anyLoneSurrogate(texts: string[]): boolean {
  for (const text of texts) if (!(text as unknown as WellFormedText).isWellFormed()) return true;
  return false;
}

function toJsonValue(value: unknown, depth: number): JsonValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return toWellFormed(value);
  if (depth > 256) return null;
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item, depth + 1));
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    // Copied in sorted order, so canonicalJson can hand the copy to JSON.stringify. Not when a key
    // holds a lone surrogate: U+FFFD sorts elsewhere, and two keys can become one, the later winning.
    if (!anyLoneSurrogate(keys)) keys.sort();
    const out: JsonObject = {};
    for (const key of keys) {
      const inner = object[key];
      if (inner !== undefined) setOwn(out, toWellFormed(key), toJsonValue(inner, depth + 1));
    }
    return out;
  }
  return null;
}

function shapeOf(value: JsonValue, depth: number): JsonValue {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return 'array';
    const items: JsonValue[] = [];
    for (let i = 0; i < value.length && i < MAX_ITEMS; i++) items.push(shapeOf(value[i]!, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`…${value.length - MAX_ITEMS} more`);
    return items;
  }
  if (typeof value === 'object') {
    if (depth >= MAX_DEPTH) return 'object';
    const out: JsonObject = {};
    const keys = Object.keys(value).sort();
    // Keys are usually schema names, but a free-form object's keys are data: redact them too.
    for (let i = 0; i < keys.length && i < MAX_KEYS; i++) setOwn(out, redactRepeated(keys[i]!), shapeOf(value[keys[i]!]!, depth + 1));
    if (keys.length > MAX_KEYS) out['…'] = `${keys.length - MAX_KEYS} more keys`;
    return out;
  }
  return typeof value;
}

function redactedValues(value: JsonValue, depth: number): JsonValue {
  if (typeof value === 'string') {
    // redact, not redactRepeated: a cache of recurring values would keep raw argument values (tokens,
    // passwords a tool was handed) in the proxy's memory for the whole session.
    const text = redact(value);
    return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…(${text.length} chars)` : text;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? 'array' : 'object';
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => redactedValues(item, depth + 1));
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort().slice(0, MAX_KEYS)) setOwn(out, redactRepeated(key), redactedValues(value[key]!, depth + 1));
  return out;
}
