import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EntityKind, JsonObject, JsonValue } from '../model.js';

// Digests are over the RFC 8785 (JCS) form of the object exactly as the server sent it (design §3):
// no Unicode normalisation, so a changed invisible character changes the digest.

export interface EntityDigests {
  /** The whole wire object. */
  full: string;
  /** Only what the model reads and what bounds a call (see semanticView). */
  semantic: string;
}

export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * RFC 8785 canonical JSON. JCS requires well-formed strings (I-JSON) and the `canonicalize` package
 * throws on a lone surrogate, but a hostile server can send one (`"\ud800"` is valid JSON). Such
 * strings are serialised the way ECMAScript's well-formed JSON.stringify does, as a lowercase
 * `\udxxx` escape: deterministic, and it cannot collide with any well-formed string because a literal
 * backslash is itself escaped.
 */
export function canonicalJson(value: JsonValue): string {
  try {
    const text = canonicalize(value);
    if (text === undefined) throw new TypeError('value has no JSON form');
    return text;
  } catch (error) {
    if (error instanceof Error && /lone surrogate/i.test(error.message)) return canonicalJsonTolerant(value);
    throw error;
  }
}

/** The same algorithm as `canonicalize`, minus the lone-surrogate refusal. */
function canonicalJsonTolerant(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJsonTolerant).join(',')}]`;
  // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 asks for.
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJsonTolerant(value[key]!)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `sha256:<hex>` over the canonical JSON of `value`. */
export function sha256Digest(value: JsonValue): string {
  return `sha256:${sha256Hex(canonicalJson(value))}`;
}

const SEMANTIC_FIELDS: Record<EntityKind, readonly string[]> = {
  tool: ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'],
  prompt: ['name', 'title', 'description', 'arguments'],
  resource: ['uri', 'name', 'title', 'description', 'mimeType'],
  resourceTemplate: ['uriTemplate', 'name', 'title', 'description', 'mimeType'],
};

/** Fields whose value is a JSON Schema; their root `$schema` is dialect, not meaning. */
export const SCHEMA_FIELDS: ReadonlySet<string> = new Set(['inputSchema', 'outputSchema']);

export function semanticFields(kind: EntityKind): readonly string[] {
  return SEMANTIC_FIELDS[kind];
}

/**
 * The part of an entity that changes what the model reads or what a call may do. Icons, `_meta`,
 * `execution`, unknown keys and the root `$schema` of each schema are left out: SDK upgrades flip
 * `$schema` from draft-07 to 2020-12 for the same tool, and none of these reach the model.
 */
export function semanticView(kind: EntityKind, entity: JsonObject): JsonObject {
  const view: JsonObject = {};
  for (const field of SEMANTIC_FIELDS[kind]) {
    if (!Object.hasOwn(entity, field)) continue;
    const value = entity[field]!;
    view[field] = SCHEMA_FIELDS.has(field) ? withoutRootDialect(value) : value;
  }
  return view;
}

export function withoutRootDialect(schema: JsonValue): JsonValue {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema) || !Object.hasOwn(schema, '$schema')) {
    return schema;
  }
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/**
 * Both digests from one canonicalisation: each top-level member (and each member of a schema field)
 * is canonicalised once and the two JCS texts are assembled from the pieces. Equal, byte for byte, to
 * `sha256Digest(entity)` and `sha256Digest(semanticView(kind, entity))` (a property test holds it to
 * that), at half the cost; this is the hot path for the proxy and for a 1,000-tool server.
 */
export function entityDigests(kind: EntityKind, entity: JsonObject): EntityDigests {
  const semantic = SEMANTIC_FIELDS[kind];
  const fullParts: string[] = [];
  const semanticParts: string[] = [];
  for (const key of Object.keys(entity).sort()) {
    const value = entity[key]!;
    const isSemantic = semantic.includes(key);
    if (isSemantic && SCHEMA_FIELDS.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const members = Object.keys(value).sort();
      const pieces = members.map((member) => `${canonicalJson(member)}:${canonicalJson(value[member]!)}`);
      const name = canonicalJson(key);
      fullParts.push(`${name}:{${pieces.join(',')}}`);
      semanticParts.push(`${name}:{${pieces.filter((_, i) => members[i] !== '$schema').join(',')}}`);
      continue;
    }
    const piece = `${canonicalJson(key)}:${canonicalJson(value)}`;
    fullParts.push(piece);
    if (isSemantic) semanticParts.push(piece);
  }
  return {
    full: `sha256:${sha256Hex(`{${fullParts.join(',')}}`)}`,
    semantic: `sha256:${sha256Hex(`{${semanticParts.join(',')}}`)}`,
  };
}

/** The key an entity is locked under: tools and prompts by name, resources by URI. */
export function entityKey(kind: EntityKind, entity: JsonObject): string | undefined {
  const key = entity[entityKeyField(kind)];
  return typeof key === 'string' ? key : undefined;
}

export function entityKeyField(kind: EntityKind): 'name' | 'uri' | 'uriTemplate' {
  return kind === 'resource' ? 'uri' : kind === 'resourceTemplate' ? 'uriTemplate' : 'name';
}
