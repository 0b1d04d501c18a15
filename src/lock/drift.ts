import type { DriftItem, DriftReason, EntityKind, JsonObject, JsonValue, ServerEntry, ServerSnapshot } from '../model.js';
import { describeLookAlike, nameSkeleton } from './confusables.js';
import { SCHEMA_FIELDS, entityDigests, entityKey, entityKeyField, semanticFields, semanticView, sha256Digest, type EntityDigests } from './digest.js';
import { lockedIdentity } from './identity.js';
import { MAX_JSON_DEPTH, brief, joinPath, jsonDepthExceeds, jsonEqual } from './json-equal.js';
import { ENTITY_COLLECTIONS, getOwn, type LockFile, type LockedEntity, type LockedServer } from './lock-file.js';
import { compareSchemas, type SchemaChange } from './schema-drift.js';

// The one drift classifier, shared by `scan` and the proxy (design §3). Pure, and cheap on the common
// path: when the full digest matches, nothing else is computed.

const NOUN: Record<EntityKind, string> = { tool: 'tool', prompt: 'prompt', resource: 'resource', resourceTemplate: 'resource template' };

/**
 * Annotation hints and their spec defaults (MCP 2025-11-25). Every default is the permissive reading,
 * so a missing or non-boolean hint is treated as the most dangerous value.
 */
const HINTS: ReadonlyArray<{ key: string; defaultValue: boolean; widensTo: boolean }> = [
  { key: 'readOnlyHint', defaultValue: false, widensTo: false },
  { key: 'destructiveHint', defaultValue: true, widensTo: true },
  { key: 'idempotentHint', defaultValue: false, widensTo: false },
  { key: 'openWorldHint', defaultValue: true, widensTo: true },
];

/** Removed × added pairs beyond this skip fuzzy rename matching, bounding the cost of a huge churn. */
const MAX_RENAME_PAIRS = 10_000;
const RENAME_SIMILARITY = 0.8;

function reason(field: string, kind: string, blocking: boolean, detail: string, before?: JsonValue, after?: JsonValue): DriftReason {
  const result: DriftReason = { field, kind, blocking, detail };
  if (before !== undefined) result.before = before;
  if (after !== undefined) result.after = after;
  return result;
}

function own(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Why `current` differs from what was locked; empty when it does not. `locked` undefined means the
 * entity is new, `current` undefined that it is gone. Pass `currentDigests` when already computed.
 */
export function classifyEntityDrift(
  kind: EntityKind,
  locked: LockedEntity | undefined,
  current: JsonObject | undefined,
  currentDigests?: EntityDigests,
): DriftReason[] {
  if (!locked && !current) return [];
  const keyField = entityKeyField(kind);
  if (!locked) {
    return [reason(keyField, 'added', true, `new ${NOUN[kind]} ${brief(own(current!, keyField))}`, undefined, own(current!, keyField))];
  }
  if (!current) {
    return [reason(keyField, 'removed', false, `${NOUN[kind]} ${brief(own(locked.definition, keyField))} removed`, own(locked.definition, keyField))];
  }
  const tooDeep = (): DriftReason[] => [reason('', 'unclassified', true, `definition nested deeper than ${MAX_JSON_DEPTH} levels; not compared`)];
  let full: string;
  try {
    full = currentDigests?.full ?? sha256Digest(current);
  } catch (error) {
    // Stack overflow on hostile nesting: it cannot be what was locked (locks refuse such depth).
    if (error instanceof RangeError) return tooDeep();
    throw error;
  }
  if (full === locked.digests.full) return [];
  // The walks below recurse more per level than canonicalisation does; bound them first.
  if (jsonDepthExceeds(current)) return tooDeep();
  const semantic = currentDigests?.semantic ?? entityDigests(kind, current).semantic;
  const reasons: DriftReason[] = [];
  if (semantic !== locked.digests.semantic) {
    reasons.push(...semanticReasons(kind, locked.definition, current));
    // A semantic difference this classifier could not name must still stop the entity (fail closed).
    if (!reasons.some((r) => r.kind !== 'full-only' && r.kind !== 'schema-dialect')) {
      reasons.push(reason('', 'unclassified', true, 'definition changed in a way mcp-guard cannot classify'));
    }
  }
  reasons.push(...fullOnlyReasons(kind, locked.definition, current));
  if (reasons.length === 0) reasons.push(reason('', 'full-only', false, 'definition changed outside the fields the model reads'));
  return reasons;
}

function semanticReasons(kind: EntityKind, before: JsonObject, after: JsonObject): DriftReason[] {
  const reasons: DriftReason[] = [];
  for (const field of semanticFields(kind)) {
    const x = own(before, field);
    const y = own(after, field);
    if (jsonEqual(x, y)) continue;
    if (field === entityKeyField(kind)) {
      reasons.push(reason(field, 'renamed', true, `renamed ${brief(x)} → ${brief(y)}`, x, y));
    } else if (field === 'inputSchema') {
      reasons.push(...schemaReasons(x, y, 'input'));
    } else if (field === 'outputSchema') {
      reasons.push(...schemaReasons(x, y, 'output'));
    } else if (field === 'annotations') {
      reasons.push(...annotationReasons(x, y));
    } else if (field === 'arguments') {
      reasons.push(...argumentReasons(x, y));
    } else if (field === 'mimeType') {
      reasons.push(reason(field, 'metadata-changed', true, `mimeType ${brief(x)} → ${brief(y)}`, x, y));
    } else {
      // title, description, and the display name of resources: text the model reads.
      const verb = x === undefined ? 'added' : y === undefined ? 'removed' : 'changed';
      reasons.push(reason(field, 'text-changed', true, `${field} ${verb}`, x, y));
    }
  }
  return reasons;
}

function schemaReasons(x: JsonValue | undefined, y: JsonValue | undefined, mode: 'input' | 'output'): DriftReason[] {
  const field = mode === 'input' ? 'inputSchema' : 'outputSchema';
  const before = withoutDialect(x);
  const after = withoutDialect(y);
  if (mode === 'output' && before === undefined) {
    const changes = compareSchemas({}, after, field);
    const hasText = changes.some((c) => c.class === 'text' || c.introducesText || c.class === 'unclassified');
    return [reason(field, hasText ? 'text-changed' : 'output-schema-changed', hasText, 'outputSchema added', undefined, after)];
  }
  if (mode === 'output' && after === undefined) {
    return [reason(field, 'output-schema-changed', false, 'outputSchema removed', before, undefined)];
  }
  return compareSchemas(before, after, field).map((c) => (mode === 'input' ? inputSchemaReason(c) : outputSchemaReason(c)));
}

function withoutDialect(schema: JsonValue | undefined): JsonValue | undefined {
  if (!isObject(schema) || !Object.hasOwn(schema, '$schema')) return schema;
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

function inputSchemaReason(c: SchemaChange): DriftReason {
  switch (c.class) {
    case 'text':
      return reason(c.path, 'text-changed', true, c.detail, c.before, c.after);
    case 'widened':
      return reason(c.path, 'schema-widened', true, c.detail, c.before, c.after);
    case 'narrowed':
      // Narrowing is harmless unless it smuggles in new text (an enum of instructions, say).
      return c.introducesText
        ? reason(c.path, 'text-changed', true, `${c.detail} (new text)`, c.before, c.after)
        : reason(c.path, 'schema-narrowed', false, c.detail, c.before, c.after);
    case 'equivalent':
      return reason(c.path, 'schema-equivalent', false, c.detail, c.before, c.after);
    case 'unclassified':
      return reason(c.path, 'schema-changed', true, c.detail, c.before, c.after);
  }
}

/** An output schema bounds what the server returns, not what a call may do: only text matters. */
function outputSchemaReason(c: SchemaChange): DriftReason {
  if (c.class === 'text') return reason(c.path, 'text-changed', true, c.detail, c.before, c.after);
  if (c.class === 'unclassified') return reason(c.path, 'schema-changed', true, c.detail, c.before, c.after);
  return c.introducesText
    ? reason(c.path, 'text-changed', true, `${c.detail} (new text)`, c.before, c.after)
    : reason(c.path, 'output-schema-changed', false, c.detail, c.before, c.after);
}

function annotationReasons(x: JsonValue | undefined, y: JsonValue | undefined): DriftReason[] {
  const before = isObject(x) ? x : {};
  const after = isObject(y) ? y : {};
  const reasons: DriftReason[] = [];
  if ((x !== undefined && !isObject(x)) || (y !== undefined && !isObject(y))) {
    reasons.push(reason('annotations', 'annotation-changed', true, `annotations ${brief(x)} → ${brief(y)}`, x, y));
  }
  const show = (value: JsonValue | undefined, fallback: boolean): string =>
    value === undefined ? `absent (default ${fallback})` : brief(value);
  for (const hint of HINTS) {
    const a = own(before, hint.key);
    const b = own(after, hint.key);
    if (jsonEqual(a, b)) continue;
    const field = `annotations.${hint.key}`;
    const effectiveA = typeof a === 'boolean' ? a : hint.defaultValue;
    const effectiveB = typeof b === 'boolean' ? b : hint.defaultValue;
    const detail = `${hint.key} ${show(a, hint.defaultValue)} → ${show(b, hint.defaultValue)}`;
    if (effectiveA === effectiveB) reasons.push(reason(field, 'annotation-default', false, `${detail} (same effective value)`, a, b));
    else if (effectiveB === hint.widensTo) reasons.push(reason(field, 'annotation-widened', true, detail, a, b));
    else reasons.push(reason(field, 'annotation-narrowed', false, detail, a, b));
  }
  const hintKeys = new Set(HINTS.map((h) => h.key));
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (hintKeys.has(key)) continue;
    const a = own(before, key);
    const b = own(after, key);
    if (jsonEqual(a, b)) continue;
    const field = joinPath('annotations', key);
    if (key === 'title') reasons.push(reason(field, 'text-changed', true, `annotations.title ${a === undefined ? 'added' : b === undefined ? 'removed' : 'changed'}`, a, b));
    else reasons.push(reason(field, 'annotation-changed', true, `${key} ${brief(a)} → ${brief(b)}`, a, b));
  }
  return reasons;
}

/** Prompt arguments are a small schema of their own: name, title, description, required. */
function argumentReasons(x: JsonValue | undefined, y: JsonValue | undefined): DriftReason[] {
  const before = argumentMap(x);
  const after = argumentMap(y);
  if (!before || !after) return [reason('arguments', 'schema-changed', true, `arguments ${brief(x)} → ${brief(y)}`, x, y)];
  const reasons: DriftReason[] = [];
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(name);
    const b = after.get(name);
    const field = joinPath('arguments', name);
    if (!a) {
      reasons.push(reason(field, 'schema-widened', true, `new argument ${JSON.stringify(name)}`, undefined, b));
      continue;
    }
    if (!b) {
      reasons.push(reason(field, 'schema-narrowed', false, `argument ${JSON.stringify(name)} removed`, a, undefined));
      continue;
    }
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const p = own(a, key);
      const q = own(b, key);
      if (jsonEqual(p, q)) continue;
      const at = joinPath(field, key);
      if (key === 'required') {
        const wasRequired = p === true;
        const isRequired = q === true;
        if (wasRequired === isRequired) reasons.push(reason(at, 'schema-equivalent', false, `required ${brief(p)} → ${brief(q)}`, p, q));
        else if (wasRequired) reasons.push(reason(at, 'schema-widened', true, `${JSON.stringify(name)} no longer required`, p, q));
        else reasons.push(reason(at, 'schema-narrowed', false, `${JSON.stringify(name)} now required`, p, q));
      } else if (key === 'description' || key === 'title') {
        reasons.push(reason(at, 'text-changed', true, `${key} ${p === undefined ? 'added' : q === undefined ? 'removed' : 'changed'}`, p, q));
      } else {
        reasons.push(reason(at, 'schema-changed', true, `${key} ${brief(p)} → ${brief(q)}`, p, q));
      }
    }
  }
  return reasons;
}

function argumentMap(value: JsonValue | undefined): Map<string, JsonObject> | undefined {
  const map = new Map<string, JsonObject>();
  if (value === undefined) return map;
  if (!Array.isArray(value)) return undefined;
  for (const item of value) {
    if (!isObject(item) || typeof item.name !== 'string' || map.has(item.name)) return undefined;
    map.set(item.name, item);
  }
  return map;
}

function fullOnlyReasons(kind: EntityKind, before: JsonObject, after: JsonObject): DriftReason[] {
  const reasons: DriftReason[] = [];
  const semantic = new Set(semanticFields(kind));
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const a = own(before, key);
    const b = own(after, key);
    if (SCHEMA_FIELDS.has(key) && semantic.has(key)) {
      const dialectA = isObject(a) ? own(a, '$schema') : undefined;
      const dialectB = isObject(b) ? own(b, '$schema') : undefined;
      if (!jsonEqual(dialectA, dialectB)) {
        reasons.push(reason(`${key}.$schema`, 'schema-dialect', false, `${key} dialect ${brief(dialectA)} → ${brief(dialectB)}`, dialectA, dialectB));
      }
      continue;
    }
    if (semantic.has(key) || jsonEqual(a, b)) continue;
    const verb = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
    reasons.push(reason(joinPath('', key), 'full-only', false, `${key} ${verb} (not read by the model)`, a, b));
  }
  return reasons;
}

// ── Whole servers ────────────────────────────────────────────────────────────

export interface CompareOptions {
  /** The configured entry now; its launch identity is compared with the locked one (informational). */
  entry?: ServerEntry;
}

function item(server: string, entity: DriftItem['entity'], name: string, change: DriftItem['change'], reasons: DriftReason[]): DriftItem {
  return { server, entity, name, change, severity: reasons.some((r) => r.blocking) ? 'blocking' : 'informational', reasons };
}

export function compareServer(server: string, locked: LockedServer, snapshot: ServerSnapshot, options: CompareOptions = {}): DriftItem[] {
  const items: DriftItem[] = [];
  const serverReasons = serverLevelReasons(locked, snapshot, options);
  if (serverReasons.length > 0) items.push(item(server, 'server', '', 'changed', serverReasons));
  const instructions = instructionsItem(server, locked, snapshot);
  if (instructions) items.push(instructions);
  for (const [kind, collection] of ENTITY_COLLECTIONS) {
    items.push(...compareCollection(server, kind, locked[collection], snapshot[collection]));
  }
  return sortDriftItems(items);
}

function serverLevelReasons(locked: LockedServer, snapshot: ServerSnapshot, options: CompareOptions): DriftReason[] {
  const reasons: DriftReason[] = [];
  if (locked.protocolVersion !== snapshot.protocolVersion) {
    reasons.push(reason('protocolVersion', 'protocol-changed', false, `protocol ${locked.protocolVersion} → ${snapshot.protocolVersion}`, locked.protocolVersion, snapshot.protocolVersion));
  }
  reasons.push(...objectFieldReasons('serverInfo', locked.serverInfo, snapshot.serverInfo, 'server-info-changed'));
  if (locked.serverCapabilities !== undefined) {
    reasons.push(...objectFieldReasons('serverCapabilities', locked.serverCapabilities, snapshot.serverCapabilities, 'capabilities-changed'));
  }
  reasons.push(...objectFieldReasons('clientCapabilities', locked.clientCapabilities, snapshot.clientCapabilities, 'capabilities-changed'));
  if (options.entry) {
    const now = lockedIdentity(options.entry) as unknown as JsonObject;
    reasons.push(...objectFieldReasons('identity', locked.identity as unknown as JsonObject, now, 'identity-changed'));
  }
  return reasons;
}

function objectFieldReasons(field: string, before: JsonObject, after: JsonObject, kind: string): DriftReason[] {
  const reasons: DriftReason[] = [];
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const a = own(before, key);
    const b = own(after, key);
    if (jsonEqual(a, b)) continue;
    reasons.push(reason(joinPath(field, key), kind, false, `${field}.${key} ${brief(a)} → ${brief(b)}`, a, b));
  }
  return reasons;
}

function instructionsItem(server: string, locked: LockedServer, snapshot: ServerSnapshot): DriftItem | undefined {
  const before = locked.instructions?.text;
  const after = snapshot.instructions;
  if (before === after) return undefined;
  const change = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  return item(server, 'instructions', '', change, [reason('instructions', 'text-changed', true, `instructions ${change}`, before, after)]);
}

interface Current {
  key: string;
  entity: JsonObject;
}

function compareCollection(server: string, kind: EntityKind, locked: Record<string, LockedEntity>, entities: JsonObject[]): DriftItem[] {
  const items: DriftItem[] = [];
  const current = new Map<string, JsonObject>();
  entities.forEach((entity, index) => {
    const key = entityKey(kind, entity);
    if (key === undefined) {
      items.push(item(server, kind, `#${index}`, 'added', [reason(entityKeyField(kind), 'malformed', true, `${NOUN[kind]} #${index} has no ${entityKeyField(kind)}`)]));
    } else if (current.has(key)) {
      items.push(item(server, kind, key, 'added', [reason(entityKeyField(kind), 'duplicate-name', true, `${NOUN[kind]} ${JSON.stringify(key)} is listed twice`)]));
    } else {
      current.set(key, entity);
    }
  });

  const removed: string[] = [];
  for (const key of Object.keys(locked)) {
    const entity = current.get(key);
    if (entity === undefined) {
      removed.push(key);
      continue;
    }
    const reasons = classifyEntityDrift(kind, locked[key], entity);
    if (reasons.length > 0) items.push(item(server, kind, key, 'changed', reasons));
  }
  const added: Current[] = [];
  for (const [key, entity] of current) if (getOwn(locked, key) === undefined) added.push({ key, entity });

  items.push(...pairRenames(server, kind, locked, removed, added));
  return items;
}

/**
 * Added entities are matched against locked ones twice: by look-alike name (any locked name, still
 * present or not) and, among the removed, by near-identical content (a rename).
 */
function pairRenames(server: string, kind: EntityKind, locked: Record<string, LockedEntity>, removed: string[], added: Current[]): DriftItem[] {
  const items: DriftItem[] = [];
  const bySkeleton = new Map<string, string[]>();
  for (const key of Object.keys(locked)) {
    const skeleton = nameSkeleton(key);
    bySkeleton.set(skeleton, [...(bySkeleton.get(skeleton) ?? []), key]);
  }
  const unpairedRemoved = new Set(removed);
  const unpairedAdded: Current[] = [];
  const lookAlikeOf = new Map<string, string>();

  for (const candidate of added) {
    const similar = (bySkeleton.get(nameSkeleton(candidate.key)) ?? []).filter((key) => key !== candidate.key);
    const previous = similar.find((key) => unpairedRemoved.has(key));
    if (previous !== undefined) {
      unpairedRemoved.delete(previous);
      items.push(renamedItem(server, kind, locked[previous]!, previous, candidate, true));
      continue;
    }
    if (similar.length > 0) lookAlikeOf.set(candidate.key, similar[0]!);
    unpairedAdded.push(candidate);
  }

  const pairs: Array<{ score: number; removed: string; added: Current }> = [];
  if (unpairedRemoved.size * unpairedAdded.length <= MAX_RENAME_PAIRS) {
    for (const previous of unpairedRemoved) {
      for (const candidate of unpairedAdded) {
        const score = similarity(kind, locked[previous]!.definition, candidate.entity);
        if (score >= RENAME_SIMILARITY) pairs.push({ score, removed: previous, added: candidate });
      }
    }
  }
  // Best matches first; ties broken by name so the outcome never depends on listing order.
  pairs.sort((p, q) => q.score - p.score || cmp(p.added.key, q.added.key) || cmp(p.removed, q.removed));
  const pairedAdded = new Set<string>();
  for (const pair of pairs) {
    if (!unpairedRemoved.has(pair.removed) || pairedAdded.has(pair.added.key)) continue;
    unpairedRemoved.delete(pair.removed);
    pairedAdded.add(pair.added.key);
    items.push(renamedItem(server, kind, locked[pair.removed]!, pair.removed, pair.added, false));
  }

  for (const candidate of unpairedAdded) {
    if (pairedAdded.has(candidate.key)) continue;
    const reasons = classifyEntityDrift(kind, undefined, candidate.entity);
    const lookAlike = lookAlikeOf.get(candidate.key);
    if (lookAlike !== undefined) {
      reasons.push(reason(entityKeyField(kind), 'look-alike-name', true, describeLookAlike(candidate.key, lookAlike), lookAlike, candidate.key));
    }
    items.push(item(server, kind, candidate.key, 'added', reasons));
  }
  for (const previous of unpairedRemoved) {
    items.push(item(server, kind, previous, 'removed', classifyEntityDrift(kind, locked[previous], undefined)));
  }
  return items;
}

function renamedItem(server: string, kind: EntityKind, locked: LockedEntity, previous: string, current: Current, isLookAlike: boolean): DriftItem {
  const reasons = classifyEntityDrift(kind, locked, current.entity);
  if (isLookAlike) reasons.unshift(reason(entityKeyField(kind), 'look-alike-name', true, describeLookAlike(current.key, previous), previous, current.key));
  const result = item(server, kind, current.key, 'renamed', reasons);
  result.previousName = previous;
  return result;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * How alike two entities are apart from their key: 1 when everything else is equal, otherwise a blend
 * of text overlap (title, description, display name) and parameter overlap. Entities with no text
 * and no parameters never match loosely: two bare file resources are not a rename of each other.
 */
function similarity(kind: EntityKind, before: JsonObject, after: JsonObject): number {
  const keyField = entityKeyField(kind);
  const a = semanticView(kind, before);
  const b = semanticView(kind, after);
  delete a[keyField];
  delete b[keyField];
  const textA = [...words(a.title), ...words(a.description), ...(kind === 'resource' || kind === 'resourceTemplate' ? words(a.name) : [])];
  const textB = [...words(b.title), ...words(b.description), ...(kind === 'resource' || kind === 'resourceTemplate' ? words(b.name) : [])];
  const paramsA = parameterNames(kind, a);
  const paramsB = parameterNames(kind, b);
  const hasSubstance = textA.length + textB.length > 0 || paramsA.length + paramsB.length > 0;
  if (!hasSubstance) return 0;
  if (jsonEqual(a, b)) return 1;
  if (textA.length === 0 || textB.length === 0) return 0;
  // Resources have no parameters; their text alone must carry the match.
  if (kind === 'resource' || kind === 'resourceTemplate') return dice(textA, textB);
  return 0.6 * dice(textA, textB) + 0.4 * jaccard(paramsA, paramsB);
}

function words(value: JsonValue | undefined): string[] {
  return typeof value === 'string' ? value.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean) : [];
}

function dice(a: string[], b: string[]): number {
  const counts = new Map<string, number>();
  for (const word of a) counts.set(word, (counts.get(word) ?? 0) + 1);
  let shared = 0;
  for (const word of b) {
    const n = counts.get(word) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(word, n - 1);
    }
  }
  return (2 * shared) / (a.length + b.length);
}

function parameterNames(kind: EntityKind, view: JsonObject): string[] {
  if (kind === 'tool') {
    const schema = view.inputSchema;
    const properties = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
    return Object.keys(properties);
  }
  if (kind === 'prompt' && Array.isArray(view.arguments)) {
    return view.arguments.flatMap((arg) => (isObject(arg) && typeof arg.name === 'string' ? [arg.name] : []));
  }
  return [];
}

function jaccard(a: string[], b: string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  const setA = new Set(a);
  const setB = new Set(b);
  let shared = 0;
  for (const x of setA) if (setB.has(x)) shared++;
  return shared / (setA.size + setB.size - shared);
}

export interface CompareToLockOptions {
  /** Configured entries by server name, to compare launch identity too. */
  entries?: ReadonlyMap<string, ServerEntry>;
  /**
   * Every configured server name. Locked servers missing from it are reported as removed
   * (informational). Without it, a locked server with no snapshot is not reported: it may simply
   * have failed to list, which scan reports as a connection problem, not as drift.
   */
  configured?: readonly string[];
}

const ENTITY_ORDER: Record<DriftItem['entity'], number> = { server: 0, instructions: 1, tool: 2, prompt: 3, resource: 4, resourceTemplate: 5 };

export function compareToLock(lock: LockFile, snapshots: readonly ServerSnapshot[], options: CompareToLockOptions = {}): DriftItem[] {
  const items: DriftItem[] = [];
  for (const snapshot of snapshots) {
    const locked = getOwn(lock.servers, snapshot.server);
    if (!locked) {
      items.push(item(snapshot.server, 'server', '', 'added', [reason('', 'added', true, `server ${JSON.stringify(snapshot.server)} is not in the lock`)]));
      continue;
    }
    const entry = options.entries?.get(snapshot.server);
    items.push(...compareServer(snapshot.server, locked, snapshot, entry ? { entry } : {}));
  }
  if (options.configured) {
    const configured = new Set(options.configured);
    for (const name of Object.keys(lock.servers)) {
      if (!configured.has(name)) {
        items.push(item(name, 'server', '', 'removed', [reason('', 'removed', false, `server ${JSON.stringify(name)} is locked but no longer configured`)]));
      }
    }
  }
  return sortDriftItems(items);
}

export function sortDriftItems(items: DriftItem[]): DriftItem[] {
  return items.sort(
    (a, b) => cmp(a.server, b.server) || ENTITY_ORDER[a.entity] - ENTITY_ORDER[b.entity] || cmp(a.name, b.name) || cmp(a.change, b.change),
  );
}
