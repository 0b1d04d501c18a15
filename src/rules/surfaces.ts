// Every string of an MCP definition that reaches the model's context is a place to hide instructions.
// This module walks snapshots and yields each such string with the JSON path a finding will point at.

import type { EntityKind, FindingLocation, JsonObject, JsonValue, ServerSnapshot } from '../model.js';

export type SurfaceKind =
  /** tool / prompt / resource name, prompt argument name */
  | 'name'
  /** a property name inside an input or output schema */
  | 'parameter-name'
  | 'title'
  | 'description'
  /** enum / default / examples / const strings inside schemas */
  | 'schema-value'
  | 'uri'
  | 'instructions';

export interface TextSurface {
  kind: SurfaceKind;
  /** JSON path of the string inside its entity, e.g. `inputSchema.properties.sidenote.description`. */
  field: string;
  raw: string;
}

export interface EntityView {
  server: string;
  kind: EntityKind | 'instructions';
  /** Tool / prompt name, resource URI; empty for server instructions. */
  name: string;
  /** The wire object (for instructions, a synthetic `{instructions}` object). */
  raw: JsonObject;
  surfaces: TextSurface[];
  /** Set when a bound stopped the walk, so part of the definition was not analysed. */
  truncated?: 'depth' | 'size';
}

// Schemas arrive from untrusted servers; a bound keeps a hostile, deeply nested schema from costing more
// than a normal one. The deepest real schema in the corpus needs 10 levels and the largest tool has 135
// strings; hitting a bound is reported (oversized-definition) because the rest goes unread.
export const MAX_SCHEMA_DEPTH = 24;
export const MAX_SURFACES_PER_ENTITY = 2000;

/** Collects surfaces and remembers whether a bound cut the walk short. */
class SurfaceList {
  readonly items: TextSurface[] = [];
  truncated: 'depth' | 'size' | undefined;
}

const SCHEMA_CHILD_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_CHILD_SINGLE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems'];
const SCHEMA_CHILD_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items'];
const SCHEMA_CHILD_MAP_KEYS = new Set(SCHEMA_CHILD_MAPS);
const SCHEMA_CHILD_SINGLE_KEYS = new Set(SCHEMA_CHILD_SINGLE);
const SCHEMA_CHILD_LIST_KEYS = new Set(SCHEMA_CHILD_LISTS);
const VALUE_KEYS = new Set(['enum', 'default', 'examples', 'const']);

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pushString(out: SurfaceList, kind: SurfaceKind, field: string, value: JsonValue | undefined): void {
  if (typeof value !== 'string' || value.length === 0) return;
  if (out.items.length >= MAX_SURFACES_PER_ENTITY) out.truncated ??= 'size';
  else out.items.push({ kind, field, raw: value });
}

function collectValueStrings(out: SurfaceList, field: string, value: JsonValue | undefined, depth: number): void {
  if (depth > 4 || value === undefined) return;
  if (typeof value === 'string') pushString(out, 'schema-value', field, value);
  else if (Array.isArray(value)) value.forEach((item, i) => collectValueStrings(out, `${field}[${i}]`, item, depth + 1));
  else if (isObject(value)) for (const [key, item] of Object.entries(value)) collectValueStrings(out, `${field}.${key}`, item, depth + 1);
}

// Paths are built only for keys that are present: schemas are large and most keywords are absent.
function walkSchema(out: SurfaceList, path: string, schema: JsonValue | undefined, depth: number): void {
  if (!isObject(schema)) return;
  if (depth > MAX_SCHEMA_DEPTH) {
    out.truncated ??= 'depth';
    return;
  }
  for (const key in schema) {
    const value = schema[key];
    if (value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean') continue;
    if (key === 'title' || key === 'description') {
      pushString(out, key, `${path}.${key}`, value);
    } else if (VALUE_KEYS.has(key)) {
      collectValueStrings(out, `${path}.${key}`, value, 0);
    } else if (SCHEMA_CHILD_MAP_KEYS.has(key)) {
      if (!isObject(value)) continue;
      for (const childName in value) {
        const childPath = `${path}.${key}.${childName}`;
        if (key === 'properties' || key === 'patternProperties') pushString(out, 'parameter-name', childPath, childName);
        walkSchema(out, childPath, value[childName], depth + 1);
      }
    } else if (Array.isArray(value)) {
      if (SCHEMA_CHILD_LIST_KEYS.has(key)) value.forEach((child, i) => walkSchema(out, `${path}.${key}[${i}]`, child, depth + 1));
    } else if (SCHEMA_CHILD_SINGLE_KEYS.has(key)) {
      walkSchema(out, `${path}.${key}`, value, depth + 1);
    }
  }
}

function toolSurfaces(tool: JsonObject): SurfaceList {
  const out = new SurfaceList();
  pushString(out, 'name', 'name', tool['name']);
  pushString(out, 'title', 'title', tool['title']);
  pushString(out, 'description', 'description', tool['description']);
  const annotations = tool['annotations'];
  if (isObject(annotations)) pushString(out, 'title', 'annotations.title', annotations['title']);
  walkSchema(out, 'inputSchema', tool['inputSchema'], 0);
  walkSchema(out, 'outputSchema', tool['outputSchema'], 0);
  return out;
}

function promptSurfaces(prompt: JsonObject): SurfaceList {
  const out = new SurfaceList();
  pushString(out, 'name', 'name', prompt['name']);
  pushString(out, 'title', 'title', prompt['title']);
  pushString(out, 'description', 'description', prompt['description']);
  const args = prompt['arguments'];
  if (Array.isArray(args)) {
    args.forEach((arg, i) => {
      if (!isObject(arg)) return;
      pushString(out, 'parameter-name', `arguments[${i}].name`, arg['name']);
      pushString(out, 'title', `arguments[${i}].title`, arg['title']);
      pushString(out, 'description', `arguments[${i}].description`, arg['description']);
    });
  }
  return out;
}

function resourceSurfaces(resource: JsonObject): SurfaceList {
  const out = new SurfaceList();
  pushString(out, 'name', 'name', resource['name']);
  pushString(out, 'title', 'title', resource['title']);
  pushString(out, 'description', 'description', resource['description']);
  pushString(out, 'uri', 'uri', resource['uri']);
  pushString(out, 'uri', 'uriTemplate', resource['uriTemplate']);
  return out;
}

function stringField(object: JsonObject, key: string): string {
  const value = object[key];
  return typeof value === 'string' ? value : '';
}

function entity(server: string, kind: EntityKind, name: string, raw: JsonObject, list: SurfaceList): EntityView {
  const view: EntityView = { server, kind, name, raw, surfaces: list.items };
  if (list.truncated) view.truncated = list.truncated;
  return view;
}

export function entitiesOf(snapshot: ServerSnapshot): EntityView[] {
  const server = snapshot.server;
  const out: EntityView[] = [];
  if (snapshot.instructions) {
    out.push({
      server,
      kind: 'instructions',
      name: '',
      raw: { instructions: snapshot.instructions },
      surfaces: [{ kind: 'instructions', field: 'instructions', raw: snapshot.instructions }],
    });
  }
  // Wire data: a hostile or buggy server may put non-objects in its lists.
  const objects = (list: readonly JsonValue[] | undefined): JsonObject[] => (list ?? []).filter(isObject);
  for (const tool of objects(snapshot.tools)) out.push(entity(server, 'tool', stringField(tool, 'name'), tool, toolSurfaces(tool)));
  for (const prompt of objects(snapshot.prompts)) out.push(entity(server, 'prompt', stringField(prompt, 'name'), prompt, promptSurfaces(prompt)));
  for (const resource of objects(snapshot.resources)) {
    out.push(entity(server, 'resource', stringField(resource, 'uri') || stringField(resource, 'name'), resource, resourceSurfaces(resource)));
  }
  for (const template of objects(snapshot.resourceTemplates)) {
    const name = stringField(template, 'uriTemplate') || stringField(template, 'name');
    out.push(entity(server, 'resourceTemplate', name, template, resourceSurfaces(template)));
  }
  return out;
}

export function locationOf(entity: EntityView, field: string): FindingLocation {
  const location: FindingLocation = { server: entity.server, field };
  if (entity.kind === 'tool') location.tool = entity.name;
  else if (entity.kind === 'prompt') location.prompt = entity.name;
  else if (entity.kind === 'resource' || entity.kind === 'resourceTemplate') location.resource = entity.name;
  return location;
}

/** `tool "add"`, `prompt "x"`, `server instructions`: the subject of a message. */
export function describeEntity(entity: EntityView): string {
  switch (entity.kind) {
    case 'tool':
      return `tool "${entity.name}"`;
    case 'prompt':
      return `prompt "${entity.name}"`;
    case 'resource':
      return `resource "${entity.name}"`;
    case 'resourceTemplate':
      return `resource template "${entity.name}"`;
    case 'instructions':
      return 'the server instructions';
  }
}
